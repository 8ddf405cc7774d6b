"""Identity contracts: session cookies, the gateway's session resolution, and identity events."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel

from shelfspace_contracts.roles import GlobalRole, SpaceRole

SESSION_COOKIE = "session"
CSRF_COOKIE = "csrf_token"
CSRF_HEADER = "x-csrf-token"
# With Secure cookies the names carry the `__Host-` prefix: browsers then accept them only from this
# very host, over HTTPS, with `Path=/` and no `Domain`, so a sibling host cannot plant one.
HOST_PREFIX = "__Host-"


@dataclass(frozen=True)
class SessionCookies:
    """The names of the session and CSRF cookies, and whether they are Secure."""

    session: str
    csrf: str
    secure: bool


def session_cookies(secure: bool) -> SessionCookies:
    prefix = HOST_PREFIX if secure else ""
    return SessionCookies(f"{prefix}{SESSION_COOKIE}", f"{prefix}{CSRF_COOKIE}", secure)


def cookies_are_secure(setting: bool | None, environment: str) -> bool:
    """`SESSION_COOKIE_SECURE` when set; else Secure in production only (dev and tests serve plain
    http on loopback). Identity, which sets the cookies, and the gateway, which reads them, agree."""
    return setting if setting is not None else environment == "production"


# Internal API: the gateway asks identity who a session cookie belongs to.
RESOLVE_SESSION_PATH = "/internal/sessions/resolve"


class ResolveSessionRequest(BaseModel):
    token: str


class ResolvedSession(BaseModel):
    """A live session: its row id, its user, the active space and every membership.

    `csrf_hash` is the SHA-256 of the session's CSRF token, so the gateway can check that the
    double-submitted token belongs to this very session. `features` are the instance's enabled
    feature flags, so the gateway can refuse a flagged route without asking again.
    """

    session_id: uuid.UUID
    user_id: uuid.UUID
    global_role: GlobalRole
    active_space_id: uuid.UUID | None
    memberships: dict[uuid.UUID, SpaceRole]
    csrf_hash: str
    # When the session ends unless used again (the idle deadline or its absolute end, the earlier):
    # the gateway keeps its answer no longer than that.
    expires_at: datetime | None = None
    features: frozenset[str] = frozenset()


# Internal API: the gateway asks identity who a personal API token belongs to (`Authorization: Bearer`).
RESOLVE_TOKEN_PATH = "/internal/api-tokens/resolve"  # noqa: S105 - a path, not a secret


class ResolvedToken(BaseModel):
    """A live personal API token: its row id, its user, and its one space with the role it acts
    with there (the lower of the token's role and the user's current one). `space_role` is None
    when the user is no longer a member of the token's space: the token then reaches no space. A token never carries instance administration: the gateway
    treats its holder as a plain user whatever the account's instance role."""

    token_id: uuid.UUID
    user_id: uuid.UUID
    space_id: uuid.UUID
    space_role: SpaceRole | None
    features: frozenset[str] = frozenset()


class Event:
    """The `identity.*` event types (routing keys)."""

    USER_REGISTERED = "identity.user.registered"
    USER_LOGGED_IN = "identity.user.logged_in"
    USER_LOGIN_FAILED = "identity.user.login_failed"
    USER_LOGGED_OUT = "identity.user.logged_out"
    USER_UPDATED = "identity.user.updated"
    USER_ROLE_CHANGED = "identity.user.role_changed"
    USER_DELETED = "identity.user.deleted"
    SPACE_CREATED = "identity.space.created"
    SPACE_UPDATED = "identity.space.updated"
    SPACE_DELETED = "identity.space.deleted"
    MEMBERSHIP_ADDED = "identity.membership.added"
    MEMBERSHIP_ROLE_CHANGED = "identity.membership.role_changed"
    MEMBERSHIP_REMOVED = "identity.membership.removed"
    INVITE_CREATED = "identity.invite.created"
    INVITE_CLAIMED = "identity.invite.claimed"
    INVITE_REVOKED = "identity.invite.revoked"
    FEATURE_FLAG_CHANGED = "identity.feature_flag.changed"
    INSTANCE_SETTINGS_UPDATED = "identity.instance_settings.updated"
    PASSWORD_RESET_LINK_CREATED = "identity.password_reset.link_created"  # noqa: S105 - an event type
    PASSWORD_RESET_REQUESTED = "identity.password_reset.requested"  # noqa: S105 - an event type
    USER_PASSWORD_RESET = "identity.user.password_reset"  # noqa: S105 - an event type
    API_TOKEN_CREATED = "identity.api_token.created"  # noqa: S105 - an event type
    API_TOKEN_REVOKED = "identity.api_token.revoked"  # noqa: S105 - an event type
    TWO_FACTOR_ENABLED = "identity.two_factor.enabled"
    TWO_FACTOR_DISABLED = "identity.two_factor.disabled"
    SSO_SETTINGS_UPDATED = "identity.sso.updated"
    SSO_ACCOUNT_LINKED = "identity.sso.account_linked"


# `data` of the events other contexts act on (the envelope carries space_id and entity_id too).


class SpaceDeletedData(BaseModel):
    space_id: uuid.UUID
    name: str


class UserDeletedData(BaseModel):
    user_id: uuid.UUID


class MembershipData(BaseModel):
    space_id: uuid.UUID
    user_id: uuid.UUID
    role: SpaceRole | None = None
    previous_role: SpaceRole | None = None
