"""SQL of the record import (`POST /internal/media/records`): titles by id, copies by source, annotations.

An annotation's `watched` flag is written in step with `watched_at` (migration 0014): a watched record
keeps the date known, else today; an unwatched one clears the watched state.
"""

import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

Row = dict[str, Any]

_BY_IDS = text("SELECT * FROM media WHERE space_id = :space_id AND id = ANY(:ids)")
_COPY_BY_SOURCE = text(
    "SELECT * FROM copies WHERE space_id = :space_id AND source_provider = :provider AND source_external_id = :external_id"
)
_SET_PROVIDER = text(
    """
    INSERT INTO media_identities (space_id, kind, value, media_id, content_hash)
    VALUES (:space_id, 'provider', :key, :media_id, :hash)
    ON CONFLICT (space_id, kind, value) DO UPDATE SET content_hash = EXCLUDED.content_hash
    """
)
_ANNOTATION_FIELDS = ("rating", "notes", "watched", "visibility")
_UPSERT_ANNOTATION = text(
    """
    INSERT INTO annotations AS a (id, space_id, media_id, user_id, rating, notes, watched, visibility,
        watched_at, play_count, watched_source)
    VALUES (:id, :space_id, :media_id, :user_id, :rating, :notes, :watched, :visibility,
        CASE WHEN :watched THEN now() END, CASE WHEN :watched THEN 1 ELSE 0 END,
        CASE WHEN :watched THEN 'manual' END)
    ON CONFLICT (media_id, user_id) DO UPDATE SET rating = EXCLUDED.rating, notes = EXCLUDED.notes,
        watched = EXCLUDED.watched, visibility = EXCLUDED.visibility, updated_at = now(),
        watched_at = CASE WHEN EXCLUDED.watched THEN coalesce(a.watched_at, now()) END,
        play_count = CASE WHEN EXCLUDED.watched THEN greatest(a.play_count, 1) ELSE 0 END,
        watched_source = CASE WHEN EXCLUDED.watched THEN coalesce(a.watched_source, 'manual') END
    WHERE (a.rating, a.notes, a.watched, a.visibility)
        IS DISTINCT FROM (EXCLUDED.rating, EXCLUDED.notes, EXCLUDED.watched, EXCLUDED.visibility)
    RETURNING a.id
    """
)


async def titles_by_ids(session: AsyncSession, space_id: uuid.UUID, ids: list[uuid.UUID]) -> list[Row]:
    """The titles of this space (live or trashed) that have one of these ids."""
    if not ids:
        return []
    return [dict(row) for row in (await session.execute(_BY_IDS, {"space_id": space_id, "ids": ids})).mappings()]


async def copy_by_source(session: AsyncSession, space_id: uuid.UUID, provider: str, external_id: str) -> Row | None:
    params = {"space_id": space_id, "provider": provider, "external_id": external_id}
    row = (await session.execute(_COPY_BY_SOURCE, params)).mappings().first()
    return dict(row) if row else None


async def set_provider_hash(
    session: AsyncSession, space_id: uuid.UUID, key: str, media_id: uuid.UUID, content_hash: str
) -> None:
    """The title holds this provider key with this data hash (a key held by another title keeps its title)."""
    params = {"space_id": space_id, "key": key, "media_id": media_id, "hash": content_hash}
    await session.execute(_SET_PROVIDER, params)


async def upsert_annotation(
    session: AsyncSession, space_id: uuid.UUID, media_id: uuid.UUID, user_id: uuid.UUID, fields: Row
) -> bool:
    """The user's annotation of the title, as given; True when that changed something."""
    params = {"id": uuid.uuid4(), "space_id": space_id, "media_id": media_id, "user_id": user_id}
    params |= {name: fields[name] for name in _ANNOTATION_FIELDS}
    return (await session.execute(_UPSERT_ANNOTATION, params)).first() is not None
