"""Sync's copy of the instance's feature flags, kept from `identity.feature_flag.changed` events.

Only flags that changed since this migration have a row; the scheduler treats a missing
`scheduled_sync` row as on (schedules can only have been saved while it was on).
"""

from alembic import op

revision = "0002_feature_flags"
down_revision = "0001_sync"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE sync_feature_flags (
            key text NOT NULL,
            enabled boolean NOT NULL,
            changed_at timestamptz NOT NULL,
            CONSTRAINT pk_sync_feature_flags PRIMARY KEY (key)
        )
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE sync_feature_flags")
