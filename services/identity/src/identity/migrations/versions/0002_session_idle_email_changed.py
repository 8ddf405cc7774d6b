"""Sessions record when they were last used (for the idle timeout); users when their email changed.

Existing sessions count as used at the upgrade, so nobody is signed out by it; existing users count
as never having changed their email.
"""

from alembic import op

revision = "0002_session_idle_email_changed"
down_revision = "0001_identity"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # now() is evaluated once for the ALTER: no table rewrite.
    op.execute("ALTER TABLE sessions ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now()")
    op.execute("ALTER TABLE users ADD COLUMN email_changed_at timestamptz")


def downgrade() -> None:
    op.execute("ALTER TABLE users DROP COLUMN email_changed_at")
    op.execute("ALTER TABLE sessions DROP COLUMN last_seen_at")
