"""RabbitMQ connection: one robust connection per process, a confirming channel for publishing.

The connection is (re)established in the background, so a service starts and serves while the
broker is down; robust channels restore exchanges, queues and consumers after a reconnect.
"""

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable
from typing import Any

import aio_pika
import structlog
from aio_pika.abc import AbstractChannel, AbstractExchange, AbstractRobustConnection

log = structlog.get_logger(__name__)

SetupHook = Callable[["Broker"], Awaitable[None]]


class BrokerUnavailable(ConnectionError):
    pass


class Broker:
    def __init__(
        self,
        amqp_url: str,
        exchange_name: str,
        *,
        service: str,
        publish_timeout: float = 5.0,
        reconnect_seconds: float = 2.0,
    ) -> None:
        self._url = amqp_url
        self._exchange_name = exchange_name
        self._service = service
        self._publish_timeout = publish_timeout
        self._reconnect = reconnect_seconds
        self._connection: AbstractRobustConnection | None = None
        self._channel: AbstractChannel | None = None
        self._exchange: AbstractExchange | None = None
        self._setup_hooks: list[SetupHook] = []
        self._ready = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def on_connect(self, hook: SetupHook) -> None:
        """Run `hook` once the first connection is up (declare queues, start consumers)."""
        self._setup_hooks.append(hook)

    async def start(self) -> None:
        self._task = asyncio.create_task(self._connect_forever(), name=f"{self._service}-broker-connect")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._connection is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._connection.close(), 5)

    async def wait_ready(self, timeout: float) -> None:
        await asyncio.wait_for(self._ready.wait(), timeout)

    @property
    def is_connected(self) -> bool:
        # `connected` is cleared while the robust connection is reconnecting; `is_closed` only says
        # whether it was closed on purpose.
        connection = self._connection
        return connection is not None and connection.connected.is_set() and self._ready.is_set()

    @property
    def exchange(self) -> AbstractExchange:
        if self._exchange is None:
            raise BrokerUnavailable("the broker is not connected yet")
        return self._exchange

    async def channel(self, prefetch: int | None = None) -> AbstractChannel:
        """A new robust channel on the shared connection (consumers each get their own)."""
        if self._connection is None:
            raise BrokerUnavailable("the broker is not connected yet")
        channel = await self._connection.channel()
        if prefetch:
            await channel.set_qos(prefetch_count=prefetch)
        return channel

    async def publish_event(
        self, payload: dict[str, Any], routing_key: str, trace_context: dict[str, str] | None = None
    ) -> None:
        """Publish to the events exchange and wait for the broker's confirm; `trace_context` (W3C
        `traceparent`, `tracestate`) goes along as headers."""
        message = aio_pika.Message(
            body=json.dumps(payload, separators=(",", ":")).encode(),
            content_type="application/json",
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            message_id=str(payload.get("id")),
            type=routing_key,
            headers={"x-request-id": payload.get("request_id") or "", **(trace_context or {})},
        )
        await self.exchange.publish(message, routing_key=routing_key, timeout=self._publish_timeout)

    async def queue_depth(self, queue: str) -> int | None:
        """Messages waiting in `queue`, or None when the broker is unreachable or the queue missing."""
        try:
            channel = await self.channel()
            try:
                declared = await channel.declare_queue(queue, passive=True)
                return declared.declaration_result.message_count
            finally:
                await channel.close()
        except Exception:  # noqa: BLE001 - reported as unknown
            return None

    async def publish_to_queue(self, message: aio_pika.Message, queue: str) -> None:
        """Publish straight to a queue (default exchange), confirmed; used for retries and DLQs."""
        if self._channel is None:
            raise BrokerUnavailable("the broker is not connected yet")
        await self._channel.default_exchange.publish(message, routing_key=queue, timeout=self._publish_timeout)

    async def _connect_forever(self) -> None:
        while self._connection is None:
            try:
                connection = await aio_pika.connect_robust(
                    self._url, timeout=5, client_properties={"connection_name": self._service}
                )
                self._channel = await connection.channel(publisher_confirms=True)
                self._exchange = await self._channel.declare_exchange(
                    self._exchange_name, aio_pika.ExchangeType.TOPIC, durable=True
                )
                self._connection = connection
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - keep trying; /health reports the outage
                log.warning("broker_connect_failed", error=str(exc))
                await asyncio.sleep(self._reconnect)
        for hook in self._setup_hooks:
            await hook(self)
        self._ready.set()
        log.info("broker_connected")
