"""Routes of the public API that the gateway forwards to the library service (API.md "Media").

Every route checks the caller's space role again here; handlers scope every query to that space.
"""

import uuid
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query, Request, Response

from library.api.schemas import (
    AnnotationIn,
    AnnotationOut,
    CopyIn,
    CopyPatch,
    DuplicatesOut,
    ListParams,
    MediaDetail,
    MediaIn,
    MediaOut,
    MediaPage,
    MediaPatch,
    MergeIn,
    MergeOut,
    RevertOut,
    SeasonIn,
    SeasonOut,
    StatsOut,
    TrashPage,
)
from library.handlers import copies, duplicates, merges, queries, seasons, titles
from library.store.listing import ListQuery
from shelfspace_contracts.library import CopyOut
from shelfspace_contracts.roles import SpaceRole
from shelfspace_kernel.caller import require_space_role
from shelfspace_kernel.db import DriverReadsDep, SessionDep
from shelfspace_kernel.errors import NotFound
from shelfspace_kernel.internal_auth import CallerContext
from shelfspace_kernel.query_model import query_model, query_parameters

router = APIRouter(prefix="/api/media", tags=["media"])

Viewer = Annotated[CallerContext, Depends(require_space_role(SpaceRole.VIEWER))]
Member = Annotated[CallerContext, Depends(require_space_role(SpaceRole.MEMBER))]
Admin = Annotated[CallerContext, Depends(require_space_role(SpaceRole.ADMIN))]


def uuid_or_404(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise NotFound() from exc


def _media_id(media_id: str) -> uuid.UUID:
    return uuid_or_404(media_id)


def _copy_id(copy_id: str) -> uuid.UUID:
    return uuid_or_404(copy_id)


def _merge_id(merge_id: str) -> uuid.UUID:
    return uuid_or_404(merge_id)


MediaId = Annotated[uuid.UUID, Depends(_media_id)]
CopyId = Annotated[uuid.UUID, Depends(_copy_id)]
Limit = Annotated[int, Query(ge=1, le=200)]


@router.get(
    "",
    operation_id="list_media",
    response_model=MediaPage,
    openapi_extra={"parameters": query_parameters(ListParams)},
)
async def list_media(
    request: Request,
    caller: Viewer,
    reads: DriverReadsDep,
    params: Annotated[ListParams, Depends(query_model(ListParams))],
) -> Response:
    query = ListQuery(**params.model_dump(exclude={"cursor"}))
    body = await queries.list_titles(reads, request.app.state.list_counts, caller, query, params.cursor)
    return Response(body, media_type="application/json")


@router.post("", operation_id="create_media", status_code=201, response_model=MediaOut)
async def create_media(body: MediaIn, caller: Member, session: SessionDep) -> dict:
    return await titles.create_title(session, caller, body)


@router.get("/stats", operation_id="get_media_stats", response_model=StatsOut)
async def media_stats(caller: Viewer, session: SessionDep) -> dict:
    groups = await duplicates.count_groups(session, caller.space_id)
    return await queries.stats(session, caller, groups)


@router.get("/duplicates", operation_id="list_duplicates", response_model=DuplicatesOut)
async def media_duplicates(caller: Member, session: SessionDep) -> dict:
    return await duplicates.find_duplicates(session, caller)


@router.get("/trash", operation_id="list_trash", response_model=TrashPage)
async def media_trash(
    request: Request,
    caller: Member,
    session: SessionDep,
    limit: Limit = 50,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
) -> dict:
    retention = timedelta(days=request.app.state.settings.trash_retention_days)
    return await queries.list_trash(session, caller, limit, cursor, retention)


@router.post("/merge", operation_id="merge_media", response_model=MergeOut)
async def merge_media(body: MergeIn, caller: Admin, session: SessionDep) -> dict:
    return await merges.merge(session, caller, body)


@router.post("/merges/{merge_id}/revert", operation_id="revert_media_merge", response_model=RevertOut)
async def revert_merge(merge_id: Annotated[uuid.UUID, Depends(_merge_id)], caller: Admin, session: SessionDep) -> dict:
    return await merges.revert(session, caller, merge_id)


@router.get("/{media_id}", operation_id="get_media", response_model=MediaDetail)
async def get_media(media_id: MediaId, caller: Viewer, session: SessionDep) -> dict:
    return await titles.title_detail(session, caller, media_id)


@router.patch("/{media_id}", operation_id="update_media", response_model=MediaOut)
async def update_media(media_id: MediaId, body: MediaPatch, caller: Member, session: SessionDep) -> dict:
    return await titles.update_title(session, caller, media_id, body)


@router.delete("/{media_id}", operation_id="delete_media", status_code=204)
async def delete_media(media_id: MediaId, caller: Member, session: SessionDep) -> Response:
    await titles.trash_title(session, caller, media_id)
    return Response(status_code=204)


@router.post("/{media_id}/restore", operation_id="restore_media", response_model=MediaOut)
async def restore_media(media_id: MediaId, caller: Member, session: SessionDep) -> dict:
    return await titles.restore_title(session, caller, media_id)


@router.post("/{media_id}/copies", operation_id="add_copy", status_code=201, response_model=CopyOut)
async def add_copy(media_id: MediaId, body: CopyIn, caller: Member, session: SessionDep) -> dict:
    return await copies.add_copy(session, caller, media_id, body)


@router.patch("/{media_id}/copies/{copy_id}", operation_id="update_copy", response_model=CopyOut)
async def update_copy(media_id: MediaId, copy_id: CopyId, body: CopyPatch, caller: Member, session: SessionDep) -> dict:
    return await copies.update_copy(session, caller, media_id, copy_id, body)


@router.delete("/{media_id}/copies/{copy_id}", operation_id="delete_copy", status_code=204)
async def delete_copy(media_id: MediaId, copy_id: CopyId, caller: Member, session: SessionDep) -> Response:
    await copies.delete_copy(session, caller, media_id, copy_id)
    return Response(status_code=204)


@router.get("/{media_id}/seasons", operation_id="list_seasons", response_model=list[SeasonOut])
async def list_seasons(media_id: MediaId, caller: Viewer, session: SessionDep) -> list[dict]:
    return await seasons.list_seasons(session, caller, media_id)


@router.put("/{media_id}/seasons", operation_id="put_seasons", response_model=list[SeasonOut])
async def put_seasons(
    media_id: MediaId, body: Annotated[list[SeasonIn], Body(max_length=1000)], caller: Member, session: SessionDep
) -> list[dict]:
    """Replace the show's seasons (0 is "Specials"); the member who added the title, or admin+."""
    return await seasons.put_seasons(session, caller, media_id, body)


@router.put("/{media_id}/annotation", operation_id="put_annotation", response_model=AnnotationOut)
async def put_annotation(media_id: MediaId, body: AnnotationIn, caller: Viewer, session: SessionDep) -> dict:
    return await copies.put_annotation(session, caller, media_id, body)
