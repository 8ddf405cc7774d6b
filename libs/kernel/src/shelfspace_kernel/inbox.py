"""Idempotent consumers: an inbox row per (consumer, event) in the same transaction as the effect.

Topology per consumer `name`: a quorum queue `name` bound to the events exchange; a delay queue
`name.retry` whose messages expire back into `name` (TTL + dead-lettering); a quorum queue
`name.dlq` for messages that failed every retry or cannot be parsed. The retry count travels in
our own header, so it works the same on RabbitMQ 3.10, 3.12+ and 4.x.
"""

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import aio_pika
import structlog
from aio_pika.abc import AbstractIncomingMessage
from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shelfspace_contracts.events import EventEnvelope
from shelfspace_kernel.broker import Broker
from shelfspace_kernel.errors import is_dependency_outage
from shelfspace_kernel.logging import bound_log_context
from shelfspace_kernel.metrics import ProcessMetrics
from shelfspace_kernel.middleware import accepted_request_id
from shelfspace_kernel.tracing import Tracing, consumer_span

log = structlog.get_logger(__name__)

RETRY_HEADER = "x-shelfspace-retries"
EventHandler = Callable[[AsyncSession, EventEnvelope], Awaitable[None]]


def _retries(message: AbstractIncomingMessage) -> int:
    """How often the event was retried already (the header this consumer sets on each retry)."""
    value = (message.headers or {}).get(RETRY_HEADER) or 0
    return int(value) if isinstance(value, int | str | float) else 0


_CLAIM_EVENT = text(
    "INSERT INTO inbox (consumer, event_id) VALUES (:consumer, :event_id) ON CONFLICT DO NOTHING RETURNING event_id"
)


@dataclass(frozen=True)
class ConsumerSpec:
    """A consumer: its queue name, the event types it binds, and its handler."""

    name: str
    routing_keys: Sequence[str]
    handler: EventHandler


class EventConsumer:
    def __init__(
        self,
        spec: ConsumerSpec,
        sessionmaker: async_sessionmaker[AsyncSession],
        broker: Broker,
        *,
        max_retries: int = 5,
        retry_delay_ms: int = 5000,
        prefetch: int = 32,
        metrics: ProcessMetrics | None = None,
        tracing: Tracing | None = None,
    ) -> None:
        self.spec = spec
        self._consuming = False
        self._metrics = metrics
        self._tracing = tracing
        self._sessionmaker = sessionmaker
        self._broker = broker
        self._max_retries = max_retries
        self._retry_delay_ms = retry_delay_ms
        self._prefetch = prefetch

    @property
    def retry_queue(self) -> str:
        return f"{self.spec.name}.retry"

    @property
    def dead_letter_queue(self) -> str:
        return f"{self.spec.name}.dlq"

    async def start(self, broker: Broker) -> None:
        channel = await broker.channel(prefetch=self._prefetch)
        queue = await channel.declare_queue(self.spec.name, durable=True, arguments={"x-queue-type": "quorum"})
        for key in self.spec.routing_keys:
            await queue.bind(broker.exchange, routing_key=key)
        await channel.declare_queue(
            self.retry_queue,
            durable=True,
            arguments={
                "x-message-ttl": self._retry_delay_ms,
                "x-dead-letter-exchange": "",
                "x-dead-letter-routing-key": self.spec.name,
            },
        )
        await channel.declare_queue(self.dead_letter_queue, durable=True, arguments={"x-queue-type": "quorum"})
        await queue.consume(self._on_message)
        self._consuming = True

    async def backlog(self) -> int | None:
        """Messages waiting in the main queue; None when the broker is unreachable or the queue is not
        yet bound and consumed (a queue that exists but is unbound would silently miss events)."""
        if not self._consuming:
            return None
        return await self._broker.queue_depth(self.spec.name)

    async def _on_message(self, message: AbstractIncomingMessage) -> None:
        headers = message.headers or {}
        request_id = accepted_request_id(str(headers.get("x-request-id") or ""))
        with (
            bound_log_context(request_id, consumer=self.spec.name, event_id=message.message_id),
            consumer_span(self._tracing, f"{self.spec.name} process", headers),
        ):
            await self._process(message)

    async def _process(self, message: AbstractIncomingMessage) -> None:
        try:
            envelope = EventEnvelope.model_validate_json(message.body)
        except ValidationError as exc:
            await self._dead_letter(message, f"invalid envelope: {exc.error_count()} errors")
            return
        try:
            fresh = await self.handle(envelope)
        except Exception as exc:  # noqa: BLE001 - every failure is retried, then dead-lettered
            await self._retry_or_dead_letter(message, envelope.id, exc)
            return
        await message.ack()
        self._count("processed" if fresh else "duplicate")

    def _count(self, outcome: str) -> None:
        if self._metrics is not None:
            self._metrics.consumer_events.labels(self.spec.name, outcome).inc()

    async def handle(self, envelope: EventEnvelope) -> bool:
        """Apply the event once; returns False when it had already been processed."""
        async with self._sessionmaker.begin() as session:
            claimed = await session.execute(_CLAIM_EVENT, {"consumer": self.spec.name, "event_id": envelope.id})
            if claimed.first() is None:
                return False
            await self.spec.handler(session, envelope)
        return True

    async def _retry_or_dead_letter(
        self, message: AbstractIncomingMessage, event_id: uuid.UUID, exc: Exception
    ) -> None:
        retries = _retries(message)
        if is_dependency_outage(exc):
            # Our own database or broker is down: wait for it without using up the event's retries.
            log.warning("event_deferred_during_outage", consumer=self.spec.name, event_id=str(event_id))
            await self._forward(message, self.retry_queue, {RETRY_HEADER: retries})
            self._count("deferred")
            return
        if retries >= self._max_retries:
            await self._dead_letter(message, f"{type(exc).__name__}: {exc}"[:500])
            return
        log.warning(
            "event_handler_failed", consumer=self.spec.name, event_id=str(event_id), retries=retries, error=str(exc)
        )
        await self._forward(message, self.retry_queue, {RETRY_HEADER: retries + 1})
        self._count("retried")

    async def _dead_letter(self, message: AbstractIncomingMessage, reason: str) -> None:
        log.error("event_dead_lettered", consumer=self.spec.name, message_id=message.message_id, reason=reason)
        await self._forward(message, self.dead_letter_queue, {"x-shelfspace-error": reason})
        self._count("dead_lettered")

    async def _forward(self, message: AbstractIncomingMessage, queue: str, extra_headers: dict[str, Any]) -> None:
        copy = aio_pika.Message(
            body=message.body,
            headers={**(message.headers or {}), **extra_headers},
            content_type=message.content_type,
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            message_id=message.message_id,
            type=message.type,
        )
        try:
            await self._broker.publish_to_queue(copy, queue)
        except Exception:  # noqa: BLE001 - not forwarded: give it back to the broker instead
            await message.nack(requeue=True)
            return
        await message.ack()
