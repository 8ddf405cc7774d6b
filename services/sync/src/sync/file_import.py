"""The file import's steps: each reads the next page of the stored records, converts them, looks up
TMDB ids for rows without any (when the job asks to, see sync.enrichment), and sends the items to the
library's import upsert (or, in a dry run, works out what the library would do with them).

The page's skipped and failed rows, and the rows left without ids, go into `sync_job_row_errors` in
the step's checkpoint, so each row's reason is stored exactly once, however often a step runs.
"""

import uuid
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shelfspace_contracts.exports import (
    ExportedAnnotation,
    ExportedCopy,
    ExportedTitle,
    RecordBatch,
    records_fingerprint,
)
from shelfspace_contracts.media_items import ImportBatchResult, NormalizedItem
from shelfspace_contracts.sync import MediaMatchCandidate
from shelfspace_contracts.title_keys import sort_key
from sync.domain.jobs import Tally
from sync.enrichment import Enriched, enrich_items
from sync.files.presets import preset_of
from sync.files.reading import record_values
from sync.files.rows import Rejected, annotation_of, label_of, to_item
from sync.outcome import StepOutcome
from sync.plex_import import step_batch_key
from sync.store import dry_titles, file_rows, row_errors
from sync.upstream import Upstream, UpstreamError, job_context

UNCHANGED = "Already in the library with these details; nothing to change."
WOULD_CREATE, WOULD_UPDATE = "created", "updated"

# Namespace of the record ids derived from file rows (uuid5 of the row's external id).
ROW_NAMESPACE = uuid.UUID("5b0f2a57-2a43-4d36-9a8e-7f3c1e6d9b21")
RECORD_FIELDS = {
    "title", "original_title", "media_type", "year", "runtime_minutes", "overview", "poster_url", "genres",
    "directors", "cast", "rating", "season_count", "episode_count", "identities", "tags",
}  # fmt: skip


class FileRows:
    """A job's staged rows: read page by page; each row's enrichment answer stored as it arrives."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self.sessionmaker = sessionmaker

    async def read(self, job: Any, start: int, size: int) -> list[Any]:
        async with self.sessionmaker() as session:
            query = (
                select(file_rows.c.ordinal, file_rows.c.row_number, file_rows.c.data, file_rows.c.enrichment)
                .where(file_rows.c.job_id == job.id, file_rows.c.ordinal >= start)
                .order_by(file_rows.c.ordinal)
                .limit(size)
            )
            return list((await session.execute(query)).all())

    async def remember(self, job_id: uuid.UUID, ordinal: int, answer: dict[str, Any]) -> None:
        async with self.sessionmaker.begin() as session:
            await session.execute(
                update(file_rows)
                .where(file_rows.c.job_id == job_id, file_rows.c.ordinal == ordinal)
                .values(enrichment=answer)
            )

    async def seen_by_dry_run(self, job_id: uuid.UUID, keys: set[str]) -> dict[str, "DryTitle"]:
        """The titles earlier pages of a dry run would create, by those of `keys` they match."""
        if not keys:
            return {}
        async with self.sessionmaker() as session:
            query = select(dry_titles).where(dry_titles.c.job_id == job_id, dry_titles.c.match_key.in_(keys))
            return {
                row.match_key: DryTitle(row.external_id, row.tmdb_id, row.imdb_id)
                for row in (await session.execute(query)).all()
            }


@dataclass
class _Page:
    """A page's rows as items to send and the rows already decided (skipped or failed here)."""

    items: list[NormalizedItem | ExportedTitle] = field(default_factory=list)
    rows_of: dict[str, int] = field(default_factory=dict)  # external id → the row that sent it
    labels: dict[str, str] = field(default_factory=dict)
    rows: dict[str, Any] = field(default_factory=dict)  # external id → the staged row that sent it
    decided: list[dict[str, Any]] = field(default_factory=list)

    def decide(self, row_number: int, outcome: str, item: str, reason: str) -> None:
        self.decided.append({"row_number": row_number, "outcome": outcome, "item": item, "reason": reason})

    def send(self, row: Any, key: str, label: str, sent: NormalizedItem | ExportedTitle) -> None:
        """Send the row, unless an earlier row of the page said the same: then it is skipped."""
        first = self.rows_of.get(key)
        if first is not None:
            self.decide(row.row_number, "skipped", label, f"The same as row {first}.")
            return
        self.rows_of[key] = row.row_number
        self.labels[key] = label
        self.rows[key] = row
        self.items.append(sent)


def _convert_records(rows: list[Any]) -> _Page:
    """Our JSON export's titles, checked one by one against the export's contract."""
    page = _Page()
    for row in rows:
        data = row.data if isinstance(row.data, dict) else {}
        label = label_of({"title": str(data.get("title") or ""), "year": str(data.get("year") or "")})
        try:
            record = ExportedTitle.model_validate(data)
        except ValidationError as exc:
            error = exc.errors()[0]
            where = ".".join(str(part) for part in error["loc"]) or "title"
            page.decide(row.row_number, "failed", label, f"The {where} is not valid: {error['msg']}.")
            continue
        page.send(row, str(record.id), label, record)
    return page


def convert(params: dict[str, Any], rows: list[Any], owner: uuid.UUID | None = None) -> _Page:
    """The page's rows as items (or, with the user's own annotation, records) and rows decided here."""
    if params["preset"] == "shelfspace_json":
        return _convert_records(rows)
    page = _Page()
    preset = preset_of(params["preset"])
    for row in rows:
        values = record_values(params, row.data)
        if isinstance(values, Rejected):
            page.decide(row.row_number, values.outcome, "", values.reason)
            continue
        item = to_item(values, preset)
        note = annotation_of(values, preset) if not isinstance(item, Rejected) else None
        if isinstance(found := note if isinstance(note, Rejected) else item, Rejected):
            page.decide(row.row_number, found.outcome, found.label, found.reason)
            continue
        if note is None:
            page.send(row, item.external_id, label_of(values), item)
        else:
            record = as_record(item, note, owner)
            page.send(row, str(record.id), label_of(values), record)
    return page


def as_record(item: NormalizedItem, note: dict[str, Any], owner: uuid.UUID | None) -> ExportedTitle:
    """A row with the user's own rating, watched flag or notes: the library's record import takes the
    title with its annotation (the plain import upsert has no annotations). Its id is derived from the
    row's identity, so the same row is the same record in every file."""
    # Records carry no seasons (a file names none), so the copy holds none either.
    copy = item.owned_copy.model_dump(exclude={"season_numbers"})
    return ExportedTitle(
        id=uuid.uuid5(ROW_NAMESPACE, item.external_id),
        **item.model_dump(include=RECORD_FIELDS),
        copies=[ExportedCopy(**copy, source_provider=item.provider, source_external_id=item.external_id)],
        annotations=[ExportedAnnotation(user_id=owner, **note)] if owner is not None else [],
    )


def _library_outcomes(page: _Page, result: ImportBatchResult) -> list[tuple[str, str, str | None]]:
    """(external id, bucket, reason) for each sent item; an unanswered item failed."""
    answered: dict[str, tuple[str, str | None]] = {}
    for outcome in result.results:
        if outcome.external_id in page.rows_of and outcome.external_id not in answered:
            if outcome.outcome == "unchanged":
                answered[outcome.external_id] = ("skipped", UNCHANGED)
            elif outcome.outcome == "failed":
                answered[outcome.external_id] = ("failed", outcome.reason or "The library refused it.")
            else:
                answered[outcome.external_id] = (outcome.outcome, None)
    return [
        (external_id, *answered.get(external_id, ("failed", "The library gave no result for it.")))
        for external_id in page.rows_of
    ]


def match_keys(item: NormalizedItem | ExportedTitle) -> list[str]:
    """The keys the library matches a title by, in its order: TMDB id, IMDb id, title + year + type."""
    ids = item.identities
    keys = []
    if ids.tmdb_id is not None:
        keys.append(f"tmdb:{item.media_type}:{ids.tmdb_id}")
    if ids.imdb_id is not None:
        keys.append(f"imdb:{ids.imdb_id}")
    if item.year is not None:
        keys.append(f"title:{item.media_type}:{item.year}:{sort_key(item.title)}")
    return keys


@dataclass(frozen=True)
class DryTitle:
    """A title the dry run would create: the row (external id) that creates it and its ids."""

    external_id: str
    tmdb_id: int | None
    imdb_id: str | None

    def contradicts(self, item: NormalizedItem | ExportedTitle) -> bool:
        """The library's guard on a title + year match: no stored id may differ from the row's."""
        ids = item.identities
        return (None not in (self.tmdb_id, ids.tmdb_id) and self.tmdb_id != ids.tmdb_id) or (
            None not in (self.imdb_id, ids.imdb_id) and self.imdb_id != ids.imdb_id
        )


def _earlier(seen: dict[str, DryTitle], item: NormalizedItem | ExportedTitle) -> DryTitle | None:
    for key in match_keys(item):
        title = seen.get(key)
        if title is not None and not (key.startswith("title:") and title.contradicts(item)):
            return title
    return None


@dataclass
class _Dry:
    outcomes: list[tuple[str, str, str | None]]
    # Match keys of the titles this page would create, kept for later pages.
    created: dict[str, DryTitle]


async def _dry_outcomes(job: Any, upstream: Upstream, rows: FileRows, page: _Page) -> _Dry:
    """What the library would do: titles it already has would be updated; a title an earlier row of
    the file would create is updated by a later row (or left unchanged by the same row again); the
    others would be created."""
    keyed = list(zip(page.rows_of, page.items, strict=True))
    candidates = [
        MediaMatchCandidate(
            key=key,
            title=item.title,
            media_type=item.media_type,
            year=item.year,
            tmdb_id=item.identities.tmdb_id,
            imdb_id=item.identities.imdb_id,
        )
        for key, item in keyed
    ]
    owned = await upstream.owned(job_context(job.space_id, job.created_by, job.request_id), candidates)
    if owned is None:
        raise UpstreamError("The library could not say which titles it has; retrying.", transient=True)
    seen = await rows.seen_by_dry_run(job.id, {k for _, item in keyed for k in match_keys(item)})
    dry = _Dry(outcomes=[], created={})
    for key, item in keyed:
        earlier = _earlier(seen, item)
        if key in owned:
            dry.outcomes.append((key, WOULD_UPDATE, None))
        elif earlier is not None and earlier.external_id == key:
            dry.outcomes.append((key, "skipped", UNCHANGED))
        elif earlier is not None:
            dry.outcomes.append((key, WOULD_UPDATE, None))
        else:
            dry.outcomes.append((key, WOULD_CREATE, None))
            title = DryTitle(key, item.identities.tmdb_id, item.identities.imdb_id)
            new = {match_key: title for match_key in match_keys(item) if match_key not in seen}
            seen |= new
            dry.created |= new
    return dry


async def _send(job: Any, upstream: Upstream, page: _Page) -> ImportBatchResult:
    """Items to the import upsert, records to the record import; both keyed by job, step and content."""
    context = job_context(job.space_id, job.created_by, job.request_id)
    items = [item for item in page.items if isinstance(item, NormalizedItem)]
    records = [item for item in page.items if isinstance(item, ExportedTitle)]
    results = []
    if items:
        results += (await upstream.import_batch(context, items, step_batch_key(job, items))).results
    if records:
        key = f"{job.id}:{job.step}:r:{records_fingerprint(records)[:16]}"
        batch = RecordBatch(records=records, batch_key=key, exported_by=job.params.get("exported_by"))
        answer = await upstream.import_records(context, batch)
        results += answer.results
    return ImportBatchResult(results=results)


def _store(job_id: Any, decided: list[dict[str, Any]], created: dict[str, DryTitle]):
    async def apply(session: AsyncSession, tally: Tally) -> None:
        if decided:
            await session.execute(
                insert(row_errors).on_conflict_do_nothing(), [{"job_id": job_id, **row} for row in decided]
            )
        if created:
            rows = [{"job_id": job_id, "match_key": key, **vars(title)} for key, title in created.items()]
            await session.execute(insert(dry_titles).on_conflict_do_nothing(), rows)

    return apply


async def _enrich(job: Any, upstream: Upstream, rows: FileRows, page: _Page) -> Enriched:
    """The page's items without ids, with the TMDB ids found for them (sync.enrichment)."""
    keyed = {
        key: (item, page.rows[key].ordinal, page.rows[key].enrichment)
        for key, item in zip(page.rows_of, page.items, strict=True)
    }
    context = job_context(job.space_id, job.created_by, job.request_id)
    configured = await upstream.tmdb_configured(context)
    found, enriched = await enrich_items(job, upstream, keyed, rows.remember, configured)
    page.items = [found.get(key, item) for key, item in zip(page.rows_of, page.items, strict=True)]
    return enriched


def _report(job: Any, enriched: Enriched) -> dict[str, Any] | None:
    """The job's enrichment counts so far (kept in its plan, shown as the job's `report`)."""
    if not job.params.get("enrich"):
        return None
    report = dict((job.plan or {}).get("report") or {"enriched": 0, "not_enriched": 0})
    report["enriched"] += enriched.count
    report["not_enriched"] += len(enriched.misses)
    return {"report": report}


async def import_file_page(job: Any, upstream: Upstream, rows: FileRows, page_size: int) -> StepOutcome:
    """One page of the stored records: converted, enriched, sent (or matched in a dry run), counted."""
    start = (job.cursor or {}).get("ordinal", 0)
    staged = await rows.read(job, start, page_size)
    page = convert(job.params, staged, job.created_by)
    enriched = await _enrich(job, upstream, rows, page) if job.params.get("enrich") and page.items else Enriched()
    created: dict[str, DryTitle] = {}
    if not page.items:
        outcomes = []
    elif job.params.get("dry_run"):
        dry = await _dry_outcomes(job, upstream, rows, page)
        outcomes, created = dry.outcomes, dry.created
    else:
        outcomes = _library_outcomes(page, await _send(job, upstream, page))
    tally = Tally()
    for row in page.decided:  # rows decided here were never sent
        tally.add(row["outcome"])
    for key, bucket, reason in outcomes:
        tally.add(bucket)
        miss = enriched.misses.get(key)
        if reason is not None or miss is not None:
            note = " ".join(part for part in (reason, miss) if part)
            page.decide(page.rows_of[key], bucket, page.labels[key], note)
    page.decided.sort(key=lambda row: row["row_number"])
    for row in page.decided:
        item = f"Row {row['row_number']}: {row['item']}" if row["item"] else f"Row {row['row_number']}"
        tally.errors.append({"item": item, "reason": row["reason"]})
    done = not staged or len(staged) < page_size or start + len(staged) >= (job.total or 0)
    next_start = staged[-1].ordinal + 1 if staged else start
    return StepOutcome(
        tally=tally,
        processed=len(staged),
        cursor=None if done else {"ordinal": next_start},
        done=done,
        plan=_report(job, enriched),
        apply=_store(job.id, page.decided, created),
    )
