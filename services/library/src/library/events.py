"""Events the library service publishes and the consumers it runs."""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from library import SERVICE
from shelfspace_contracts.events import EventEnvelope
from shelfspace_contracts.library import CopyChanged, MediaChanged, MediaEventSource, SpaceExported, WishChanged
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
    return recorder.envelope(
        f"library.media.{verb}",
        caller=caller,
        space_id=row["space_id"],
        entity_type="media",
        entity_id=row["id"],
        data=data.model_dump(mode="json"),
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
