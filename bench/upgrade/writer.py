"""A steady writer on the library's tables, as the service writes: a new title with its copies and its
event in the outbox, and a change to an existing title, in one transaction, at a fixed rate.

Each write's duration is recorded; a write that waits for a lock a migration holds (or queues behind one
it waits for) shows as a long write: the stall a user would have seen.
"""

import asyncio
import contextlib
import json
import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

import asyncpg

from bench.library.seed import SpacePlan, batches, make_pools, stored_columns
from library.store.tables import COPY_COLUMNS, MEDIA_COLUMNS


def _insert(table: str, columns: list[str]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(f'${i + 1}' for i in range(len(columns)))})"


@dataclass
class Write:
    started: float
    seconds: float


@dataclass
class Writer:
    conn: asyncpg.Connection
    existing: list[uuid.UUID]
    per_second: float
    writes: list[Write] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    async def run(self, stop: asyncio.Event) -> None:
        rng = random.Random(11)
        plan = SpacePlan(uuid.uuid4(), 10**9, uuid.uuid4())
        # Writes as the previous release would during the upgrade: the columns its schema has.
        media_columns = await stored_columns(self.conn, "media", MEDIA_COLUMNS)
        copy_columns = await stored_columns(self.conn, "copies", COPY_COLUMNS)
        titles = batches(rng, make_pools(rng), plan, 1, datetime.now(UTC), media_columns, copy_columns)
        next_at = time.perf_counter()
        while not stop.is_set():
            batch = next(titles)
            media_sql, copy_sql = _insert("media", batch.media_columns), _insert("copies", batch.copy_columns)
            started = time.perf_counter()
            try:
                async with self.conn.transaction():
                    await self.conn.execute(media_sql, *batch.media[0])
                    if batch.copies:
                        await self.conn.executemany(copy_sql, batch.copies)
                    await self.conn.execute(
                        "UPDATE media SET rating = $2, updated_at = now() WHERE id = $1",
                        rng.choice(self.existing),
                        round(rng.uniform(1, 10), 1),
                    )
                    await self.conn.execute(
                        "INSERT INTO outbox (id, routing_key, payload) VALUES ($1, 'library.media.created', $2)",
                        uuid.uuid4(),
                        json.dumps({"media_id": str(batch.media[0][0])}),
                    )
            except asyncpg.PostgresError as exc:
                self.errors.append(f"{type(exc).__name__}: {exc}")
            self.writes.append(Write(started, time.perf_counter() - started))
            next_at = max(next_at + 1 / self.per_second, time.perf_counter())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), next_at - time.perf_counter())

    def longest(self, start: float, end: float) -> float:
        """The longest write that was under way at some moment between start and end."""
        return max((w.seconds for w in self.writes if w.started < end and w.started + w.seconds > start), default=0.0)
