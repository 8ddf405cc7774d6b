"""Routes of the wishlist (API.md "Collector records"): list, add, edit, remove, and "Got it"."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from library.api.public import Limit, Member, Viewer, uuid_or_404
from library.api.wish_schemas import GotItIn, GotItOut, WishIn, WishOut, WishPage, WishPatch
from library.handlers import wishes
from shelfspace_kernel.db import SessionDep

router = APIRouter(prefix="/api/wishlist", tags=["wishlist"])


def _wish_id(wish_id: str) -> uuid.UUID:
    return uuid_or_404(wish_id)


WishId = Annotated[uuid.UUID, Depends(_wish_id)]


@router.get("", operation_id="list_wishes", response_model=WishPage)
async def list_wishes(
    caller: Viewer,
    session: SessionDep,
    limit: Limit = 50,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
) -> dict:
    return await wishes.list_wishes(session, caller, limit, cursor)


@router.post("", operation_id="create_wish", status_code=201, response_model=WishOut)
async def create_wish(body: WishIn, caller: Member, session: SessionDep) -> dict:
    return await wishes.create_wish(session, caller, body)


@router.patch("/{wish_id}", operation_id="update_wish", response_model=WishOut)
async def update_wish(wish_id: WishId, body: WishPatch, caller: Member, session: SessionDep) -> dict:
    return await wishes.update_wish(session, caller, wish_id, body)


@router.delete("/{wish_id}", operation_id="delete_wish", status_code=204)
async def delete_wish(wish_id: WishId, caller: Member, session: SessionDep) -> Response:
    await wishes.delete_wish(session, caller, wish_id)
    return Response(status_code=204)


@router.post("/{wish_id}/got-it", operation_id="mark_wish_got_it", response_model=GotItOut)
async def got_it(wish_id: WishId, body: GotItIn, caller: Member, session: SessionDep) -> dict:
    return await wishes.got_it(session, caller, wish_id, body)
