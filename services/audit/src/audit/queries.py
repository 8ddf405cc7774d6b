"""Reads of the activity log: filtered, newest first, keyset-paginated, with a capped count."""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, Text, cast, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from audit.domain.cursor import decode_cursor, encode_cursor
from audit.store import activity_log as log
from shelfspace_contracts.audit import TOTAL_CAP, ActivityEntry, ActivityPage

ENTRY_COLUMNS = [
    log.c.id,
    log.c.action,
    log.c.user_id,
    log.c.space_id,
    log.c.entity_type,
    log.c.entity_id,
    log.c.details,
    log.c.request_id,
    log.c.created_at,
    log.c.actor_name,
    log.c.space_name,
    log.c.subject_name,
]
PREFIX_SUFFIX = ".*"


def _like_literal(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True)
class ActivityFilter:
    """The list filters of API.md; `action` is an exact type or a prefix ending in `.*`."""

    action: str | None = None
    user_id: uuid.UUID | None = None
    space_id: uuid.UUID | None = None
    entity_type: str | None = None
    entity_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    q: str | None = None

    def in_space(self, space_id: uuid.UUID) -> "ActivityFilter":
        return replace(self, space_id=space_id)

    def conditions(self) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = []
        if self.action:
            if self.action.endswith(PREFIX_SUFFIX):
                # Backslash is Postgres's default LIKE escape; a constant prefix uses the index.
                found.append(log.c.action.like(_like_literal(self.action[:-1]) + "%"))
            else:
                found.append(log.c.action == self.action)
        for column, value in (
            (log.c.user_id, self.user_id),
            (log.c.space_id, self.space_id),
            (log.c.entity_type, self.entity_type),
            (log.c.entity_id, self.entity_id),
        ):
            if value is not None:
                found.append(column == value)
        if self.since is not None:
            found.append(log.c.created_at >= self.since)
        if self.until is not None:
            found.append(log.c.created_at <= self.until)
        if self.q:
            found.append(cast(log.c.details, Text).ilike("%" + _like_literal(self.q) + "%"))
        return found


def _filtered(columns: list, activity_filter: ActivityFilter) -> Select:
    return select(*columns).where(*activity_filter.conditions())


def _newest_first(query: Select) -> Select:
    return query.order_by(log.c.created_at.desc(), log.c.id.desc())


async def count_capped(session: AsyncSession, activity_filter: ActivityFilter) -> tuple[int, bool]:
    """(total, is_lower_bound): counts at most TOTAL_CAP + 1 rows, never the whole log."""
    matches = _filtered([log.c.id], activity_filter).limit(TOTAL_CAP + 1).subquery()
    counted = await session.scalar(select(func.count()).select_from(matches))
    return min(counted or 0, TOTAL_CAP), (counted or 0) > TOTAL_CAP


async def list_page(
    session: AsyncSession, activity_filter: ActivityFilter, *, limit: int, cursor: str | None
) -> ActivityPage:
    query = _newest_first(_filtered(ENTRY_COLUMNS, activity_filter)).limit(limit + 1)
    if cursor:
        created_at, row_id = decode_cursor(cursor)
        query = query.where(tuple_(log.c.created_at, log.c.id) < tuple_(created_at, row_id))
    rows = (await session.execute(query)).mappings().all()
    items = [ActivityEntry.model_validate(dict(row)) for row in rows[:limit]]
    next_cursor = encode_cursor(items[-1].created_at, items[-1].id) if len(rows) > limit else None
    total, lower_bound = await count_capped(session, activity_filter)
    return ActivityPage(items=items, next_cursor=next_cursor, total=total, total_is_lower_bound=lower_bound)


async def stream_rows(
    session: AsyncSession, activity_filter: ActivityFilter, *, batch_size: int
) -> AsyncIterator[list[dict[str, Any]]]:
    """Every matching row, newest first, in batches read through a server-side cursor."""
    query = _newest_first(_filtered(ENTRY_COLUMNS, activity_filter)).execution_options(yield_per=batch_size)
    result = await session.stream(query)
    async for partition in result.mappings().partitions(batch_size):
        yield [dict(row) for row in partition]
