"""The import upsert behind sync: a batch of normalized items → created | updated | unchanged | failed.

Concurrency is settled by unique constraints, not locks: a new title claims its provider identity
(and TMDB/IMDb ids) with INSERT ... ON CONFLICT; the loser of a race rolls its savepoint back and
finds the winner's title. Items are handled in provider-key order so racing batches lock alike.
An item whose provider data hash is unchanged since the last import costs one shared SELECT.
A batch with a `batch_key` is applied once per key (see `import_keys`).
"""

import uuid
from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from library.domain import imports as rules
from library.domain.titles import sort_key
from library.events import record_media_event
from library.handlers import import_keys
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

RETRYABLE = {"40P01", "40001"}  # deadlock detected, serialization failure
ATTEMPTS = 3


class _LostRace(Exception):
    """Another transaction created this title first; look it up again."""


_KNOWN = text(
    "SELECT value, media_id, content_hash FROM media_identities"
    " WHERE space_id = :space_id AND kind = 'provider' AND value = ANY(:keys)"
)
_BY_PROVIDER = text(
    "SELECT m.* FROM media_identities i JOIN media m ON m.id = i.media_id"
    " WHERE i.space_id = :space_id AND i.kind = 'provider' AND i.value = :key"
)
_BY_COPY_SOURCE = text(
    "SELECT m.* FROM copies c JOIN media m ON m.id = c.media_id"
    " WHERE c.space_id = :space_id AND c.source_provider = :provider AND c.source_external_id = :external_id"
)
_BY_TMDB = text(
    "SELECT * FROM media WHERE space_id = :space_id AND tmdb_id = :tmdb_id"
    " AND (tmdb_media_type = :tmdb_media_type OR tmdb_media_type IS NULL)"
    " ORDER BY deleted_at NULLS FIRST, created_at, id LIMIT 1"
)
_BY_IMDB = text(
    "SELECT * FROM media WHERE space_id = :space_id AND imdb_id = :imdb_id"
    " ORDER BY deleted_at NULLS FIRST, created_at, id LIMIT 1"
)
_BY_TITLE = text(
    "SELECT * FROM media WHERE space_id = :space_id AND sort_key = :sort_key AND year = :year"
    " AND media_type = :media_type AND deleted_at IS NULL ORDER BY created_at, id LIMIT 20"
)
_SET_PROVIDER = text(
    """
    INSERT INTO media_identities (space_id, kind, value, media_id, content_hash)
    VALUES (:space_id, 'provider', :key, :media_id, :hash)
    ON CONFLICT (space_id, kind, value) DO UPDATE SET content_hash = EXCLUDED.content_hash
    """
)
_UPSERT_COPY = text(
    """
    INSERT INTO copies (id, space_id, media_id, format, resolution, edition, barcode, location,
                        source_provider, source_external_id)
    VALUES (:id, :space_id, :media_id, :format, :resolution, :edition, :barcode, :location,
            :source_provider, :source_external_id)
    ON CONFLICT (space_id, source_provider, source_external_id) DO UPDATE SET
        format = EXCLUDED.format,
        resolution = coalesce(EXCLUDED.resolution, copies.resolution),
        edition = coalesce(EXCLUDED.edition, copies.edition),
        barcode = coalesce(EXCLUDED.barcode, copies.barcode),
        location = coalesce(EXCLUDED.location, copies.location),
        updated_at = now()
    WHERE (copies.format, copies.resolution, copies.edition, copies.barcode, copies.location)
        IS DISTINCT FROM (EXCLUDED.format, coalesce(EXCLUDED.resolution, copies.resolution),
                          coalesce(EXCLUDED.edition, copies.edition), coalesce(EXCLUDED.barcode, copies.barcode),
                          coalesce(EXCLUDED.location, copies.location))
    RETURNING id
    """
)


async def _one(session: AsyncSession, statement, params: dict) -> dict | None:
    row = (await session.execute(statement, params)).mappings().first()
    return dict(row) if row else None


async def find_match(session: AsyncSession, space_id: uuid.UUID, item: NormalizedItem) -> dict | None:
    """The stored title this item is, by the dedupe order; None when it is new."""
    base = {"space_id": space_id}
    found = await _one(session, _BY_PROVIDER, {**base, "key": rules.provider_key(item)})
    found = found or await _one(
        session, _BY_COPY_SOURCE, {**base, "provider": item.provider, "external_id": item.external_id}
    )
    ids = item.identities
    if found is None and ids.tmdb_id:
        found = await _one(
            session, _BY_TMDB, {**base, "tmdb_id": ids.tmdb_id, "tmdb_media_type": rules.tmdb_type(item)}
        )
    if found is None and ids.imdb_id:
        found = await _one(session, _BY_IMDB, {**base, "imdb_id": ids.imdb_id})
    if found is None and item.year is not None:
        params = {**base, "sort_key": sort_key(item.title), "year": item.year, "media_type": item.media_type}
        candidates = [dict(row) for row in (await session.execute(_BY_TITLE, params)).mappings()]
        found = next((row for row in candidates if not rules.strong_ids_conflict(row, item)), None)
    return found


def _copy_params(space_id: uuid.UUID, media_id: uuid.UUID, item: NormalizedItem) -> dict:
    return {
        "id": uuid.uuid4(),
        "space_id": space_id,
        "media_id": media_id,
        **item.owned_copy.model_dump(),
        "source_provider": item.provider,
        "source_external_id": item.external_id,
    }


async def _create(session: AsyncSession, caller: CallerContext, item: NormalizedItem, content: str) -> uuid.UUID:
    space_id, now = caller.space_id, datetime.now(UTC)
    row = {"id": uuid.uuid4(), "space_id": space_id, **rules.item_fields(item), "added_by": caller.user_id}
    row |= {"created_at": now, "updated_at": now}
    copy = _copy_params(space_id, row["id"], item)
    row |= store.derived_fields(row, [copy])
    await store.insert_media(session, row)
    claims = [
        ("provider", rules.provider_key(item)),
        *rules.identity_claims(row["tmdb_id"], row["tmdb_media_type"], row["imdb_id"]),
    ]
    if await store.claim_identities(session, space_id, row["id"], claims):
        raise _LostRace()
    await session.execute(_UPSERT_COPY, copy)
    await session.execute(
        _SET_PROVIDER, {"space_id": space_id, "key": claims[0][1], "media_id": row["id"], "hash": content}
    )
    await record_media_event(session, "created", caller, row, source="import", provider=item.provider)
    return row["id"]


async def _update(
    session: AsyncSession, caller: CallerContext, stored: dict, item: NormalizedItem, content: str
) -> tuple[str, str | None]:
    space_id, media_id = caller.space_id, stored["id"]
    provider = {"space_id": space_id, "key": rules.provider_key(item), "media_id": media_id, "hash": content}
    if stored["deleted_at"] is not None:
        await session.execute(_SET_PROVIDER, provider)
        return "unchanged", "the title is in the trash"
    gaps = rules.gaps_to_fill(stored, item)
    if gaps:
        await store.update_media(session, media_id, gaps)
    copy_changed = (await session.execute(_UPSERT_COPY, _copy_params(space_id, media_id, item))).first() is not None
    await session.execute(_SET_PROVIDER, provider)
    if not gaps and not copy_changed:
        return "unchanged", None
    await store.update_media(session, media_id, {"updated_at": datetime.now(UTC)})
    fresh = await store.refresh_derived(session, media_id)
    if {"tmdb_id", "imdb_id"} & gaps.keys():
        claims = rules.identity_claims(fresh["tmdb_id"], fresh["tmdb_media_type"], fresh["imdb_id"])
        await store.claim_identities(session, space_id, media_id, claims)
    fields = sorted({*gaps, *(["copies"] if copy_changed else [])})
    await record_media_event(session, "updated", caller, fresh, source="import", provider=item.provider, fields=fields)
    return "updated", None


async def _upsert(session: AsyncSession, caller: CallerContext, item: NormalizedItem, content: str) -> ImportItemResult:
    for _ in range(ATTEMPTS):
        try:
            async with session.begin_nested():
                stored = await find_match(session, caller.space_id, item)
                if stored is None:
                    media_id = await _create(session, caller, item, content)
                    return ImportItemResult(external_id=item.external_id, outcome="created", media_id=media_id)
                outcome, reason = await _update(session, caller, stored, item, content)
                return ImportItemResult(
                    external_id=item.external_id, outcome=outcome, media_id=stored["id"], reason=reason
                )
        except _LostRace:
            continue
    return ImportItemResult(external_id=item.external_id, outcome="failed", reason="changed concurrently; retry")


def _sqlstate(exc: DBAPIError) -> str | None:
    return getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)


async def _import(session: AsyncSession, caller: CallerContext, items: list[NormalizedItem]) -> list[ImportItemResult]:
    keys = [rules.provider_key(item) for item in items]
    known_rows = await session.execute(_KNOWN, {"space_id": caller.space_id, "keys": list(set(keys))})
    known = {row.value: (row.media_id, row.content_hash) for row in known_rows}
    results: list[ImportItemResult | None] = [None] * len(items)
    created = 0
    for index in sorted(range(len(items)), key=keys.__getitem__):
        item, content = items[index], rules.content_hash(items[index])
        media_id, stored_hash = known.get(keys[index], (None, None))
        if stored_hash == content:
            results[index] = ImportItemResult(external_id=item.external_id, outcome="unchanged", media_id=media_id)
            continue
        try:
            result = await _upsert(session, caller, item, content)
        except DBAPIError as exc:
            if _sqlstate(exc) in RETRYABLE:
                raise
            result = ImportItemResult(
                external_id=item.external_id, outcome="failed", reason="the item could not be stored"
            )
        results[index] = result
        created += result.outcome == "created"
        if result.media_id and result.outcome != "failed":
            known[keys[index]] = (result.media_id, content)
    await store.adjust_live_count(session, caller.space_id, created)
    return [result for result in results if result is not None]


async def _keyed_import(session: AsyncSession, caller: CallerContext, batch: ImportBatch) -> list[ImportItemResult]:
    """Apply the batch, or, when its key was applied before, answer that first application's results."""
    if batch.batch_key is None:
        return await _import(session, caller, batch.items)
    fingerprint = batch_fingerprint(batch.items)
    earlier = await import_keys.answered(session, caller.space_id, batch.batch_key, fingerprint)
    if earlier is not None:
        return earlier
    results = await _import(session, caller, batch.items)
    await import_keys.remember(session, caller.space_id, batch.batch_key, results)
    return results


async def import_batch(session: AsyncSession, caller: CallerContext, batch: ImportBatch) -> ImportBatchResult:
    if caller.space_id is None:
        raise Forbidden("An import needs a space.", code="no_active_space")
    # One transaction per attempt: the key's claim and the items' writes commit, or roll back, together.
    for attempt in range(ATTEMPTS):
        try:
            async with session.begin():
                return ImportBatchResult(results=await _keyed_import(session, caller, batch))
        except DBAPIError as exc:
            if _sqlstate(exc) not in RETRYABLE or attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")
