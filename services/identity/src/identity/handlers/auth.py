"""Registration (first run, invite, open), login with limits, logout, and the caller's profile."""

import dataclasses
import uuid
from datetime import datetime

from sqlalchemy import exists, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from identity.bootstrap import Identity
from identity.domain.credentials import Passwords, normalize_email
from identity.domain.password_policy import check_password
from identity.events import recorder
from identity.handlers import limits, reads, sso, two_factor
from identity.handlers.invites import check_claimable, claim_invite
from identity.handlers.sessions import NewSession, end_session, end_sessions_of, start_session
from identity.handlers.spaces import add_space
from identity.store import users
from shelfspace_contracts.identity import Event
from shelfspace_contracts.roles import GlobalRole
from shelfspace_kernel.errors import Conflict, Forbidden, Unauthenticated, Unavailable, ValidationFailed
from shelfspace_kernel.internal_auth import CallerContext
from shelfspace_kernel.periodic import advisory_key

REGISTRATION_LOCK = advisory_key("identity.registration")
BAD_CREDENTIALS = "Email or password is incorrect."


def check_password_policy(identity: Identity, password: str, field: str = "password") -> None:
    check_password(password, identity.settings.password_min_length, field)


async def is_first_run(session: AsyncSession) -> bool:
    return not await session.scalar(select(exists().where(users.c.id.is_not(None))))


async def register(
    session: AsyncSession, identity: Identity, caller: CallerContext, email: str, password: str, name: str,
    invite_token: str | None,
) -> tuple[dict, NewSession]:  # fmt: skip
    check_password_policy(identity, password)
    email = normalize_email(email)
    keys = limits.registration_keys(caller.client_ip, with_invite=bool(invite_token))
    async with limits.attempt(session, identity.settings, keys):
        # Everything that can refuse is checked before the (deliberately costly) hashing.
        async with session.begin():
            await _check_can_register(session, email, invite_token)
        password_hash = await identity.passwords.hash(password)
        return await _create_user(session, identity, caller, email, name, password_hash, invite_token)


async def _check_can_register(session: AsyncSession, email: str, invite_token: str | None) -> None:
    """Without a way in (first run, a valid invite for this email, open registration) the answer is
    `invite_required` whether or not the email has an account, so it reveals none."""
    if await is_first_run(session):
        return
    if invite_token:
        await check_claimable(session, invite_token, email)
    elif await reads.setting(session, "registration") != "open":
        raise Forbidden("Registration needs an invite.", code="invite_required")
    if await reads.user_by_email(session, email) is not None:
        raise Conflict("An account with this email already exists.", code="email_taken")


async def _create_user(session, identity, caller, email, name, password_hash, invite_token):
    user_id = uuid.uuid4()
    actor = dataclasses.replace(caller, user_id=user_id)
    async with session.begin():
        # Registrations queue here, so two racing first registrations cannot both see an empty install.
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": REGISTRATION_LOCK})
        first_run = await is_first_run(session)
        if await reads.user_by_email(session, email) is not None:
            raise Conflict("An account with this email already exists.", code="email_taken")
        role = GlobalRole.ADMIN if first_run else GlobalRole.USER
        await session.execute(
            insert(users).values(
                id=user_id, email=email, name=name, password_hash=password_hash, role=role, first_admin=first_run
            )
        )
        via = await _join_first_space(session, actor, user_id, email, name, first_run, invite_token)
        await recorder.record(
            session, Event.USER_REGISTERED, caller=actor, entity_type="user", entity_id=user_id,
            data={"email": email, "name": name, "role": role, "via": via},
        )  # fmt: skip
        created = await start_session(session, identity.settings, user_id, None)
    return {"id": user_id, "email": email, "name": name, "role": role}, created


async def _join_first_space(session, actor, user_id, email, name, first_run, invite_token) -> str:
    if first_run:
        await add_space(session, actor, "Home", user_id)
        return "first_run"
    if invite_token:
        await claim_invite(session, actor, invite_token, user_id, email)
        return "invite"
    if await reads.setting(session, "registration") == "open":
        await add_space(session, actor, f"{name}'s space"[:100], user_id)
        return "open"
    raise Forbidden("Registration needs an invite.", code="invite_required")


@dataclasses.dataclass(frozen=True)
class TwoFactorChallenge:
    """The right password of an enrolled user: half signed in, waiting for the second factor."""

    token: str
    expires_at: datetime


async def login(
    session: AsyncSession, identity: Identity, caller: CallerContext, email: str, password: str
) -> tuple[dict, NewSession] | TwoFactorChallenge:
    email = normalize_email(email)
    reservation = await limits.reserve(session, identity.settings, limits.password_guess_keys(email, caller.client_ip))
    async with session.begin():
        user = await reads.user_by_email(session, email)
    verified = await _verify_or_release(
        session, identity, reservation, user["password_hash"] if user else None, password
    )
    ok = verified and user is not None and not user["disabled"]
    # A password kept from collectZ (bcrypt) is stored again as argon2 once it has been proven.
    rehashed = None
    if ok and Passwords.needs_rehash(user["password_hash"]):
        rehashed = await identity.passwords.hash(password)
    async with session.begin():
        if not ok:
            await recorder.record(
                session, Event.USER_LOGIN_FAILED, caller=caller, entity_type="user",
                entity_id=user["id"] if user else None,
                data={"email": email, "reason": "disabled" if verified else "bad_credentials"},
            )  # fmt: skip
        else:
            if not await sso.password_login_allowed(session, user):
                raise Forbidden(
                    "Password sign-in is turned off here: sign in with single sign-on.", code="password_login_disabled"
                )
            await limits.forgive_account(session, reservation)
            if rehashed is not None:
                await session.execute(
                    update(users)
                    .where(users.c.id == user["id"], users.c.password_hash == user["password_hash"])
                    .values(password_hash=rehashed)
                )
            if await two_factor.is_enabled(session, user["id"]):
                return TwoFactorChallenge(*await two_factor.start_challenge(session, identity, user["id"]))
            created = await start_session(session, identity.settings, user["id"], None)
            await recorder.record(
                session, Event.USER_LOGGED_IN, caller=dataclasses.replace(caller, user_id=user["id"]),
                entity_type="user", entity_id=user["id"], data={"session_id": str(created.id)},
            )  # fmt: skip
    if not ok:
        raise Unauthenticated(BAD_CREDENTIALS, code="invalid_credentials")
    return _public_user(user), created


async def logout(session: AsyncSession, caller: CallerContext) -> None:
    if caller.session_id is None:
        return
    async with session.begin():
        await end_session(session, caller.session_id)
        await recorder.record(
            session, Event.USER_LOGGED_OUT, caller=caller, entity_type="user", entity_id=caller.user_id,
            data={"session_id": str(caller.session_id)},
        )  # fmt: skip


async def update_profile(
    session: AsyncSession, identity: Identity, caller: CallerContext, changes: dict, current_password: str | None
) -> dict:
    """Name, email and password; the last two need the current password and a password change
    signs out every other session."""
    if "password" in changes:
        check_password_policy(identity, changes["password"])
    if "email" in changes:
        changes["email"] = normalize_email(changes["email"])
    user = await reads.user_by_id(session, caller.user_id)
    await session.rollback()
    if {"email", "password"} & changes.keys():
        await check_current_password(session, identity, caller, user, current_password)
    if "password" in changes:
        changes["password_hash"] = await identity.passwords.hash(changes.pop("password"))
    if not changes:
        return _public_user(user)
    # Recorded so that an invite sent to an address cannot be claimed by switching to it later.
    email_changed = {"email_changed_at": func.now()} if changes.get("email", user["email"]) != user["email"] else {}
    try:
        async with session.begin():
            await session.execute(update(users).where(users.c.id == user["id"]).values(**changes, **email_changed))
            if "password_hash" in changes:
                await end_sessions_of(session, user["id"], except_id=caller.session_id)
            fields = sorted("password" if key == "password_hash" else key for key in changes)
            await recorder.record(
                session, Event.USER_UPDATED, caller=caller, entity_type="user", entity_id=user["id"],
                data={"fields": fields, **{k: changes[k] for k in ("name", "email") if k in changes}},
            )  # fmt: skip
    except IntegrityError as exc:
        raise Conflict("An account with this email already exists.", code="email_taken") from exc
    return _public_user({**user, **changes})


async def check_current_password(
    session: AsyncSession, identity: Identity, caller: CallerContext, user, current: str | None
) -> None:
    """A guess at the account's password like a login: it spends the same limited budget."""
    if not current:
        raise ValidationFailed(
            details=[
                {"field": "current_password", "message": "is required to change email or password", "type": "missing"}
            ]
        )
    keys = limits.password_guess_keys(user["email"], caller.client_ip)
    reservation = await limits.reserve(session, identity.settings, keys)
    if not await _verify_or_release(session, identity, reservation, user["password_hash"], current):
        raise ValidationFailed(details=[{"field": "current_password", "message": "is incorrect", "type": "invalid"}])
    async with session.begin():
        await limits.forgive_account(session, reservation)


async def _verify_or_release(
    session: AsyncSession, identity: Identity, reservation: limits.Reservation, password_hash: str | None, password: str
) -> bool:
    """Verify a password against its reserved attempt; a verification that never ran does not count."""
    try:
        return await identity.passwords.verify(password_hash, password)
    except Unavailable:
        async with session.begin():
            await limits.release(session, reservation)
        raise


def _public_user(user) -> dict:
    return {key: user[key] for key in ("id", "email", "name", "role")}
