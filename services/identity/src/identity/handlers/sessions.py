"""Sessions: opaque tokens stored hashed, an idle timeout and an absolute lifetime, a maximum per
user, revocation."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from identity.domain.credentials import new_token, token_hash
from identity.handlers.reads import enabled_features
from identity.settings import IdentitySettings
from identity.store import memberships, sessions, users
from shelfspace_contracts.identity import ResolvedSession
from shelfspace_contracts.roles import GlobalRole, SpaceRole


@dataclass(frozen=True)
class NewSession:
    id: uuid.UUID
    token: str
    csrf_token: str
    expires_at: datetime


async def start_session(
    session: AsyncSession, settings: IdentitySettings, user_id: uuid.UUID, active_space_id: uuid.UUID | None
) -> NewSession:
    """A new session for the user; the oldest ones beyond the per-user maximum are pruned."""
    now = datetime.now(UTC)
    created = NewSession(
        uuid.uuid4(), new_token(), new_token(), now + timedelta(seconds=settings.session_lifetime_seconds)
    )
    await session.execute(
        insert(sessions).values(
            id=created.id,
            user_id=user_id,
            token_hash=token_hash(created.token),
            csrf_hash=token_hash(created.csrf_token),
            active_space_id=active_space_id,
            expires_at=created.expires_at,
            last_seen_at=now,
        )
    )
    keep = (
        select(sessions.c.id)
        .where(sessions.c.user_id == user_id)
        .order_by(sessions.c.created_at.desc(), sessions.c.id.desc())
        .limit(settings.session_max_per_user)
    )
    await session.execute(delete(sessions).where(sessions.c.user_id == user_id, sessions.c.id.not_in(keep)))
    return created


async def end_session(session: AsyncSession, session_id: uuid.UUID) -> None:
    await session.execute(delete(sessions).where(sessions.c.id == session_id))


async def end_sessions_of(session: AsyncSession, user_id: uuid.UUID, *, except_id: uuid.UUID | None = None) -> None:
    query = delete(sessions).where(sessions.c.user_id == user_id)
    if except_id is not None:
        query = query.where(sessions.c.id != except_id)
    await session.execute(query)


async def set_active_space(session: AsyncSession, session_id: uuid.UUID, space_id: uuid.UUID) -> None:
    await session.execute(update(sessions).where(sessions.c.id == session_id).values(active_space_id=space_id))


async def user_memberships(session: AsyncSession, user_id: uuid.UUID) -> list[tuple[uuid.UUID, SpaceRole]]:
    """The user's spaces, oldest membership first."""
    rows = await session.execute(
        select(memberships.c.space_id, memberships.c.role)
        .where(memberships.c.user_id == user_id)
        .order_by(memberships.c.joined_at, memberships.c.space_id)
    )
    return [(row.space_id, SpaceRole(row.role)) for row in rows]


def effective_active_space(chosen: uuid.UUID | None, spaces: list[tuple[uuid.UUID, SpaceRole]]) -> uuid.UUID | None:
    """The session's chosen space while the user is still a member, else their first space."""
    ids = [space_id for space_id, _ in spaces]
    if chosen in ids:
        return chosen
    return ids[0] if ids else None


async def resolve(session: AsyncSession, settings: IdentitySettings, token: str) -> ResolvedSession | None:
    """The live session behind a cookie value, its use recorded; None when unknown, idle too long,
    past its lifetime or its user is disabled."""
    now = datetime.now(UTC)
    async with session.begin():
        row = (
            await session.execute(
                select(
                    sessions.c.id,
                    sessions.c.user_id,
                    sessions.c.csrf_hash,
                    sessions.c.active_space_id,
                    sessions.c.expires_at,
                    sessions.c.last_seen_at,
                    users.c.role,
                )
                .join(users, users.c.id == sessions.c.user_id)
                .where(
                    sessions.c.token_hash == token_hash(token),
                    sessions.c.expires_at > now,
                    sessions.c.last_seen_at > now - timedelta(seconds=settings.session_idle_timeout_seconds),
                    users.c.disabled.is_(False),
                )
            )
        ).first()
        if row is None:
            return None
        last_seen = row.last_seen_at
        if now - last_seen >= timedelta(seconds=settings.session_touch_seconds):
            # Not a write per request: a use is recorded only once the last one has grown stale.
            await session.execute(update(sessions).where(sessions.c.id == row.id).values(last_seen_at=now))
            last_seen = now
        spaces = await user_memberships(session, row.user_id)
    idle_deadline = last_seen + timedelta(seconds=settings.session_idle_timeout_seconds)
    return ResolvedSession(
        session_id=row.id,
        user_id=row.user_id,
        global_role=GlobalRole(row.role),
        active_space_id=effective_active_space(row.active_space_id, spaces),
        memberships=dict(spaces),
        csrf_hash=row.csrf_hash,
        expires_at=min(row.expires_at, idle_deadline),
        features=await enabled_features(session),
    )


async def active_space_of(session: AsyncSession, session_id: uuid.UUID | None, user_id: uuid.UUID) -> uuid.UUID | None:
    chosen = None
    if session_id is not None:
        chosen = await session.scalar(
            select(sessions.c.active_space_id).where(sessions.c.id == session_id, sessions.c.user_id == user_id)
        )
    return effective_active_space(chosen, await user_memberships(session, user_id))


async def purge_expired(session: AsyncSession, settings: IdentitySettings) -> None:
    """The periodic cleanup: sessions past their lifetime or idle timeout are deleted (they
    already stopped working)."""
    now = datetime.now(UTC)
    idle_since = now - timedelta(seconds=settings.session_idle_timeout_seconds)
    await session.execute(
        delete(sessions).where(or_(sessions.c.expires_at <= now, sessions.c.last_seen_at <= idle_since))
    )
