"""Tables of the integrations schema: one settings row per (space, provider), one Trakt link per user.

Secrets are sealed (ciphertext, nonce, key id) and bound to the origins they were entered for; the
non-secret config is JSON validated per provider.
"""

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    Table,
    Text,
    Uuid,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB

from shelfspace_kernel.db import new_metadata

metadata = new_metadata()

SEALED_COMPLETE = (
    "(secret_ciphertext IS NULL AND secret_nonce IS NULL AND secret_key_id IS NULL)"
    " OR (secret_ciphertext IS NOT NULL AND secret_nonce IS NOT NULL AND secret_key_id IS NOT NULL)"
)
# A secret is always stored with the origins (scheme://host:port) it may be sent to.
ORIGIN_SET = "(secret_ciphertext IS NULL) = (secret_origin IS NULL)"

provider_settings = Table(
    "provider_settings",
    metadata,
    Column("space_id", Uuid, nullable=False),
    Column("provider", Text, nullable=False),
    Column("config", JSONB, nullable=False, server_default="{}"),
    Column("secret_ciphertext", LargeBinary),
    Column("secret_nonce", LargeBinary),
    Column("secret_key_id", Text),
    Column("secret_origin", Text),
    Column("status", Text, nullable=False, server_default="untested"),
    Column("status_detail", Text),
    Column("tested_at", DateTime(timezone=True)),
    Column("undecryptable_since", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_by", Uuid),
    PrimaryKeyConstraint("space_id", "provider"),
    CheckConstraint("provider IN ('tmdb', 'barcode', 'vision', 'plex', 'trakt')", name="provider_known"),
    CheckConstraint("status IN ('ok', 'untested', 'failing')", name="status_known"),
    CheckConstraint(SEALED_COMPLETE, name="secret_complete"),
    CheckConstraint(ORIGIN_SET, name="secret_origin_set"),
)

trakt_links = Table(
    "trakt_links",
    metadata,
    Column("space_id", Uuid, nullable=False),
    Column("user_id", Uuid, nullable=False),
    Column("state", Text, nullable=False),
    # pending: the sealed device code; linked: the sealed access and refresh tokens (JSON).
    Column("secret_ciphertext", LargeBinary),
    Column("secret_nonce", LargeBinary),
    Column("secret_key_id", Text),
    Column("secret_origin", Text),
    Column("expires_at", DateTime(timezone=True)),
    Column("poll_interval_seconds", Integer),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("space_id", "user_id"),
    CheckConstraint("state IN ('pending', 'linked')", name="state_known"),
    CheckConstraint(SEALED_COMPLETE, name="secret_complete"),
    CheckConstraint(ORIGIN_SET, name="secret_origin_set"),
)

SEALED_TABLES = (provider_settings, trakt_links)
