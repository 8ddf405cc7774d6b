"""The sync worker's metrics: the kernel's (pool, outbox, periodic jobs) and its jobs' progress."""

from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shelfspace_kernel.metrics import ProcessMetrics
from sync.settings import SyncSettings

ACTIVE_STATES = ("queued", "running")
# Uses the partial index on active jobs (ix_sync_jobs_active): finished jobs are never scanned.
_ACTIVE_JOBS = text("SELECT status, count(*) AS n FROM sync_jobs WHERE status IN ('queued', 'running') GROUP BY status")


class WorkerMetrics(ProcessMetrics):
    def __init__(self, settings: SyncSettings) -> None:
        super().__init__("sync-worker", settings.app_version, settings.git_sha)
        self.active_jobs = self.gauge("sync_jobs", "Sync jobs waiting or running, by state.", ["state"])
        self.finished_jobs = self.counter("sync_jobs_finished", "Sync jobs finished here, by state.", ["state"])
        self.steps = self.counter(
            "sync_steps", "Job steps run, by outcome (checkpointed, retried, failed).", ["outcome"]
        )
        self.items = self.counter("sync_items_processed", "Items (titles, episodes, ...) processed by job steps.")
        for state in ("succeeded", "failed", "cancelled"):
            self.finished_jobs.labels(state)
        for outcome in ("checkpointed", "retried", "failed"):
            self.steps.labels(outcome)

    def watch_jobs(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        async def refresh() -> None:
            async with sessionmaker() as session:
                counts = {row.status: row.n for row in await session.execute(_ACTIVE_JOBS)}
            for state in ACTIVE_STATES:
                self.active_jobs.labels(state).set(counts.get(state, 0))

        self.on_refresh(refresh)

    def stepped(self, processed: int, job: Any | None) -> None:
        """A step's checkpoint is written (`job`: the job after it, None when the step was lost)."""
        if job is None:
            return
        self.steps.labels("checkpointed").inc()
        self.items.inc(processed)
        if job.status != "running":
            self.finished_jobs.labels(job.status).inc()

    def failed(self, retried: bool) -> None:
        self.steps.labels("retried" if retried else "failed").inc()
        if not retried:
            self.finished_jobs.labels("failed").inc()
