"""The activity log: one row per event, with the indexes its filters use.

Every list is newest first on (created_at, id); each filter that narrows a lot has an index that
ends in that order, so a page is an index range scan. `q` searches the details' text by trigram.
"""

from alembic import op

revision = "0001_activity_log"
down_revision = "0000_messaging"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE activity_log (
            id uuid NOT NULL,
            event_id uuid NOT NULL,
            action varchar(200) NOT NULL,
            producer varchar(100),
            user_id uuid,
            space_id uuid,
            entity_type varchar(100),
            entity_id text,
            details jsonb NOT NULL,
            request_id varchar(100),
            created_at timestamptz NOT NULL,
            recorded_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT pk_activity_log PRIMARY KEY (id),
            CONSTRAINT uq_activity_log_event_id UNIQUE (event_id)
        )
        """
    )
    op.execute("CREATE INDEX ix_activity_log_created_at_id ON activity_log (created_at, id)")
    op.execute("CREATE INDEX ix_activity_log_space_id_created_at_id ON activity_log (space_id, created_at, id)")
    op.execute("CREATE INDEX ix_activity_log_user_id_created_at_id ON activity_log (user_id, created_at, id)")
    # varchar_pattern_ops serves both `action = x` and the prefix `action LIKE 'x.%'`.
    op.execute(
        "CREATE INDEX ix_activity_log_action_created_at_id ON activity_log (action varchar_pattern_ops, created_at, id)"
    )
    op.execute(
        "CREATE INDEX ix_activity_log_entity_type_entity_id_created_at ON activity_log "
        "(entity_type, entity_id, created_at, id)"
    )
    op.execute("CREATE INDEX ix_activity_log_details_trgm ON activity_log USING gin ((details::text) gin_trgm_ops)")


def downgrade() -> None:
    op.execute("DROP TABLE activity_log")
