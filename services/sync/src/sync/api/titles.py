"""`POST /api/media/{id}/match` and `POST /api/media/{id}/refresh` (API.md "Media": a title's TMDB details)."""

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from shelfspace_contracts.library import MediaOut
from shelfspace_kernel.errors import NotFound
from sync import title_details
from sync.api.deps import MemberDep
from sync.upstream import Upstream

router = APIRouter(prefix="/api/media", tags=["media"])


class MatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tmdb_id: int = Field(gt=0, lt=2**31)
    media_type: Literal["movie", "tv"] = "movie"


def _media_id(media_id: str) -> uuid.UUID:
    try:
        return uuid.UUID(media_id)
    except ValueError as exc:
        raise NotFound() from exc


MediaId = Annotated[uuid.UUID, Depends(_media_id)]


@router.post("/{media_id}/match", operation_id="match_media_tmdb", response_model=MediaOut)
async def match_media(media_id: MediaId, body: MatchIn, request: Request, caller: MemberDep) -> dict:
    """The title gains this TMDB id and TMDB's details; 409 `duplicate_title` when another title has the id."""
    upstream = Upstream(request.app.state.settings)
    try:
        return await title_details.match(upstream, caller, media_id, body.tmdb_id, body.media_type)
    finally:
        await upstream.aclose()


@router.post("/{media_id}/refresh", operation_id="refresh_media_tmdb", response_model=MediaOut)
async def refresh_media(media_id: MediaId, request: Request, caller: MemberDep) -> dict:
    """The title's details read again from TMDB; 409 `tmdb_id_missing` for a title without a TMDB id."""
    upstream = Upstream(request.app.state.settings)
    try:
        return await title_details.refresh(upstream, caller, media_id)
    finally:
        await upstream.aclose()
