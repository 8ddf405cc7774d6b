"""Transactional outbox: events are rows written in the caller's transaction, published later.

The relay claims unsent rows with a short lease (FOR UPDATE SKIP LOCKED, so several replicas share
the work), publishes them with publisher confirms and marks them sent only after the broker
confirmed. No database transaction stays open while publishing. LISTEN/NOTIFY only wakes it up.
"""

import asyncio
import contextlib
import json
from collections.abc import Sequence
from typing import Any

import asyncpg
import structlog
from sqlalchemy import Row, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from shelfspace_contracts.events import EventEnvelope
from shelfspace_kernel.broker import Broker
from shelfspace_kernel.db import asyncpg_dsn
from shelfspace_kernel.metrics import ProcessMetrics
from shelfspace_kernel.tracing import current_context_headers

log = structlog.get_logger(__name__)


def notify_channel(schema: str) -> str:
    return f"outbox_{schema}"


async def add_event(session: AsyncSession, envelope: EventEnvelope, *, schema: str) -> None:
    """Write an event in the session's transaction; it is published only if that commits."""
    await add_events(session, [envelope], schema=schema)


async def add_events(session: AsyncSession, envelopes: Sequence[EventEnvelope], *, schema: str) -> None:
    """Write several events in the session's transaction in one round trip, and wake the relay once."""
    if not envelopes:
        return
    trace_context = current_context_headers()
    if trace_context:  # tracing on: the consumers continue this request's trace
        await session.execute(
            text(
                "INSERT INTO outbox (id, routing_key, payload, trace_context) "
                "VALUES (:id, :key, CAST(:payload AS jsonb), CAST(:trace AS jsonb))"
            ),
            [
                {"id": e.id, "key": e.routing_key, "payload": e.model_dump_json(), "trace": json.dumps(trace_context)}
                for e in envelopes
            ],
        )
    else:
        await session.execute(
            text("INSERT INTO outbox (id, routing_key, payload) VALUES (:id, :key, CAST(:payload AS jsonb))"),
            [{"id": e.id, "key": e.routing_key, "payload": e.model_dump_json()} for e in envelopes],
        )
    # NOTIFY is transactional: the relay is woken only when the events really exist.
    await session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": notify_channel(schema)})


_CLAIM = text(
    """
    UPDATE outbox SET lease_until = now() + make_interval(secs => :lease), attempts = attempts + 1
    WHERE id IN (
        SELECT id FROM outbox
        WHERE sent_at IS NULL AND (lease_until IS NULL OR lease_until < now())
        ORDER BY created_at, id
        LIMIT :batch
        FOR UPDATE SKIP LOCKED
    )
    RETURNING id, routing_key, payload, created_at, trace_context
    """
)
_MARK_SENT = text("UPDATE outbox SET sent_at = now(), lease_until = NULL WHERE id = ANY(:ids)")
_RELEASE = text("UPDATE outbox SET lease_until = now() + make_interval(secs => :backoff) WHERE id = ANY(:ids)")
_PURGE = text("DELETE FROM outbox WHERE sent_at < now() - make_interval(days => :days)")


class OutboxRelay:
    def __init__(
        self,
        engine: AsyncEngine,
        broker: Broker,
        *,
        schema: str,
        database_url: str,
        batch_size: int = 200,
        poll_seconds: float = 2.0,
        lease_seconds: float = 30.0,
        retry_backoff_seconds: float = 2.0,
        keep_sent_days: int = 7,
        metrics: ProcessMetrics | None = None,
    ) -> None:
        self._metrics = metrics
        self._engine = engine
        self._broker = broker
        self._schema = schema
        self._dsn = asyncpg_dsn(database_url)
        self._batch = batch_size
        self._poll = poll_seconds
        self._lease = lease_seconds
        self._backoff = retry_backoff_seconds
        self._keep_days = keep_sent_days
        self._wake = asyncio.Event()
        self._listener: asyncpg.Connection | None = None

    async def run(self) -> None:
        """Publish until cancelled; survives database and broker outages."""
        while True:
            try:
                await self._ensure_listener()
                published = await self.drain()
                if published == 0:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), self._poll)
                    self._wake.clear()
            except asyncio.CancelledError:
                await self._close_listener()
                raise
            except Exception as exc:  # noqa: BLE001 - an outage must not kill the relay
                log.warning("outbox_relay_error", error=str(exc))
                await self._close_listener()
                await asyncio.sleep(self._backoff)

    async def drain(self) -> int:
        """Publish every claimable row now; returns how many were published."""
        total = 0
        while True:
            async with self._engine.begin() as conn:
                rows = list((await conn.execute(_CLAIM, {"lease": self._lease, "batch": self._batch})).all())
            if not rows:
                return total
            rows.sort(key=lambda row: (row.created_at, str(row.id)))
            sent, failed = await self._publish(rows)
            async with self._engine.begin() as conn:
                if sent:
                    await conn.execute(_MARK_SENT, {"ids": sent})
                if failed:
                    await conn.execute(_RELEASE, {"ids": failed, "backoff": self._backoff})
            total += len(sent)
            if self._metrics is not None:
                self._metrics.outbox_published.inc(len(sent))
            if failed:
                raise ConnectionError(f"{len(failed)} events could not be published")

    async def purge_sent(self) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(_PURGE, {"days": self._keep_days})

    async def _publish(self, rows: list[Row[Any]]) -> tuple[list[Any], list[Any]]:
        async def one(row: Row[Any]) -> bool:
            payload = row.payload if isinstance(row.payload, dict) else json.loads(row.payload)
            trace = row.trace_context if isinstance(row.trace_context, dict | None) else json.loads(row.trace_context)
            try:
                await self._broker.publish_event(payload, row.routing_key, trace)
                return True
            except Exception as exc:  # noqa: BLE001 - reported as a failed row, retried later
                log.warning("outbox_publish_failed", event_id=str(row.id), error=str(exc))
                return False

        results = await asyncio.gather(*(one(row) for row in rows))
        sent = [row.id for row, ok in zip(rows, results, strict=True) if ok]
        failed = [row.id for row, ok in zip(rows, results, strict=True) if not ok]
        return sent, failed

    async def _ensure_listener(self) -> None:
        if self._listener is not None and not self._listener.is_closed():
            return
        self._listener = await asyncpg.connect(self._dsn, timeout=5)
        await self._listener.add_listener(notify_channel(self._schema), lambda *_: self._wake.set())

    async def _close_listener(self) -> None:
        if self._listener is not None:
            with contextlib.suppress(Exception):
                await self._listener.close(timeout=2)
        self._listener = None
