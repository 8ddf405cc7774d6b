"""`POST /internal/media/match`: which of a list of titles (a watchlist) the caller's space owns.

Three set queries per call, whatever the number of candidates: live titles by TMDB id
(`ix_media_tmdb`), by IMDb id (`ix_media_imdb`) and by sort key (`ix_media_live_title`).
"""

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from library.domain.matching import OwnedTitles, title_keys
from shelfspace_contracts.sync import MediaMatch, MediaMatchQuery, MediaMatchResult
from shelfspace_kernel.errors import Forbidden
from shelfspace_kernel.internal_auth import CallerContext

INT4 = 2**31  # ids beyond the column type cannot be stored, so they match nothing
_COLUMNS = "id, tmdb_id, tmdb_media_type, imdb_id, sort_key, year, media_type, created_at"
_LIVE = "space_id = :space_id AND deleted_at IS NULL"
_BY_TMDB = text(f"SELECT {_COLUMNS} FROM media WHERE {_LIVE} AND tmdb_id = ANY(:values)")  # noqa: S608
_BY_IMDB = text(f"SELECT {_COLUMNS} FROM media WHERE {_LIVE} AND imdb_id = ANY(:values)")  # noqa: S608
_BY_TITLE = text(f"SELECT {_COLUMNS} FROM media WHERE {_LIVE} AND sort_key = ANY(:values)")  # noqa: S608


async def match_owned(session: AsyncSession, caller: CallerContext, query: MediaMatchQuery) -> MediaMatchResult:
    if caller.space_id is None:
        raise Forbidden("A match needs a space.", code="no_active_space")
    lookups = [
        (_BY_TMDB, sorted({c.tmdb_id for c in query.items if c.tmdb_id and 0 < c.tmdb_id < INT4})),
        (_BY_IMDB, sorted({c.imdb_id for c in query.items if c.imdb_id})),
        (_BY_TITLE, title_keys(query.items)),
    ]
    rows: dict = {}
    async with session.begin():
        for statement, values in lookups:
            if values:
                result = await session.execute(statement, {"space_id": caller.space_id, "values": values})
                for row in result.mappings():
                    rows.setdefault(row["id"], dict(row))
    # The earliest title wins when several match, as in the import's dedupe.
    owned = OwnedTitles(sorted(rows.values(), key=lambda row: (row["created_at"], row["id"])))
    return MediaMatchResult(
        matches=[MediaMatch(key=candidate.key, media_id=owned.match(candidate)) for candidate in query.items]
    )
