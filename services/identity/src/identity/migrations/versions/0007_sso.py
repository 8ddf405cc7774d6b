"""Single sign-on with OpenID Connect: the configured providers (client secret sealed with
IDENTITY_ENCRYPTION_KEY), the accounts linked to a provider's subject, and the sign-ins under way
(state, nonce and PKCE verifier kept server-side until the callback).

Only new tables: nothing existing is rewritten or dropped. The instance setting `password_login`
gets its instance_settings row when an admin first sets it (absent: on); older code ignores the row.
"""

from alembic import op

revision = "0007_sso"
down_revision = "0006_two_factor"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE sso_providers (
            id varchar(40) NOT NULL,
            name varchar(100) NOT NULL,
            position integer NOT NULL DEFAULT 0,
            issuer text NOT NULL,
            client_id text NOT NULL,
            secret_ciphertext bytea,
            secret_nonce bytea,
            secret_key_id varchar(12),
            options jsonb NOT NULL DEFAULT '{}'::jsonb,
            updated_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT pk_sso_providers PRIMARY KEY (id)
        )
        """
    )
    op.execute(
        """
        CREATE TABLE sso_identities (
            provider_id varchar(40) NOT NULL,
            subject varchar(255) NOT NULL,
            user_id uuid NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT pk_sso_identities PRIMARY KEY (provider_id, subject),
            CONSTRAINT fk_sso_identities_user_id_users FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
        )
        """
    )
    op.execute("CREATE INDEX ix_sso_identities_user_id ON sso_identities (user_id)")
    op.execute(
        """
        CREATE TABLE sso_logins (
            state_hash varchar(64) NOT NULL,
            provider_id varchar(40) NOT NULL,
            nonce varchar(64) NOT NULL,
            code_verifier varchar(128) NOT NULL,
            return_to text NOT NULL DEFAULT '/',
            link_user_id uuid,
            expires_at timestamptz NOT NULL,
            CONSTRAINT pk_sso_logins PRIMARY KEY (state_hash),
            CONSTRAINT fk_sso_logins_link_user_id_users FOREIGN KEY (link_user_id) REFERENCES users (id) ON DELETE CASCADE
        )
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE sso_logins")
    op.execute("DROP TABLE sso_identities")
    op.execute("DROP TABLE sso_providers")
