"""The export's read: a space's live titles with their copies and visible annotations, through a
server-side cursor, so memory stays flat whatever the size of the space.

One statement: Postgres builds each title's copies and annotations as JSON text beside its columns
(from `ix_copies_media_id_created_at_id` and `uq_annotations_media_id_user_id`), and the titles come
in `ix_media_live_title` order (sort key, id), so nothing is sorted or held whole on either side.
"""

import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

Row = dict[str, Any]

_COPY = (
    "json_build_object('format', c.format, 'edition', c.edition, 'barcode', c.barcode, 'region', c.region,"
    " 'location', c.location, 'notes', c.notes, 'resolution', c.resolution, 'source_provider', c.source_provider,"
    " 'source_external_id', c.source_external_id)"
)
_ANNOTATION = (
    "json_build_object('user_id', a.user_id, 'rating', a.rating, 'notes', a.notes, 'watched', a.watched,"
    " 'visibility', a.visibility)"
)
# The caller's own annotation first, then the shared ones of others in the order they were written.
_TITLES = text(
    f"""
    SELECT m.id, m.title, m.original_title, m.media_type, m.year, m.runtime_minutes, m.overview, m.poster_url,
        m.genres, m.directors, m.cast_members, m.rating, m.season_count, m.episode_count, m.notes,
        m.tmdb_id, m.tmdb_media_type, m.imdb_id, m.tvdb_id, m.created_at,
        (SELECT coalesce(json_agg({_COPY} ORDER BY c.created_at, c.id), '[]') FROM copies c
            WHERE c.media_id = m.id)::text AS copies,
        (SELECT coalesce(json_agg({_ANNOTATION} ORDER BY a.user_id IS DISTINCT FROM :user_id, a.created_at, a.id),
            '[]') FROM annotations a
            WHERE a.media_id = m.id AND (a.user_id = :user_id OR a.visibility = 'shared'))::text AS annotations
    FROM media m
    WHERE m.space_id = :space_id AND m.deleted_at IS NULL
    ORDER BY m.sort_key, m.id
    """  # noqa: S608 - fixed expressions
)


async def stream_titles(
    session: AsyncSession, space_id: uuid.UUID, user_id: uuid.UUID | None, *, batch_size: int
) -> AsyncIterator[list[Row]]:
    """The space's live titles in batches, each with `copies` and `annotations` (the caller's and shared ones)."""
    statement = _TITLES.execution_options(yield_per=batch_size)
    result = await session.stream(statement, {"space_id": space_id, "user_id": user_id})
    async for partition in result.mappings().partitions(batch_size):
        batch = []
        for row in partition:
            title = dict(row)
            title["copies"] = json.loads(title["copies"])
            title["annotations"] = json.loads(title["annotations"])
            batch.append(title)
        yield batch
