"""`/internal/*`: the gateway's own session and API token resolution, and the collectZ import's
accounts and spaces (the gateway never routes these paths)."""

from typing import Annotated

from fastapi import APIRouter, Depends

from identity.bootstrap import IdentityDep
from identity.handlers import imports, sessions, tokens
from shelfspace_contracts.collectz import (
    SPACES_PATH,
    USERS_PATH,
    SpaceImport,
    SpaceImportResult,
    UserImport,
    UserImportResult,
)
from shelfspace_contracts.identity import (
    RESOLVE_SESSION_PATH,
    RESOLVE_TOKEN_PATH,
    ResolvedSession,
    ResolvedToken,
    ResolveSessionRequest,
)
from shelfspace_kernel.caller import CallerDep
from shelfspace_kernel.db import SessionDep
from shelfspace_kernel.errors import Forbidden, NotFound
from shelfspace_kernel.internal_auth import CallerContext

router = APIRouter()


def _the_gateway_itself(caller: CallerDep) -> CallerContext:
    # Only the gateway asks who a cookie belongs to; it calls /internal paths only on its own behalf.
    if caller.caller != "gateway" or caller.user_id is not None:
        raise Forbidden("Only the gateway resolves sessions.")
    return caller


@router.post(RESOLVE_SESSION_PATH, operation_id="internal_resolve_session", include_in_schema=False)
async def resolve_session(
    body: ResolveSessionRequest,
    session: SessionDep,
    identity: IdentityDep,
    _: Annotated[CallerContext, Depends(_the_gateway_itself)],
) -> ResolvedSession:
    resolved = await sessions.resolve(session, identity.settings, body.token)
    if resolved is None:
        raise NotFound("No live session.")
    return resolved


@router.post(USERS_PATH, operation_id="internal_import_users", include_in_schema=False)
async def import_users(body: UserImport, session: SessionDep, caller: CallerDep) -> UserImportResult:
    """Accounts from collectZ, matched by email (sync's import job, for a global admin)."""
    return await imports.import_users(session, caller, body)


@router.post(SPACES_PATH, operation_id="internal_import_spaces", include_in_schema=False)
async def import_spaces(body: SpaceImport, session: SessionDep, caller: CallerDep) -> SpaceImportResult:
    """Spaces and memberships from collectZ, by the space's stable id (sync's import job)."""
    return await imports.import_spaces(session, caller, body)


@router.post(RESOLVE_TOKEN_PATH, operation_id="internal_resolve_api_token", include_in_schema=False)
async def resolve_token(
    body: ResolveSessionRequest, session: SessionDep, _: Annotated[CallerContext, Depends(_the_gateway_itself)]
) -> ResolvedToken:
    resolved = await tokens.resolve(session, body.token)
    if resolved is None:
        raise NotFound("No live token.")
    return resolved
