"""TMDB ids for a file import's rows that have none (the job's `enrich` option).

A row is asked about once: its answer — the TMDB id, or why there is none — is stored on the staged
row as soon as it arrives, so a step that runs again (after a crash) reads it instead of asking again.
Only a confident match is taken: exactly one search result whose normalised title (or original
title) and year are the row's. A row without a year, or not a movie or show, is not asked about.
A failed look-up never fails the row: it imports without ids, with a "not enriched: …" reason.
"""

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from shelfspace_contracts.exports import ExportedTitle
from shelfspace_contracts.integrations import TmdbTitle
from shelfspace_contracts.media_items import NormalizedItem
from shelfspace_contracts.title_keys import sort_key
from sync.upstream import TMDB_NOT_CONFIGURED, Upstream, UpstreamError, job_context

# Look-ups of one page in flight at once; the job's pace (TMDB_ENRICH_PER_SECOND) is kept across them.
IN_FLIGHT = 4
TMDB_TYPES = {"movie": "movie", "tv_series": "tv"}

Item = NormalizedItem | ExportedTitle
Remember = Callable[[uuid.UUID, int, dict[str, Any]], Awaitable[None]]


@dataclass
class Enriched:
    """A page after enrichment: how many rows got an id, and why the others did not (by item key)."""

    count: int = 0
    misses: dict[str, str] = field(default_factory=dict)


def needs_ids(item: Item) -> bool:
    return item.identities.tmdb_id is None and item.identities.imdb_id is None


def confident_match(title: str, year: int, found: list[TmdbTitle]) -> dict[str, Any]:
    """`{"tmdb_id": …}` for exactly one result with the row's normalised title and year, else `{"miss": why}`."""
    key = sort_key(title)
    same = [
        result
        for result in found
        if result.year == year and key in (sort_key(result.title), sort_key(result.original_title or result.title))
    ]
    if len(same) == 1 and same[0].identities.tmdb_id is not None:
        return {"tmdb_id": same[0].identities.tmdb_id}
    if not same:
        return {"miss": f"TMDB has no “{title}” from {year}"}
    return {"miss": f"{len(same)} TMDB titles are “{title}” from {year}"}


async def _look_up(job: Any, upstream: Upstream, item: Item) -> dict[str, Any]:
    tmdb_type = TMDB_TYPES.get(item.media_type)
    if tmdb_type is None:
        return {"miss": "TMDB lists only movies and shows"}
    if item.year is None:
        return {"miss": "the row has no year to match on"}
    context = job_context(job.space_id, job.created_by, job.request_id)
    try:
        found = await upstream.tmdb_search(context, job.id, item.title, item.year, tmdb_type)
    except UpstreamError as exc:
        return {"miss": exc.reason}
    return confident_match(item.title, item.year, found)


def _with_tmdb_id(item: Item, tmdb_id: int) -> Item:
    tmdb_type = TMDB_TYPES[item.media_type]
    identities = item.identities.model_copy(update={"tmdb_id": tmdb_id, "tmdb_media_type": tmdb_type})
    return item.model_copy(update={"identities": identities})


async def enrich_items(
    job: Any,
    upstream: Upstream,
    items: dict[str, tuple[Item, int, dict[str, Any] | None]],
    remember: Remember,
    configured: bool,
) -> tuple[dict[str, Item], Enriched]:
    """Items (key → item, staged ordinal, stored answer) without ids, with the TMDB id where one was
    found; answers not stored yet are asked for, at the job's pace, and stored one by one. Without
    TMDB set up for the space nothing is asked (nor stored: it may be set up before the next page)."""
    limit = asyncio.Semaphore(IN_FLIGHT)

    async def answer(item: Item, ordinal: int, stored: dict[str, Any] | None) -> dict[str, Any]:
        if stored is not None:
            return stored
        if not configured:
            return {"miss": TMDB_NOT_CONFIGURED}
        async with limit:
            found = await _look_up(job, upstream, item)
        await remember(job.id, ordinal, found)
        return found

    keys = [key for key, (item, _, _) in items.items() if needs_ids(item)]
    answers = await asyncio.gather(*(answer(*items[key]) for key in keys))
    result, enriched = {}, Enriched()
    for key, found in zip(keys, answers, strict=True):
        if found.get("tmdb_id"):
            result[key] = _with_tmdb_id(items[key][0], int(found["tmdb_id"]))
            enriched.count += 1
        else:
            enriched.misses[key] = f"not enriched: {found.get('miss') or 'no answer'}."
    return result, enriched
