"""Request outcomes for the activity log: `gateway.request.completed|failed` per AUDIT_LOG_MODE.

The gateway has no database, so it publishes these events itself, best-effort: a request only
appends to a bounded in-memory queue (never waiting on the broker); a background task publishes
with publisher confirms. When the queue is full, new outcomes are dropped and counted in the log.
"""

import asyncio
import contextlib
import json
import time
from collections import deque
from typing import TYPE_CHECKING, Any, Protocol

import structlog
from starlette.applications import Starlette
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shelfspace_contracts.audit import (
    REQUEST_COMPLETED,
    REQUEST_ENTITY_TYPE,
    REQUEST_FAILED,
    AuditLogMode,
    RequestOutcome,
)
from shelfspace_contracts.events import EventEnvelope
from shelfspace_kernel.broker import Broker

if TYPE_CHECKING:
    from gateway.settings import GatewaySettings

log = structlog.get_logger(__name__)

PRODUCER = "gateway"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# The gateway's own endpoints are not API actions.
NOT_RECORDED = frozenset({"/api/health", "/api/health/live", "/api/openapi.json"})
MAX_ERROR_BODY = 16 * 1024


class EventPublisher(Protocol):
    async def publish_event(self, payload: dict[str, Any], routing_key: str) -> None: ...


def is_recorded(mode: AuditLogMode, method: str, status: int) -> bool:
    """Each mode records everything the one before it does: failures ⊂ mutations ⊂ all."""
    if mode is AuditLogMode.OFF:
        return False
    if status >= 400:
        return True
    if mode is AuditLogMode.MUTATIONS:
        return method not in SAFE_METHODS
    return mode is AuditLogMode.ALL


class OutcomePublisher:
    """A bounded queue of events and the task that publishes them; never blocks a request."""

    def __init__(
        self,
        broker: EventPublisher,
        *,
        capacity: int = 10_000,
        batch_size: int = 100,
        retry_seconds: float = 1.0,
        drop_log_seconds: float = 10.0,
    ) -> None:
        self._broker = broker
        self._capacity = capacity
        self._batch_size = batch_size
        self._retry_seconds = retry_seconds
        self._drop_log_seconds = drop_log_seconds
        self._pending: deque[EventEnvelope] = deque()
        self._wake = asyncio.Event()
        self._last_drop_log = float("-inf")
        self.dropped = 0
        self.published = 0

    @property
    def pending(self) -> int:
        return len(self._pending)

    def offer(self, envelope: EventEnvelope) -> bool:
        """Queue an event for publishing; False (and counted) when the queue is full."""
        if len(self._pending) >= self._capacity:
            self._count_drops(1)
            return False
        self._pending.append(envelope)
        self._wake.set()
        return True

    async def run(self) -> None:
        """Publish until cancelled; a broker outage keeps events queued (up to the cap) and retries."""
        while True:
            if not self._pending:
                self._wake.clear()
                await self._wake.wait()
                continue
            if not await self.publish_batch():
                await asyncio.sleep(self._retry_seconds)

    async def publish_batch(self) -> bool:
        """Publish up to one batch concurrently; failed events go back to the front. True if all went."""
        batch = [self._pending.popleft() for _ in range(min(self._batch_size, len(self._pending)))]
        results = await asyncio.gather(
            *(self._broker.publish_event(event.model_dump(mode="json"), event.type) for event in batch),
            return_exceptions=True,
        )
        failed = [event for event, result in zip(batch, results, strict=True) if isinstance(result, BaseException)]
        self.published += len(batch) - len(failed)
        self._pending.extendleft(reversed(failed))
        overflow = len(self._pending) - self._capacity
        for _ in range(max(0, overflow)):
            self._pending.pop()
        if overflow > 0:
            self._count_drops(overflow)
        return not failed

    async def flush(self, timeout: float) -> None:
        """Try to publish what is queued within `timeout`; what remains is dropped and counted."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                while self._pending and await self.publish_batch():
                    pass
        if self._pending:
            self._count_drops(len(self._pending), force_log=True)
            self._pending.clear()

    def _count_drops(self, count: int, *, force_log: bool = False) -> None:
        self.dropped += count
        now = time.monotonic()
        if force_log or now - self._last_drop_log >= self._drop_log_seconds:
            self._last_drop_log = now
            log.warning("request_outcomes_dropped", dropped_total=self.dropped, capacity=self._capacity)


def _error_code(body: bytes) -> str | None:
    try:
        code = json.loads(body)["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return None
    return code if isinstance(code, str) else None


def outcome_event(scope: Scope, status: int, duration_ms: float, error_code: str | None) -> EventEnvelope:
    """The event for one finished request, from what the proxy noted on the request state."""
    state = scope.get("state", {})
    route, principal, caller = state.get("route"), state.get("principal"), state.get("caller_context")
    user_id = caller.user_id if caller is not None else getattr(principal, "user_id", None)
    request_id = state.get("request_id")
    return EventEnvelope(
        type=REQUEST_FAILED if status >= 400 else REQUEST_COMPLETED,
        producer=PRODUCER,
        space_id=caller.space_id if caller is not None else None,
        actor_user_id=user_id,
        entity_type=REQUEST_ENTITY_TYPE,
        entity_id=request_id,
        request_id=request_id,
        data=RequestOutcome(
            method=scope["method"],
            path=route.path if route is not None else None,
            status=status,
            duration_ms=round(duration_ms, 1),
            error_code=error_code,
            pat_id=getattr(principal, "token_id", None),
        ).model_dump(mode="json"),
    )


class RequestOutcomeMiddleware:
    """Watches each API response (status, error code, duration) and queues its outcome event."""

    def __init__(self, app: ASGIApp, mode: AuditLogMode, publisher: OutcomePublisher) -> None:
        self.app = app
        self.mode = mode
        self.publisher = publisher

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (
            self.mode is AuditLogMode.OFF
            or scope["type"] != "http"
            or not path.startswith("/api/")
            or path in NOT_RECORDED
        ):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        error_body: list[bytes] = []
        captured = 0

        async def watch(message: Message) -> None:
            nonlocal status, captured
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body" and status >= 400 and captured < MAX_ERROR_BODY:
                chunk = message.get("body", b"")[: MAX_ERROR_BODY - captured]
                error_body.append(chunk)
                captured += len(chunk)
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception:
            self._record(scope, 500, started, "internal_error")
            raise
        self._record(scope, status, started, _error_code(b"".join(error_body)) if error_body else None)

    def _record(self, scope: Scope, status: int, started: float, error_code: str | None) -> None:
        if not is_recorded(self.mode, scope["method"], status):
            return
        try:
            event = outcome_event(scope, status, (time.perf_counter() - started) * 1000, error_code)
        except Exception as exc:  # noqa: BLE001 - the audit trail must never fail the request
            log.warning("request_outcome_not_built", error=str(exc))
            return
        self.publisher.offer(event)


class RequestLog:
    """The gateway's request-outcome log: its broker connection, queue and middleware."""

    def __init__(self, mode: AuditLogMode, broker: Broker | None, *, capacity: int, flush_seconds: float = 2.0):
        self.mode = mode
        self.broker = broker
        self.publisher = OutcomePublisher(broker, capacity=capacity) if broker is not None else None
        self._flush_seconds = flush_seconds
        self._task: asyncio.Task | None = None

    @classmethod
    def from_settings(cls, settings: "GatewaySettings") -> "RequestLog":
        mode = AuditLogMode(settings.audit_log_mode)
        broker = (
            None if mode is AuditLogMode.OFF else Broker(settings.amqp_url, settings.events_exchange, service=PRODUCER)
        )
        return cls(mode, broker, capacity=settings.audit_queue_size)

    def install(self, app: Starlette) -> None:
        if self.publisher is not None:
            app.add_middleware(RequestOutcomeMiddleware, mode=self.mode, publisher=self.publisher)

    async def start(self) -> None:
        if self.broker is None or self.publisher is None:
            return
        await self.broker.start()
        self._task = asyncio.create_task(self.publisher.run(), name="gateway-request-log")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self.publisher is not None and self.broker is not None:
            await self.publisher.flush(self._flush_seconds)
            await self.broker.stop()
