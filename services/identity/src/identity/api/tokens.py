"""`/api/auth/tokens`: the caller's personal API tokens (managed from a session only)."""

import uuid

from fastapi import APIRouter, Depends, Response

from identity.api.schemas import ApiTokenCreatedOut, ApiTokenIn, ApiTokenOut, Page
from identity.handlers import tokens
from shelfspace_kernel.caller import CallerDep, signed_in_user
from shelfspace_kernel.db import SessionDep

router = APIRouter(prefix="/api/auth/tokens", dependencies=[Depends(signed_in_user)])


@router.get("", operation_id="list_api_tokens")
async def list_tokens(session: SessionDep, caller: CallerDep) -> Page[ApiTokenOut]:
    return Page.of([ApiTokenOut(**row) for row in await tokens.list_tokens(session, caller)])


@router.post("", status_code=201, operation_id="create_api_token")
async def create_token(body: ApiTokenIn, session: SessionDep, caller: CallerDep) -> ApiTokenCreatedOut:
    row, secret = await tokens.create_token(session, caller, body.name, body.space_id, body.role, body.expires_at)
    return ApiTokenCreatedOut(token=ApiTokenOut(**row), secret=secret)


@router.delete("/{token_id}", status_code=204, operation_id="revoke_api_token")
async def revoke_token(token_id: uuid.UUID, session: SessionDep, caller: CallerDep) -> Response:
    await tokens.revoke_token(session, caller, token_id)
    return Response(status_code=204)
