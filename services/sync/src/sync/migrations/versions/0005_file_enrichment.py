"""File imports: each staged row keeps what the TMDB enrichment found for it (so a resumed step does
not ask again), and a dry run keeps the titles it would create (so a later page counts a repeat of one
as the real run would). Both only add; nothing existing changes.

Rollback: the downgrade drops the column and the table; only running jobs' lookups are lost.
"""

from alembic import op

revision = "0005_file_enrichment"
down_revision = "0004_outbox_trace_context"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE sync_file_rows ADD COLUMN enrichment jsonb")
    op.execute(
        """
        CREATE TABLE sync_file_dry_titles (
            job_id uuid NOT NULL,
            match_key text NOT NULL,
            external_id text NOT NULL,
            tmdb_id integer,
            imdb_id text,
            CONSTRAINT pk_sync_file_dry_titles PRIMARY KEY (job_id, match_key),
            CONSTRAINT fk_sync_file_dry_titles_job_id_sync_jobs FOREIGN KEY (job_id)
                REFERENCES sync_jobs (id) ON DELETE CASCADE
        )
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE sync_file_dry_titles")
    op.execute("ALTER TABLE sync_file_rows DROP COLUMN enrichment")
