"""Failed-login limits per account and per client address, counted in Postgres so that every
replica sees the same attempts."""

import math
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from identity.settings import IdentitySettings
from identity.store import login_attempts
from shelfspace_kernel.errors import RateLimited


def _keys(email: str, address: str | None) -> list[tuple[str, str]]:
    keys = [("account", email)]
    if address:
        keys.append(("address", address))
    return keys


async def check_login_allowed(session: AsyncSession, settings: IdentitySettings, email: str, address: str | None):
    """Raise 429 with Retry-After while either the account or the address has too many recent failures."""
    window = timedelta(seconds=settings.login_failure_window_seconds)
    now = datetime.now(UTC)
    limits = {"account": settings.login_max_failures_per_account, "address": settings.login_max_failures_per_address}
    retry_after = 0.0
    for scope, key in _keys(email, address):
        recent = (
            select(login_attempts.c.attempted_at)
            .where(login_attempts.c.scope == scope, login_attempts.c.key == key)
            .where(login_attempts.c.attempted_at > now - window)
            .order_by(login_attempts.c.attempted_at.desc())
            .limit(limits[scope])
            .subquery()
        )
        count, oldest = (await session.execute(select(func.count(), func.min(recent.c.attempted_at)))).one()
        if count >= limits[scope]:
            retry_after = max(retry_after, (oldest + window - now).total_seconds())
    if retry_after > 0:
        raise RateLimited(headers={"Retry-After": str(max(1, math.ceil(retry_after)))})


async def record_failure(session: AsyncSession, email: str, address: str | None) -> None:
    await session.execute(insert(login_attempts), [{"scope": s, "key": k} for s, k in _keys(email, address)])


async def forget_account_failures(session: AsyncSession, email: str) -> None:
    """A successful login clears the account's count (never the address's)."""
    await session.execute(
        delete(login_attempts).where(login_attempts.c.scope == "account", login_attempts.c.key == email)
    )


async def purge_old_attempts(session: AsyncSession, settings: IdentitySettings) -> None:
    horizon = datetime.now(UTC) - timedelta(seconds=settings.login_failure_window_seconds)
    await session.execute(delete(login_attempts).where(login_attempts.c.attempted_at < horizon))
