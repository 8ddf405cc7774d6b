"""Instance administration: users, every space, feature flags and instance settings."""

import uuid

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from identity.events import recorder
from identity.handlers import reads
from identity.handlers.pages import keyset_page
from identity.handlers.sessions import end_sessions_of
from identity.store import feature_flags, instance_settings, memberships, spaces, two_factor, users
from shelfspace_contracts.identity import Event
from shelfspace_contracts.roles import GlobalRole, SpaceRole
from shelfspace_kernel.errors import Conflict, NotFound
from shelfspace_kernel.internal_auth import CallerContext


async def list_users(session: AsyncSession, limit: int, cursor: str | None) -> dict:
    enrolled = (
        exists()
        .where(two_factor.c.user_id == users.c.id, two_factor.c.enabled_at.is_not(None))
        .label("two_factor_enabled")
    )
    query = select(*reads.USER_COLUMNS, enrolled)
    return await keyset_page(session, query, users.c.created_at, users.c.id, limit, cursor)


async def list_spaces(session: AsyncSession, limit: int, cursor: str | None) -> dict:
    member_count = (
        select(func.count()).where(memberships.c.space_id == spaces.c.id).scalar_subquery().label("member_count")
    )
    query = select(spaces.c.id, spaces.c.name, spaces.c.created_at, member_count)
    return await keyset_page(session, query, spaces.c.created_at, spaces.c.id, limit, cursor)


async def _active_admin_ids(session: AsyncSession) -> set[uuid.UUID]:
    # Locked, so two admins demoting each other at once cannot leave the instance without one.
    rows = await session.execute(
        select(users.c.id).where(users.c.role == GlobalRole.ADMIN, users.c.disabled.is_(False)).with_for_update()
    )
    return set(rows.scalars())


async def _check_not_self_or_last_admin(session: AsyncSession, caller: CallerContext, user_id: uuid.UUID) -> None:
    if user_id == caller.user_id:
        raise Conflict("You cannot change or delete your own account here.", code="self_change")
    admins = await _active_admin_ids(session)
    if user_id in admins and len(admins) <= 1:
        raise Conflict("The instance needs at least one active administrator.", code="last_admin")


async def update_user(
    session: AsyncSession, caller: CallerContext, user_id: uuid.UUID, role: GlobalRole | None, disabled: bool | None
) -> dict:
    async with session.begin():
        user = await reads.user_by_id(session, user_id, for_update=True)
        demoted = role is GlobalRole.USER and user["role"] == GlobalRole.ADMIN
        if demoted or (disabled and not user["disabled"]) or user_id == caller.user_id:
            await _check_not_self_or_last_admin(session, caller, user_id)
        changes = {}
        if role is not None and role != user["role"]:
            changes["role"] = role
            await recorder.record(
                session, Event.USER_ROLE_CHANGED, caller=caller, entity_type="user", entity_id=user_id,
                data={"role": role, "previous_role": user["role"]},
            )  # fmt: skip
        if disabled is not None and disabled != user["disabled"]:
            changes["disabled"] = disabled
            if disabled:
                await end_sessions_of(session, user_id)
            await recorder.record(
                session, Event.USER_UPDATED, caller=caller, entity_type="user", entity_id=user_id,
                data={"fields": ["disabled"], "disabled": disabled},
            )  # fmt: skip
        if changes:
            await session.execute(update(users).where(users.c.id == user_id).values(**changes, updated_at=func.now()))
    return {**{k: user[k] for k in ("id", "email", "name", "role", "disabled", "created_at")}, **changes}


async def delete_user(session: AsyncSession, caller: CallerContext, user_id: uuid.UUID) -> None:
    async with session.begin():
        user = await reads.user_by_id(session, user_id, for_update=True)
        await _check_not_self_or_last_admin(session, caller, user_id)
        orphaned = await _spaces_only_owned_by(session, user_id)
        if orphaned:
            raise Conflict(
                "This user is the only owner of some spaces; give them another owner first.",
                code="sole_owner",
                details=[
                    {"field": "space_id", "message": str(space_id), "type": "sole_owner"} for space_id in orphaned
                ],
            )
        await session.execute(delete(users).where(users.c.id == user_id))
        await recorder.record(
            session, Event.USER_DELETED, caller=caller, entity_type="user", entity_id=user_id,
            data={"user_id": str(user_id), "email": user["email"]},
        )  # fmt: skip


async def _spaces_only_owned_by(session: AsyncSession, user_id: uuid.UUID) -> list[uuid.UUID]:
    owners = select(memberships.c.space_id, func.count().label("owners")).where(
        memberships.c.role == SpaceRole.OWNER
    ).group_by(memberships.c.space_id).subquery()  # fmt: skip
    rows = await session.execute(
        select(memberships.c.space_id)
        .join(owners, owners.c.space_id == memberships.c.space_id)
        .where(memberships.c.user_id == user_id, memberships.c.role == SpaceRole.OWNER, owners.c.owners <= 1)
    )
    return list(rows.scalars())


async def list_flags(session: AsyncSession) -> list[dict]:
    rows = await session.execute(select(feature_flags).order_by(feature_flags.c.key))
    return [dict(row) for row in rows.mappings()]


async def set_flag(session: AsyncSession, caller: CallerContext, key: str, enabled: bool) -> dict:
    async with session.begin():
        row = await reads.first(
            session,
            update(feature_flags)
            .where(feature_flags.c.key == key)
            .values(enabled=enabled, updated_at=func.now(), updated_by=caller.user_id)
            .returning(*feature_flags.c),
        )
        if row is None:
            raise NotFound("No such feature flag.")
        await recorder.record(
            session, Event.FEATURE_FLAG_CHANGED, caller=caller, entity_type="feature_flag", entity_id=key,
            data={"key": key, "enabled": enabled},
        )  # fmt: skip
    return dict(row)


async def get_instance_settings(session: AsyncSession) -> dict:
    rows = await session.execute(select(instance_settings.c.key, instance_settings.c.value))
    return {row.key: row.value for row in rows}


async def update_instance_settings(session: AsyncSession, caller: CallerContext, changes: dict) -> dict:
    if changes.get("two_factor_for_admins") is True:
        own = await session.scalar(select(two_factor.c.enabled_at).where(two_factor.c.user_id == caller.user_id))
        await session.rollback()
        if own is None:
            # Otherwise the admin switching it on would lock themselves out of these pages.
            raise Conflict(
                "Turn on two-factor sign-in for your own account before requiring it of administrators.",
                code="two_factor_required",
            )
    async with session.begin():
        for key, value in changes.items():
            # A setting added after the first install has no row until it is first set.
            await session.execute(
                pg_insert(instance_settings)
                .values(key=key, value=value)
                .on_conflict_do_update(
                    index_elements=[instance_settings.c.key], set_={"value": value, "updated_at": func.now()}
                )
            )
        if changes:
            await recorder.record(
                session, Event.INSTANCE_SETTINGS_UPDATED, caller=caller, entity_type="instance_settings",
                entity_id="instance", data=changes,
            )  # fmt: skip
    return await get_instance_settings(session)
