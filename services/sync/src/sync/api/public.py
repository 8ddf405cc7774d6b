"""Routes of the public API that the gateway forwards to the sync service (API.md "Sync")."""

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from shelfspace_contracts.sync import SyncJob
from shelfspace_kernel.db import SessionDep
from shelfspace_kernel.errors import NotFound
from sync import handlers
from sync.api.deps import AdminDep, MemberDep, QueueDep
from sync.jobs import get_job, job_view, request_cancel

router = APIRouter(prefix="/api")


class PlexImportRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    section_keys: list[Annotated[str, Field(min_length=1, max_length=50)]] | None = Field(default=None, max_length=100)


class JobEnvelope(BaseModel):
    job: SyncJob


class ProviderSyncState(BaseModel):
    state: Literal["idle", "running", "failed", "succeeded"]
    last_job: SyncJob | None


class SyncStatus(BaseModel):
    """Per provider (handlers.PROVIDERS): its state and its latest job."""

    plex: ProviderSyncState
    trakt: ProviderSyncState
    file: ProviderSyncState


class JobPage(BaseModel):
    items: list[SyncJob]
    next_cursor: str | None
    total: int
    total_is_lower_bound: bool


@router.post("/media/import-plex", response_model=JobEnvelope, status_code=202, operation_id="import_plex")
async def import_plex(
    request: Request,
    response: Response,
    caller: AdminDep,
    queue: QueueDep,
    body: Annotated[PlexImportRequest | None, Body()] = None,
    wait: Annotated[float, Query(ge=0)] = 0,
) -> JobEnvelope:
    """Start a Plex import of the chosen (default: the configured) video sections, or find the running one."""
    sessionmaker = request.app.state.sessionmaker
    params = {"section_keys": body.section_keys} if body and body.section_keys else {}
    job = await handlers.start_job(sessionmaker, queue, caller, provider="plex", kind="import", params=params)
    if wait:
        seconds = min(wait, request.app.state.settings.max_wait_seconds)
        job = await handlers.wait_for_job(sessionmaker, caller.space_id, job, seconds)
        if job.status in ("succeeded", "failed", "cancelled"):
            response.status_code = 200
    return JobEnvelope(job=job_view(job))


JobStatusFilter = Literal["queued", "running", "succeeded", "failed", "cancelled"]


@router.get("/sync-jobs", response_model=JobPage, operation_id="list_sync_jobs")
async def list_sync_jobs(
    session: SessionDep,
    caller: MemberDep,
    status: JobStatusFilter | None = None,
    provider: Annotated[str | None, Query(max_length=40)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> dict:
    """Jobs of the active space, newest first."""
    return await handlers.list_jobs(
        session, caller.space_id, status=status, provider=provider, limit=limit, cursor=cursor
    )


@router.get("/sync-jobs/{job_id}", response_model=SyncJob, operation_id="get_sync_job")
async def get_sync_job(job_id: uuid.UUID, session: SessionDep, caller: MemberDep) -> SyncJob:
    row = await get_job(session, caller.space_id, job_id)
    if row is None:
        raise NotFound("No such sync job.")
    return job_view(row)


@router.post("/sync-jobs/{job_id}/cancel", response_model=SyncJob, operation_id="cancel_sync_job")
async def cancel_sync_job(job_id: uuid.UUID, session: SessionDep, caller: AdminDep) -> SyncJob:
    """A queued job is cancelled now; a running one stops before its next batch."""
    async with session.begin():
        row = await request_cancel(session, caller.space_id, job_id)
    if row is None:
        raise NotFound("No such sync job.")
    return job_view(row)


@router.get("/sync-status", operation_id="get_sync_status", response_model=SyncStatus)
async def get_sync_status(session: SessionDep, caller: MemberDep) -> dict:
    """Per provider: `{state: idle|running|failed|succeeded, last_job}`."""
    return await handlers.sync_status(session, caller.space_id)
