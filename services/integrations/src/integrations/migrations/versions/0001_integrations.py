"""Provider settings with sealed secrets, and per-user Trakt links."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001_integrations"
down_revision = "0000_messaging"
branch_labels = None
depends_on = None

SEALED_COMPLETE = (
    "(secret_ciphertext IS NULL AND secret_nonce IS NULL AND secret_key_id IS NULL)"
    " OR (secret_ciphertext IS NOT NULL AND secret_nonce IS NOT NULL AND secret_key_id IS NOT NULL)"
)


def _sealed_columns() -> list[sa.Column]:
    return [
        sa.Column("secret_ciphertext", sa.LargeBinary()),
        sa.Column("secret_nonce", sa.LargeBinary()),
        sa.Column("secret_key_id", sa.Text()),
    ]


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    ]


def upgrade() -> None:
    op.create_table(
        "provider_settings",
        sa.Column("space_id", sa.Uuid(), nullable=False),
        sa.Column("provider", sa.Text(), nullable=False),
        sa.Column("config", JSONB(), nullable=False, server_default="{}"),
        *_sealed_columns(),
        sa.Column("status", sa.Text(), nullable=False, server_default="untested"),
        sa.Column("status_detail", sa.Text()),
        sa.Column("tested_at", sa.DateTime(timezone=True)),
        sa.Column("undecryptable_since", sa.DateTime(timezone=True)),
        *_timestamps(),
        sa.Column("updated_by", sa.Uuid()),
        sa.PrimaryKeyConstraint("space_id", "provider", name="pk_provider_settings"),
        sa.CheckConstraint(
            "provider IN ('tmdb', 'barcode', 'vision', 'plex', 'trakt')", name="ck_provider_settings_provider_known"
        ),
        sa.CheckConstraint("status IN ('ok', 'untested', 'failing')", name="ck_provider_settings_status_known"),
        sa.CheckConstraint(SEALED_COMPLETE, name="ck_provider_settings_secret_complete"),
    )
    op.create_table(
        "trakt_links",
        sa.Column("space_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        *_sealed_columns(),
        sa.Column("expires_at", sa.DateTime(timezone=True)),
        sa.Column("poll_interval_seconds", sa.Integer()),
        *_timestamps(),
        sa.PrimaryKeyConstraint("space_id", "user_id", name="pk_trakt_links"),
        sa.CheckConstraint("state IN ('pending', 'linked')", name="ck_trakt_links_state_known"),
        sa.CheckConstraint(SEALED_COMPLETE, name="ck_trakt_links_secret_complete"),
    )


def downgrade() -> None:
    op.drop_table("trakt_links")
    op.drop_table("provider_settings")
