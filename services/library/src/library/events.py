"""Events the library service publishes and the consumers it runs."""

from sqlalchemy.ext.asyncio import AsyncSession

from library import SERVICE
from shelfspace_contracts.library import MediaChanged, MediaEventSource
from shelfspace_kernel.events import EventRecorder
from shelfspace_kernel.internal_auth import CallerContext

recorder = EventRecorder(SERVICE)


async def record_media_event(
    session: AsyncSession,
    verb: str,
    caller: CallerContext,
    row: dict,
    *,
    source: MediaEventSource = "api",
    provider: str | None = None,
    fields: list[str] | None = None,
) -> None:
    """`library.media.<verb>` for one title, written to the outbox in the caller's transaction."""
    data = MediaChanged(
        title=row["title"],
        media_type=row["media_type"],
        year=row.get("year"),
        source=source,
        provider=provider,
        fields=fields or [],
    )
    await recorder.record(
        session,
        f"library.media.{verb}",
        caller=caller,
        space_id=row["space_id"],
        entity_type="media",
        entity_id=row["id"],
        data=data.model_dump(mode="json"),
    )
