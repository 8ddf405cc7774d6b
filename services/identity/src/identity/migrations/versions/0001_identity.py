"""Users, sessions, spaces, memberships, invites, login attempts, feature flags, instance settings."""

from alembic import op

revision = "0001_identity"
down_revision = "0000_messaging"
branch_labels = None
depends_on = None

ROLE_CHECK = "role IN ('owner', 'admin', 'member', 'viewer')"


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE users (
            id uuid NOT NULL,
            email varchar(320) NOT NULL,
            name varchar(100) NOT NULL,
            password_hash text NOT NULL,
            role varchar(10) NOT NULL,
            disabled boolean NOT NULL DEFAULT false,
            first_admin boolean NOT NULL DEFAULT false,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT pk_users PRIMARY KEY (id),
            CONSTRAINT uq_users_email UNIQUE (email),
            CONSTRAINT ck_users_role CHECK (role IN ('admin', 'user')),
            CONSTRAINT ck_users_email_normalized CHECK (email = lower(btrim(email)))
        )
        """
    )
    # At most one user is ever the first-run admin: a second racing registration cannot be.
    op.execute("CREATE UNIQUE INDEX uq_users_first_admin ON users (first_admin) WHERE first_admin")
    op.execute(
        """
        CREATE TABLE spaces (
            id uuid NOT NULL,
            name varchar(100) NOT NULL,
            created_by uuid,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT pk_spaces PRIMARY KEY (id),
            CONSTRAINT fk_spaces_created_by_users FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL
        )
        """
    )
    op.execute(
        f"""
        CREATE TABLE memberships (
            space_id uuid NOT NULL,
            user_id uuid NOT NULL,
            role varchar(10) NOT NULL,
            joined_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT pk_memberships PRIMARY KEY (space_id, user_id),
            CONSTRAINT fk_memberships_space_id_spaces FOREIGN KEY (space_id) REFERENCES spaces (id) ON DELETE CASCADE,
            CONSTRAINT fk_memberships_user_id_users FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
            CONSTRAINT ck_memberships_role CHECK ({ROLE_CHECK})
        )
        """
    )
    op.execute("CREATE INDEX ix_memberships_user_id ON memberships (user_id)")
    op.execute(
        """
        CREATE TABLE sessions (
            id uuid NOT NULL,
            user_id uuid NOT NULL,
            token_hash varchar(64) NOT NULL,
            csrf_hash varchar(64) NOT NULL,
            active_space_id uuid,
            created_at timestamptz NOT NULL DEFAULT now(),
            expires_at timestamptz NOT NULL,
            CONSTRAINT pk_sessions PRIMARY KEY (id),
            CONSTRAINT uq_sessions_token_hash UNIQUE (token_hash),
            CONSTRAINT fk_sessions_user_id_users FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
            CONSTRAINT fk_sessions_active_space_id_spaces FOREIGN KEY (active_space_id)
                REFERENCES spaces (id) ON DELETE SET NULL
        )
        """
    )
    op.execute("CREATE INDEX ix_sessions_user_id_created_at ON sessions (user_id, created_at)")
    op.execute("CREATE INDEX ix_sessions_expires_at ON sessions (expires_at)")
    op.execute(
        f"""
        CREATE TABLE invites (
            id uuid NOT NULL,
            space_id uuid NOT NULL,
            email varchar(320) NOT NULL,
            role varchar(10) NOT NULL,
            token_hash varchar(64) NOT NULL,
            expires_at timestamptz NOT NULL,
            created_by uuid,
            created_at timestamptz NOT NULL DEFAULT now(),
            used_by uuid,
            used_at timestamptz,
            revoked_at timestamptz,
            CONSTRAINT pk_invites PRIMARY KEY (id),
            CONSTRAINT uq_invites_token_hash UNIQUE (token_hash),
            CONSTRAINT fk_invites_space_id_spaces FOREIGN KEY (space_id) REFERENCES spaces (id) ON DELETE CASCADE,
            CONSTRAINT fk_invites_created_by_users FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL,
            CONSTRAINT fk_invites_used_by_users FOREIGN KEY (used_by) REFERENCES users (id) ON DELETE SET NULL,
            CONSTRAINT ck_invites_role CHECK ({ROLE_CHECK})
        )
        """
    )
    op.execute("CREATE INDEX ix_invites_space_id_created_at ON invites (space_id, created_at)")
    op.execute(
        """
        CREATE TABLE login_attempts (
            id bigserial NOT NULL,
            scope varchar(10) NOT NULL,
            key varchar(320) NOT NULL,
            attempted_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT pk_login_attempts PRIMARY KEY (id),
            CONSTRAINT ck_login_attempts_scope CHECK (scope IN ('account', 'address'))
        )
        """
    )
    op.execute("CREATE INDEX ix_login_attempts_scope_key_attempted_at ON login_attempts (scope, key, attempted_at)")
    op.execute("CREATE INDEX ix_login_attempts_attempted_at ON login_attempts (attempted_at)")
    op.execute(
        """
        CREATE TABLE feature_flags (
            key varchar(64) NOT NULL,
            description text NOT NULL,
            enabled boolean NOT NULL DEFAULT false,
            updated_at timestamptz NOT NULL DEFAULT now(),
            updated_by uuid,
            CONSTRAINT pk_feature_flags PRIMARY KEY (key)
        )
        """
    )
    op.execute(
        """
        INSERT INTO feature_flags (key, description, enabled) VALUES
            ('cover_recognition', 'Recognize titles from a photo of the cover.', false),
            ('watchlist', 'Show the watchlist from linked providers (Plex, Trakt).', false),
            ('scheduled_sync', 'Let space admins schedule recurring provider imports.', false)
        """
    )
    op.execute(
        """
        CREATE TABLE instance_settings (
            key varchar(64) NOT NULL,
            value jsonb NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT pk_instance_settings PRIMARY KEY (key)
        )
        """
    )
    op.execute(
        """
        INSERT INTO instance_settings (key, value) VALUES
            ('registration', '"invite_only"'),
            ('space_creation', '"everyone"')
        """
    )


def downgrade() -> None:
    for table in (
        "instance_settings",
        "feature_flags",
        "login_attempts",
        "invites",
        "sessions",
        "memberships",
        "spaces",
        "users",
    ):
        op.execute(f"DROP TABLE {table}")
