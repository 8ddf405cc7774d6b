"""Watched state per user (API.md "Collector records"): mark a title watched on a date, clear it,
and the provider imports' watched states (Plex, Trakt) merged without going back in time."""

import uuid
from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from library.events import record_watched_events, watched_envelope
from library.store import media as store
from library.store import watched as watched_store
from shelfspace_contracts.library import WatchedImport, WatchedImportResult
from shelfspace_kernel.errors import NotFound
from shelfspace_kernel.internal_auth import CallerContext


def watched_out(media_id: uuid.UUID, state: dict | None) -> dict:
    state = state or {}
    return {
        "media_id": media_id,
        "watched_at": state.get("watched_at"),
        "play_count": state.get("play_count") or 0,
        "source": state.get("watched_source"),
    }


async def _live_title(session: AsyncSession, caller: CallerContext, media_id: uuid.UUID) -> dict:
    title = await store.get_media(session, caller.space_id, media_id)
    if title is None:
        raise NotFound()
    return title


async def mark_watched(
    session: AsyncSession, caller: CallerContext, media_id: uuid.UUID, watched_at: datetime | None
) -> dict:
    """The caller watched the title (now, or on the date they give)."""
    async with session.begin():
        title = await _live_title(session, caller, media_id)
        when = watched_at or datetime.now(UTC)
        state = await watched_store.mark(session, caller.space_id, media_id, caller.user_id, when)
        await record_watched_events(session, [watched_envelope("watched", caller, title, state)])
    return watched_out(media_id, state)


async def clear_watched(session: AsyncSession, caller: CallerContext, media_id: uuid.UUID) -> None:
    """The caller has not watched the title after all; clearing an unwatched title changes nothing."""
    async with session.begin():
        title = await _live_title(session, caller, media_id)
        state = await watched_store.clear(session, media_id, caller.user_id)
        if state is not None:
            await record_watched_events(session, [watched_envelope("unwatched", caller, title, state)])


_TITLES = text("SELECT id, space_id, title FROM media WHERE space_id = :space_id AND id = ANY(:ids)")


async def import_watched(session: AsyncSession, caller: CallerContext, batch: WatchedImport) -> WatchedImportResult:
    """A provider's watched states of one user for titles of the caller's space; idempotent."""
    ids = [item.media_id for item in batch.items]
    events = []
    updated = 0
    async with session.begin():
        rows = await session.execute(_TITLES, {"space_id": caller.space_id, "ids": ids})
        titles = {row.id: dict(row._mapping) for row in rows}
        actor = CallerContext(
            request_id=caller.request_id, caller=caller.caller, user_id=batch.user_id, space_id=caller.space_id
        )
        for item in sorted(batch.items, key=lambda item: item.media_id):
            if (title := titles.get(item.media_id)) is None:
                continue
            state = await watched_store.merge_import(
                session, caller.space_id, item.media_id, batch.user_id, item.watched_at, item.play_count, batch.source
            )
            if state is not None:
                updated += 1
                events.append(watched_envelope("watched", actor, title, state))
        await record_watched_events(session, events)
    return WatchedImportResult(updated=updated, unchanged=len(batch.items) - updated)
