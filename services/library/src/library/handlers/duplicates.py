"""Finding candidate duplicates in a space: same TMDB id, same normalized title and year, similar titles."""

import uuid

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from library.store import media as store
from library.store import tags as tag_store
from shelfspace_kernel.internal_auth import CallerContext

MAX_GROUPS = 200
SIMILARITY = 0.6

_SAME_TMDB = """
    SELECT array_agg(id ORDER BY created_at, id) FROM media
    WHERE space_id = :space_id AND deleted_at IS NULL AND tmdb_id IS NOT NULL
    GROUP BY tmdb_media_type, tmdb_id HAVING count(*) > 1 ORDER BY min(sort_key) LIMIT :limit
"""
# Same folded title, year and type; a group whose members carry different TMDB ids is not one title.
_SAME_TITLE = """
    SELECT array_agg(id ORDER BY created_at, id) FROM media WHERE space_id = :space_id AND deleted_at IS NULL
    GROUP BY sort_key, year, media_type
    HAVING count(*) > 1 AND count(DISTINCT tmdb_id) <= 1 AND count(DISTINCT imdb_id) <= 1
    ORDER BY sort_key LIMIT :limit
"""
_SIMILAR = """
    SELECT ARRAY[a.id, b.id] FROM media a
    JOIN media b ON b.space_id = a.space_id AND b.deleted_at IS NULL AND b.year = a.year
        AND b.media_type = a.media_type AND b.sort_key % a.sort_key AND b.sort_key <> a.sort_key AND b.id > a.id
    WHERE a.space_id = :space_id AND a.deleted_at IS NULL AND a.year IS NOT NULL
        AND NOT (a.tmdb_id IS NOT NULL AND b.tmdb_id IS NOT NULL AND a.tmdb_id <> b.tmdb_id)
    ORDER BY a.sort_key LIMIT :limit
"""


async def _groups(session: AsyncSession, sql: str, space_id: uuid.UUID) -> list[list[uuid.UUID]]:
    rows = await session.execute(text(sql), {"space_id": space_id, "limit": MAX_GROUPS})
    return [list(ids) for (ids,) in rows.all()]


async def count_groups(session: AsyncSession, space_id: uuid.UUID) -> int:
    """Groups by the exact reasons (TMDB id, normalized title + year), for the stats page."""
    async with session.begin():
        found = await _groups(session, _SAME_TMDB, space_id) + await _groups(session, _SAME_TITLE, space_id)
    return len(_distinct([("", ids) for ids in found]))


def _distinct(groups: list[tuple[str, list[uuid.UUID]]]) -> list[tuple[str, list[uuid.UUID]]]:
    """Drop a group whose titles an earlier group already holds."""
    kept: list[tuple[str, list[uuid.UUID]]] = []
    for reason, ids in groups:
        if not any(set(ids) <= set(other) for _, other in kept):
            kept.append((reason, ids))
    return kept


async def find_duplicates(session: AsyncSession, caller: CallerContext) -> dict:
    space_id = caller.space_id
    async with session.begin():
        await session.execute(text(f"SET LOCAL pg_trgm.similarity_threshold = {SIMILARITY}"))
        found = [("same_tmdb_id", ids) for ids in await _groups(session, _SAME_TMDB, space_id)]
        found += [("same_title_year", ids) for ids in await _groups(session, _SAME_TITLE, space_id)]
        found += [("similar_title", ids) for ids in await _groups(session, _SIMILAR, space_id)]
        groups = _distinct(found)[:MAX_GROUPS]
        wanted = list({media_id for _, ids in groups for media_id in ids})
        rows = await session.execute(text("SELECT * FROM media WHERE id = ANY(:ids)"), {"ids": wanted})
        by_id = {row["id"]: dict(row) for row in rows.mappings()}
        copies = await store.copies_of(session, wanted)
        tags = await tag_store.tags_of(session, wanted)
    items = {i: {**store.to_api(by_id[i], copies[i]), "tags": tags[i]} for i in wanted}
    return {"groups": [{"reason": reason, "items": [items[i] for i in ids]} for reason, ids in groups]}
