"""`POST /internal/media/match`: which of a list of titles (a watchlist) the caller's space owns.

Three set queries per call, whatever the number of candidates (`title_lookup`): titles by TMDB id,
by IMDb id and by sort key; only live titles count.
"""

from sqlalchemy.ext.asyncio import AsyncSession

from library.domain.matching import TitleIndex, owned_title, title_keys
from library.handlers.title_lookup import titles_by_ids_and_title
from shelfspace_contracts.sync import MediaMatch, MediaMatchQuery, MediaMatchResult
from shelfspace_kernel.errors import Forbidden
from shelfspace_kernel.internal_auth import CallerContext


async def match_owned(session: AsyncSession, caller: CallerContext, query: MediaMatchQuery) -> MediaMatchResult:
    if caller.space_id is None:
        raise Forbidden("A match needs a space.", code="no_active_space")
    candidates = query.items
    async with session.begin():
        rows = await titles_by_ids_and_title(
            session,
            caller.space_id,
            [candidate.tmdb_id for candidate in candidates],
            [candidate.imdb_id for candidate in candidates],
            title_keys(candidates),
        )
    owned = TitleIndex(row for row in rows if row["deleted_at"] is None)
    return MediaMatchResult(
        matches=[MediaMatch(key=candidate.key, media_id=owned_title(owned, candidate)) for candidate in candidates]
    )
