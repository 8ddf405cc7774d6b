"""Small shared reads: users, roles in a space, instance settings and feature flags."""

import uuid
from typing import Any

from sqlalchemy import Executable, RowMapping, select
from sqlalchemy.ext.asyncio import AsyncSession

from identity.store import feature_flags, instance_settings, memberships, spaces, users
from shelfspace_contracts.roles import SpaceRole
from shelfspace_kernel.errors import NotFound


async def first(session: AsyncSession, statement: Executable) -> RowMapping | None:
    """The first row of a statement as a mapping, or None."""
    return (await session.execute(statement)).mappings().first()


USER_COLUMNS = (users.c.id, users.c.email, users.c.name, users.c.role, users.c.disabled, users.c.created_at)


async def user_by_id(session: AsyncSession, user_id: uuid.UUID, *, for_update: bool = False) -> RowMapping:
    query = select(*USER_COLUMNS, users.c.password_hash).where(users.c.id == user_id)
    row = await first(session, query.with_for_update() if for_update else query)
    if row is None:
        raise NotFound("No such user.")
    return row


async def user_by_email(session: AsyncSession, email: str) -> RowMapping | None:
    query = select(*USER_COLUMNS, users.c.password_hash).where(users.c.email == email)
    return await first(session, query)


async def role_in_space(
    session: AsyncSession, space_id: uuid.UUID, user_id: uuid.UUID, *, for_update: bool = False
) -> SpaceRole | None:
    query = select(memberships.c.role).where(memberships.c.space_id == space_id, memberships.c.user_id == user_id)
    role = await session.scalar(query.with_for_update() if for_update else query)
    return SpaceRole(role) if role else None


async def member_space(session: AsyncSession, space_id: uuid.UUID, user_id: uuid.UUID) -> tuple[RowMapping, SpaceRole]:
    """The space and the caller's role in it; 404 for a space the caller is not in (never 403)."""
    row = await first(
        session,
        select(spaces.c.id, spaces.c.name, memberships.c.role)
        .join(memberships, memberships.c.space_id == spaces.c.id)
        .where(spaces.c.id == space_id, memberships.c.user_id == user_id),
    )
    if row is None:
        raise NotFound("No such space.")
    return row, SpaceRole(row["role"])


async def setting(session: AsyncSession, key: str) -> Any:
    return await session.scalar(select(instance_settings.c.value).where(instance_settings.c.key == key))


async def features(session: AsyncSession) -> dict[str, bool]:
    rows = await session.execute(select(feature_flags.c.key, feature_flags.c.enabled).order_by(feature_flags.c.key))
    return {row.key: row.enabled for row in rows}


async def enabled_features(session: AsyncSession) -> frozenset[str]:
    return frozenset(await session.scalars(select(feature_flags.c.key).where(feature_flags.c.enabled)))
