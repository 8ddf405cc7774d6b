"""Keyset pages for the instance-wide lists: `(created_at, id)` order, an opaque cursor, a capped count."""

import base64
import json
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Select, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from shelfspace_kernel.errors import ValidationFailed

COUNT_CAP = 10_000


def encode_cursor(created_at: datetime, row_id: uuid.UUID) -> str:
    raw = json.dumps([created_at.isoformat(), str(row_id)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        created_at, row_id = json.loads(raw)
        return datetime.fromisoformat(created_at), uuid.UUID(row_id)
    except (ValueError, TypeError) as exc:
        raise ValidationFailed(details=[{"field": "cursor", "message": "is not valid", "type": "invalid"}]) from exc


async def keyset_page(
    session: AsyncSession, query: Select, created: Column, ident: Column, limit: int, cursor: str | None
) -> dict[str, Any]:
    counted = await session.scalar(select(func.count()).select_from(query.limit(COUNT_CAP + 1).subquery()))
    if cursor:
        query = query.where(tuple_(created, ident) > tuple_(*decode_cursor(cursor)))
    rows = (await session.execute(query.order_by(created, ident).limit(limit + 1))).mappings().all()
    items = [dict(row) for row in rows[:limit]]
    next_cursor = encode_cursor(items[-1][created.name], items[-1][ident.name]) if len(rows) > limit else None
    return {
        "items": items,
        "next_cursor": next_cursor,
        "total": min(counted or 0, COUNT_CAP),
        "total_is_lower_bound": (counted or 0) > COUNT_CAP,
    }
