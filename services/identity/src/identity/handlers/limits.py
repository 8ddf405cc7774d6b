"""Attempt limits, counted in Postgres so that every replica sees the same attempts: password
guesses (login and every `current_password` check) per account and per client address, and failed
registrations and invite claims per client address; emailed reset requests per email and per
address (every request counts: the answer is the same whether or not the email has an account),
and wrong reset tokens per address.

An attempt is reserved before any work is done: under a transaction-level advisory lock per key,
the recent attempts are counted and, below the limit, a row is written in that same transaction.
So N racing requests are evaluated at most up to the limit, and the rest answer 429 at once. A
failed attempt keeps its row for the window; a successful one takes its rows back.
"""

import contextlib
import math
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from identity.settings import IdentitySettings
from identity.store import login_attempts
from shelfspace_kernel.errors import AppError, RateLimited, Unavailable
from shelfspace_kernel.periodic import advisory_key

ACCOUNT, ADDRESS, REGISTER, CLAIM = "account", "address", "register", "claim"
RESET_MAIL, RESET_ADDRESS, RESET_USE = "reset_mail", "reset_addr", "reset_use"


@dataclass(frozen=True)
class Reservation:
    """The attempt rows written for one request, by (scope, key)."""

    ids: dict[tuple[str, str], int]


def _most(settings: IdentitySettings, scope: str) -> int:
    return {
        ACCOUNT: settings.login_max_failures_per_account,
        ADDRESS: settings.login_max_failures_per_address,
        REGISTER: settings.registration_max_failures_per_address,
        CLAIM: settings.invite_claim_max_failures_per_address,
        RESET_MAIL: settings.password_reset_max_requests_per_email,
        RESET_ADDRESS: settings.password_reset_max_requests_per_address,
        RESET_USE: settings.password_reset_max_failures_per_address,
    }[scope]


def password_guess_keys(email: str, address: str | None) -> list[tuple[str, str]]:
    """A login and a `current_password` check spend the same budget: both guess one password."""
    return [(ACCOUNT, email), *([(ADDRESS, address)] if address else [])]


def registration_keys(address: str | None, with_invite: bool) -> list[tuple[str, str]]:
    if not address:
        return []
    return [(REGISTER, address), *([(CLAIM, address)] if with_invite else [])]


def claim_keys(address: str | None) -> list[tuple[str, str]]:
    return [(CLAIM, address)] if address else []


def reset_request_keys(email: str, address: str | None) -> list[tuple[str, str]]:
    return [(RESET_MAIL, email), *([(RESET_ADDRESS, address)] if address else [])]


def reset_use_keys(address: str | None) -> list[tuple[str, str]]:
    return [(RESET_USE, address)] if address else []


def _lock_key(scope: str, key: str) -> int:
    return advisory_key(f"identity.attempts:{scope}:{key}")


async def reserve(session: AsyncSession, settings: IdentitySettings, keys: list[tuple[str, str]]) -> Reservation:
    """Count this attempt under every key, or raise 429 with Retry-After if any key is at its limit."""
    if not keys:
        return Reservation({})
    window = timedelta(seconds=settings.login_failure_window_seconds)
    async with session.begin():
        # One lock order for every request, so two requests sharing keys cannot deadlock.
        for lock in sorted({_lock_key(scope, key) for scope, key in keys}):
            await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock})
        now = await session.scalar(select(func.now()))  # the database's clock, the same for every replica
        retry_after = 0.0
        for scope, key in keys:
            most = _most(settings, scope)
            recent = (
                select(login_attempts.c.attempted_at)
                .where(login_attempts.c.scope == scope, login_attempts.c.key == key)
                .where(login_attempts.c.attempted_at > now - window)
                .order_by(login_attempts.c.attempted_at.desc())
                .limit(most)
                .subquery()
            )
            count, oldest = (await session.execute(select(func.count(), func.min(recent.c.attempted_at)))).one()
            if count >= most:
                retry_after = max(retry_after, (oldest + window - now).total_seconds())
        if retry_after > 0:
            raise RateLimited(headers={"Retry-After": str(max(1, math.ceil(retry_after)))})
        rows = [{"scope": scope, "key": key, "attempted_at": now} for scope, key in keys]
        ids = (await session.scalars(insert(login_attempts).returning(login_attempts.c.id), rows)).all()
    return Reservation(dict(zip(keys, ids, strict=True)))


async def release(session: AsyncSession, reservation: Reservation) -> None:
    """The attempt does not count: it succeeded, or it was never evaluated."""
    if reservation.ids:
        await session.execute(delete(login_attempts).where(login_attempts.c.id.in_(reservation.ids.values())))


async def forgive_account(session: AsyncSession, reservation: Reservation) -> None:
    """The right password clears this attempt and the account's attempts reserved before it (never the address's)."""
    await release(session, reservation)
    for (scope, key), own_id in reservation.ids.items():
        if scope == ACCOUNT:
            await session.execute(
                delete(login_attempts).where(
                    login_attempts.c.scope == ACCOUNT, login_attempts.c.key == key, login_attempts.c.id < own_id
                )
            )


@contextlib.asynccontextmanager
async def attempt(session: AsyncSession, settings: IdentitySettings, keys: list[tuple[str, str]]) -> AsyncIterator:
    """Reserve an attempt around a use case: refused (4xx) it counts, done or never evaluated it does not."""
    reservation = await reserve(session, settings, keys)
    try:
        yield reservation
    except Unavailable:
        await _release_in_new_transaction(session, reservation)
        raise
    except AppError:
        raise
    else:
        await _release_in_new_transaction(session, reservation)


async def _release_in_new_transaction(session: AsyncSession, reservation: Reservation) -> None:
    await session.rollback()
    async with session.begin():
        await release(session, reservation)


async def purge_old_attempts(session: AsyncSession, settings: IdentitySettings) -> None:
    horizon = datetime.now(UTC) - timedelta(seconds=settings.login_failure_window_seconds)
    await session.execute(delete(login_attempts).where(login_attempts.c.attempted_at < horizon))
