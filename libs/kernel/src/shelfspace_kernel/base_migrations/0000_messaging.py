"""Outbox and inbox tables, the first revision of every service.

Frozen: a later change to these tables gets a new revision in each service, never an edit here.
"""

from alembic import op

revision = "0000_messaging"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE outbox (
            id uuid PRIMARY KEY,
            routing_key varchar(200) NOT NULL,
            payload jsonb NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            lease_until timestamptz,
            attempts integer NOT NULL DEFAULT 0,
            sent_at timestamptz
        )
        """
    )
    op.execute("CREATE INDEX ix_outbox_unsent ON outbox (created_at, id) WHERE sent_at IS NULL")
    op.execute("CREATE INDEX ix_outbox_sent_at ON outbox (sent_at) WHERE sent_at IS NOT NULL")
    op.execute(
        """
        CREATE TABLE inbox (
            consumer varchar(100) NOT NULL,
            event_id uuid NOT NULL,
            processed_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT pk_inbox PRIMARY KEY (consumer, event_id)
        )
        """
    )
    op.execute("CREATE INDEX ix_inbox_processed_at ON inbox (processed_at)")


def downgrade() -> None:
    op.execute("DROP TABLE inbox")
    op.execute("DROP TABLE outbox")
