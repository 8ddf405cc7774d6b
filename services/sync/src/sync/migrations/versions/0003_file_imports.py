"""File imports: the submitted file's records per job, and every skipped or failed row's reason.

Both tables only grow with new jobs and cascade with their job; nothing existing changes.
"""

from alembic import op

revision = "0003_file_imports"
down_revision = "0002_feature_flags"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE sync_file_rows (
            job_id uuid NOT NULL,
            ordinal integer NOT NULL,
            row_number integer NOT NULL,
            data jsonb NOT NULL,
            CONSTRAINT pk_sync_file_rows PRIMARY KEY (job_id, ordinal),
            CONSTRAINT fk_sync_file_rows_job_id_sync_jobs FOREIGN KEY (job_id)
                REFERENCES sync_jobs (id) ON DELETE CASCADE
        )
        """
    )
    op.execute(
        """
        CREATE TABLE sync_job_row_errors (
            job_id uuid NOT NULL,
            row_number integer NOT NULL,
            outcome text NOT NULL,
            item text NOT NULL,
            reason text NOT NULL,
            CONSTRAINT pk_sync_job_row_errors PRIMARY KEY (job_id, row_number),
            CONSTRAINT fk_sync_job_row_errors_job_id_sync_jobs FOREIGN KEY (job_id)
                REFERENCES sync_jobs (id) ON DELETE CASCADE
        )
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE sync_job_row_errors")
    op.execute("DROP TABLE sync_file_rows")
