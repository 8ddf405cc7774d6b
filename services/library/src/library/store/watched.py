"""SQL of the watched state: a user's `watched_at`, `play_count` and `watched_source` on their annotation.

`watched_at` is the one truth; the old `watched` flag is written in step with it by every statement
here (migration 0014), and nothing else writes either.
"""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

Row = dict[str, Any]

_COLUMNS = "media_id, user_id, watched_at, play_count, watched_source"

# A manual mark sets the date the user gave; the play count is at least one.
_MARK = text(
    f"""
    INSERT INTO annotations AS a (id, space_id, media_id, user_id, watched, visibility,
        watched_at, play_count, watched_source)
    VALUES (:id, :space_id, :media_id, :user_id, true, 'private', :watched_at, 1, 'manual')
    ON CONFLICT (media_id, user_id) DO UPDATE SET watched = true, watched_at = EXCLUDED.watched_at,
        play_count = greatest(a.play_count, 1), watched_source = 'manual', updated_at = now()
    RETURNING {_COLUMNS}
    """  # noqa: S608 - constants
)

# An import never goes back in time: the later date and the larger play count win, and a row that
# already says as much is not written at all (RETURNING nothing).
_IMPORT = text(
    f"""
    INSERT INTO annotations AS a (id, space_id, media_id, user_id, watched, visibility,
        watched_at, play_count, watched_source)
    VALUES (:id, :space_id, :media_id, :user_id, true, 'private', :watched_at, :play_count, :source)
    ON CONFLICT (media_id, user_id) DO UPDATE SET watched = true,
        watched_at = greatest(a.watched_at, EXCLUDED.watched_at),
        play_count = greatest(a.play_count, EXCLUDED.play_count),
        watched_source = CASE WHEN a.watched_at IS NULL OR EXCLUDED.watched_at > a.watched_at
            THEN EXCLUDED.watched_source ELSE a.watched_source END,
        updated_at = now()
    WHERE a.watched_at IS NULL OR EXCLUDED.watched_at > a.watched_at OR EXCLUDED.play_count > a.play_count
    RETURNING {_COLUMNS}
    """  # noqa: S608 - constants
)

_CLEAR = text(
    f"""
    UPDATE annotations SET watched = false, watched_at = NULL, play_count = 0, watched_source = NULL,
        updated_at = now()
    WHERE media_id = :media_id AND user_id = :user_id AND watched_at IS NOT NULL
    RETURNING {_COLUMNS}
    """  # noqa: S608 - constants
)

_OF_USER = text(
    "SELECT watched_at, play_count, watched_source FROM annotations WHERE media_id = :media_id AND user_id = :user_id"
)


def _params(space_id: uuid.UUID, media_id: uuid.UUID, user_id: uuid.UUID) -> Row:
    return {"id": uuid.uuid4(), "space_id": space_id, "media_id": media_id, "user_id": user_id}


async def mark(
    session: AsyncSession, space_id: uuid.UUID, media_id: uuid.UUID, user_id: uuid.UUID, watched_at: datetime
) -> Row:
    """The user watched the title at `watched_at` (their own word: it replaces any date known)."""
    params = _params(space_id, media_id, user_id) | {"watched_at": watched_at}
    return dict((await session.execute(_MARK, params)).mappings().one())


async def merge_import(
    session: AsyncSession,
    space_id: uuid.UUID,
    media_id: uuid.UUID,
    user_id: uuid.UUID,
    watched_at: datetime,
    play_count: int,
    source: str,
) -> Row | None:
    """A provider's word that the user watched the title; the row when that changed anything."""
    params = _params(space_id, media_id, user_id) | {"watched_at": watched_at, "play_count": play_count}
    row = (await session.execute(_IMPORT, params | {"source": source})).mappings().first()
    return dict(row) if row else None


async def clear(session: AsyncSession, media_id: uuid.UUID, user_id: uuid.UUID) -> Row | None:
    """Not watched any more; the row as it was cleared, None when it was not watched."""
    row = (await session.execute(_CLEAR, {"media_id": media_id, "user_id": user_id})).mappings().first()
    return dict(row) if row else None


async def of_user(session: AsyncSession, media_id: uuid.UUID, user_id: uuid.UUID) -> Row | None:
    row = (await session.execute(_OF_USER, {"media_id": media_id, "user_id": user_id})).mappings().first()
    return dict(row) if row else None
