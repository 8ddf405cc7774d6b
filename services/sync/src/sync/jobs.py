"""Job rows: create (one active per space and provider), read, cancel and finish, with their events."""

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import Text, delete, func, literal, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shelfspace_contracts.sync import ACTIVE_STATUSES, JobItemError, JobProgress, JobSummary, SyncJob
from shelfspace_kernel.errors import Conflict
from sync.collectz.secrets import SEALED_PARAM
from sync.domain.jobs import backoff_minutes
from sync.events import record_job_event
from sync.store import ACTIVE, file_rows, jobs, schedules


def job_view(row: Any) -> SyncJob:
    return SyncJob(
        id=row.id,
        provider=row.provider,
        kind=row.kind,
        status=row.status,
        progress=JobProgress(total=row.total, processed=row.processed),
        summary=JobSummary(
            created=row.n_created,
            updated=row.n_updated,
            skipped=row.n_skipped,
            failed=row.n_failed,
            errors=[JobItemError(**error) for error in row.errors],
            errors_total=row.errors_total,
        ),
        error=row.error,
        report=row.plan.get("report") if isinstance(row.plan, dict) else None,
        cancel_requested=row.cancel_requested,
        dry_run=isinstance(row.params, dict) and row.params.get("dry_run") is True,
        created_by=row.created_by,
        created_at=row.created_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
    )


async def create_job(
    session: AsyncSession,
    *,
    space_id: uuid.UUID,
    user_id: uuid.UUID | None,
    provider: str,
    kind: str,
    params: dict[str, Any],
    request_id: str | None,
    scope: str = "space",
    schedule_id: uuid.UUID | None = None,
) -> tuple[Any, bool]:
    """The new queued job, or the already active one for the same space/provider/kind/scope."""
    key = {"space_id": space_id, "provider": provider, "kind": kind, "scope": scope}
    new = {"created_by": user_id, "params": params, "request_id": request_id, "schedule_id": schedule_id}
    # Twice at most: the active job may finish between the insert and the lookup.
    for _ in range(2):
        inserted = await session.execute(
            insert(jobs)
            .values(id=uuid.uuid4(), **key, **new)
            .on_conflict_do_nothing(index_elements=list(key), index_where=ACTIVE)
            .returning(jobs)
        )
        if (row := inserted.first()) is not None:
            await record_job_event(session, row, "queued")
            return row, True
        active = await session.execute(
            select(jobs).where(
                *(jobs.c[name] == value for name, value in key.items()), jobs.c.status.in_(ACTIVE_STATUSES)
            )
        )
        if (row := active.first()) is not None:
            return row, False
    raise Conflict("Another job for this provider is starting; try again.")


async def get_job(session: AsyncSession, space_id: uuid.UUID, job_id: uuid.UUID) -> Any | None:
    result = await session.execute(select(jobs).where(jobs.c.id == job_id, jobs.c.space_id == space_id))
    return result.first()


async def finish_job(session: AsyncSession, job_id: uuid.UUID, status: str, error: str | None = None) -> Any | None:
    """Move an active job to a final status, release its lease and record the event; None if already final."""
    result = await session.execute(
        update(jobs)
        .where(jobs.c.id == job_id, jobs.c.status.in_(ACTIVE_STATUSES))
        .values(
            status=status,
            error=error,
            finished_at=func.now(),
            updated_at=func.now(),
            lease_owner=None,
            lease_until=None,
            # What a job kept secret while it ran (a collectZ database URL) does not outlive it.
            params=jobs.c.params.op("-")(literal(SEALED_PARAM, Text)),
        )
        .returning(jobs)
    )
    row = result.first()
    if row is None:
        return None
    if row.provider == "file":  # its stored records are of no more use; the row errors stay
        await session.execute(delete(file_rows).where(file_rows.c.job_id == job_id))
    await record_job_event(session, row, status, error)
    if row.schedule_id is not None:
        await _report_to_schedule(session, row)
    return row


async def _report_to_schedule(session: AsyncSession, job: Any) -> None:
    """A scheduled job's outcome: success resets the back-off, failure records why and backs off."""
    if job.status == "failed":
        current = (
            await session.execute(select(schedules).where(schedules.c.id == job.schedule_id).with_for_update())
        ).first()
        if current is None:
            return
        failures = current.failures + 1
        await session.execute(
            update(schedules)
            .where(schedules.c.id == job.schedule_id)
            .values(
                failures=failures,
                last_error=job.error,
                next_run_at=func.now() + timedelta(minutes=backoff_minutes(current.every_minutes, failures)),
                updated_at=func.now(),
            )
        )
    elif job.status == "succeeded":
        await session.execute(
            update(schedules)
            .where(schedules.c.id == job.schedule_id)
            .values(failures=0, last_error=None, updated_at=func.now())
        )


async def request_cancel(session: AsyncSession, space_id: uuid.UUID, job_id: uuid.UUID) -> Any | None:
    """Cancel a queued job now; ask a running one to stop at its next batch. None when not found."""
    row = (
        await session.execute(select(jobs).where(jobs.c.id == job_id, jobs.c.space_id == space_id).with_for_update())
    ).first()
    if row is None or row.status not in ACTIVE_STATUSES:
        return row
    if row.status == "queued" and (row.lease_owner is None):
        return await finish_job(session, job_id, "cancelled")
    result = await session.execute(
        update(jobs).where(jobs.c.id == job_id).values(cancel_requested=True, updated_at=func.now()).returning(jobs)
    )
    return result.first()
