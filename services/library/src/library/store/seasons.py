"""A show's seasons, and the seasons its copies hold (SQL on the caller's transaction).

`media.seasons_total` and `media.seasons_owned` follow these rows by trigger (migration 0016).
"""

import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

Row = dict[str, Any]

_SEASONS_OF = text("SELECT number, name, year, episode_count FROM seasons WHERE media_id = :id ORDER BY number")
_HELD = text(
    "SELECT DISTINCT held FROM copies c CROSS JOIN LATERAL unnest(c.season_numbers) held"
    " WHERE c.media_id = :id ORDER BY held"
)
_UPSERT = text(
    """
    INSERT INTO seasons (media_id, number, space_id, name, year, episode_count)
    VALUES (:media_id, :number, :space_id, :name, :year, :episode_count)
    ON CONFLICT (media_id, number) DO UPDATE SET name = EXCLUDED.name, year = EXCLUDED.year,
        episode_count = EXCLUDED.episode_count
    WHERE (seasons.name, seasons.year, seasons.episode_count)
        IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.year, EXCLUDED.episode_count)
    """
)
_ADD_MISSING = text(
    """
    INSERT INTO seasons (media_id, number, space_id, name, year, episode_count)
    SELECT t.media_id, t.number, :space_id, t.name, t.year, t.episode_count
    FROM unnest(CAST(:media_ids AS uuid[]), CAST(:numbers AS smallint[]), CAST(:names AS text[]),
                CAST(:years AS smallint[]), CAST(:episodes AS integer[]))
        AS t(media_id, number, name, year, episode_count)
    ON CONFLICT (media_id, number) DO NOTHING
    RETURNING media_id
    """
)


def default_name(number: int) -> str:
    return "Specials" if number == 0 else f"Season {number}"


async def seasons_of(session: AsyncSession, media_id: uuid.UUID) -> list[Row]:
    return [dict(row) for row in (await session.execute(_SEASONS_OF, {"id": media_id})).mappings()]


async def held_numbers(session: AsyncSession, media_id: uuid.UUID) -> set[int]:
    """The season numbers some copy of the title holds."""
    return set((await session.scalars(_HELD, {"id": media_id})).all())


def _rows(space_id: uuid.UUID, media_id: uuid.UUID, seasons: list[Row]) -> list[Row]:
    return [
        {
            "media_id": media_id,
            "space_id": space_id,
            "number": season["number"],
            "name": season.get("name") or default_name(season["number"]),
            "year": season.get("year"),
            "episode_count": season.get("episode_count"),
        }
        for season in seasons
    ]


async def replace_seasons(
    session: AsyncSession, space_id: uuid.UUID, media_id: uuid.UUID, seasons: list[Row], *, keep: set[int]
) -> None:
    """Make the title's seasons `seasons`; recorded seasons numbered in `keep` stay too."""
    numbers = [season["number"] for season in seasons] + sorted(keep)
    await session.execute(
        text("DELETE FROM seasons WHERE media_id = :id AND number <> ALL(:numbers)"),
        {"id": media_id, "numbers": numbers},
    )
    if seasons:
        await session.execute(_UPSERT, _rows(space_id, media_id, seasons))


async def add_missing_seasons(session: AsyncSession, space_id: uuid.UUID, seasons: list[Row]) -> set[uuid.UUID]:
    """Record the seasons (each with its `media_id`) their titles do not have yet, in one statement; what was
    typed or fetched before stays. The titles that gained a season."""
    if not seasons:
        return set()
    rows = [{**_rows(space_id, season["media_id"], [season])[0]} for season in seasons]
    columns = {
        "media_ids": "media_id",
        "numbers": "number",
        "names": "name",
        "years": "year",
        "episodes": "episode_count",
    }
    params = {param: [row[column] for row in rows] for param, column in columns.items()}
    return set((await session.scalars(_ADD_MISSING, {"space_id": space_id, **params})).all())
