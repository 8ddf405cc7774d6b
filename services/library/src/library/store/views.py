"""SQL of saved views: those a member sees (their own and the shared ones), one view, its removal."""

import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

Row = dict[str, Any]

_VISIBLE = text(
    "SELECT * FROM saved_views WHERE space_id = :space_id AND (owner_id = :user_id OR shared)"
    " ORDER BY lower(name), created_at, id"
)
_GET = text("SELECT * FROM saved_views WHERE space_id = :space_id AND id = :id FOR UPDATE")
_INSERT = text(
    "INSERT INTO saved_views (id, space_id, owner_id, name, query, shared, created_at)"
    " VALUES (:id, :space_id, :owner_id, :name, :query, :shared, :created_at)"
)
_OWNED = text("SELECT count(*) FROM saved_views WHERE space_id = :space_id AND owner_id = :user_id")
_DELETE = text("DELETE FROM saved_views WHERE id = :id")


async def visible(session: AsyncSession, space_id: uuid.UUID, user_id: uuid.UUID | None) -> list[Row]:
    rows = await session.execute(_VISIBLE, {"space_id": space_id, "user_id": user_id})
    return [dict(row) for row in rows.mappings()]


async def get_locked(session: AsyncSession, space_id: uuid.UUID, view_id: uuid.UUID) -> Row | None:
    row = (await session.execute(_GET, {"space_id": space_id, "id": view_id})).mappings().first()
    return dict(row) if row else None


async def owned(session: AsyncSession, space_id: uuid.UUID, user_id: uuid.UUID | None) -> int:
    return int(await session.scalar(_OWNED, {"space_id": space_id, "user_id": user_id}) or 0)


async def insert(session: AsyncSession, row: Row) -> None:
    await session.execute(_INSERT, row)


async def delete(session: AsyncSession, view_id: uuid.UUID) -> None:
    await session.execute(_DELETE, {"id": view_id})
