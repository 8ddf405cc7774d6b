"""Routes of tags and saved views (API.md "Collector records")."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from library.api.public import Admin, Member, Viewer, uuid_or_404
from library.api.tag_schemas import TagPage, TagRename, TagRenamed, ViewIn, ViewOut, ViewPage
from library.handlers import tags, views
from shelfspace_kernel.db import SessionDep

router = APIRouter(tags=["tags"])


def _view_id(view_id: str) -> uuid.UUID:
    return uuid_or_404(view_id)


ViewId = Annotated[uuid.UUID, Depends(_view_id)]


@router.get("/api/tags", operation_id="list_tags", response_model=TagPage)
async def list_tags(caller: Viewer, session: SessionDep) -> dict:
    return await tags.list_tags(session, caller)


@router.patch("/api/tags/{name}", operation_id="rename_tag", response_model=TagRenamed)
async def rename_tag(name: str, body: TagRename, caller: Admin, session: SessionDep) -> dict:
    return await tags.rename_tag(session, caller, name, body.name)


@router.get("/api/views", operation_id="list_views", response_model=ViewPage)
async def list_views(caller: Member, session: SessionDep) -> dict:
    return await views.list_views(session, caller)


@router.post("/api/views", operation_id="create_view", status_code=201, response_model=ViewOut)
async def create_view(body: ViewIn, caller: Member, session: SessionDep) -> dict:
    return await views.create_view(session, caller, body)


@router.delete("/api/views/{view_id}", operation_id="delete_view", status_code=204)
async def delete_view(view_id: ViewId, caller: Member, session: SessionDep) -> Response:
    await views.delete_view(session, caller, view_id)
    return Response(status_code=204)
