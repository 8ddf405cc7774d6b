"""Password reset links: one-time, expiring, stored hashed; a newer link for a user revokes the
older ones. Issued by a global admin (shown to them once) or, with mail configured, emailed to
whoever asks with the account's address. Using one sets the password and ends every session."""

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from identity.bootstrap import Identity
from identity.domain.credentials import new_token, normalize_email, token_hash
from identity.events import recorder
from identity.handlers import limits, mail, reads
from identity.handlers.auth import check_password_policy
from identity.handlers.sessions import end_sessions_of
from identity.settings import IdentitySettings
from identity.store import password_resets, users
from shelfspace_contracts.identity import Event
from shelfspace_kernel.errors import Conflict, NotFound
from shelfspace_kernel.internal_auth import CallerContext

RESET_PATH = "/reset-password"
MAIL_KIND = "password_reset"


def reset_url(settings: IdentitySettings, token: str) -> str:
    return f"{settings.public_url.rstrip('/')}{RESET_PATH}?token={token}"


def _pending():
    return and_(
        password_resets.c.used_at.is_(None),
        password_resets.c.revoked_at.is_(None),
        password_resets.c.expires_at > func.now(),
    )


async def _issue(
    session: AsyncSession, settings: IdentitySettings, user_id: uuid.UUID, created_by: uuid.UUID | None
) -> tuple[str, datetime]:
    """A new link for the user, in the caller's transaction; their pending links are revoked."""
    await _revoke_pending(session, user_id)
    token = new_token()
    expires_at = datetime.now(UTC) + timedelta(seconds=settings.password_reset_lifetime_seconds)
    await session.execute(
        insert(password_resets).values(
            id=uuid.uuid4(), user_id=user_id, token_hash=token_hash(token), expires_at=expires_at, created_by=created_by
        )
    )
    return token, expires_at


async def _revoke_pending(session: AsyncSession, user_id: uuid.UUID) -> None:
    await session.execute(
        update(password_resets).where(password_resets.c.user_id == user_id, _pending()).values(revoked_at=func.now())
    )


async def create_link(
    session: AsyncSession, settings: IdentitySettings, caller: CallerContext, user_id: uuid.UUID
) -> tuple[str, datetime]:
    """An admin's link for a user: (url, expires_at), shown once."""
    async with session.begin():
        user = await reads.user_by_id(session, user_id, for_update=True)
        token, expires_at = await _issue(session, settings, user_id, caller.user_id)
        await recorder.record(
            session, Event.PASSWORD_RESET_LINK_CREATED, caller=caller, entity_type="user", entity_id=user_id,
            data={"email": user["email"], "expires_at": expires_at.isoformat(), "via": "admin"},
        )  # fmt: skip
    return reset_url(settings, token), expires_at


def _reset_mail(settings: IdentitySettings, url: str) -> tuple[str, str]:
    minutes = max(1, settings.password_reset_lifetime_seconds // 60)
    body = (
        "Someone asked to reset the password of your Shelfspace account.\n\n"
        f"To choose a new password, open this link within {minutes} minutes (it works once):\n\n{url}\n\n"
        "If you did not ask for this, ignore this email: your password stays as it is.\n"
    )
    return "Reset your Shelfspace password", body


async def request_by_email(
    session: AsyncSession, settings: IdentitySettings, caller: CallerContext, email: str
) -> None:
    """Queue a reset mail for this address. The caller learns nothing: the same answer and the
    same work whether or not it has an account (the account is looked up when the mail is sent),
    and every request counts against the limits."""
    email = normalize_email(email)
    await limits.reserve(session, settings, limits.reset_request_keys(email, caller.client_ip))
    if not settings.mail_configured:
        return
    async with session.begin():
        await mail.enqueue(session, email, kind=MAIL_KIND)


async def compose_mail(session: AsyncSession, settings: IdentitySettings, email: str) -> tuple[str, str] | None:
    """The mail outbox's composer for a requested reset: a fresh link for the account with this
    address, or None (nothing is sent) when there is no such account or it is disabled."""
    user = await reads.user_by_email(session, email)
    if user is None or user["disabled"]:
        return None
    token, expires_at = await _issue(session, settings, user["id"], None)
    await recorder.record(
        session, Event.PASSWORD_RESET_REQUESTED, entity_type="user", entity_id=user["id"],
        data={"email": user["email"], "expires_at": expires_at.isoformat(), "via": "email"},
    )  # fmt: skip
    return _reset_mail(settings, reset_url(settings, token))


async def reset_password(
    session: AsyncSession, identity: Identity, caller: CallerContext, token: str, password: str
) -> None:
    """Use a link: of two racing uses the first update wins and the other finds the link used."""
    check_password_policy(identity, password)
    async with limits.attempt(session, identity.settings, limits.reset_use_keys(caller.client_ip)):
        async with session.begin():
            if await session.scalar(select(password_resets.c.id).where(_by_token(token), _pending())) is None:
                await _explain_unusable(session, token)
        password_hash = await identity.passwords.hash(password)
        async with session.begin():
            used = await reads.first(
                session,
                update(password_resets)
                .where(_by_token(token), _pending())
                .values(used_at=func.now())
                .returning(password_resets.c.id, password_resets.c.user_id),
            )
            if used is None:
                await _explain_unusable(session, token)
            user_id = used["user_id"]
            await session.execute(
                update(users).where(users.c.id == user_id).values(password_hash=password_hash, updated_at=func.now())
            )
            await _revoke_pending(session, user_id)
            await end_sessions_of(session, user_id)
            await recorder.record(
                session, Event.USER_PASSWORD_RESET, caller=caller, entity_type="user", entity_id=user_id,
                data={"reset_id": str(used["id"])},
            )  # fmt: skip


def _by_token(token: str):
    return password_resets.c.token_hash == token_hash(token)


async def _explain_unusable(session: AsyncSession, token: str) -> None:
    row = await reads.first(session, select(password_resets).where(_by_token(token)))
    if row is None:
        raise NotFound("This reset link is not valid.", code="reset_link_not_found")
    if row["used_at"] is not None:
        raise Conflict("This reset link was already used.", code="reset_link_used")
    if row["revoked_at"] is not None:
        raise Conflict("A newer reset link replaced this one.", code="reset_link_revoked")
    raise Conflict("This reset link has expired.", code="reset_link_expired")
