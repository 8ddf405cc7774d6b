"""Tables of the identity schema (SQLAlchemy Core); the migrations create the same shapes."""

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    Uuid,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB

from shelfspace_kernel.db import new_metadata

metadata = new_metadata()


def _now_column(name: str) -> Column[datetime]:
    return Column(name, DateTime(timezone=True), nullable=False, server_default=func.now())


users = Table(
    "users",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("name", String(100), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("role", String(10), nullable=False),
    Column("disabled", Boolean, nullable=False, server_default="false"),
    Column("first_admin", Boolean, nullable=False, server_default="false"),
    # When the user last changed their email (None: never, or before this was recorded).
    Column("email_changed_at", DateTime(timezone=True)),
    _now_column("created_at"),
    _now_column("updated_at"),
)

spaces = Table(
    "spaces",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(100), nullable=False),
    Column("created_by", Uuid, ForeignKey("users.id", ondelete="SET NULL")),
    _now_column("created_at"),
    _now_column("updated_at"),
)

memberships = Table(
    "memberships",
    metadata,
    Column("space_id", Uuid, ForeignKey("spaces.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
    Column("role", String(10), nullable=False),
    _now_column("joined_at"),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("csrf_hash", String(64), nullable=False),
    Column("active_space_id", Uuid, ForeignKey("spaces.id", ondelete="SET NULL")),
    _now_column("created_at"),
    Column("expires_at", DateTime(timezone=True), nullable=False, index=True),
    # Recorded at most once a minute per session; deliberately not indexed, so the update stays HOT.
    _now_column("last_seen_at"),
)

invites = Table(
    "invites",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("space_id", Uuid, ForeignKey("spaces.id", ondelete="CASCADE"), nullable=False),
    Column("email", String(320), nullable=False),
    Column("role", String(10), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("created_by", Uuid, ForeignKey("users.id", ondelete="SET NULL")),
    _now_column("created_at"),
    Column("used_by", Uuid, ForeignKey("users.id", ondelete="SET NULL")),
    Column("used_at", DateTime(timezone=True)),
    Column("revoked_at", DateTime(timezone=True)),
)

login_attempts = Table(
    "login_attempts",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("scope", String(10), nullable=False),
    Column("key", String(320), nullable=False),
    _now_column("attempted_at"),
)

feature_flags = Table(
    "feature_flags",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("description", Text, nullable=False),
    Column("enabled", Boolean, nullable=False, server_default="false"),
    _now_column("updated_at"),
    Column("updated_by", Uuid),
)

instance_settings = Table(
    "instance_settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", JSONB, nullable=False),
    _now_column("updated_at"),
)


password_resets = Table(
    "password_resets",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    # None: requested by the user through the email form.
    Column("created_by", Uuid, ForeignKey("users.id", ondelete="SET NULL")),
    _now_column("created_at"),
    Column("used_at", DateTime(timezone=True)),
    Column("revoked_at", DateTime(timezone=True)),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("space_id", Uuid, ForeignKey("spaces.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("role", String(10), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    _now_column("created_at"),
    Column("expires_at", DateTime(timezone=True)),
    # Recorded at most once a minute per token, like a session's last use.
    Column("last_used_at", DateTime(timezone=True)),
)

# Emails waiting for the SMTP server: written in the transaction that decides to send them. A
# `password_reset` mail has no text yet: its link is made when it is sent (see handlers/mail.py).
mail_outbox = Table(
    "mail_outbox",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("recipient", String(320), nullable=False),
    Column("subject", Text),
    Column("body", Text),
    _now_column("created_at"),
    Column("attempts", Integer, nullable=False, server_default="0"),
    _now_column("next_attempt_at"),
    Column("last_error", Text),
    # Set when the server refused the mail for good (a 5xx answer); such a mail is not retried.
    Column("failed_at", DateTime(timezone=True)),
)

# A user's TOTP secret, sealed (AES-GCM, IDENTITY_ENCRYPTION_KEY) since codes are computed from it.
# `enabled_at` is empty while set up but not yet confirmed with a code; `last_step` is the time step
# of the last accepted code, so a code is never accepted twice.
two_factor = Table(
    "two_factor",
    metadata,
    Column("user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("secret_ciphertext", LargeBinary, nullable=False),
    Column("secret_nonce", LargeBinary, nullable=False),
    Column("secret_key_id", String(12), nullable=False),
    _now_column("created_at"),
    Column("enabled_at", DateTime(timezone=True)),
    Column("last_step", BigInteger),
)

# One-time recovery codes, stored as SHA-256 hashes (they are random; shown once at enrolment).
recovery_codes = Table(
    "recovery_codes",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("code_hash", String(64), nullable=False, unique=True),
    Column("used_at", DateTime(timezone=True)),
)

# Half-signed-in: the right password of an enrolled user, waiting for the second factor. The token
# is returned once by the login and kept only as a hash; it is no session and opens nothing else.
login_challenges = Table(
    "login_challenges",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    _now_column("created_at"),
)

# OpenID providers the instance admin configured. The client secret is sealed (AES-GCM,
# IDENTITY_ENCRYPTION_KEY, bound to the provider id); `options` holds the rest (identity.handlers.sso_config).
sso_providers = Table(
    "sso_providers",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("position", Integer, nullable=False, server_default="0"),
    Column("issuer", Text, nullable=False),
    Column("client_id", Text, nullable=False),
    Column("secret_ciphertext", LargeBinary),
    Column("secret_nonce", LargeBinary),
    Column("secret_key_id", String(12)),
    Column("options", JSONB, nullable=False, server_default="{}"),
    _now_column("updated_at"),
)

# An account reached through a provider: its `sub` claim there, linked once (verified email or the
# signed-in user), after which the email no longer matters.
sso_identities = Table(
    "sso_identities",
    metadata,
    Column("provider_id", String(40), primary_key=True),
    Column("subject", String(255), primary_key=True),
    Column("user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    _now_column("created_at"),
)

# A sign-in under way: the hash of its `state`, with the nonce and PKCE verifier it must come back
# with. Deleted by the callback that uses it, so a callback is accepted once.
sso_logins = Table(
    "sso_logins",
    metadata,
    Column("state_hash", String(64), primary_key=True),
    Column("provider_id", String(40), nullable=False),
    Column("nonce", String(64), nullable=False),
    Column("code_verifier", String(128), nullable=False),
    Column("return_to", Text, nullable=False, server_default="/"),
    Column("link_user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE")),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)
