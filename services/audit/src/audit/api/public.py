"""Routes of the public API that the gateway forwards to the audit service."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse

from audit.domain.csv_rows import csv_lines
from audit.domain.cursor import InvalidCursor
from audit.facets import list_facets
from audit.queries import PREFIX_SUFFIX, ActivityFilter, list_page, stream_rows
from shelfspace_contracts.audit import ActivityFacets, ActivityPage
from shelfspace_contracts.roles import SpaceRole
from shelfspace_kernel.caller import CallerDep, require_global_admin, space_role_of
from shelfspace_kernel.db import SessionDep
from shelfspace_kernel.errors import Forbidden, NotFound, ValidationFailed
from shelfspace_kernel.internal_auth import CallerContext

router = APIRouter(prefix="/api", tags=["activity"])

GlobalAdminDep = Annotated[CallerContext, Depends(require_global_admin)]
LimitQuery = Annotated[int, Query(ge=1, le=200)]


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(details=[{"field": field, "message": message, "type": "value_error"}])


def activity_filter(
    action: Annotated[str | None, Query(max_length=200, description="An event type, or a prefix ending in .*")] = None,
    user_id: uuid.UUID | None = None,
    space_id: uuid.UUID | None = None,
    entity_type: Annotated[str | None, Query(max_length=100)] = None,
    entity_id: Annotated[str | None, Query(max_length=500)] = None,
    since: Annotated[datetime | None, Query(alias="from")] = None,
    until: Annotated[datetime | None, Query(alias="to")] = None,
    q: Annotated[str | None, Query(max_length=200, description="Text anywhere in the details")] = None,
) -> ActivityFilter:
    if action is not None and "*" in action.removesuffix(PREFIX_SUFFIX):
        raise _invalid("action", "Use an exact event type or a prefix ending in .* (identity.invite.*).")
    # A time without an offset is read as UTC, so the filter means the same on every server.
    since, until = (t.replace(tzinfo=UTC) if t and t.tzinfo is None else t for t in (since, until))
    return ActivityFilter(action, user_id, space_id, entity_type, entity_id, since, until, q or None)


FilterDep = Annotated[ActivityFilter, Depends(activity_filter)]


async def _page(session: SessionDep, filters: ActivityFilter, limit: int, cursor: str | None) -> ActivityPage:
    try:
        return await list_page(session, filters, limit=limit, cursor=cursor)
    except InvalidCursor as exc:
        raise _invalid("cursor", str(exc)) from exc


@router.get("/admin/activity", operation_id="list_activity")
async def list_activity(
    _admin: GlobalAdminDep, session: SessionDep, filters: FilterDep, limit: LimitQuery = 50, cursor: str | None = None
) -> ActivityPage:
    """Every activity row, newest first (global admins)."""
    return await _page(session, filters, limit, cursor)


@router.get("/admin/activity/facets", operation_id="list_activity_facets")
async def list_activity_facets(_admin: GlobalAdminDep, session: SessionDep) -> ActivityFacets:
    """The people and kinds of action of the whole log, for its filters (global admins)."""
    return await list_facets(session, None)


async def space_admin_of(space_id: uuid.UUID, caller: CallerDep) -> CallerContext:
    """The caller administers the space in the path; another space's log answers 404."""
    if caller.space_id != space_id:
        raise NotFound()
    if not space_role_of(caller).at_least(SpaceRole.ADMIN):
        raise Forbidden()
    return caller


@router.get("/spaces/{space_id}/activity", operation_id="list_space_activity")
async def list_space_activity(
    space_id: uuid.UUID,
    _admin: Annotated[CallerContext, Depends(space_admin_of)],
    session: SessionDep,
    filters: FilterDep,
    limit: LimitQuery = 50,
    cursor: str | None = None,
) -> ActivityPage:
    """The activity of one space, newest first (its owners and admins)."""
    return await _page(session, filters.in_space(space_id), limit, cursor)


@router.get("/spaces/{space_id}/activity/facets", operation_id="list_space_activity_facets")
async def list_space_activity_facets(
    space_id: uuid.UUID, _admin: Annotated[CallerContext, Depends(space_admin_of)], session: SessionDep
) -> ActivityFacets:
    """The people and kinds of action of one space's log, for its filters (its owners and admins)."""
    return await list_facets(session, space_id)


@router.get(
    "/admin/activity/export",
    operation_id="export_activity",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}}},
)
async def export_activity(_admin: GlobalAdminDep, request: Request, filters: FilterDep) -> StreamingResponse:
    """The filtered rows as CSV, newest first, streamed as they are read."""
    sessionmaker = request.app.state.sessionmaker
    batch_size = request.app.state.export_batch_size

    async def body() -> AsyncIterator[str]:
        yield csv_lines([], header=True)
        # Its own session: the response outlives the request's dependencies.
        async with sessionmaker() as session, session.begin():
            async for batch in stream_rows(session, filters, batch_size=batch_size):
                yield csv_lines(batch)

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    headers = {"content-disposition": f'attachment; filename="activity-{stamp}.csv"'}
    return StreamingResponse(body(), media_type="text/csv; charset=utf-8", headers=headers)
