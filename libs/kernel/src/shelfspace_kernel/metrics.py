"""Prometheus metrics of every process (docs/operations/monitoring.md lists them).

Each process has its own registry (`ProcessMetrics`), so several apps in one test process stay
apart. Labels are low-cardinality only: a route template (`/spaces/{space_id}/titles`), never a
path; a queue name; an error code; a job state.

A service serves `/metrics` on its own port, open like `/health` (the gateway never routes it); the
gateway and the sync worker serve theirs on a listener of their own (`start_metrics_server`).
What a scrape reads from the database or the broker (outbox backlog, queue depths) is refreshed in
the background every `REFRESH_SECONDS`, never during the scrape.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import structlog
from fastapi import APIRouter, FastAPI
from fastapi.responses import Response
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest, start_http_server
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = structlog.get_logger(__name__)

PREFIX = "shelfspace"
REFRESH_SECONDS = 15.0
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# Seconds; a list page answers in a few milliseconds, an import page in a second or two.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# A request no route matched (a 404 for a made-up path) is counted under this one label.
UNMATCHED = "unmatched"
# What happened to one delivered event (shelfspace_kernel.inbox).
CONSUMER_OUTCOMES = ("processed", "duplicate", "retried", "deferred", "dead_lettered")

_OUTBOX_STATE = text(
    "SELECT count(*) AS backlog, extract(epoch FROM now() - min(created_at)) AS oldest "
    "FROM outbox WHERE sent_at IS NULL"
)


class ProcessMetrics:
    """The metrics of one process (a service, the gateway or the sync worker), in its own registry."""

    def __init__(self, process: str, version: str, git_sha: str = "unknown") -> None:
        self.process = process
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        build = Gauge(
            f"{PREFIX}_build_info", "Build of this process (always 1).", ["process", "version", "git_sha"], registry=r
        )
        build.labels(process, version, git_sha).set(1)
        self.requests = Counter(
            f"{PREFIX}_http_requests",
            "HTTP requests answered, by route template and status.",
            ["method", "route", "status"],
            registry=r,
        )
        self.latency = Histogram(
            f"{PREFIX}_http_request_duration_seconds",
            "Time to answer an HTTP request, by route template.",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.errors = Counter(
            f"{PREFIX}_http_errors",
            "Error answers by route template and error code (e.g. invalid_credentials, rate_limited).",
            ["route", "code"],
            registry=r,
        )
        self.outbox_backlog = Gauge(f"{PREFIX}_outbox_backlog", "Events written but not yet published.", registry=r)
        self.outbox_oldest = Gauge(
            f"{PREFIX}_outbox_oldest_unsent_age_seconds", "Age of the oldest unpublished event (0: none).", registry=r
        )
        self.outbox_published = Counter(f"{PREFIX}_outbox_published", "Events published by the relay.", registry=r)
        self.consumer_events = Counter(
            f"{PREFIX}_consumer_events",
            "Events delivered to a consumer, by queue and outcome (" + ", ".join(CONSUMER_OUTCOMES) + ").",
            ["queue", "outcome"],
            registry=r,
        )
        self.consumer_depth = Gauge(
            f"{PREFIX}_consumer_queue_messages",
            "Messages waiting in a consumer's queue (its lag).",
            ["queue"],
            registry=r,
        )
        self.jobs = Counter(
            f"{PREFIX}_periodic_job_runs",
            "Periodic job ticks by job name and outcome (ran, skipped, failed).",
            ["name", "outcome"],
            registry=r,
        )
        self._refreshers: list[Callable[[], Awaitable[None]]] = []

    def counter(self, name: str, documentation: str, labels: Iterable[str] = ()) -> Counter:
        """A process-specific counter in this registry (e.g. the worker's items processed)."""
        return Counter(f"{PREFIX}_{name}", documentation, list(labels), registry=self.registry)

    def gauge(self, name: str, documentation: str, labels: Iterable[str] = ()) -> Gauge:
        return Gauge(f"{PREFIX}_{name}", documentation, list(labels), registry=self.registry)

    def watch_pool(self, engine: AsyncEngine, name: str = "main") -> None:
        self.registry.register(_PoolCollector(engine, name))

    def watch_outbox(self, engine: AsyncEngine) -> None:
        async def refresh() -> None:
            async with engine.connect() as conn:
                row = (await conn.execute(_OUTBOX_STATE)).one()
            self.outbox_backlog.set(row.backlog)
            self.outbox_oldest.set(float(row.oldest or 0))

        self._refreshers.append(refresh)

    def watch_queue(self, queue: str, depth: Callable[[], Awaitable[int | None]]) -> None:
        for outcome in CONSUMER_OUTCOMES:
            self.consumer_events.labels(queue, outcome)  # present at 0 from the start, so rates work

        async def refresh() -> None:
            count = await depth()
            if count is not None:
                self.consumer_depth.labels(queue).set(count)

        self._refreshers.append(refresh)

    def on_refresh(self, refresh: Callable[[], Awaitable[None]]) -> None:
        self._refreshers.append(refresh)

    async def refresh(self) -> None:
        """Read every database/broker-backed gauge once; a failing one keeps its last value."""
        for refresher in self._refreshers:
            try:
                await asyncio.wait_for(refresher(), 5)
            except Exception as exc:  # noqa: BLE001 - an outage shows in /health; the gauges wait
                log.debug("metrics_refresh_failed", error=str(exc))

    async def refresh_forever(self, every: float = REFRESH_SECONDS) -> None:
        while True:
            await self.refresh()
            await asyncio.sleep(every)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class _PoolCollector(Collector):
    """The connection pool read at scrape time: its size, connections lent out and callers waiting."""

    def __init__(self, engine: AsyncEngine, name: str) -> None:
        self._pool = engine.sync_engine.pool
        self._name = name

    def collect(self) -> Iterable[GaugeMetricFamily]:
        pool: Any = self._pool
        size = GaugeMetricFamily(f"{PREFIX}_db_pool_size", "Connections the pool may hold.", labels=["pool"])
        size.add_metric([self._name], pool.size())
        in_use = GaugeMetricFamily(f"{PREFIX}_db_pool_in_use", "Connections lent out.", labels=["pool"])
        in_use.add_metric([self._name], pool.checkedout())
        waiters = GaugeMetricFamily(f"{PREFIX}_db_pool_waiters", "Callers waiting for a connection.", labels=["pool"])
        waiters.add_metric([self._name], len(getattr(pool._pool, "_waiters", ())))
        return [size, in_use, waiters]


def route_template(scope: Scope) -> str:
    route = scope.get("route")
    return getattr(route, "path", None) or UNMATCHED


class MetricsMiddleware:
    """Counts and times every HTTP request under its route template; error answers by their code."""

    def __init__(
        self, app: ASGIApp, metrics: ProcessMetrics, template: Callable[[Scope], str] = route_template
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.template = template

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_counted(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_counted)
        finally:
            route, method = self.template(scope), scope["method"]
            self.metrics.requests.labels(method, route, str(status)).inc()
            self.metrics.latency.labels(method, route).observe(time.perf_counter() - started)
            if status >= 400:
                code = scope.get("state", {}).get("error_code") or ("internal_error" if status >= 500 else "error")
                self.metrics.errors.labels(route, code).inc()


def metrics_router(metrics: ProcessMetrics) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/metrics")
    async def scrape() -> Response:
        return Response(metrics.exposition(), media_type=CONTENT_TYPE)

    return router


def install_metrics(app: FastAPI, metrics: ProcessMetrics) -> None:
    app.state.metrics = metrics
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    app.include_router(metrics_router(metrics))


def start_metrics_server(metrics: ProcessMetrics, port: int, host: str = "0.0.0.0") -> Any:  # noqa: S104 - scraped in-cluster
    """Serve `/metrics` on a listener of its own (a thread), for a process without a service port."""
    server, _thread = start_http_server(port, addr=host, registry=metrics.registry)
    return server
