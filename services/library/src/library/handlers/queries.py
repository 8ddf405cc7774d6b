"""Read-side use cases: the title list, the trash and the space's statistics."""

import json
from datetime import timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from library.domain import cursor as cursors
from library.domain import titles
from library.domain.access import is_admin
from library.store import listing
from library.store import media as store
from library.store import tags as tag_store
from library.store.list_counts import ListCounts
from shelfspace_kernel.db import DriverReads
from shelfspace_kernel.internal_auth import CallerContext


async def list_titles(
    reads: DriverReads,
    counts: ListCounts,
    caller: CallerContext,
    query: listing.ListQuery,
    cursor_token: str | None,
) -> bytes:
    """A page of the title list as the JSON body of `MediaPage` (items come written by Postgres)."""
    cursor = cursors.decode(cursor_token, sort=query.sort, order=query.order) if cursor_token else None
    similar = cursor is not None and cursor.similar
    await listing.resolve_tag(reads, caller.space_id, query)
    where = listing.build_filters(caller.space_id, caller.user_id, query, similar=similar)
    rows, next_cursor = await listing.page(reads, where, query, cursor)
    if not rows and cursor is None and where.has_tolerant_words:
        # Nothing matches the words as typed: match similar words (typo tolerance). Only then, as
        # the similarity match costs a third of a search and adds near misses to exact results.
        where = listing.build_filters(caller.space_id, caller.user_id, query, similar=True)
        rows, next_cursor = await listing.page(reads, where, query, cursor)
    total, lower_bound = await listing.count(reads, where, query, counts)
    rest = {
        "next_cursor": cursors.encode(next_cursor) if next_cursor else None,
        "total": total,
        "total_is_lower_bound": lower_bound,
    }
    items = ",".join(row["item"] for row in rows)
    return f'{{"items":[{items}],{json.dumps(rest, separators=(",", ":"))[1:]}'.encode()


_TRASH = """
    SELECT * FROM media
    WHERE space_id = :space_id AND deleted_at IS NOT NULL {own} {after}
    ORDER BY deleted_at DESC, id DESC LIMIT :limit
"""


async def list_trash(
    session: AsyncSession, caller: CallerContext, limit: int, cursor_token: str | None, retention: timedelta
) -> dict:
    """Trashed titles, newest first: all of them for admins, a member's own otherwise."""
    params = {"space_id": caller.space_id, "limit": limit + 1, "user_id": caller.user_id}
    own = "" if is_admin(caller) else "AND added_by = :user_id"
    after = ""
    if cursor_token:
        cursor = cursors.decode(cursor_token, sort="deleted", order="desc")
        after = "AND (deleted_at, id) < (:c_value, :c_id)"
        params |= {"c_value": cursors.timestamp_value(cursor), "c_id": cursor.id}
    sql = _TRASH.format(own=own, after=after)
    async with session.begin():
        rows = [dict(row) for row in (await session.execute(text(sql), params)).mappings()]
        more = len(rows) > limit
        rows = rows[:limit]
        copies = await store.copies_of(session, [row["id"] for row in rows])
        tags = await tag_store.tags_of(session, [row["id"] for row in rows])
        counted = text(
            f"SELECT count(*) FROM (SELECT 1 FROM media WHERE space_id = :space_id AND deleted_at IS NOT NULL {own}"  # noqa: S608
            f" LIMIT {listing.COUNT_CAP + 1}) s"
        )
        found = int(await session.scalar(counted, params) or 0)
    next_cursor = None
    if more:
        last = rows[-1]
        next_cursor = cursors.encode(cursors.Cursor("deleted", "desc", last["deleted_at"].isoformat(), last["id"]))
    items = [
        {
            **store.to_api(row, copies[row["id"]]),
            "tags": tags[row["id"]],
            "deleted_at": row["deleted_at"],
            "purge_after": row["deleted_at"] + retention,
        }
        for row in rows
    ]
    return {
        "items": items,
        "next_cursor": next_cursor,
        "total": min(found, listing.COUNT_CAP),
        "total_is_lower_bound": found > listing.COUNT_CAP,
    }


GENRES = 20  # the genres the statistics name

_STATS = {
    "by_media_type": "SELECT media_type, count(*) FROM media m WHERE {live} GROUP BY 1 ORDER BY 2 DESC",
    "by_decade": (
        "SELECT coalesce((year / 10 * 10)::text || 's', 'unknown'), count(*) FROM media m WHERE {live}"
        " GROUP BY 1 ORDER BY 1"
    ),
    # Titles (not copies) with a copy of each format / from each source: what the list's filter lists.
    "by_format": (
        "SELECT c.format, count(DISTINCT m.id) FROM copies c JOIN media m ON m.id = c.media_id WHERE {live}"
        " GROUP BY 1 ORDER BY 2 DESC"
    ),
    "by_source": (
        "SELECT coalesce(c.source_provider, 'manual'), count(DISTINCT m.id) FROM copies c"
        " JOIN media m ON m.id = c.media_id WHERE {live} GROUP BY 1 ORDER BY 2 DESC"
    ),
    "added_by_month": (
        "SELECT to_char(date_trunc('month', m.created_at AT TIME ZONE 'UTC'), 'YYYY-MM'), count(*) FROM media m"
        " WHERE {live} AND m.created_at >= date_trunc('month', now() AT TIME ZONE 'UTC') - interval '23 months'"
        " GROUP BY 1 ORDER BY 1"
    ),
}
_ATTENTION = """
    SELECT count(*) FILTER (WHERE m.cover_key IS NULL AND (m.poster_url IS NULL OR m.poster_url = '')) AS no_poster,
           count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM copies c WHERE c.media_id = m.id)) AS no_copies
    FROM media m WHERE {live}
"""
# Titles per combination of genres (a few hundred rows at most), counted by prefix in Python.
_GENRE_SETS = "SELECT m.genres, count(*) FROM media m WHERE {live} GROUP BY 1"
_LIVE = "m.space_id = :space_id AND m.deleted_at IS NULL"
# What the live titles' priced copies cost, per currency (amounts in two currencies never add up),
# by format and by the year they were bought (null: no purchase date).
_VALUE = {
    "by_currency": "",
    "by_format": "c.format AS format, ",
    "by_year": "extract(year FROM c.purchase_date)::int AS year, ",
}
_VALUE_SQL = (
    "SELECT {key}c.purchase_currency AS currency, sum(c.purchase_price) AS total, count(*) AS copies"
    " FROM copies c JOIN media m ON m.id = c.media_id WHERE {live} AND c.purchase_price IS NOT NULL"
    " GROUP BY {group} ORDER BY {group}"
)


async def _value(session: AsyncSession, params: dict) -> dict:
    out = {}
    for name, key in _VALUE.items():
        group = "1, 2" if key else "1"
        sql = _VALUE_SQL.format(key=key, live=_LIVE, group=group)
        out[name] = [dict(row) for row in (await session.execute(text(sql), params)).mappings()]
    return out


async def stats(session: AsyncSession, caller: CallerContext, duplicate_groups: int) -> dict:
    params = {"space_id": caller.space_id}
    out: dict = {}
    async with session.begin():
        out["total"] = await store.live_count(session, caller.space_id)
        for name, sql in _STATS.items():
            rows = await session.execute(text(sql.format(live=_LIVE)), params)
            out[name] = {str(key): int(value) for key, value in rows.all()}
        sets = [(row[0], int(row[1])) for row in await session.execute(text(_GENRE_SETS.format(live=_LIVE)), params)]
        out["by_genre"] = titles.genre_counts(sets, limit=GENRES)
        attention = (await session.execute(text(_ATTENTION.format(live=_LIVE)), params)).mappings().one()
        out["value"] = await _value(session, params)
    out["attention"] = {**attention, "duplicate_groups": duplicate_groups}
    return out
