"""SQL of the wishlist: a space's wishes by priority, one wish locked for a change."""

import uuid
from typing import Any

from sqlalchemy import delete, insert, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from library.store.listing import COUNT_CAP
from library.store.tables import wishes

Row = dict[str, Any]

_GET = "SELECT * FROM wishes WHERE space_id = :space_id AND id = :id"
_PAGE = """
    SELECT * FROM wishes WHERE space_id = :space_id {after}
    ORDER BY priority, created_at, id LIMIT :limit
"""
_AFTER = "AND (priority, created_at, id) > (:c_priority, :c_created_at, :c_id)"
_COUNT = text(f"SELECT count(*) FROM (SELECT 1 FROM wishes WHERE space_id = :space_id LIMIT {COUNT_CAP + 1}) s")  # noqa: S608


async def get_wish(session: AsyncSession, space_id: uuid.UUID, wish_id: uuid.UUID, *, lock: bool = False) -> Row | None:
    """The space's wish; with `lock`, held until the transaction ends (a second "Got it" waits, then finds none)."""
    sql = _GET + (" FOR UPDATE" if lock else "")
    row = (await session.execute(text(sql), {"space_id": space_id, "id": wish_id})).mappings().first()
    return dict(row) if row else None


async def insert_wish(session: AsyncSession, row: Row) -> None:
    await session.execute(insert(wishes).values(row))


async def update_wish(session: AsyncSession, wish_id: uuid.UUID, changes: Row) -> None:
    await session.execute(update(wishes).where(wishes.c.id == wish_id).values(changes))


async def delete_wish(session: AsyncSession, wish_id: uuid.UUID) -> None:
    await session.execute(delete(wishes).where(wishes.c.id == wish_id))


async def page(
    session: AsyncSession, space_id: uuid.UUID, limit: int, after: tuple[Any, ...] | None
) -> tuple[list[Row], int]:
    """Up to `limit + 1` wishes after the (priority, created_at, id) key, and the capped count of all."""
    params: Row = {"space_id": space_id, "limit": limit + 1}
    if after is not None:
        params |= dict(zip(("c_priority", "c_created_at", "c_id"), after, strict=True))
    sql = text(_PAGE.format(after=_AFTER if after is not None else ""))
    rows = [dict(row) for row in (await session.execute(sql, params)).mappings()]
    return rows, int(await session.scalar(_COUNT, params) or 0)
