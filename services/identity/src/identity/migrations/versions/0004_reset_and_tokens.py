"""Password reset links, personal API tokens, the mail outbox, and attempt scopes for reset requests.

Only new tables and a wider check constraint: nothing existing is rewritten or dropped.
"""

from alembic import op

revision = "0004_reset_and_tokens"
down_revision = "0003_attempt_limits"
branch_labels = None
depends_on = None

ROLE_CHECK = "role IN ('owner', 'admin', 'member', 'viewer')"


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE password_resets (
            id uuid NOT NULL,
            user_id uuid NOT NULL,
            token_hash varchar(64) NOT NULL,
            expires_at timestamptz NOT NULL,
            created_by uuid,
            created_at timestamptz NOT NULL DEFAULT now(),
            used_at timestamptz,
            revoked_at timestamptz,
            CONSTRAINT pk_password_resets PRIMARY KEY (id),
            CONSTRAINT uq_password_resets_token_hash UNIQUE (token_hash),
            CONSTRAINT fk_password_resets_user_id_users FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
            CONSTRAINT fk_password_resets_created_by_users
                FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL
        )
        """
    )
    op.execute("CREATE INDEX ix_password_resets_user_id ON password_resets (user_id)")
    op.execute(
        f"""
        CREATE TABLE api_tokens (
            id uuid NOT NULL,
            user_id uuid NOT NULL,
            space_id uuid NOT NULL,
            name varchar(100) NOT NULL,
            role varchar(10) NOT NULL,
            token_hash varchar(64) NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            expires_at timestamptz,
            last_used_at timestamptz,
            CONSTRAINT pk_api_tokens PRIMARY KEY (id),
            CONSTRAINT uq_api_tokens_token_hash UNIQUE (token_hash),
            CONSTRAINT ck_api_tokens_role CHECK ({ROLE_CHECK}),
            CONSTRAINT fk_api_tokens_user_id_users FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
            CONSTRAINT fk_api_tokens_space_id_spaces FOREIGN KEY (space_id) REFERENCES spaces (id) ON DELETE CASCADE
        )
        """
    )
    op.execute("CREATE INDEX ix_api_tokens_user_id ON api_tokens (user_id)")
    op.execute(
        """
        CREATE TABLE mail_outbox (
            id uuid NOT NULL,
            kind varchar(32) NOT NULL,
            recipient varchar(320) NOT NULL,
            subject text,
            body text,
            created_at timestamptz NOT NULL DEFAULT now(),
            attempts integer NOT NULL DEFAULT 0,
            next_attempt_at timestamptz NOT NULL DEFAULT now(),
            last_error text,
            failed_at timestamptz,
            CONSTRAINT pk_mail_outbox PRIMARY KEY (id)
        )
        """
    )
    op.execute("CREATE INDEX ix_mail_outbox_due ON mail_outbox (next_attempt_at) WHERE failed_at IS NULL")
    op.execute("ALTER TABLE login_attempts DROP CONSTRAINT ck_login_attempts_scope")
    op.execute(
        "ALTER TABLE login_attempts ADD CONSTRAINT ck_login_attempts_scope"
        " CHECK (scope IN ('account', 'address', 'register', 'claim', 'reset_mail', 'reset_addr', 'reset_use'))"
    )


def downgrade() -> None:
    op.execute("DELETE FROM login_attempts WHERE scope IN ('reset_mail', 'reset_addr', 'reset_use')")
    op.execute("ALTER TABLE login_attempts DROP CONSTRAINT ck_login_attempts_scope")
    op.execute(
        "ALTER TABLE login_attempts ADD CONSTRAINT ck_login_attempts_scope"
        " CHECK (scope IN ('account', 'address', 'register', 'claim'))"
    )
    op.execute("DROP TABLE mail_outbox")
    op.execute("DROP TABLE api_tokens")
    op.execute("DROP TABLE password_resets")
