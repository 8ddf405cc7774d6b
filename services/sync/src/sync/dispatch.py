"""Periodic work of the worker process (replica-safe PeriodicJobs, rows claimed with SKIP LOCKED).

- the sweeper enqueues a step message for every active job that has no live lease and no recent
  message: new jobs whose first publish failed, jobs of a killed worker, lost messages;
- the scheduler turns due schedules into queued jobs (the sweeper dispatches them).
"""

import uuid
from datetime import timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shelfspace_contracts.sync import ACTIVE_STATUSES
from shelfspace_kernel.periodic import PeriodicJob
from sync.flags import scheduled_sync_is_on
from sync.jobs import create_job
from sync.queue import StepQueue
from sync.settings import SyncSettings
from sync.store import jobs, schedules

BATCH = 100


async def sweep(session: AsyncSession, queue: StepQueue, requeue_after_seconds: float) -> int:
    """Enqueue the next step of every stalled job; returns how many were enqueued."""
    stalled = (
        await session.execute(
            select(jobs.c.id, jobs.c.step)
            .where(
                jobs.c.status.in_(ACTIVE_STATUSES),
                or_(jobs.c.lease_until.is_(None), jobs.c.lease_until < func.now()),
                or_(
                    jobs.c.enqueued_at.is_(None),
                    jobs.c.enqueued_at < func.now() - timedelta(seconds=requeue_after_seconds),
                ),
            )
            .order_by(jobs.c.created_at)
            .limit(BATCH)
            .with_for_update(skip_locked=True)
        )
    ).all()
    for job in stalled:
        # Published before the commit: a message for a row not yet updated is harmless (checked by step).
        await queue.publish(job.id, job.step)
        await session.execute(update(jobs).where(jobs.c.id == job.id).values(enqueued_at=func.now()))
    return len(stalled)


async def run_due_schedules(session: AsyncSession) -> list[uuid.UUID]:
    """Create a job for every due schedule and move its next run on; returns the jobs' ids. While
    the `scheduled_sync` flag is off nothing runs, and due schedules wait until it is on again."""
    if not await scheduled_sync_is_on(session):
        return []
    due = (
        await session.execute(
            select(schedules)
            .where(schedules.c.enabled, schedules.c.next_run_at <= func.now())
            .order_by(schedules.c.next_run_at)
            .limit(BATCH)
            .with_for_update(skip_locked=True)
        )
    ).all()
    started = []
    for schedule in due:
        job, _ = await create_job(
            session,
            space_id=schedule.space_id,
            user_id=schedule.created_by,
            provider=schedule.provider,
            kind=schedule.kind,
            params={},
            request_id=f"schedule-{schedule.id.hex[:12]}",
            schedule_id=schedule.id,
        )
        await session.execute(
            update(schedules)
            .where(schedules.c.id == schedule.id)
            .values(
                next_run_at=func.now() + timedelta(minutes=schedule.every_minutes),
                last_run_at=func.now(),
                last_job_id=job.id,
                updated_at=func.now(),
            )
        )
        started.append(job.id)
    return started


def periodic_jobs(settings: SyncSettings, queue: StepQueue) -> list[PeriodicJob]:
    async def sweeper(session: AsyncSession) -> None:
        await sweep(session, queue, settings.requeue_after_seconds)

    return [
        PeriodicJob("sync.jobs.sweep", settings.sweep_seconds, sweeper),
        PeriodicJob("sync.schedules.run", settings.schedule_seconds, run_due_schedules),
    ]
