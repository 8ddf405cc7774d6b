"""The record import behind a Shelfspace JSON restore: full titles → created | updated | unchanged | failed.

Titles are matched by the import's dedupe order (`domain.records`): the record's own id when it is a
title of this space, its provider identity `shelfspace:<id>` from an earlier restore, TMDB id and
type, IMDb id, then title + year + type unless a strong id contradicts. A matched title only has its
gaps filled. Copies: one with a source (provider + external id) is the space's copy of that source,
one without is the title's copy with the same format, edition, barcode, region and location; others
are added. Annotations are upserted per (title, user) as `domain.records.annotation_owners` decides.
A record whose data hash equals the last restore's is `unchanged` with no write; each record is
written under its own savepoint, so a bad one fails alone.
"""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from library.domain import imports as import_rules
from library.domain import records as rules
from library.domain import tags as tag_rules
from library.domain.matching import BatchTitles
from library.events import record_media_event
from library.handlers import title_lookup
from library.handlers.imports import ATTEMPTS, RETRYABLE, keyed_batch, sqlstate
from library.handlers.titles import new_copy_row
from library.store import media as store
from library.store import records as record_store
from library.store import tags as tag_store
from shelfspace_contracts.exports import (
    ExportedAnnotation,
    ExportedCopy,
    ExportedTitle,
    RecordBatch,
    records_fingerprint,
)
from shelfspace_contracts.media_items import ImportBatchResult, ImportItemResult
from shelfspace_kernel.internal_auth import CallerContext

Row = dict[str, Any]
Owners = dict[uuid.UUID, ExportedAnnotation]


class _LostRace(Exception):
    """Another transaction claimed one of the new title's identifiers first; match again."""


async def _sync_copies(
    session: AsyncSession, space_id: uuid.UUID, media_id: uuid.UUID, copies: list[ExportedCopy], now: datetime
) -> bool:
    """Add the record's copies the title lacks, fill gaps of those it has; True when anything changed."""
    stored = (await store.copies_of(session, [media_id]))[media_id]
    taken: set[uuid.UUID] = set()
    changed = False
    for index, copy in enumerate(copies):
        same = None
        if rules.has_source(copy):
            same = await record_store.copy_by_source(session, space_id, copy.source_provider, copy.source_external_id)
            if same is not None and same["media_id"] != media_id:
                continue  # that source's copy stays on the title that holds it
        same = same or rules.same_copy(stored, copy, taken)
        if same is None:
            # A microsecond apart, so the title lists its copies in the record's order.
            added = now + timedelta(microseconds=index)
            await store.insert_copy(session, new_copy_row(space_id, media_id, copy.model_dump(), added))
            changed = True
            continue
        taken.add(same["id"])
        if gaps := rules.copy_gaps(same, copy):
            await store.update_copy(session, same["id"], gaps)
            changed = True
    return changed


async def _sync_annotations(session: AsyncSession, space_id: uuid.UUID, media_id: uuid.UUID, owners: Owners) -> bool:
    changed = False
    for user_id, note in sorted(owners.items()):
        changed |= await record_store.upsert_annotation(session, space_id, media_id, user_id, note.model_dump())
    return changed


async def _create(session: AsyncSession, caller: CallerContext, record: ExportedTitle, owners: Owners) -> Row:
    """A new title with the record's copies and annotations; _LostRace when an identifier is taken."""
    now = datetime.now(UTC)
    space_id = caller.space_id
    row = {"id": uuid.uuid4(), "space_id": space_id, **import_rules.item_fields(rules.as_item(record))}
    row |= {"notes": record.notes, "added_by": caller.user_id, "created_at": record.added_at or now, "updated_at": now}
    row |= store.derived_fields(row, [])
    await store.insert_media(session, row)
    claims = [
        ("provider", f"{rules.PROVIDER}:{record.id}"),
        *import_rules.identity_claims(row["tmdb_id"], row["tmdb_media_type"], row["imdb_id"]),
    ]
    if await store.claim_identities(session, space_id, row["id"], claims):
        raise _LostRace()
    await _sync_copies(session, space_id, row["id"], record.copies, now)
    await _sync_annotations(session, space_id, row["id"], owners)
    await tag_store.add_tags(session, space_id, row["id"], tag_rules.distinct(record.tags))
    fresh = await store.refresh_derived(session, row["id"])
    await record_media_event(session, "created", caller, fresh, source="import", provider=rules.PROVIDER)
    return fresh


async def _update(
    session: AsyncSession, caller: CallerContext, stored: Row, record: ExportedTitle, owners: Owners
) -> tuple[str, Row]:
    """Fill the title's gaps, add its missing copies and upsert the annotations; (outcome, title)."""
    media_id = stored["id"]
    if stored["deleted_at"] is not None:
        return "unchanged", stored
    gaps = rules.title_gaps(stored, record)
    if gaps:
        await store.update_media(session, media_id, gaps)
    changed = [*gaps]
    if await _sync_copies(session, caller.space_id, media_id, record.copies, datetime.now(UTC)):
        changed.append("copies")
    if await _sync_annotations(session, caller.space_id, media_id, owners):
        changed.append("annotations")
    if await tag_store.add_tags(session, caller.space_id, media_id, tag_rules.distinct(record.tags)):
        changed.append("tags")
    if not changed:
        return "unchanged", stored
    await store.update_media(session, media_id, {"updated_at": datetime.now(UTC)})
    fresh = await store.refresh_derived(session, media_id)
    if {"tmdb_id", "imdb_id"} & gaps.keys():
        claims = import_rules.identity_claims(fresh["tmdb_id"], fresh["tmdb_media_type"], fresh["imdb_id"])
        await store.claim_identities(session, caller.space_id, media_id, claims)
    await record_media_event(
        session, "updated", caller, fresh, source="import", provider=rules.PROVIDER, fields=sorted(changed)
    )
    return "updated", fresh


class _RecordImport:
    """One batch of records, answered in the batch's order and written in provider-key order."""

    def __init__(self, session: AsyncSession, caller: CallerContext, batch: RecordBatch) -> None:
        self.session, self.caller, self.batch = session, caller, batch
        self.members = set(batch.member_ids)
        self.titles = BatchTitles.empty()
        self.created = 0

    def _key(self, record: ExportedTitle) -> str:
        return f"{rules.PROVIDER}:{record.id}"

    async def run(self) -> list[ImportItemResult]:
        records = self.batch.records
        space_id = self.caller.space_id
        owned = [
            rules.annotation_owners(r.annotations, self.caller.user_id, self.members, self.batch.exported_by)
            for r in records
        ]
        contents = [rules.content_hash(record, owners) for record, (owners, _) in zip(records, owned, strict=True)]
        known = await title_lookup.known_provider_data(self.session, space_id, map(self._key, records))
        todo = [i for i, record in enumerate(records) if known.get(self._key(record), (None, None))[1] != contents[i]]
        await self._load([records[i] for i in todo])
        results: list[ImportItemResult | None] = [None] * len(records)
        for index, record in enumerate(records):
            if index not in todo:
                media_id = known[self._key(record)][0]
                results[index] = ImportItemResult(external_id=str(record.id), outcome="unchanged", media_id=media_id)
        for index in sorted(todo, key=lambda i: self._key(records[i])):
            owners, left_out = owned[index]
            results[index] = await self._one(records[index], owners, left_out, contents[index])
        await store.adjust_live_count(self.session, space_id, self.created)
        return [result for result in results if result is not None]

    async def _load(self, records: list[ExportedTitle]) -> None:
        """The stored titles the records may be: by the import's lookups, and by the records' own ids."""
        if not records:
            return
        space_id = self.caller.space_id
        self.titles = await title_lookup.batch_titles(self.session, space_id, [rules.as_item(r) for r in records])
        by_id = {record.id: record for record in records}
        for row in await record_store.titles_by_ids(self.session, space_id, list(by_id)):
            self.titles.add(row, rules.as_item(by_id[row["id"]]))

    async def _one(self, record: ExportedTitle, owners: Owners, left_out: int, content: str) -> ImportItemResult:
        reason = (
            f"{left_out} annotation(s) of users who are not members of this space were left out" if left_out else None
        )
        try:
            outcome, row = await self._upsert(record, owners, content)
        except DBAPIError as exc:
            if sqlstate(exc) in RETRYABLE:
                raise
            return ImportItemResult(
                external_id=str(record.id), outcome="failed", reason="the record could not be stored"
            )
        if row is None:
            return ImportItemResult(external_id=str(record.id), outcome="failed", reason="changed concurrently; retry")
        self.created += outcome == "created"
        self.titles.add(row, rules.as_item(record))
        if row["deleted_at"] is not None:
            reason = "the title is in the trash"
        return ImportItemResult(external_id=str(record.id), outcome=outcome, media_id=row["id"], reason=reason)

    async def _upsert(self, record: ExportedTitle, owners: Owners, content: str) -> tuple[str, Row | None]:
        item = rules.as_item(record)
        for attempt in range(ATTEMPTS):
            try:
                async with self.session.begin_nested():
                    if attempt == 0:
                        stored = self.titles.match(item)
                    else:
                        stored = await title_lookup.find_match(self.session, self.caller.space_id, item)
                    if stored is None:
                        outcome, row = "created", await _create(self.session, self.caller, record, owners)
                    else:
                        outcome, row = await _update(self.session, self.caller, stored, record, owners)
                    await record_store.set_provider_hash(
                        self.session, self.caller.space_id, self._key(record), row["id"], content
                    )
                    return outcome, row
            except _LostRace:
                continue
        return "failed", None


async def import_records(session: AsyncSession, caller: CallerContext, batch: RecordBatch) -> ImportBatchResult:
    """Upsert full exported titles into the caller's space, once per batch key."""
    fingerprint = records_fingerprint(batch.records)
    return await keyed_batch(
        session, caller, batch.batch_key, fingerprint, lambda: _RecordImport(session, caller, batch).run()
    )
