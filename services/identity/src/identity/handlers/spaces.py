"""Spaces: create, rename, delete (with the name typed again), list mine, choose the active one."""

import uuid

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from identity.events import recorder
from identity.handlers import reads
from identity.handlers.sessions import set_active_space
from identity.store import memberships, spaces
from shelfspace_contracts.identity import Event
from shelfspace_contracts.roles import GlobalRole, SpaceRole
from shelfspace_kernel.errors import Forbidden, NotFound, ValidationFailed
from shelfspace_kernel.internal_auth import CallerContext


async def add_space(session: AsyncSession, caller: CallerContext, name: str, owner_id: uuid.UUID) -> dict:
    """A new space with `owner_id` as its owner, in the caller's transaction."""
    space_id = uuid.uuid4()
    await session.execute(insert(spaces).values(id=space_id, name=name, created_by=owner_id))
    await add_member(session, caller, space_id, owner_id, SpaceRole.OWNER)
    await recorder.record(
        session, Event.SPACE_CREATED, caller=caller, space_id=space_id, entity_type="space", entity_id=space_id,
        data={"name": name},
    )  # fmt: skip
    return {"id": space_id, "name": name, "role": SpaceRole.OWNER}


async def add_member(
    session: AsyncSession, caller: CallerContext, space_id: uuid.UUID, user_id: uuid.UUID, role: SpaceRole
) -> None:
    await session.execute(insert(memberships).values(space_id=space_id, user_id=user_id, role=role))
    await recorder.record(
        session, Event.MEMBERSHIP_ADDED, caller=caller, space_id=space_id, entity_type="membership",
        entity_id=user_id, data={"space_id": str(space_id), "user_id": str(user_id), "role": role},
    )  # fmt: skip


async def my_spaces(session: AsyncSession, user_id: uuid.UUID) -> list[dict]:
    rows = await session.execute(
        select(spaces.c.id, spaces.c.name, memberships.c.role)
        .join(memberships, memberships.c.space_id == spaces.c.id)
        .where(memberships.c.user_id == user_id)
        .order_by(memberships.c.joined_at, spaces.c.id)
    )
    return [dict(row) for row in rows.mappings()]


async def create_space(session: AsyncSession, caller: CallerContext, name: str) -> dict:
    async with session.begin():
        restricted = await reads.setting(session, "space_creation") == "admins"
        if restricted and caller.global_role != GlobalRole.ADMIN:
            raise Forbidden("Only instance administrators can create spaces.", code="space_creation_restricted")
        return await add_space(session, caller, name, caller.user_id)


async def rename_space(session: AsyncSession, caller: CallerContext, space_id: uuid.UUID, name: str) -> dict:
    async with session.begin():
        space, role = await reads.member_space(session, space_id, caller.user_id)
        if not role.at_least(SpaceRole.ADMIN):
            raise Forbidden()
        await session.execute(update(spaces).where(spaces.c.id == space_id).values(name=name, updated_at=func.now()))
        await recorder.record(
            session, Event.SPACE_UPDATED, caller=caller, space_id=space_id, entity_type="space", entity_id=space_id,
            data={"name": name, "previous_name": space["name"]},
        )  # fmt: skip
    return {"id": space_id, "name": name, "role": role}


async def delete_space(session: AsyncSession, caller: CallerContext, space_id: uuid.UUID, confirm_name: str) -> None:
    async with session.begin():
        space, role = await reads.member_space(session, space_id, caller.user_id)
        if role is not SpaceRole.OWNER:
            raise Forbidden()
        if confirm_name != space["name"]:
            raise ValidationFailed(
                "Type the space's name to confirm.",
                details=[{"field": "confirm_name", "message": "does not match the space's name", "type": "mismatch"}],
            )
        await session.execute(delete(spaces).where(spaces.c.id == space_id))
        await recorder.record(
            session, Event.SPACE_DELETED, caller=caller, space_id=space_id, entity_type="space", entity_id=space_id,
            data={"space_id": str(space_id), "name": space["name"]},
        )  # fmt: skip


async def choose_active_space(session: AsyncSession, caller: CallerContext, space_id: uuid.UUID) -> dict:
    async with session.begin():
        space, role = await reads.member_space(session, space_id, caller.user_id)
        if caller.session_id is None:
            raise NotFound("No session to update.")
        await set_active_space(session, caller.session_id, space_id)
    return {"id": space["id"], "name": space["name"], "role": role}
