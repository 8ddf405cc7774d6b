"""Match a title to TMDB, or refresh its details from TMDB (`POST /internal/media/{id}/tmdb`).

A show takes TMDB's seasons as its list; a season a copy holds stays even when TMDB no longer lists it.

The sync service fetches the details from integrations as the caller and hands them here; the library
applies them under its own rules: only who may edit the title, and never a TMDB or IMDb id that another
title of the space already has (409 `duplicate_title`, the merge flow is the way to join them).
"""

import uuid

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from library.domain.imports import item_fields, tmdb_type
from library.domain.titles import cast_characters
from library.handlers.seasons import SHOW, take_provider_seasons
from library.handlers.titles import apply_changes, duplicate_title, editable_title
from shelfspace_contracts.integrations import TmdbTitle
from shelfspace_contracts.library import TmdbDetailsApply
from shelfspace_kernel.errors import Conflict
from shelfspace_kernel.internal_auth import CallerContext

_OTHER_WITH_TMDB_ID = text(
    "SELECT id, title, deleted_at FROM media WHERE space_id = :space_id AND tmdb_id = :tmdb_id"
    " AND (tmdb_media_type = :tmdb_media_type OR tmdb_media_type IS NULL) AND id <> :media_id"
    " ORDER BY deleted_at NULLS FIRST, created_at LIMIT 1"
)


def tmdb_values(row: dict, details: TmdbTitle) -> dict:
    """The columns TMDB's details set: each one TMDB has a value for (a refresh never blanks what was typed)."""
    found = {**item_fields(details), "backdrop_url": details.backdrop_url}
    if details.cast:  # the characters come and go with TMDB's cast, never beside another cast
        found["cast_characters"] = cast_characters(details.cast, details.cast_characters)
    values = {name: value for name, value in found.items() if value not in (None, "", [])}
    if row["media_type"] == "other":  # "other" (a concert, a box set) stays what the member chose
        del values["media_type"]
    return values


async def apply_tmdb_details(
    session: AsyncSession, caller: CallerContext, media_id: uuid.UUID, body: TmdbDetailsApply
) -> dict:
    ids = body.details.identities
    if ids.tmdb_id is None:
        raise Conflict("TMDB's answer names no TMDB id.", code="tmdb_id_missing")
    async with session.begin():
        row = await editable_title(session, caller, media_id)
        if body.expect_tmdb_id is not None and row["tmdb_id"] != body.expect_tmdb_id:
            raise Conflict("The title's TMDB id changed meanwhile: reload the title and try again.", code="stale")
        params = {"tmdb_id": ids.tmdb_id, "tmdb_media_type": tmdb_type(body.details)}
        other = await session.execute(
            _OTHER_WITH_TMDB_ID, {**params, "space_id": caller.space_id, "media_id": media_id}
        )
        holder = other.mappings().first()
        if holder is not None:
            raise duplicate_title(dict(holder), "TMDB")
        values = tmdb_values(row, body.details)
        seasons = body.details.seasons
        shows = values.get("media_type", row["media_type"]) == SHOW
        also = (
            ["seasons"] if seasons and shows and await take_provider_seasons(session, caller, media_id, seasons) else []
        )
        return await apply_changes(session, caller, row, values, exclusive_ids=True, also_changed=also)
