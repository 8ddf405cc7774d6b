"""Idempotency keys of the import upsert, and the job that forgets old ones.

A keyed batch first claims `(space_id, batch_key)` with INSERT ... ON CONFLICT DO NOTHING, in the
batch's own transaction. A concurrent send of the same key waits on that uncommitted row: when the
first transaction commits, the second finds the key taken and answers the stored results; when it
rolls back, the second claims the key and applies the batch itself. So a key is applied once.
"""

import json
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from shelfspace_contracts.media_items import ImportItemResult
from shelfspace_kernel.errors import Conflict
from shelfspace_kernel.periodic import PeriodicJob

# Rounds of `batch` deletions per tick at most, so one tick stays a short transaction.
PURGE_ROUNDS = 10

_CLAIM = text(
    "INSERT INTO import_batches (space_id, batch_key, fingerprint, results)"
    " VALUES (:space_id, :key, :fingerprint, '[]'::jsonb)"
    " ON CONFLICT (space_id, batch_key) DO NOTHING RETURNING batch_key"
)
_STORED = text("SELECT fingerprint, results FROM import_batches WHERE space_id = :space_id AND batch_key = :key")
_SAVE = text(
    "UPDATE import_batches SET results = CAST(:results AS jsonb) WHERE space_id = :space_id AND batch_key = :key"
)
_PURGE = text(
    """
    DELETE FROM import_batches WHERE (space_id, batch_key) IN (
        SELECT space_id, batch_key FROM import_batches WHERE created_at < :cutoff
        ORDER BY created_at LIMIT :batch FOR UPDATE SKIP LOCKED
    )
    """
)


async def answered(
    session: AsyncSession, space_id: uuid.UUID, key: str, fingerprint: str
) -> list[ImportItemResult] | None:
    """The first answer to this key, or None when this transaction now holds the key and must apply."""
    params = {"space_id": space_id, "key": key}
    # Twice at most: the purge may forget the key between the claim and the read.
    for _ in range(2):
        if (await session.execute(_CLAIM, {**params, "fingerprint": fingerprint})).first() is not None:
            return None
        if (stored := (await session.execute(_STORED, params)).first()) is not None:
            break
    else:
        raise Conflict("This batch key is being forgotten; send the batch again.", code="batch_key_reused")
    if stored.fingerprint != fingerprint:
        raise Conflict("This batch key was already used for other items.", code="batch_key_reused")
    return [ImportItemResult.model_validate(result) for result in stored.results]


async def remember(session: AsyncSession, space_id: uuid.UUID, key: str, results: list[ImportItemResult]) -> None:
    payload = json.dumps([result.model_dump(mode="json") for result in results])
    await session.execute(_SAVE, {"space_id": space_id, "key": key, "results": payload})


def purge_keys_job(retention: timedelta, every_seconds: float, batch: int) -> PeriodicJob:
    """Forget batch keys older than the retention (one replica at a time)."""

    async def purge(session: AsyncSession) -> None:
        cutoff = datetime.now(UTC) - retention
        for _ in range(PURGE_ROUNDS):
            if (await session.execute(_PURGE, {"cutoff": cutoff, "batch": batch})).rowcount < batch:
                return

    return PeriodicJob("library.import-keys.purge", every_seconds, purge)
