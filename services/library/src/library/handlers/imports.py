"""The import upsert behind sync: a batch of normalized items → created | updated | unchanged | failed.

Set-based where it can be, one item at a time where it must:
1. one SELECT finds the items whose provider data hash is unchanged since the last import: those
   are `unchanged` with no write at all;
2. five set queries load every stored title the other items may be (`title_lookup`); the dedupe is
   decided in memory, item by item in provider-key order, so racing batches lock alike;
3. items that match nothing are created together (`import_writes.create_titles`), when the batch
   ends or when a later item of the batch matches one of them;
4. an item that matches a title is updated on its own under a savepoint, as is an item whose claim
   another transaction won (it is matched again and finds the winner's title) and each item of a
   group whose insert failed, so one bad item fails alone.
Concurrency is settled by unique constraints, not locks. A batch with a `batch_key` is applied once
per key (see `import_keys`).
"""

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from library.domain import imports as rules
from library.domain.matching import BatchTitles
from library.handlers import import_keys, import_writes, title_lookup
from library.handlers.import_writes import NewTitle
from library.handlers.title_lookup import KnownData
from library.store import media as store
from shelfspace_contracts.media_items import (
    ImportBatch,
    ImportBatchResult,
    ImportItemResult,
    NormalizedItem,
    batch_fingerprint,
)
from shelfspace_kernel.errors import Forbidden
from shelfspace_kernel.internal_auth import CallerContext

Apply = Callable[[], Awaitable[list[ImportItemResult]]]
RETRYABLE = {"40P01", "40001"}  # deadlock detected, serialization failure
ATTEMPTS = 3


class _LostRace(Exception):
    """Another transaction created this title first; look it up again."""


def sqlstate(exc: DBAPIError) -> str | None:
    return getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)


def _failed(item: NormalizedItem, reason: str) -> ImportItemResult:
    return ImportItemResult(external_id=item.external_id, outcome="failed", reason=reason)


def _created(title: NewTitle) -> ImportItemResult:
    return ImportItemResult(external_id=title.item.external_id, outcome="created", media_id=title.row["id"])


async def _upsert_one(
    session: AsyncSession, caller: CallerContext, item: NormalizedItem, content: str, match: uuid.UUID | None
) -> tuple[ImportItemResult, dict[str, Any] | None]:
    """One item under its own savepoint: onto the title `match` (read again), else whatever it matches now."""
    for attempt in range(ATTEMPTS):
        try:
            async with session.begin_nested():
                stored = None
                if match is not None and attempt == 0:
                    stored = await store.get_media(session, caller.space_id, match, trashed=None)
                stored = stored or await title_lookup.find_match(session, caller.space_id, item)
                if stored is None:
                    title = import_writes.new_title(caller, item, content)
                    if await import_writes.create_titles(session, caller, [title]):
                        raise _LostRace()
                    return _created(title), title.row
                outcome, reason, row = await import_writes.update_title(session, caller, stored, item, content)
                return ImportItemResult(
                    external_id=item.external_id, outcome=outcome, media_id=row["id"], reason=reason
                ), row
        except _LostRace:
            continue
    return _failed(item, "changed concurrently; retry"), None


class _BatchImport:
    """One batch: answers its items in provider-key order; new titles wait in `planned` to be created together."""

    def __init__(
        self, session: AsyncSession, caller: CallerContext, items: list[NormalizedItem], known: KnownData
    ) -> None:
        self.session, self.caller, self.items = session, caller, items
        self.keys = [rules.provider_key(item) for item in items]
        self.contents = [rules.content_hash(item) for item in items]
        self.known = known  # provider key → (title id, data hash) as stored, then as this batch leaves them
        self.results: list[ImportItemResult | None] = [None] * len(items)
        self.planned: dict[uuid.UUID, tuple[int, NewTitle]] = {}  # by title id, in provider-key order
        self.created = 0
        self.titles = BatchTitles.empty()

    async def run(self) -> list[ImportItemResult]:
        order = sorted(range(len(self.items)), key=self.keys.__getitem__)
        changed = [self.items[index] for index in order if not self._unchanged(index)]
        if changed:
            self.titles = await title_lookup.batch_titles(self.session, self.caller.space_id, changed)
        for index in order:
            await self._take(index)
        await self._create_planned()
        await store.adjust_live_count(self.session, self.caller.space_id, self.created)
        return [result for result in self.results if result is not None]

    def _unchanged(self, index: int) -> bool:
        return self.known.get(self.keys[index], (None, None))[1] == self.contents[index]

    async def _take(self, index: int) -> None:
        item = self.items[index]
        match = self.titles.match(item)
        if match is not None and match["id"] in self.planned:
            # The batch's own new title must exist before a later item can be it.
            await self._create_planned()
            match = self.titles.match(item)
        if self._unchanged(index):
            media_id = self.known[self.keys[index]][0]
            self.results[index] = ImportItemResult(external_id=item.external_id, outcome="unchanged", media_id=media_id)
        elif match is None:
            title = import_writes.new_title(self.caller, item, self.contents[index])
            self.planned[title.row["id"]] = (index, title)
            self.titles.add(title.row, item)
        else:
            await self._one(index, match["id"])

    async def _create_planned(self) -> None:
        planned, self.planned = list(self.planned.values()), {}
        if not planned:
            return
        try:
            async with self.session.begin_nested():
                lost = set(await import_writes.create_titles(self.session, self.caller, [t for _, t in planned]))
        except DBAPIError as exc:
            if sqlstate(exc) in RETRYABLE:
                raise
            lost = {title for _, title in planned}  # each on its own below, so a bad item fails alone
        for title in lost:
            self.titles.drop(title.row["id"])
        for index, title in planned:
            if title in lost:
                await self._one(index, None)
            else:
                self._answer(index, _created(title), title.row)

    async def _one(self, index: int, match: uuid.UUID | None) -> None:
        item = self.items[index]
        try:
            result, row = await _upsert_one(self.session, self.caller, item, self.contents[index], match)
        except DBAPIError as exc:
            if sqlstate(exc) in RETRYABLE:
                raise
            result, row = _failed(item, "the item could not be stored"), None
        self._answer(index, result, row)

    def _answer(self, index: int, result: ImportItemResult, row: dict[str, Any] | None) -> None:
        self.results[index] = result
        self.created += result.outcome == "created"
        if row is not None:
            self.known[self.keys[index]] = (row["id"], self.contents[index])
            self.titles.add(row, self.items[index])


async def _import(session: AsyncSession, caller: CallerContext, items: list[NormalizedItem]) -> list[ImportItemResult]:
    known = await title_lookup.known_provider_data(session, caller.space_id, map(rules.provider_key, items))
    return await _BatchImport(session, caller, items, known).run()


async def _keyed(
    session: AsyncSession, caller: CallerContext, key: str | None, fingerprint: str, apply: Apply
) -> list[ImportItemResult]:
    """Apply the batch, or, when its key was applied before, answer that first application's results."""
    if key is None:
        return await apply()
    earlier = await import_keys.answered(session, caller.space_id, key, fingerprint)
    if earlier is not None:
        return earlier
    results = await apply()
    await import_keys.remember(session, caller.space_id, key, results)
    return results


async def keyed_batch(
    session: AsyncSession, caller: CallerContext, key: str | None, fingerprint: str, apply: Apply
) -> ImportBatchResult:
    """Run `apply` once per batch key in the caller's space, in one transaction retried on deadlocks."""
    if caller.space_id is None:
        raise Forbidden("An import needs a space.", code="no_active_space")
    # One transaction per attempt: the key's claim and the items' writes commit, or roll back, together.
    for attempt in range(ATTEMPTS):
        try:
            async with session.begin():
                return ImportBatchResult(results=await _keyed(session, caller, key, fingerprint, apply))
        except DBAPIError as exc:
            if sqlstate(exc) not in RETRYABLE or attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


async def import_batch(session: AsyncSession, caller: CallerContext, batch: ImportBatch) -> ImportBatchResult:
    fingerprint = batch_fingerprint(batch.items)
    return await keyed_batch(
        session, caller, batch.batch_key, fingerprint, lambda: _import(session, caller, batch.items)
    )
