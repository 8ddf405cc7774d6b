"""`python -m sync.worker`: consume the job-step queue and run steps under leases (no HTTP).

`--live` exits 0 while the running worker's heartbeat is recent (liveness: a blocked loop or a hung
step stops it); `--check` exits 0 when the database is reachable (readiness; the broker is only
reported, since steps wait in their durable queue while it is away). The worker also relays the
sync outbox and runs the sweeper and scheduler.
"""

import argparse
import asyncio
import contextlib
import signal
import sys
import time
import uuid
from pathlib import Path

import aio_pika
import structlog
from aio_pika.abc import AbstractIncomingMessage
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from shelfspace_kernel.broker import Broker
from shelfspace_kernel.db import create_engine, create_sessionmaker
from shelfspace_kernel.logging import bound_log_context, configure_logging
from shelfspace_kernel.metrics import start_metrics_server
from shelfspace_kernel.outbox import OutboxRelay
from shelfspace_kernel.periodic import run_forever
from shelfspace_kernel.tracing import Tracing, consumer_span
from sync import SERVICE
from sync.dispatch import periodic_jobs
from sync.file_import import FileRows
from sync.lease import checkpoint, claim_step, fail_step, renew_lease
from sync.liveness import keep_beating, live_problem
from sync.metrics import WorkerMetrics
from sync.outcome import StepOutcome
from sync.queue import StepQueue, parse_step
from sync.runner import run_step
from sync.settings import SyncSettings
from sync.upstream import Upstream, UpstreamError

log = structlog.get_logger(__name__)

CHECKPOINT_ATTEMPTS = 5
UNEXPECTED = "The sync worker hit an unexpected error; see its logs for this job, then run it again."


class Worker:
    def __init__(self, settings: SyncSettings, worker_id: str | None = None) -> None:
        self.settings = settings
        self.id = worker_id or f"worker-{uuid.uuid4().hex[:12]}"
        self.engine = create_engine(settings.database_url, SERVICE, pool_size=5, application_name="sync-worker")
        self.sessionmaker = create_sessionmaker(self.engine)
        self.broker = Broker(settings.amqp_url, settings.events_exchange, service="sync-worker")
        self.queue = StepQueue(self.broker, settings.step_queue)
        self.upstream = Upstream(settings)
        self.file_rows = FileRows(self.sessionmaker)
        self.tracing = Tracing.from_settings("sync-worker", settings)
        if self.tracing is not None:
            self.tracing.instrument_engine(self.engine)
        self.metrics = WorkerMetrics(settings)
        self.metrics.watch_pool(self.engine)
        self.metrics.watch_outbox(self.engine)
        self._tasks: list[asyncio.Task] = []
        self._consumer_tag: str | None = None
        self._amqp_queue = None
        # Steps being run, with when each started (monotonic seconds).
        self._in_flight: dict[asyncio.Task, float] = {}

    async def start(self) -> "Worker":
        relay = OutboxRelay(
            self.engine,
            self.broker,
            schema=SERVICE,
            database_url=self.settings.database_url,
            batch_size=self.settings.outbox_batch_size,
            poll_seconds=self.settings.outbox_poll_seconds,
            metrics=self.metrics,
        )
        self.broker.on_connect(self._consume)
        self.metrics.watch_jobs(self.sessionmaker)
        self.metrics.watch_queue(self.settings.step_queue, self._step_backlog)
        await self.broker.start()
        self._tasks.append(asyncio.create_task(relay.run(), name="sync-worker-relay"))
        heartbeat = Path(self.settings.worker_heartbeat_file)
        beat_every = self.settings.worker_stale_seconds / 4
        self._tasks.append(asyncio.create_task(keep_beating(heartbeat, beat_every, self.well), name="sync-liveness"))
        for job in periodic_jobs(self.settings, self.queue):
            self._tasks.append(
                asyncio.create_task(run_forever(self.sessionmaker, job, self.metrics, self.tracing), name=job.name)
            )
        self._tasks.append(asyncio.create_task(self.metrics.refresh_forever(), name="sync-worker-metrics"))
        log.info("sync_worker_started", worker=self.id)
        return self

    async def stop(self, grace_seconds: float = 20.0) -> None:
        if self._amqp_queue is not None and self._consumer_tag is not None:
            with contextlib.suppress(Exception):
                await self._amqp_queue.cancel(self._consumer_tag)
        if self._in_flight:
            await asyncio.wait(list(self._in_flight), timeout=grace_seconds)
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self.broker.stop()
        await self.upstream.aclose()
        await self.engine.dispose()
        if self.tracing is not None:
            self.tracing.shutdown()

    def well(self) -> bool:
        """No step has been running for longer than a step may take."""
        oldest = min(self._in_flight.values(), default=None)
        return oldest is None or time.monotonic() - oldest <= self.settings.step_stuck_seconds

    async def _consume(self, broker: Broker) -> None:
        await self.queue.declare()
        channel = await broker.channel(prefetch=self.settings.worker_concurrency)
        self._amqp_queue = await channel.declare_queue(
            self.settings.step_queue, durable=True, arguments={"x-queue-type": "quorum"}
        )
        self._consumer_tag = await self._amqp_queue.consume(self._on_message)

    async def _on_message(self, message: AbstractIncomingMessage) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._in_flight[task] = time.monotonic()
        try:
            parsed = parse_step(message.body)
            if parsed is not None:
                with (
                    bound_log_context(job_id=str(parsed[0]), step=parsed[1]),
                    consumer_span(self.tracing, "sync step", message.headers),
                ):
                    await self.run(*parsed)
            await message.ack()
        except Exception as exc:  # noqa: BLE001 - the database or broker is out: give the message back
            log.warning("sync_step_not_run", error=str(exc))
            await asyncio.sleep(self.settings.retry_delay_seconds)
            with contextlib.suppress(Exception):
                await message.nack(requeue=True)
        finally:
            if task is not None:
                self._in_flight.pop(task, None)

    async def run(self, job_id: uuid.UUID, step: int) -> None:
        """Run one step of a job if it is still due and free; write its checkpoint; enqueue the next."""
        settings = self.settings
        async with self.sessionmaker.begin() as session:
            job = await claim_step(session, job_id, step, self.id, settings.lease_seconds)
        if job is None:
            return
        heartbeat = asyncio.create_task(self._heartbeat(job_id))
        try:
            try:
                outcome = await run_step(
                    job, self.upstream, settings.batch_size, self.file_rows, settings.file_batch_size
                )
            except UpstreamError as exc:
                await self._after_failure(job_id, step, exc.reason, exc.transient)
                return
            except Exception:  # a bug must fail the job visibly, not stall it
                log.exception("sync_step_crashed", job_id=str(job_id), step=step)
                await self._after_failure(job_id, step, UNEXPECTED, False)
                return
            advanced = await self._checkpoint(job_id, step, outcome)
            self.metrics.stepped(outcome.processed, advanced)
        finally:
            heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await heartbeat
        if advanced is not None and advanced.status == "running":
            await self.queue.publish(job_id, advanced.step)

    async def _checkpoint(self, job_id: uuid.UUID, step: int, outcome: StepOutcome):
        """Write the checkpoint, retrying a database hiccup rather than running the step again (a rerun
        reads the page again; the library answers its batch key with the first results)."""
        for attempt in range(CHECKPOINT_ATTEMPTS):
            try:
                async with self.sessionmaker.begin() as session:
                    return await checkpoint(session, job_id, step, self.id, outcome, self.settings.errors_kept)
            except (SQLAlchemyError, OSError) as exc:
                if attempt + 1 == CHECKPOINT_ATTEMPTS:
                    raise
                log.warning("sync_checkpoint_retry", job_id=str(job_id), step=step, error=str(exc))
                await asyncio.sleep(0.5 * 2**attempt)
        return None

    async def _after_failure(self, job_id: uuid.UUID, step: int, reason: str, transient: bool) -> None:
        settings = self.settings
        async with self.sessionmaker.begin() as session:
            retry = await fail_step(session, job_id, step, self.id, reason, transient, settings.step_retries)
        self.metrics.failed(retry is not None)
        if retry is not None:
            log.warning("sync_step_retrying", job_id=str(job_id), step=step, attempt=retry.attempts, reason=reason)
            await asyncio.sleep(settings.retry_delay_seconds * 2 ** (retry.attempts - 1))
            await self.queue.publish(job_id, step)

    async def _step_backlog(self) -> int | None:
        return None if self._amqp_queue is None else await self.broker.queue_depth(self.settings.step_queue)

    async def _heartbeat(self, job_id: uuid.UUID) -> None:
        while True:
            await asyncio.sleep(self.settings.lease_seconds / 3)
            try:
                async with self.sessionmaker.begin() as session:
                    await renew_lease(session, job_id, self.id, self.settings.lease_seconds)
            except Exception as exc:  # noqa: BLE001 - the next beat tries again; the checkpoint is guarded
                log.warning("sync_heartbeat_failed", job_id=str(job_id), error=str(exc))


async def check(settings: SyncSettings) -> list[str]:
    """What the worker cannot work without and cannot reach: an empty list when the database answers."""
    problems = []
    engine = create_engine(settings.database_url, SERVICE, pool_size=2, application_name="sync-worker-check")
    try:
        async with engine.connect() as conn:
            await asyncio.wait_for(conn.execute(text("SELECT 1")), 5)
    except Exception as exc:  # noqa: BLE001 - reported
        problems.append(f"database: {type(exc).__name__}")
    finally:
        await engine.dispose()
    return problems


async def broker_reachable(settings: SyncSettings) -> bool:
    try:
        connection = await aio_pika.connect(settings.amqp_url, timeout=5)
        await connection.close()
    except Exception:  # noqa: BLE001 - reported as unreachable
        return False
    return True


async def _serve(settings: SyncSettings) -> None:
    worker = await Worker(settings).start()
    if settings.worker_metrics_port:
        start_metrics_server(worker.metrics, settings.worker_metrics_port, settings.host)
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopping.set)
    await stopping.wait()
    await worker.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sync.worker")
    probe = parser.add_mutually_exclusive_group()
    probe.add_argument("--check", action="store_true", help="readiness: exit 0 when the database is reachable")
    probe.add_argument("--live", action="store_true", help="liveness: exit 0 while the worker's heartbeat is recent")
    args = parser.parse_args(argv)
    settings = SyncSettings()
    tracing = bool(settings.otel_exporter_otlp_endpoint)
    configure_logging("sync-worker", settings.log_format, settings.log_level, trace_ids=tracing)
    if args.live:
        problem = live_problem(Path(settings.worker_heartbeat_file), settings.worker_stale_seconds)
        if problem:
            print(f"sync worker: not alive: {problem}", file=sys.stderr)
            sys.exit(1)
        print("sync worker: alive")
        return
    if args.check:
        problems = asyncio.run(check(settings))
        if problems:
            print("sync worker: not ready: " + ", ".join(problems), file=sys.stderr)
            sys.exit(1)
        broker = "ok" if asyncio.run(broker_reachable(settings)) else "unreachable (steps wait in their queue)"
        print(f"sync worker: ready; broker {broker}")
        return
    asyncio.run(_serve(settings))


if __name__ == "__main__":
    main()
