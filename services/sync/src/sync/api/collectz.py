"""The move from collectZ (API.md "Import and export"): an instance admin's import job, in the
instance's scope rather than a space's, so only instance admins see it."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from shelfspace_kernel.caller import require_global_admin
from shelfspace_kernel.db import SessionDep
from shelfspace_kernel.errors import NotFound
from shelfspace_kernel.internal_auth import CallerContext
from sync import handlers
from sync.api.deps import QueueDep
from sync.api.public import JobEnvelope, JobPage
from sync.collectz.mapping import INSTANCE_SCOPE, PROVIDER
from sync.jobs import get_job, job_view, request_cancel

router = APIRouter(prefix="/api/admin/imports/collectz")
GlobalAdminDep = Annotated[CallerContext, Depends(require_global_admin)]


class CollectzImportRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Secret: sealed into the job, never logged, never answered.
    database_url: str = Field(min_length=1, max_length=2000)
    dry_run: bool = False
    collectz_encryption_key: str | None = Field(default=None, min_length=1, max_length=500)
    # For a collectZ with one library: bring it into this existing space instead of a new one.
    space_id: uuid.UUID | None = None


@router.post("", response_model=JobEnvelope, status_code=202, operation_id="import_collectz")
async def import_collectz(
    request: Request,
    response: Response,
    body: CollectzImportRequest,
    caller: GlobalAdminDep,
    queue: QueueDep,
    wait: Annotated[float, Query(ge=0)] = 0,
) -> JobEnvelope:
    """Start a move from a collectZ database (or find the one running); `dry_run` only reports."""
    state = request.app.state
    job = await handlers.start_collectz_import(state.sessionmaker, queue, state.params_key, caller, body.model_dump())
    if wait:
        job = await handlers.wait_for_job(
            state.sessionmaker, INSTANCE_SCOPE, job, min(wait, state.settings.max_wait_seconds)
        )
        if job.status in ("succeeded", "failed", "cancelled"):
            response.status_code = 200
    return JobEnvelope(job=job_view(job))


@router.get("", response_model=JobPage, operation_id="list_collectz_imports")
async def list_collectz_imports(
    session: SessionDep,
    _: GlobalAdminDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> dict:
    """The instance's collectZ imports, newest first."""
    return await handlers.list_jobs(session, INSTANCE_SCOPE, status=None, provider=PROVIDER, limit=limit, cursor=cursor)


@router.get("/{job_id}", response_model=JobEnvelope, operation_id="get_collectz_import")
async def get_collectz_import(job_id: uuid.UUID, session: SessionDep, _: GlobalAdminDep) -> JobEnvelope:
    row = await get_job(session, INSTANCE_SCOPE, job_id)
    if row is None or row.provider != PROVIDER:
        raise NotFound("No such import.")
    return JobEnvelope(job=job_view(row))


@router.post("/{job_id}/cancel", response_model=JobEnvelope, operation_id="cancel_collectz_import")
async def cancel_collectz_import(job_id: uuid.UUID, session: SessionDep, _: GlobalAdminDep) -> JobEnvelope:
    """A queued import is cancelled now; a running one stops before its next step (what came over stays)."""
    async with session.begin():
        row = await get_job(session, INSTANCE_SCOPE, job_id)
        if row is None or row.provider != PROVIDER:
            raise NotFound("No such import.")
        row = await request_cancel(session, INSTANCE_SCOPE, job_id)
    if row is None:
        raise NotFound("No such import.")
    return JobEnvelope(job=job_view(row))
