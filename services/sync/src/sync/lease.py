"""The worker's side of a job row: claim a step under a lease, renew it, write the checkpoint.

A step runs only under a live lease; its checkpoint (step results, counts, next cursor) is one
transaction guarded by the step number and the lease owner, so a step is counted at most once
even when a slow worker's lease was taken over.
"""

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shelfspace_contracts.sync import ACTIVE_STATUSES
from sync.events import record_job_event
from sync.jobs import finish_job
from sync.outcome import StepOutcome
from sync.store import job_steps, jobs


async def _lock(session: AsyncSession, job_id: uuid.UUID) -> Any | None:
    query = select(jobs, (jobs.c.lease_until > func.now()).label("lease_live")).where(jobs.c.id == job_id)
    return (await session.execute(query.with_for_update(of=jobs))).first()


async def claim_step(session: AsyncSession, job_id: uuid.UUID, step: int, owner: str, lease_seconds: float) -> Any:
    """The job row leased to `owner` for `step`, or None when the message is stale or the step is taken."""
    row = await _lock(session, job_id)
    if row is None or row.status not in ACTIVE_STATUSES or row.step != step:
        return None
    if row.lease_owner is not None and row.lease_live:
        return None
    if row.cancel_requested:
        await finish_job(session, job_id, "cancelled")
        return None
    claimed = (
        await session.execute(
            update(jobs)
            .where(jobs.c.id == job_id)
            .values(
                status="running",
                lease_owner=owner,
                lease_until=func.now() + timedelta(seconds=lease_seconds),
                started_at=func.coalesce(jobs.c.started_at, func.now()),
                updated_at=func.now(),
            )
            .returning(jobs)
        )
    ).first()
    if row.status == "queued":
        await record_job_event(session, claimed, "started")
    return claimed


async def renew_lease(session: AsyncSession, job_id: uuid.UUID, owner: str, lease_seconds: float) -> bool:
    result = await session.execute(
        update(jobs)
        .where(jobs.c.id == job_id, jobs.c.lease_owner == owner)
        .values(lease_until=func.now() + timedelta(seconds=lease_seconds))
    )
    return result.rowcount == 1


async def _holds(session: AsyncSession, job_id: uuid.UUID, step: int, owner: str) -> Any | None:
    row = await _lock(session, job_id)
    if row is None or row.status not in ACTIVE_STATUSES or row.step != step or row.lease_owner != owner:
        return None
    return row


async def checkpoint(
    session: AsyncSession, job_id: uuid.UUID, step: int, owner: str, outcome: StepOutcome, errors_kept: int
) -> Any | None:
    """Record the step's results and advance the job; None when this worker no longer holds the step."""
    row = await _holds(session, job_id, step, owner)
    if row is None:
        return None
    tally = outcome.tally
    if outcome.apply is not None:
        await outcome.apply(session, tally)
    recorded = await session.execute(
        insert(job_steps)
        .values(
            job_id=job_id,
            step=step,
            cursor=row.cursor,
            n_created=tally.created,
            n_updated=tally.updated,
            n_skipped=tally.skipped,
            n_failed=tally.failed,
        )
        .on_conflict_do_nothing()
        .returning(job_steps.c.step)
    )
    if recorded.first() is None:
        return None
    room = max(errors_kept - len(row.errors), 0)
    values: dict[str, Any] = {
        "step": step + 1,
        "cursor": outcome.cursor,
        "processed": row.processed + outcome.processed,
        "n_created": row.n_created + tally.created,
        "n_updated": row.n_updated + tally.updated,
        "n_skipped": row.n_skipped + tally.skipped,
        "n_failed": row.n_failed + tally.failed,
        "errors": [*row.errors, *tally.errors[:room]],
        "errors_total": row.errors_total + len(tally.errors),
        "attempts": 0,
        "lease_owner": None,
        "lease_until": None,
        "enqueued_at": func.now(),
        "updated_at": func.now(),
    }
    if outcome.plan is not None:
        values["plan"] = outcome.plan
    if outcome.total is not None:
        values["total"] = outcome.total
    advanced = (await session.execute(update(jobs).where(jobs.c.id == job_id).values(values).returning(jobs))).first()
    if outcome.done:
        return await finish_job(session, job_id, "succeeded")
    if advanced.cancel_requested:
        return await finish_job(session, job_id, "cancelled")
    return advanced


async def fail_step(
    session: AsyncSession, job_id: uuid.UUID, step: int, owner: str, reason: str, retry: bool, retries: int
) -> Any | None:
    """After a failed step: the job to retry (attempts counted) or None when it failed or is not ours."""
    row = await _holds(session, job_id, step, owner)
    if row is None:
        return None
    if retry and row.attempts < retries:
        updated = await session.execute(
            update(jobs)
            .where(jobs.c.id == job_id)
            .values(
                attempts=row.attempts + 1,
                lease_owner=None,
                lease_until=None,
                enqueued_at=func.now(),
                updated_at=func.now(),
            )
            .returning(jobs)
        )
        return updated.first()
    await finish_job(session, job_id, "failed", reason)
    return None
