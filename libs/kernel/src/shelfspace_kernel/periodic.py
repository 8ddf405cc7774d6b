"""Periodic jobs that are safe with several replicas: each tick runs under a transaction-level
advisory lock, so only one replica does the work and the lock cannot leak to a pooled connection."""

import asyncio
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shelfspace_kernel.logging import bound_log_context
from shelfspace_kernel.metrics import ProcessMetrics
from shelfspace_kernel.tracing import Tracing, consumer_span

log = structlog.get_logger(__name__)


def advisory_key(name: str) -> int:
    return zlib.crc32(name.encode())


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every_seconds: float
    work: Callable[[AsyncSession], Awaitable[None]]


async def run_once(sessionmaker: async_sessionmaker[AsyncSession], job: PeriodicJob) -> bool:
    """Run the job now unless another replica is running it; True when it ran here."""
    async with sessionmaker.begin() as session:
        got = await session.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": advisory_key(job.name)})
        if not got:
            return False
        await job.work(session)
    return True


async def run_forever(
    sessionmaker: async_sessionmaker[AsyncSession],
    job: PeriodicJob,
    metrics: ProcessMetrics | None = None,
    tracing: Tracing | None = None,
) -> None:
    """Tick every `job.every_seconds`; each tick logs under a request id of its own (and, with
    tracing on, is a trace of its own)."""
    while True:
        outcome = "failed"
        try:
            with bound_log_context(job=job.name), consumer_span(tracing, job.name, None):
                outcome = "ran" if await run_once(sessionmaker, job) else "skipped"
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - the next tick tries again
            log.warning("periodic_job_failed", job=job.name, error=str(exc))
        if metrics is not None:
            metrics.jobs.labels(job.name, outcome).inc()
        await asyncio.sleep(job.every_seconds)
