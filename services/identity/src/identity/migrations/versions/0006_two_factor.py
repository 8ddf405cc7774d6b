"""Two-factor sign-in: a TOTP secret per user (sealed with IDENTITY_ENCRYPTION_KEY), hashed recovery
codes, and half-signed-in login challenges.

Only new tables: nothing existing is rewritten or dropped. The instance setting `two_factor_for_admins`
gets its instance_settings row when an admin first sets it (absent: off); older code ignores the row.
"""

from alembic import op

revision = "0006_two_factor"
down_revision = "0005_outbox_trace_context"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE two_factor (
            user_id uuid NOT NULL,
            secret_ciphertext bytea NOT NULL,
            secret_nonce bytea NOT NULL,
            secret_key_id varchar(12) NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            enabled_at timestamptz,
            last_step bigint,
            CONSTRAINT pk_two_factor PRIMARY KEY (user_id),
            CONSTRAINT fk_two_factor_user_id_users FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
        )
        """
    )
    op.execute(
        """
        CREATE TABLE recovery_codes (
            id uuid NOT NULL,
            user_id uuid NOT NULL,
            code_hash varchar(64) NOT NULL,
            used_at timestamptz,
            CONSTRAINT pk_recovery_codes PRIMARY KEY (id),
            CONSTRAINT uq_recovery_codes_code_hash UNIQUE (code_hash),
            CONSTRAINT fk_recovery_codes_user_id_users FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
        )
        """
    )
    op.execute("CREATE INDEX ix_recovery_codes_user_id ON recovery_codes (user_id)")
    op.execute(
        """
        CREATE TABLE login_challenges (
            id uuid NOT NULL,
            user_id uuid NOT NULL,
            token_hash varchar(64) NOT NULL,
            expires_at timestamptz NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT pk_login_challenges PRIMARY KEY (id),
            CONSTRAINT uq_login_challenges_token_hash UNIQUE (token_hash),
            CONSTRAINT fk_login_challenges_user_id_users FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
        )
        """
    )
    op.execute("CREATE INDEX ix_login_challenges_user_id ON login_challenges (user_id)")


def downgrade() -> None:
    op.execute("DROP TABLE login_challenges")
    op.execute("DROP TABLE recovery_codes")
    op.execute("DROP TABLE two_factor")
