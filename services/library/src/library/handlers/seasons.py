"""A show's seasons: read them, replace them by hand, and check the seasons a copy says it holds."""

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from library.api.schemas import SeasonIn
from library.events import record_media_event
from library.handlers.titles import editable_title
from library.store import media as store
from library.store import seasons as season_store
from shelfspace_kernel.errors import NotFound, ValidationFailed
from shelfspace_kernel.internal_auth import CallerContext

SHOW = "tv_series"


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(details=[{"field": field, "message": message}])


def _numbers_text(numbers: list[int]) -> str:
    return ", ".join(str(number) for number in numbers)


async def list_seasons(session: AsyncSession, caller: CallerContext, media_id: uuid.UUID) -> list[dict]:
    async with session.begin():
        if await store.get_media(session, caller.space_id, media_id) is None:
            raise NotFound()
        return await season_store.seasons_of(session, media_id)


def _check_list(media_type: str, body: list[SeasonIn]) -> None:
    if media_type != SHOW:
        raise _invalid("media_type", "Only a TV series has seasons.")
    numbers = [season.number for season in body]
    repeated = sorted({number for number in numbers if numbers.count(number) > 1})
    if repeated:
        raise _invalid("number", f"Each season once: {_numbers_text(repeated)} given more than once.")


async def put_seasons(session: AsyncSession, caller: CallerContext, media_id: uuid.UUID, body: list[SeasonIn]) -> list:
    """Replace the show's seasons; a season that a copy holds cannot be left out (422 naming it)."""
    async with session.begin():
        row = await editable_title(session, caller, media_id)
        _check_list(row["media_type"], body)
        before = await season_store.seasons_of(session, media_id)
        held = await season_store.held_numbers(session, media_id)
        dropped = sorted(held - {season.number for season in body})
        if dropped:
            raise _invalid(
                "number", f"A copy holds season {_numbers_text(dropped)}: change that copy before removing it."
            )
        seasons = [season.model_dump() for season in sorted(body, key=lambda season: season.number)]
        await season_store.replace_seasons(session, caller.space_id, media_id, seasons, keep=set())
        after = await season_store.seasons_of(session, media_id)
        if after != before:
            await store.update_media(session, media_id, {"updated_at": datetime.now(UTC)})
            fresh = await store.refresh_derived(session, media_id)
            await record_media_event(session, "updated", caller, fresh, fields=["seasons"])
    return after


async def take_provider_seasons(
    session: AsyncSession, caller: CallerContext, media_id: uuid.UUID, fetched: list
) -> bool:
    """TMDB's seasons become the show's, keeping those a copy holds; whether the list changed."""
    before = await season_store.seasons_of(session, media_id)
    held = await season_store.held_numbers(session, media_id)
    rows = [season.model_dump() for season in fetched]
    await season_store.replace_seasons(session, caller.space_id, media_id, rows, keep=held)
    return await season_store.seasons_of(session, media_id) != before


async def check_copy_seasons(session: AsyncSession, row: dict, numbers: list[int] | None) -> None:
    """A copy holds only recorded seasons of its show (422 naming the others)."""
    if not numbers:
        return
    if row["media_type"] != SHOW:
        raise _invalid("season_numbers", "Only a copy of a TV series holds seasons.")
    recorded = {season["number"] for season in await season_store.seasons_of(session, row["id"])}
    unknown = [number for number in numbers if number not in recorded]
    if unknown:
        raise _invalid(
            "season_numbers",
            f"Season {_numbers_text(unknown)} is not recorded for this show: add it to the show's seasons first.",
        )
