"""The user's watchlist: `GET /api/watchlist` (merged, owned titles marked) and `POST /api/watchlist/sync`."""

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel

from shelfspace_kernel.db import SessionDep
from sync import handlers
from sync.api.deps import MemberDep, QueueDep
from sync.api.public import JobEnvelope
from sync.jobs import job_view
from sync.upstream import Upstream
from sync.watchlist import read_watchlist

router = APIRouter(prefix="/api")


class WatchlistSource(BaseModel):
    provider: str
    external_id: str


class WatchlistItem(BaseModel):
    """A title of the caller's watchlists, merged across providers; `owned` is null when the library
    could not say, `media_id` names the owned title."""

    title: str
    media_type: str
    year: int | None
    tmdb_id: int | None
    imdb_id: str | None
    poster_url: str | None
    providers: list[WatchlistSource]
    owned: bool | None
    media_id: uuid.UUID | None


class Watchlist(BaseModel):
    items: list[WatchlistItem]
    synced_at: datetime | None


@router.get("/watchlist", operation_id="get_watchlist", response_model=Watchlist)
async def get_watchlist(request: Request, session: SessionDep, caller: MemberDep) -> dict:
    """`{items: [{title, media_type, year, tmdb_id, imdb_id, poster_url, providers, owned, media_id}], synced_at}`."""
    upstream = Upstream(request.app.state.settings)
    try:
        return await read_watchlist(session, upstream, caller)
    finally:
        await upstream.aclose()


@router.post("/watchlist/sync", response_model=JobEnvelope, status_code=202, operation_id="sync_watchlist")
async def sync_watchlist(
    request: Request,
    response: Response,
    caller: MemberDep,
    queue: QueueDep,
    wait: Annotated[float, Query(ge=0)] = 0,
) -> JobEnvelope:
    """Copy the caller's linked watchlists (Plex, Trakt) as a job; one at a time per user."""
    sessionmaker = request.app.state.sessionmaker
    job = await handlers.start_job(
        sessionmaker, queue, caller, provider="watchlist", kind="watchlist", params={}, scope=f"user:{caller.user_id}"
    )
    if wait:
        job = await handlers.wait_for_job(
            sessionmaker, caller.space_id, job, min(wait, request.app.state.settings.max_wait_seconds)
        )
        if job.status in ("succeeded", "failed", "cancelled"):
            response.status_code = 200
    return JobEnvelope(job=job_view(job))
