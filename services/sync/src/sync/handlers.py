"""Use cases behind the sync API: start a job (and dispatch it), wait for it, list, cancel, status."""

import asyncio
import base64
import dataclasses
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shelfspace_contracts.sync import FINISHED_STATUSES, SyncJob
from shelfspace_kernel.errors import Conflict, ValidationFailed
from shelfspace_kernel.internal_auth import CallerContext
from sync.collectz.mapping import INSTANCE_SCOPE, PROVIDER
from sync.collectz.secrets import SEALED_PARAM, seal_params
from sync.collectz.source import check_url
from sync.domain.jobs import provider_state
from sync.jobs import create_job, get_job, job_view
from sync.queue import StepQueue
from sync.store import jobs

log = structlog.get_logger(__name__)

PROVIDERS = ("plex", "trakt", "file")
COUNT_CAP = 10_000
POLL_SECONDS = 0.2


async def start_job(
    sessionmaker: async_sessionmaker[AsyncSession],
    queue: StepQueue,
    caller: CallerContext,
    *,
    provider: str,
    kind: str,
    params: dict[str, Any],
    scope: str = "space",
    stage: Callable[[AsyncSession, Any], Awaitable[Any]] | None = None,
) -> Any:
    """Queue a job (or find the active one) and hand its first step to the workers.

    `stage` stores what a new job needs (a file's records) in the transaction that creates it and
    answers the job as it then is; with it, an active job of the same kind is a Conflict.
    """
    async with sessionmaker.begin() as session:
        job, created = await create_job(
            session,
            space_id=caller.space_id,
            user_id=caller.user_id,
            provider=provider,
            kind=kind,
            params=params,
            request_id=caller.request_id,
            scope=scope,
        )
        if stage is not None:
            if not created:
                raise Conflict(
                    f"A {provider} {kind} is already running in this space: wait for it to finish or cancel it.",
                    details=[{"field": "job_id", "message": str(job.id)}],
                )
            job = await stage(session, job)
    if created:
        try:
            await queue.publish(job.id, 0)
        except Exception as exc:  # noqa: BLE001 - the sweeper enqueues it once the broker is back
            log.warning("sync_job_not_enqueued", job_id=str(job.id), error=str(exc))
            return job
        async with sessionmaker.begin() as session:
            await session.execute(update(jobs).where(jobs.c.id == job.id).values(enqueued_at=func.now()))
    return job


async def start_collectz_import(
    sessionmaker: async_sessionmaker[AsyncSession],
    queue: StepQueue,
    params_key: bytes,
    caller: CallerContext,
    body: dict[str, Any],
) -> Any:
    """Queue a move from collectZ in the instance's scope, its URL and key sealed into the job."""
    if problem := check_url(body["database_url"]):
        raise ValidationFailed(
            "The collectZ database URL is not usable.",
            details=[{"field": "database_url", "message": problem, "type": "url"}],
        )
    seal_id = uuid.uuid4()
    secrets = {"database_url": body["database_url"], "collectz_encryption_key": body.get("collectz_encryption_key")}
    params = {
        "dry_run": body["dry_run"],
        "space_id": str(body["space_id"]) if body.get("space_id") else None,
        "seal_id": str(seal_id),
        SEALED_PARAM: seal_params(params_key, seal_id, secrets),
    }
    scoped = dataclasses.replace(caller, space_id=INSTANCE_SCOPE)
    return await start_job(sessionmaker, queue, scoped, provider=PROVIDER, kind="import", params=params)


async def wait_for_job(
    sessionmaker: async_sessionmaker[AsyncSession], space_id: uuid.UUID, job: Any, seconds: float
) -> Any:
    """The job once finished, or as it stands after `seconds`."""
    deadline = time.monotonic() + seconds
    while job.status not in FINISHED_STATUSES and time.monotonic() < deadline:
        await asyncio.sleep(POLL_SECONDS)
        async with sessionmaker() as session:
            job = await get_job(session, space_id, job.id) or job
    return job


def _encode_cursor(row: Any) -> str:
    return base64.urlsafe_b64encode(f"{row.created_at.isoformat()}|{row.id}".encode()).decode()


def _decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        created_at, job_id = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        return datetime.fromisoformat(created_at), uuid.UUID(job_id)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationFailed(details=[{"field": "cursor", "message": "not a cursor from this list"}]) from exc


async def list_jobs(
    session: AsyncSession,
    space_id: uuid.UUID,
    *,
    status: str | None,
    provider: str | None,
    limit: int,
    cursor: str | None,
) -> dict[str, Any]:
    conditions = [jobs.c.space_id == space_id]
    if status:
        conditions.append(jobs.c.status == status)
    if provider:
        conditions.append(jobs.c.provider == provider)
    page_conditions = list(conditions)
    if cursor:
        created_at, job_id = _decode_cursor(cursor)
        page_conditions.append(
            or_(jobs.c.created_at < created_at, and_(jobs.c.created_at == created_at, jobs.c.id < job_id))
        )
    rows = (
        await session.execute(
            select(jobs).where(*page_conditions).order_by(jobs.c.created_at.desc(), jobs.c.id.desc()).limit(limit + 1)
        )
    ).all()
    capped = select(jobs.c.id).where(*conditions).limit(COUNT_CAP + 1).subquery()
    total = await session.scalar(select(func.count()).select_from(capped))
    more = len(rows) > limit
    rows = rows[:limit]
    return {
        "items": [job_view(row) for row in rows],
        "next_cursor": _encode_cursor(rows[-1]) if more else None,
        "total": min(total, COUNT_CAP),
        "total_is_lower_bound": total > COUNT_CAP,
    }


async def sync_status(session: AsyncSession, space_id: uuid.UUID) -> dict[str, Any]:
    """Per provider: its state (idle, running, failed, succeeded) and its latest job."""
    by_provider = {}
    for provider in PROVIDERS:
        query = (
            select(jobs)
            .where(jobs.c.space_id == space_id, jobs.c.provider == provider)
            .order_by(jobs.c.created_at.desc(), jobs.c.id.desc())
            .limit(1)
        )
        by_provider[provider] = (await session.execute(query)).first()
    status: dict[str, Any] = {}
    for provider in PROVIDERS:
        row = by_provider.get(provider)
        job: SyncJob | None = job_view(row) if row is not None else None
        status[provider] = {
            "state": provider_state({"status": row.status} if row else None),
            "last_job": job,
        }
    return status
