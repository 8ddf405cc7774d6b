"""Saved views: a named library query, private to its owner or shared with the space.

A member sees their own views and the shared ones; a private view of someone else is not there
(404). The owner or a space admin deletes a view. A member keeps at most `MAX_PER_MEMBER` in a space.
"""

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from library.api.tag_schemas import ViewIn
from library.domain.access import is_admin
from library.events import record_view_event
from library.store import views as store
from shelfspace_kernel.errors import Conflict, Forbidden, NotFound
from shelfspace_kernel.internal_auth import CallerContext

MAX_PER_MEMBER = 100


def _can_delete(caller: CallerContext, view: dict) -> bool:
    return view["owner_id"] == caller.user_id or is_admin(caller)


def view_out(caller: CallerContext, view: dict) -> dict:
    keys = ("id", "name", "query", "shared", "owner_id", "created_at")
    return {**{key: view[key] for key in keys}, "can_delete": _can_delete(caller, view)}


async def list_views(session: AsyncSession, caller: CallerContext) -> dict:
    async with session.begin():
        rows = await store.visible(session, caller.space_id, caller.user_id)
    items = [view_out(caller, row) for row in rows]
    return {"items": items, "next_cursor": None, "total": len(items), "total_is_lower_bound": False}


async def create_view(session: AsyncSession, caller: CallerContext, body: ViewIn) -> dict:
    row = {
        "id": uuid.uuid4(),
        "space_id": caller.space_id,
        "owner_id": caller.user_id,
        **body.model_dump(),
        "created_at": datetime.now(UTC),
    }
    async with session.begin():
        if await store.owned(session, caller.space_id, caller.user_id) >= MAX_PER_MEMBER:
            raise Conflict(
                f"You have {MAX_PER_MEMBER} saved views in this space; delete one first.", code="too_many_views"
            )
        await store.insert(session, row)
        await record_view_event(session, "created", caller, row)
    return view_out(caller, row)


async def delete_view(session: AsyncSession, caller: CallerContext, view_id: uuid.UUID) -> None:
    async with session.begin():
        view = await store.get_locked(session, caller.space_id, view_id)
        if view is None or not (view["shared"] or view["owner_id"] == caller.user_id):
            raise NotFound()
        if not _can_delete(caller, view):
            raise Forbidden("Only the member who saved this view or a space admin may delete it.")
        await store.delete(session, view_id)
        await record_view_event(session, "deleted", caller, view)
