"""Export of a space: its live titles as CSV or JSON text, streamed batch by batch, then audited.

The export reads in its own session (the response outlives the request's dependencies) and one
REPEATABLE READ transaction, so the document is one consistent snapshot however long it streams.
`library.space.exported` is written when the stream ends, also when the caller went away before
its end (`complete: false`, the counts of what was sent).
"""

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Literal

import anyio
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from library.domain import exports as document
from library.events import record_space_exported
from library.store.exports import stream_csv_rows, stream_titles
from shelfspace_contracts.library import SpaceExported
from shelfspace_kernel.internal_auth import CallerContext

ExportFormat = Literal["csv", "json"]
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def file_name(caller: CallerContext, export_format: ExportFormat, now: datetime) -> str:
    return f"shelfspace-{caller.space_id}-{now.strftime('%Y%m%dT%H%M%SZ')}.{export_format}"


async def _text(
    session: AsyncSession,
    caller: CallerContext,
    export_format: ExportFormat,
    now: datetime,
    counts: document.Counts,
    batch_size: int,
) -> AsyncIterator[str]:
    if export_format == "csv":
        yield document.csv_lines([], header=True)
        async for rows in stream_csv_rows(session, caller.space_id, caller.user_id, batch_size=batch_size):
            counts.add_csv(rows)  # counted as it is handed on, so a stream closed after this piece counts it
            yield document.csv_lines(rows)
        return
    yield document.json_head(caller.space_id, caller.user_id, now)
    async for rows in stream_titles(session, caller.space_id, caller.user_id, batch_size=batch_size):
        first = counts.titles == 0
        counts.add(rows)
        yield document.json_titles(rows, first=first)
    yield document.JSON_TAIL


async def export_space(
    sessionmaker: async_sessionmaker[AsyncSession],
    caller: CallerContext,
    export_format: ExportFormat,
    now: datetime | None = None,
    *,
    batch_size: int,
) -> AsyncIterator[bytes]:
    """The space's export as UTF-8 pieces; the export event is recorded when it ends."""
    now = now or datetime.now(UTC)
    counts = document.Counts()
    complete = False
    try:
        async with sessionmaker() as session, session.begin():
            await session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            async for piece in _text(session, caller, export_format, now, counts, batch_size):
                yield piece.encode()
        complete = True
    finally:
        # Shielded: a caller who went away cancels the stream, not the record of what it took.
        with anyio.CancelScope(shield=True):
            async with sessionmaker() as session, session.begin():
                exported = SpaceExported(format=export_format, complete=complete, **vars(counts))
                await record_space_exported(session, caller, exported)
