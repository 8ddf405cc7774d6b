"""Events the library service publishes and the consumers it runs."""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from library import SERVICE
from shelfspace_contracts.events import EventEnvelope
from shelfspace_contracts.library import (
    CopyChanged,
    MediaChanged,
    MediaEventSource,
    SpaceExported,
    TagChanged,
    ViewChanged,
    WatchedChanged,
    WishChanged,
)
from shelfspace_kernel.events import EventRecorder
from shelfspace_kernel.internal_auth import CallerContext

recorder = EventRecorder(SERVICE)


def _media_event(
    verb: str,
    caller: CallerContext,
    row: dict,
    source: MediaEventSource,
    provider: str | None,
    fields: list[str],
    copy_changed: CopyChanged | None = None,
) -> EventEnvelope:
    data = MediaChanged(
        title=row["title"],
        media_type=row["media_type"],
        year=row.get("year"),
        source=source,
        provider=provider,
        fields=fields,
        copy_changed=copy_changed,
    )
    return _title_envelope(f"library.media.{verb}", caller, row, data.model_dump(mode="json"))


def _title_envelope(event_type: str, caller: CallerContext, row: dict, data: dict) -> EventEnvelope:
    """An event about one title of the row's space (entity `media`)."""
    return recorder.envelope(
        event_type, caller=caller, space_id=row["space_id"], entity_type="media", entity_id=row["id"], data=data
    )


async def record_media_event(
    session: AsyncSession,
    verb: str,
    caller: CallerContext,
    row: dict,
    *,
    source: MediaEventSource = "api",
    provider: str | None = None,
    fields: list[str] | None = None,
    copy_changed: CopyChanged | None = None,
) -> None:
    """`library.media.<verb>` for one title, written to the outbox in the caller's transaction."""
    event = _media_event(verb, caller, row, source, provider, fields or [], copy_changed)
    await recorder.record_all(session, [event])


async def record_imported_titles(session: AsyncSession, caller: CallerContext, created: list[tuple[dict, str]]) -> None:
    """`library.media.created` for each (title, provider) an import created, written in one round trip."""
    events = [_media_event("created", caller, row, "import", provider, []) for row, provider in created]
    await recorder.record_all(session, events)


async def record_wish_event(
    session: AsyncSession,
    verb: str,
    caller: CallerContext,
    wish: dict,
    *,
    fields: list[str] | None = None,
    media_id: uuid.UUID | None = None,
) -> None:
    """`library.wish.<verb>` for one wish, written to the outbox in the caller's transaction; notes stay out."""
    data = WishChanged(
        title=wish["title"],
        media_type=wish["media_type"],
        year=wish["year"],
        tmdb_id=wish["tmdb_id"],
        priority=wish["priority"],
        fields=fields or [],
        media_id=media_id,
    )
    await recorder.record(
        session,
        f"library.wish.{verb}",
        caller=caller,
        entity_type="wish",
        entity_id=wish["id"],
        data=data.model_dump(mode="json"),
    )


async def record_space_exported(session: AsyncSession, caller: CallerContext, exported: SpaceExported) -> None:
    """`library.space.exported`: who exported the caller's space, in which format, how much."""
    await recorder.record(
        session,
        "library.space.exported",
        caller=caller,
        entity_type="space",
        entity_id=caller.space_id,
        data=exported.model_dump(mode="json"),
    )


async def record_tag_event(
    session: AsyncSession, verb: str, caller: CallerContext, tag_id: uuid.UUID, changed: TagChanged
) -> None:
    """`library.tag.renamed|merged`, written to the outbox in the caller's transaction."""
    await recorder.record(
        session,
        f"library.tag.{verb}",
        caller=caller,
        entity_type="tag",
        entity_id=tag_id,
        data=changed.model_dump(mode="json"),
    )


async def record_view_event(session: AsyncSession, verb: str, caller: CallerContext, view: dict) -> None:
    """`library.view.created|deleted` for one saved view, in the caller's transaction; the query stays out."""
    data = ViewChanged(name=view["name"], shared=view["shared"])
    await recorder.record(
        session,
        f"library.view.{verb}",
        caller=caller,
        entity_type="view",
        entity_id=view["id"],
        data=data.model_dump(mode="json"),
    )


def watched_envelope(verb: str, caller: CallerContext, title: dict, state: dict) -> EventEnvelope:
    """`library.media.watched|unwatched`: one user's watched state of one title changed."""
    data = WatchedChanged(
        title=title["title"],
        watched_at=state["watched_at"],
        play_count=state["play_count"],
        source=state["watched_source"],
    )
    return _title_envelope(f"library.media.{verb}", caller, title, data.model_dump(mode="json"))


async def record_watched_events(session: AsyncSession, events: list[EventEnvelope]) -> None:
    """The watched changes of one use case, written to the outbox in its transaction."""
    if events:
        await recorder.record_all(session, events)
