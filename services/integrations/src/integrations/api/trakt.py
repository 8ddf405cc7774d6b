"""Linking a user's Trakt account (OAuth device code) in the active space: members and up.

The Trakt app (client id and secret) is the space's; the link is the caller's. Tokens never leave
the service.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response

from integrations.api.deps import KeyringDep, KitDep
from integrations.api.schemas import TraktDeviceCode, TraktLinkPoll, TraktLinkStatus
from integrations.handlers import trakt_links
from shelfspace_contracts.roles import SpaceRole
from shelfspace_kernel.caller import require_space_role
from shelfspace_kernel.db import SessionDep
from shelfspace_kernel.internal_auth import CallerContext

router = APIRouter(prefix="/api/integrations/trakt/link", tags=["trakt"])
Member = Annotated[CallerContext, Depends(require_space_role(SpaceRole.MEMBER))]


@router.get("", operation_id="get_trakt_link", response_model=TraktLinkStatus, response_model_exclude_unset=True)
async def link_status(caller: Member, session: SessionDep, keyring: KeyringDep) -> dict[str, Any]:
    return await trakt_links.link_status(session, keyring, caller)


@router.post("", operation_id="start_trakt_link", response_model=TraktDeviceCode)
async def start_link(caller: Member, session: SessionDep, keyring: KeyringDep, kit: KitDep) -> dict[str, Any]:
    return await trakt_links.start_link(session, keyring, kit, caller)


@router.post("/poll", operation_id="poll_trakt_link", response_model=TraktLinkPoll, response_model_exclude_unset=True)
async def poll_link(caller: Member, session: SessionDep, keyring: KeyringDep, kit: KitDep) -> dict[str, Any]:
    return await trakt_links.poll_link(session, keyring, kit, caller)


@router.delete("", status_code=204, operation_id="unlink_trakt")
async def unlink(caller: Member, session: SessionDep, keyring: KeyringDep, kit: KitDep) -> Response:
    await trakt_links.unlink(session, keyring, kit, caller)
    return Response(status_code=204)
