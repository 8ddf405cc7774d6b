"""`/api/spaces/*`: my spaces, the active space, members and invites."""

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response

from identity.api.schemas import (
    ActiveSpaceIn,
    DeleteSpaceIn,
    InviteCreatedOut,
    InviteIn,
    InviteOut,
    MemberOut,
    MemberRoleIn,
    Page,
    SpaceNameIn,
    SpaceOut,
)
from identity.bootstrap import IdentityDep
from identity.handlers import invites, members, spaces
from shelfspace_kernel.caller import CallerDep, signed_in_user
from shelfspace_kernel.db import SessionDep

router = APIRouter(prefix="/api/spaces", dependencies=[Depends(signed_in_user)])


@router.get("", operation_id="list_spaces")
async def list_spaces(session: SessionDep, caller: CallerDep) -> Page[SpaceOut]:
    return Page.of([SpaceOut(**space) for space in await spaces.my_spaces(session, caller.user_id)])


@router.post("", status_code=201, operation_id="create_space")
async def create_space(body: SpaceNameIn, session: SessionDep, caller: CallerDep) -> SpaceOut:
    return SpaceOut(**await spaces.create_space(session, caller, body.name))


@router.post("/active", operation_id="set_active_space")
async def set_active(body: ActiveSpaceIn, session: SessionDep, caller: CallerDep) -> SpaceOut:
    return SpaceOut(**await spaces.choose_active_space(session, caller, body.space_id))


@router.patch("/{space_id}", operation_id="rename_space")
async def rename_space(space_id: uuid.UUID, body: SpaceNameIn, session: SessionDep, caller: CallerDep) -> SpaceOut:
    return SpaceOut(**await spaces.rename_space(session, caller, space_id, body.name))


@router.delete("/{space_id}", status_code=204, operation_id="delete_space")
async def delete_space(space_id: uuid.UUID, body: DeleteSpaceIn, session: SessionDep, caller: CallerDep) -> Response:
    await spaces.delete_space(session, caller, space_id, body.confirm_name)
    return Response(status_code=204)


@router.get("/{space_id}/members", operation_id="list_members")
async def list_members(space_id: uuid.UUID, session: SessionDep, caller: CallerDep) -> Page[MemberOut]:
    return Page.of([MemberOut(**row) for row in await members.list_members(session, caller, space_id)])


@router.patch("/{space_id}/members/{user_id}", operation_id="change_member_role")
async def change_member_role(
    space_id: uuid.UUID, user_id: uuid.UUID, body: MemberRoleIn, session: SessionDep, caller: CallerDep
) -> MemberOut:
    return MemberOut(**await members.change_role(session, caller, space_id, user_id, body.role))


@router.delete("/{space_id}/members/{user_id}", status_code=204, operation_id="remove_member")
async def remove_member(space_id: uuid.UUID, user_id: uuid.UUID, session: SessionDep, caller: CallerDep) -> Response:
    await members.remove_member(session, caller, space_id, user_id)
    return Response(status_code=204)


@router.get("/{space_id}/invites", operation_id="list_invites")
async def list_invites(
    space_id: uuid.UUID,
    session: SessionDep,
    caller: CallerDep,
    state: Annotated[Literal["pending", "all"], Query()] = "pending",
) -> Page[InviteOut]:
    rows = await invites.list_invites(session, caller, space_id, everything=state == "all")
    return Page.of([InviteOut(**row) for row in rows])


@router.post("/{space_id}/invites", status_code=201, operation_id="create_invite")
async def create_invite(
    space_id: uuid.UUID, body: InviteIn, session: SessionDep, caller: CallerDep, identity: IdentityDep
) -> InviteCreatedOut:
    email = body.email.strip().lower()
    invite, token = await invites.create_invite(
        session, identity.settings, caller, space_id, email, body.role, body.expires_in_hours
    )
    url = f"{identity.settings.public_url.rstrip('/')}/invite/{token}"
    return InviteCreatedOut(invite=InviteOut(**invite), token=token, invite_url=url)


@router.post("/{space_id}/invites/{invite_id}/revoke", operation_id="revoke_invite")
async def revoke_invite(space_id: uuid.UUID, invite_id: uuid.UUID, session: SessionDep, caller: CallerDep) -> InviteOut:
    return InviteOut(**await invites.revoke_invite(session, caller, space_id, invite_id))
