"""Routes of the watched state (API.md "Collector records"): each user marks their own, viewer+."""

from fastapi import APIRouter, Response

from library.api.public import MediaId, Viewer
from library.api.schemas import WatchedIn, WatchedOut
from library.handlers import watched
from shelfspace_kernel.db import SessionDep

router = APIRouter(prefix="/api/media", tags=["watched"])


@router.put("/{media_id}/watched", operation_id="mark_watched", response_model=WatchedOut)
async def mark_watched(media_id: MediaId, body: WatchedIn, caller: Viewer, session: SessionDep) -> dict:
    return await watched.mark_watched(session, caller, media_id, body.watched_at)


@router.delete("/{media_id}/watched", operation_id="delete_watched", status_code=204)
async def clear_watched(media_id: MediaId, caller: Viewer, session: SessionDep) -> Response:
    await watched.clear_watched(session, caller, media_id)
    return Response(status_code=204)
