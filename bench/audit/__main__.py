"""`python -m bench.audit`: how fast the audit consumer writes the log, and how far behind it runs.

Against real Postgres and RabbitMQ (BENCH_DATABASE_URL / BENCH_AMQP_URL, else TEST_DATABASE_URL /
TEST_AMQP_URL), in a fresh database and vhost that are removed afterwards:

1. throughput: BURST events are queued while the audit service is stopped; events/s = BURST / the
   time from its start to the last row, i.e. the rate the consumer sustains on a backlog;
2. lag: events are committed to a producer's outbox at RATE per second for SECONDS (the real
   outbox relay publishes them); the lag of each is `recorded_at - occurred_at` (commit to row).

Results are printed and written as JSON to bench/audit/results.json (or BENCH_AUDIT_OUT).
"""

import asyncio
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

import httpx
from sqlalchemy import text

from audit.main import create_app
from audit.migrate import MIGRATIONS
from audit.settings import AuditSettings
from shelfspace_contracts.events import EventEnvelope
from shelfspace_kernel.broker import Broker
from shelfspace_kernel.db import create_engine
from shelfspace_kernel.events import EventRecorder
from shelfspace_kernel.migrations import migrate
from shelfspace_kernel.outbox import OutboxRelay
from tests.support import infra
from tests.support.fixtures import Keys
from tests.support.outbox_schema import outbox_schema
from tests.support.servers import RunningApp

EXCHANGE = "shelfspace.events"
BURST = int(os.environ.get("BENCH_AUDIT_BURST", "5000"))
RATE = float(os.environ.get("BENCH_AUDIT_RATE", "200"))
SECONDS = float(os.environ.get("BENCH_AUDIT_SECONDS", "20"))
OUT = Path(os.environ.get("BENCH_AUDIT_OUT", Path(__file__).parent / "results.json"))


def _env(name: str) -> str:
    value = os.environ.get(f"BENCH_{name}") or os.environ.get(f"TEST_{name}")
    if not value:
        sys.exit(f"set BENCH_{name} or TEST_{name}")
    return value


async def _rows(engine, space_id: uuid.UUID) -> int:
    async with engine.connect() as conn:
        return await conn.scalar(text("SELECT count(*) FROM activity_log WHERE space_id = :s"), {"s": space_id})


async def _wait_for_rows(engine, space_id: uuid.UUID, count: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while await _rows(engine, space_id) < count:
        if time.monotonic() > deadline:
            raise TimeoutError(f"only {await _rows(engine, space_id)} of {count} rows after {timeout}s")
        await asyncio.sleep(0.1)


async def _consuming(url: str) -> None:
    """Wait until the consumer has declared and bound its queue."""
    async with httpx.AsyncClient(base_url=url) as client:
        for _ in range(200):
            body = (await client.get("/health")).json()
            if body.get("consumers", {}).get("audit.activity", {}).get("backlog") is not None:
                return
            await asyncio.sleep(0.1)
    raise TimeoutError("the audit consumer did not start")


async def throughput(app: RunningApp, broker: Broker, engine) -> dict:
    """Queue BURST events while the consumer is stopped, then time how fast it drains them."""
    space_id = uuid.uuid4()
    events = [
        EventEnvelope(
            type="library.media.updated",
            producer="bench",
            space_id=space_id,
            actor_user_id=uuid.uuid4(),
            entity_type="media",
            entity_id=str(n),
            data={"title": f"Title {n}", "changes": {"year": [1999, 2000]}},
        )
        for n in range(BURST)
    ]
    await app.stop()
    for start in range(0, BURST, 200):
        batch = events[start : start + 200]
        await asyncio.gather(*(broker.publish_event(e.model_dump(mode="json"), e.type) for e in batch))
    started = time.monotonic()
    await app.start()
    await _wait_for_rows(engine, space_id, BURST, timeout=600)
    drained = time.monotonic() - started
    return {"events": BURST, "drain_seconds": round(drained, 3), "events_per_second": round(BURST / drained, 1)}


async def lag(producer, broker: Broker, engine) -> dict:
    relay = OutboxRelay(producer.engine, broker, schema=producer.schema, database_url=producer.url)
    relay_task = asyncio.create_task(relay.run())
    recorder = EventRecorder(producer.schema)
    space_id = uuid.uuid4()
    count = int(RATE * SECONDS)
    started = time.monotonic()
    try:
        for n in range(count):
            async with producer.sessionmaker.begin() as session:
                await recorder.record(
                    session, "library.media.created", space_id=space_id, entity_id=n, data={"title": f"T{n}"}
                )
            ahead = started + (n + 1) / RATE - time.monotonic()
            if ahead > 0:
                await asyncio.sleep(ahead)
        achieved = count / (time.monotonic() - started)
        await _wait_for_rows(engine, space_id, count, timeout=120)
    finally:
        relay_task.cancel()
    async with engine.connect() as conn:
        lags = (
            await conn.scalars(
                text(
                    "SELECT extract(epoch FROM recorded_at - created_at) * 1000 FROM activity_log WHERE space_id = :s"
                ),
                {"s": space_id},
            )
        ).all()
    lags = sorted(float(v) for v in lags)
    return {
        "target_rate": RATE,
        "achieved_rate": round(achieved, 1),
        "events": count,
        "lag_ms_p50": round(statistics.median(lags), 1),
        "lag_ms_p99": round(lags[min(len(lags) - 1, int(len(lags) * 0.99))], 1),
        "lag_ms_max": round(lags[-1], 1),
    }


async def main() -> dict:
    pg = infra.postgres_from_url(_env("DATABASE_URL"))
    db, vhost = infra.new_name("shelfspace_bench"), infra.new_name("shelfspace_bench")
    infra.bootstrap_database(pg, db)
    infra.create_vhost(vhost, "guest")
    amqp_url = infra.with_vhost(_env("AMQP_URL"), vhost)
    audit_url = pg.service_url(db, "audit")
    try:
        await migrate(audit_url, MIGRATIONS, "audit")
        settings = AuditSettings(
            database_url=audit_url,
            amqp_url=amqp_url,
            internal_auth_public_keys=Keys.generate().public_keys,
            log_format="console",
            log_level="WARNING",
        )
        app = await RunningApp(lambda: create_app(settings)).start()
        engine = create_engine(audit_url, "audit", pool_size=3)
        broker = Broker(amqp_url, EXCHANGE, service="bench")
        await broker.start()
        await broker.wait_ready(10)
        try:
            await _consuming(app.url)
            results = {"throughput": await throughput(app, broker, engine)}
            async with outbox_schema(pg.url(db, driver="asyncpg"), "benchproducer") as producer:
                results["lag"] = await lag(producer, broker, engine)
        finally:
            await broker.stop()
            await engine.dispose()
            await app.stop()
        return results
    finally:
        infra.drop_database(pg, db)
        infra.delete_vhost(vhost)


if __name__ == "__main__":
    outcome = asyncio.run(main())
    OUT.write_text(json.dumps(outcome, indent=2) + "\n")
    print(json.dumps(outcome, indent=2))
