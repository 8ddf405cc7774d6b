"""A file import's records in and out of the sync schema: staged with the new job, previewed, and the
job's skipped and failed rows streamed back as CSV."""

import csv
import io
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from sync.files.presets import preset_of
from sync.files.reading import ParsedFile, record_values
from sync.files.rows import Rejected, to_item
from sync.store import file_rows, jobs, row_errors

ERRORS_PAGE = 2000
# A cell a spreadsheet would run as a formula gets a leading apostrophe (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def stage_records(records: list[tuple[int, Any]]) -> Callable[[AsyncSession, Any], Awaitable[Any]]:
    """Store the file's records for a new job (COPY, in the job's creating transaction) and its total."""

    async def stage(session: AsyncSession, job: Any) -> Any:
        connection = await session.connection()
        raw = (await connection.get_raw_connection()).driver_connection
        await raw.copy_records_to_table(
            file_rows.name,
            schema_name="sync",
            columns=["job_id", "ordinal", "row_number", "data"],
            records=(
                (job.id, ordinal, number, json.dumps(data, ensure_ascii=False))
                for ordinal, (number, data) in enumerate(records)
            ),
        )
        result = await session.execute(
            update(jobs).where(jobs.c.id == job.id).values(total=len(records)).returning(jobs)
        )
        return result.first()

    return stage


def preview_rows(parsed: ParsedFile, count: int) -> list[dict[str, Any]]:
    """The first rows as the mapping reads them, each with what the import would make of it."""
    params = parsed.params()
    preset = preset_of(parsed.preset)
    rows = []
    for number, record in parsed.records[:count]:
        values = record_values(params, record)
        if isinstance(values, Rejected):
            rows.append({"row": number, "fields": {}, "outcome": values.outcome, "reason": values.reason})
            continue
        item = to_item(values, preset)
        shown = {name: value for name, value in values.items() if value}
        if isinstance(item, Rejected):
            rows.append({"row": number, "fields": shown, "outcome": item.outcome, "reason": item.reason})
        else:
            rows.append({"row": number, "fields": shown, "outcome": "ok", "reason": None})
    return rows


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_line(values: list[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([_cell(value) for value in values])
    return buffer.getvalue()


async def error_rows(sessionmaker: async_sessionmaker[AsyncSession], job: Any) -> AsyncIterator[bytes]:
    """`row,outcome,item,reason` lines: every stored row error of a file job, else the job's kept errors."""
    yield ("\ufeff" + _csv_line(["row", "outcome", "item", "reason"])).encode()
    if job.provider != "file":
        for error in job.errors:
            yield _csv_line(["", "failed", error.get("item"), error.get("reason")]).encode()
        return
    after = 0
    while True:
        async with sessionmaker() as session:
            page = (
                await session.execute(
                    select(row_errors)
                    .where(row_errors.c.job_id == job.id, row_errors.c.row_number > after)
                    .order_by(row_errors.c.row_number)
                    .limit(ERRORS_PAGE)
                )
            ).all()
        if not page:
            return
        yield "".join(_csv_line([r.row_number, r.outcome, r.item, r.reason]) for r in page).encode()
        after = page[-1].row_number
