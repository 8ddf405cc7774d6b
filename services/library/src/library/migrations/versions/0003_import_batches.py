"""Idempotency keys of the import upsert: a batch sent again with its key gets its first answer."""

from alembic import op

revision = "0003_import_batches"
down_revision = "0002_missing_facets"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE import_batches (
            space_id uuid NOT NULL,
            batch_key varchar(200) NOT NULL,
            fingerprint char(64) NOT NULL,
            results jsonb NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (space_id, batch_key)
        )
        """
    )
    op.execute("CREATE INDEX ix_import_batches_created_at ON import_batches (created_at)")


def downgrade() -> None:
    op.execute("DROP TABLE import_batches")
