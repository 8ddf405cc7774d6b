"""Sign-in through an OpenID provider (authorization code flow with PKCE) or a forward-auth proxy.

`start` keeps the sign-in's state (hashed), nonce and PKCE verifier server-side and sends the browser
to the provider; `finish` accepts the callback once (the row is deleted as it is read), exchanges the
code, verifies the ID token (identity.oidc) and finds the account:
1. the one already linked to the provider's subject;
2. the signed-in user who started a "link" from their profile;
3. the account with the claimed email, only when the provider says the email is verified;
4. a new account when the provider allows it (`auto_create`); otherwise the sign-in is refused.
The allowed email domains and groups are checked first; a group → role mapping sets the instance
role at each sign-in (never demoting the first admin, the break-glass account). The provider does
any second factor: a local TOTP is not asked again.
"""

import dataclasses
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from identity.bootstrap import Identity
from identity.domain.credentials import normalize_email, token_hash
from identity.events import recorder
from identity.handlers import reads, sso_config
from identity.handlers.sessions import NewSession, start_session
from identity.handlers.tokens import session_only
from identity.oidc import Client, Discovery, OidcError, Pending
from identity.store import sso_identities, sso_logins, users
from shelfspace_contracts.identity import Event
from shelfspace_contracts.roles import GlobalRole
from shelfspace_kernel.errors import AppError, NotFound
from shelfspace_kernel.internal_auth import CallerContext

# Stored instead of a password for accounts made by single sign-on: no password ever verifies it.
NO_PASSWORD = "!sso"  # noqa: S105 - a marker, not a secret
PASSWORD_LOGIN = "password_login"  # noqa: S105 - an instance setting's key


class SsoRefused(AppError):
    status, code = 403, "sso_refused"
    message = "Single sign-on did not sign you in."


def safe_return_to(value: str | None) -> str:
    """A path inside this app; anything else (another origin, `//host`, a backslash) is `/`."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


async def _reach(
    session: AsyncSession, identity: Identity, provider_id: str
) -> tuple[sso_config.Provider, Client, Discovery]:
    """The provider, its client settings and its current discovery document (no transaction left open)."""
    found = await sso_config.provider(session, provider_id)
    client = await sso_config.client(session, identity, found)
    await session.rollback()
    return found, client, await identity.oidc.discover(client.issuer)


async def start(
    session: AsyncSession, identity: Identity, caller: CallerContext, provider_id: str, return_to: str | None,
    link: bool,
) -> str:  # fmt: skip
    """The provider's authorization URL for a new sign-in (or link, for a signed-in caller)."""
    if link and caller.user_id is None:
        raise SsoRefused("Sign in first to link your account.")
    if link:
        session_only(caller)  # like the password: an API token cannot attach a way in
    found, client, discovery = await _reach(session, identity, provider_id)
    pending = identity.oidc.new_pending()
    expires_at = datetime.now(UTC) + timedelta(seconds=identity.settings.sso_login_seconds)
    async with session.begin():
        await session.execute(delete(sso_logins).where(sso_logins.c.expires_at < datetime.now(UTC)))
        await session.execute(
            insert(sso_logins).values(
                state_hash=token_hash(pending.state), provider_id=found.id, nonce=pending.nonce,
                code_verifier=pending.code_verifier, return_to=safe_return_to(return_to),
                link_user_id=caller.user_id if link else None, expires_at=expires_at,
            )
        )  # fmt: skip
    return identity.oidc.authorization_url(discovery, client, pending)


async def finish(
    session: AsyncSession, identity: Identity, caller: CallerContext, provider_id: str, state: str, code: str
) -> tuple[NewSession, str]:
    """The callback: a session for the account the provider vouches for, and where to go next."""
    async with session.begin():
        # Single use: of two racing callbacks with this state, one deletes the row and the other finds none.
        taken = await reads.first(
            session,
            delete(sso_logins)
            .where(sso_logins.c.state_hash == token_hash(state), sso_logins.c.provider_id == provider_id)
            .returning(*sso_logins.c),
        )
    if taken is None or taken["expires_at"] < datetime.now(UTC):
        raise SsoRefused("This sign-in has expired or was already used; start again.")
    found, client, discovery = await _reach(session, identity, provider_id)
    claims = await identity.oidc.exchange(
        discovery, client, code, Pending(state, taken["nonce"], taken["code_verifier"])
    )
    _, created = await _sign_in(session, identity, caller, found, claims, taken["link_user_id"])
    return created, taken["return_to"]


def _groups(claims: dict, claim: str) -> set[str]:
    value = claims.get(claim)
    if isinstance(value, str):
        return {value}
    return {str(item) for item in value} if isinstance(value, list) else set()


def _check_allowed(options: dict, email: str | None, verified: bool, groups: set[str]) -> None:
    domains = options.get("allowed_email_domains") or []
    if domains and not (email and verified and email.rpartition("@")[2] in domains):
        raise SsoRefused("Your account's email domain is not allowed to sign in here.")
    allowed_groups = set(options.get("allowed_groups") or [])
    if allowed_groups and not groups & allowed_groups:
        raise SsoRefused("Your account is not in a group allowed to sign in here.")


def _mapped_role(options: dict, groups: set[str]) -> GlobalRole | None:
    mapping = options.get("group_roles") or {}
    if not mapping:
        return None
    roles = {mapping[group] for group in groups if group in mapping}
    return GlobalRole.ADMIN if GlobalRole.ADMIN in roles else GlobalRole.USER


async def _sign_in(
    session: AsyncSession, identity: Identity, caller: CallerContext, found: sso_config.Provider, claims: dict,
    link_user_id: uuid.UUID | None,
) -> tuple[dict, NewSession]:  # fmt: skip
    options = found.options
    raw_email = claims.get(options.get("email_claim") or "email")
    email = normalize_email(raw_email) if isinstance(raw_email, str) and "@" in raw_email else None
    verified = claims.get("email_verified") is True
    groups = _groups(claims, options.get("groups_claim") or "groups")
    _check_allowed(options, email, verified, groups)
    subject = str(claims["sub"])[:255]
    try:
        async with session.begin():
            user_id = await session.scalar(
                select(sso_identities.c.user_id).where(
                    sso_identities.c.provider_id == found.id, sso_identities.c.subject == subject
                )
            )
            if user_id is None:
                user_id = await _link_or_create(
                    session,
                    caller,
                    found,
                    subject,
                    email,
                    verified,
                    claims,
                    link_user_id,
                    _mapped_role(options, groups),
                )
            user = await reads.user_by_id(session, user_id, for_update=True)
            if user["disabled"]:
                raise SsoRefused("This account is disabled.")
            user = await _apply_role(session, caller, user, _mapped_role(options, groups))
            created = await start_session(session, identity.settings, user["id"], None)
            await recorder.record(
                session, Event.USER_LOGGED_IN, caller=dataclasses.replace(caller, user_id=user["id"]),
                entity_type="user", entity_id=user["id"],
                data={"session_id": str(created.id), "method": "sso", "provider": found.id},
            )  # fmt: skip
    except IntegrityError as exc:
        # A racing sign-in linked or created the same account first; the next attempt finds it.
        raise SsoRefused("Another sign-in for this account was under way; try again.") from exc
    return {key: user[key] for key in ("id", "email", "name", "role")}, created


async def _link_or_create(
    session: AsyncSession, caller: CallerContext, found: sso_config.Provider, subject: str, email: str | None,
    verified: bool, claims: dict, link_user_id: uuid.UUID | None, role: GlobalRole | None,
) -> uuid.UUID:  # fmt: skip
    if link_user_id is not None:
        user_id, how = link_user_id, "signed_in"
    else:
        if not email:
            raise SsoRefused("The provider did not share your email address.")
        if not verified:
            raise SsoRefused("Your email address is not verified at the provider, so it cannot sign you in here.")
        existing = await reads.user_by_email(session, email)
        if existing is not None:
            user_id, how = existing["id"], "verified_email"
        elif found.options.get("auto_create"):
            user_id, how = await _create(session, caller, found, email, claims, role), "created"
        else:
            raise SsoRefused("There is no account for your email address here; ask an administrator for one.")
    await session.execute(insert(sso_identities).values(provider_id=found.id, subject=subject, user_id=user_id))
    await recorder.record(
        session, Event.SSO_ACCOUNT_LINKED, caller=dataclasses.replace(caller, user_id=user_id), entity_type="user",
        entity_id=user_id, data={"provider": found.id, "via": how},
    )  # fmt: skip
    return user_id


async def _create(
    session: AsyncSession, caller: CallerContext, found: sso_config.Provider, email: str, claims: dict,
    role: GlobalRole | None,
) -> uuid.UUID:  # fmt: skip
    """A new account with no password and no space: spaces are joined by invite, as for everyone."""
    user_id = uuid.uuid4()
    raw_name = claims.get(found.options.get("name_claim") or "name")
    name = (raw_name.strip() if isinstance(raw_name, str) else "")[:100] or email.partition("@")[0][:100]
    role = role or GlobalRole.USER
    await session.execute(
        insert(users).values(id=user_id, email=email, name=name, password_hash=NO_PASSWORD, role=role)
    )
    await recorder.record(
        session, Event.USER_REGISTERED, caller=dataclasses.replace(caller, user_id=user_id), entity_type="user",
        entity_id=user_id, data={"email": email, "name": name, "role": role, "via": "sso", "provider": found.id},
    )  # fmt: skip
    return user_id


async def _apply_role(session: AsyncSession, caller: CallerContext, user, role: GlobalRole | None):
    if role is None or role == user["role"] or (role is GlobalRole.USER and await _is_break_glass(session, user)):
        return user
    await session.execute(update(users).where(users.c.id == user["id"]).values(role=role))
    await recorder.record(
        session, Event.USER_ROLE_CHANGED, caller=caller, entity_type="user", entity_id=user["id"],
        data={"role": role, "previous_role": user["role"], "by": "sso_groups"},
    )  # fmt: skip
    return {**user, "role": role}


async def _is_break_glass(session: AsyncSession, user) -> bool:
    return bool(await session.scalar(select(users.c.first_admin).where(users.c.id == user["id"])))


async def password_login_allowed(session: AsyncSession, user) -> bool:
    """With password sign-in off, only the first admin (the break-glass account) uses a password."""
    return await reads.setting(session, PASSWORD_LOGIN) is not False or await _is_break_glass(session, user)


async def forward_auth(
    session: AsyncSession, identity: Identity, caller: CallerContext, remote_user: str | None, remote_email: str | None
) -> tuple[dict, NewSession]:
    """A session for the existing account a trusted proxy names (the gateway drops these headers
    from any other peer). Unknown people are refused: accounts come from invites or OpenID sign-in."""
    if not identity.settings.forward_auth_enabled:
        raise NotFound("Forward-auth sign-in is off.")
    named = remote_email or (remote_user if remote_user and "@" in remote_user else None)
    if not named:
        raise SsoRefused("The proxy did not name an email address (Remote-Email).")
    async with session.begin():
        user = await reads.user_by_email(session, normalize_email(named))
        if user is None or user["disabled"]:
            raise SsoRefused("There is no active account for the email address the proxy named.")
        created = await start_session(session, identity.settings, user["id"], None)
        await recorder.record(
            session, Event.USER_LOGGED_IN, caller=dataclasses.replace(caller, user_id=user["id"]),
            entity_type="user", entity_id=user["id"], data={"session_id": str(created.id), "method": "forward_auth"},
        )  # fmt: skip
    return {key: user[key] for key in ("id", "email", "name", "role")}, created


async def check_discovery(identity: Identity, issuer: str) -> tuple[bool, str]:
    try:
        found = await identity.oidc.discover(issuer)
    except OidcError as exc:
        return False, str(exc)
    except AppError as exc:  # the outbound policy refused the address
        return False, exc.message
    return True, f"Found the provider {found.issuer}: sign-in at {found.authorization_endpoint}."
