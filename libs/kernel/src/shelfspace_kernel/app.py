"""The one app factory behind every service: middleware, errors, health, relay, consumers, jobs."""

import asyncio
import contextlib
import gc
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

import uvicorn
from fastapi import APIRouter, FastAPI
from fastapi.telemetry import TelemetryConfig
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from shelfspace_kernel.broker import Broker
from shelfspace_kernel.db import create_engine, create_sessionmaker
from shelfspace_kernel.errors import install_error_handlers
from shelfspace_kernel.health import health_router
from shelfspace_kernel.inbox import ConsumerSpec, EventConsumer
from shelfspace_kernel.internal_auth import TokenVerifier
from shelfspace_kernel.internal_keys import parse_public_keys, read_public_keys
from shelfspace_kernel.logging import configure_logging
from shelfspace_kernel.metrics import ProcessMetrics, install_metrics
from shelfspace_kernel.middleware import InternalAuthMiddleware, RequestContextMiddleware
from shelfspace_kernel.outbox import OutboxRelay
from shelfspace_kernel.periodic import PeriodicJob, run_forever
from shelfspace_kernel.settings import BaseAppSettings, ServiceSettings
from shelfspace_kernel.statistics import statistics_job
from shelfspace_kernel.tracing import Tracing, TracingMiddleware

DAY = 24 * 3600
# Idle connections are kept longer than callers keep theirs (the gateway drops its own after 15 s),
# so a request never goes out on a connection this server is closing at that moment.
KEEP_ALIVE_SECONDS = 30
# How every process's uvicorn runs (the tests' servers too). uvicorn's own proxy-header handling is
# off: left on, it rewrites the client address from X-Forwarded-For (and the scheme from
# X-Forwarded-Proto) for any peer in FORWARDED_ALLOW_IPS before the gateway looks, so a client on
# loopback or behind the bundled proxy could pick its own address. The gateway reads those headers
# itself, from the proxies in TRUSTED_PROXIES only (gateway/addresses.py).
SERVER_OPTIONS: dict[str, Any] = {
    "log_config": None,
    "access_log": False,
    "timeout_keep_alive": KEEP_ALIVE_SECONDS,
    "proxy_headers": False,
}
# FastAPI's own telemetry stays off: left on, it looks up the global providers on every request.
# Shelfspace's traces (shelfspace_kernel.tracing) use a provider per process, only when configured.
NO_TELEMETRY: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False}


async def _purge_old_inbox_rows(session: AsyncSession) -> None:
    await session.execute(text("DELETE FROM inbox WHERE processed_at < now() - interval '30 days'"))


def create_service_app(
    service: str,
    settings: ServiceSettings,
    *,
    routers: Sequence[APIRouter] = (),
    consumers: Sequence[ConsumerSpec] = (),
    periodic_jobs: Sequence[PeriodicJob] = (),
    health_extras: Callable[[FastAPI], Awaitable[dict[str, Any]]] | None = None,
) -> FastAPI:
    tracing = Tracing.from_settings(service, settings)
    configure_logging(service, settings.log_format, settings.log_level, trace_ids=tracing is not None)
    trusted = parse_public_keys(read_public_keys(settings.internal_auth_public_keys))
    verifier = TokenVerifier(trusted, audience=service)
    metrics = ProcessMetrics(service, settings.app_version, settings.git_sha)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings.database_url, service, pool_size=settings.db_pool_size)
        if tracing is not None:
            tracing.instrument_engine(engine)
        sessionmaker = create_sessionmaker(engine)
        broker = Broker(settings.amqp_url, settings.events_exchange, service=service)
        relay = OutboxRelay(
            engine,
            broker,
            schema=service,
            database_url=settings.database_url,
            batch_size=settings.outbox_batch_size,
            poll_seconds=settings.outbox_poll_seconds,
            metrics=metrics,
        )
        app.state.engine, app.state.sessionmaker, app.state.broker = engine, sessionmaker, broker
        app.state.relay = relay
        app.state.consumers = [
            EventConsumer(
                spec,
                sessionmaker,
                broker,
                max_retries=settings.consumer_max_retries,
                retry_delay_ms=settings.consumer_retry_delay_ms,
                prefetch=settings.consumer_prefetch,
                metrics=metrics,
                tracing=tracing,
            )
            for spec in consumers
        ]
        for consumer in app.state.consumers:
            broker.on_connect(consumer.start)
            metrics.watch_queue(consumer.spec.name, consumer.backlog)
        metrics.watch_pool(engine)
        metrics.watch_outbox(engine)
        await broker.start()
        housekeeping = [
            PeriodicJob(f"{service}.outbox.purge", DAY, lambda _session: relay.purge_sent()),
            PeriodicJob(f"{service}.inbox.purge", DAY, _purge_old_inbox_rows),
            statistics_job(service, settings.statistics_check_seconds),
        ]
        tasks = [asyncio.create_task(relay.run(), name=f"{service}-outbox-relay")]
        tasks.append(asyncio.create_task(metrics.refresh_forever(), name=f"{service}-metrics"))
        tasks += [
            asyncio.create_task(run_forever(sessionmaker, job, metrics, tracing))
            for job in [*periodic_jobs, *housekeeping]
        ]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            await broker.stop()
            await engine.dispose()
            if tracing is not None:
                tracing.shutdown()

    app = FastAPI(
        title=f"Shelfspace {service}", version=settings.app_version, lifespan=lifespan, telemetry=NO_TELEMETRY
    )
    install_error_handlers(app)
    app.add_middleware(InternalAuthMiddleware, verifier=verifier)
    install_metrics(app, metrics)
    if tracing is not None:
        app.add_middleware(TracingMiddleware, tracing=tracing)
    app.add_middleware(RequestContextMiddleware)

    async def database_ok() -> bool:
        async with app.state.engine.connect() as conn:
            return bool((await conn.scalar(text("SELECT 1"))) == 1)

    async def broker_ok() -> bool:
        return bool(app.state.broker.is_connected)

    extras = (lambda: health_extras(app)) if health_extras else None
    app.include_router(health_router(service, settings, {"database": database_ok}, {"broker": broker_ok}, extras))
    for router in routers:
        app.include_router(router)
    return app


def serve(app: FastAPI, settings: BaseAppSettings) -> None:
    """Run one service process (its API, relay, consumers and jobs)."""
    # What is imported and built by now lives as long as the process. Frozen, it is left out of the
    # collector's full passes: under load they ran about once a second and each walked every
    # module's objects, holding all requests in flight for 60-100 ms (the p99 of a list page).
    gc.collect()
    gc.freeze()
    uvicorn.run(app, host=settings.host, port=settings.port, **SERVER_OPTIONS)
