"""Names resolved when an event is written: who acted, in which space, about whom.

Adds three nullable columns to activity_log (rows written before keep NULL and the web app shows a
fallback) and `known_names`, the audit service's own directory of user and space names learnt from
identity events, so a name outlives the user or space it belongs to. The directory is seeded from
the identity events already in the log. Three indexes serve the facets (the people and kinds of
action of one space or of the whole log), read by skipping from one distinct value to the next.

The log is the largest table of the install: its indexes are built CONCURRENTLY (outside the
revision's transaction, so the consumer keeps writing), and every earlier step may run again, should
a build fail and the revision be retried.

Rollback: the downgrade drops the columns, the directory and the indexes; only resolved names are lost.
"""

from alembic import op

from shelfspace_kernel.migrations import create_index_concurrently, drop_index_concurrently

revision = "0003_activity_names"
down_revision = "0002_outbox_trace_context"
branch_labels = None
depends_on = None

# The newest name and the newest email of each user and space, as the consumer would have learnt them.
SEED = """
INSERT INTO known_names (kind, id, name, email, updated_at)
SELECT kind, id,
       (array_agg(name ORDER BY created_at DESC) FILTER (WHERE name IS NOT NULL))[1],
       (array_agg(email ORDER BY created_at DESC) FILTER (WHERE email IS NOT NULL))[1],
       max(created_at)
FROM (
    SELECT 'user' AS kind, entity_id::uuid AS id, NULLIF(details->>'name', '') AS name,
           NULLIF(details->>'email', '') AS email, created_at
    FROM activity_log
    WHERE action IN ('identity.user.registered', 'identity.user.updated', 'identity.user.deleted')
      AND entity_type = 'user'
      AND entity_id ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
    UNION ALL
    SELECT 'space', space_id, NULLIF(details->>'name', ''), NULL, created_at
    FROM activity_log
    WHERE action IN ('identity.space.created', 'identity.space.updated', 'identity.space.deleted')
      AND space_id IS NOT NULL
) AS learnt
WHERE name IS NOT NULL OR email IS NOT NULL
GROUP BY kind, id
ON CONFLICT DO NOTHING
"""


def upgrade() -> None:
    op.execute(
        "ALTER TABLE activity_log ADD COLUMN IF NOT EXISTS actor_name text,"
        " ADD COLUMN IF NOT EXISTS space_name text, ADD COLUMN IF NOT EXISTS subject_name text"
    )
    op.execute(
        """
        CREATE TABLE IF NOT EXISTS known_names (
            kind varchar(10) NOT NULL,
            id uuid NOT NULL,
            name text,
            email text,
            updated_at timestamptz NOT NULL,
            CONSTRAINT pk_known_names PRIMARY KEY (kind, id),
            CONSTRAINT ck_known_names_kind CHECK (kind IN ('user', 'space'))
        )
        """
    )
    op.execute(SEED)
    create_index_concurrently("ix_activity_log_space_id_user_id", "ON activity_log (space_id, user_id)")
    create_index_concurrently("ix_activity_log_space_id_action", "ON activity_log (space_id, action)")
    # The action index of 0001 uses varchar_pattern_ops, which cannot walk `action > x` in order.
    create_index_concurrently("ix_activity_log_action", "ON activity_log (action)")


def downgrade() -> None:
    drop_index_concurrently("ix_activity_log_action")
    drop_index_concurrently("ix_activity_log_space_id_action")
    drop_index_concurrently("ix_activity_log_space_id_user_id")
    op.execute("DROP TABLE known_names")
    op.execute("ALTER TABLE activity_log DROP COLUMN subject_name, DROP COLUMN space_name, DROP COLUMN actor_name")
