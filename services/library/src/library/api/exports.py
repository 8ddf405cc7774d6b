"""The export of a space (API.md "Import and export"): a streamed attachment, CSV or JSON."""

import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse

from library.handlers.exports import MEDIA_TYPES, ExportFormat, export_space, file_name
from shelfspace_contracts.exports import SpaceExport
from shelfspace_contracts.roles import SpaceRole
from shelfspace_kernel.caller import CallerDep, space_role_of
from shelfspace_kernel.errors import Forbidden, NotFound
from shelfspace_kernel.internal_auth import CallerContext

router = APIRouter(prefix="/api/spaces", tags=["export"])


async def space_member_of(space_id: uuid.UUID, caller: CallerDep) -> CallerContext:
    """A member (or more) of the space in the path; another space answers 404, a viewer 403."""
    if caller.space_id != space_id:
        raise NotFound()
    if not space_role_of(caller).at_least(SpaceRole.MEMBER):
        raise Forbidden("Members, admins and owners may export a space.")
    return caller


@router.get(
    "/{space_id}/export",
    operation_id="export_space",
    response_class=StreamingResponse,
    responses={200: {"model": SpaceExport, "content": {"text/csv": {}}}},
)
async def export(
    space_id: uuid.UUID,
    request: Request,
    caller: Annotated[CallerContext, Depends(space_member_of)],
    export_format: Annotated[ExportFormat, Query(alias="format")] = "json",
) -> StreamingResponse:
    """The space's live titles with their copies and the annotations the caller may see, streamed."""
    now = datetime.now(UTC)
    state = request.app.state
    body = export_space(state.sessionmaker, caller, export_format, now, batch_size=state.settings.export_batch_size)
    headers = {"content-disposition": f'attachment; filename="{file_name(caller, export_format, now)}"'}
    return StreamingResponse(body, media_type=MEDIA_TYPES[export_format], headers=headers)
