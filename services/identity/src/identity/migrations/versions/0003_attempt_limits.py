"""Attempt rows also count failed registrations and invite claims per client address."""

from alembic import op

revision = "0003_attempt_limits"
down_revision = "0002_session_idle_email_changed"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE login_attempts DROP CONSTRAINT ck_login_attempts_scope")
    op.execute(
        "ALTER TABLE login_attempts ADD CONSTRAINT ck_login_attempts_scope"
        " CHECK (scope IN ('account', 'address', 'register', 'claim'))"
    )


def downgrade() -> None:
    op.execute("DELETE FROM login_attempts WHERE scope IN ('register', 'claim')")
    op.execute("ALTER TABLE login_attempts DROP CONSTRAINT ck_login_attempts_scope")
    op.execute(
        "ALTER TABLE login_attempts ADD CONSTRAINT ck_login_attempts_scope CHECK (scope IN ('account', 'address'))"
    )
