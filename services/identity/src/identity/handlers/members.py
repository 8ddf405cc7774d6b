"""Memberships: list a space's members, change a member's role, remove a member (or leave)."""

import uuid

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from identity.domain import roles
from identity.events import recorder
from identity.handlers import reads
from identity.store import memberships, users
from shelfspace_contracts.identity import Event
from shelfspace_contracts.roles import SpaceRole
from shelfspace_kernel.errors import NotFound
from shelfspace_kernel.internal_auth import CallerContext


async def list_members(session: AsyncSession, caller: CallerContext, space_id: uuid.UUID) -> list[dict]:
    await reads.member_space(session, space_id, caller.user_id)
    rows = await session.execute(
        select(memberships.c.user_id, users.c.email, users.c.name, memberships.c.role, memberships.c.joined_at)
        .join(users, users.c.id == memberships.c.user_id)
        .where(memberships.c.space_id == space_id)
        .order_by(memberships.c.joined_at, memberships.c.user_id)
    )
    return [dict(row) for row in rows.mappings()]


async def _owner_count(session: AsyncSession, space_id: uuid.UUID) -> int:
    # Lock the owners' rows so two concurrent demotions cannot both see "another owner is left".
    owners = (
        select(memberships.c.user_id)
        .where(memberships.c.space_id == space_id, memberships.c.role == SpaceRole.OWNER)
        .with_for_update()
        .subquery()
    )
    return await session.scalar(select(func.count()).select_from(owners)) or 0


async def _actor_and_target(
    session: AsyncSession, caller: CallerContext, space_id: uuid.UUID, user_id: uuid.UUID
) -> tuple[SpaceRole, SpaceRole]:
    _, actor = await reads.member_space(session, space_id, caller.user_id)
    target = await reads.role_in_space(session, space_id, user_id, for_update=True)
    if target is None:
        raise NotFound("No such member.")
    return actor, target


async def change_role(
    session: AsyncSession, caller: CallerContext, space_id: uuid.UUID, user_id: uuid.UUID, new_role: SpaceRole
) -> dict:
    async with session.begin():
        actor, target = await _actor_and_target(session, caller, space_id, user_id)
        is_self = user_id == caller.user_id
        if not (is_self and not new_role.at_least(target)):
            roles.check_can_grant(actor, new_role)
        roles.check_can_change_member(actor, target, is_self=is_self)
        roles.check_keeps_an_owner(target, new_role, await _owner_count(session, space_id))
        if new_role is not target:
            await session.execute(
                update(memberships)
                .where(memberships.c.space_id == space_id, memberships.c.user_id == user_id)
                .values(role=new_role)
            )
            await recorder.record(
                session, Event.MEMBERSHIP_ROLE_CHANGED, caller=caller, space_id=space_id, entity_type="membership",
                entity_id=user_id,
                data={"space_id": str(space_id), "user_id": str(user_id), "role": new_role, "previous_role": target},
            )  # fmt: skip
    members = await list_members(session, caller, space_id)
    return next(member for member in members if member["user_id"] == user_id)


async def remove_member(session: AsyncSession, caller: CallerContext, space_id: uuid.UUID, user_id: uuid.UUID) -> None:
    """Admins remove members; anyone may leave; the last owner may do neither."""
    async with session.begin():
        actor, target = await _actor_and_target(session, caller, space_id, user_id)
        roles.check_can_change_member(actor, target, is_self=user_id == caller.user_id)
        roles.check_keeps_an_owner(target, None, await _owner_count(session, space_id))
        await session.execute(
            delete(memberships).where(memberships.c.space_id == space_id, memberships.c.user_id == user_id)
        )
        await recorder.record(
            session, Event.MEMBERSHIP_REMOVED, caller=caller, space_id=space_id, entity_type="membership",
            entity_id=user_id, data={"space_id": str(space_id), "user_id": str(user_id), "previous_role": target},
        )  # fmt: skip
