"""`/api/admin/*` for global admins: users, every space, feature flags, instance settings."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from identity.api.schemas import (
    AdminSpaceOut,
    AdminUserOut,
    AdminUserPatchIn,
    FeatureFlagOut,
    FeatureFlagPatchIn,
    InstanceSettingsOut,
    InstanceSettingsPatchIn,
    Page,
    ResetLinkOut,
)
from identity.bootstrap import IdentityDep
from identity.handlers import admin, reads, resets, two_factor
from shelfspace_kernel.caller import CallerDep, require_global_admin
from shelfspace_kernel.db import SessionDep
from shelfspace_kernel.errors import Forbidden


async def second_factor_if_required(session: SessionDep, caller: CallerDep) -> None:
    """With `two_factor_for_admins` on, an admin without two-factor sign-in manages nothing until
    they turn it on (from their profile, which stays open to them)."""
    user = await reads.user_by_id(session, caller.user_id)
    required = await two_factor.admin_required(session, user)
    await session.rollback()
    if required:
        raise Forbidden(
            "This instance requires two-factor sign-in for administrators: turn it on in your profile first.",
            code="two_factor_required",
        )


router = APIRouter(
    prefix="/api/admin", dependencies=[Depends(require_global_admin), Depends(second_factor_if_required)]
)
Limit = Annotated[int, Query(ge=1, le=200)]
Cursor = Annotated[str | None, Query(max_length=200)]


@router.get("/users", operation_id="list_admin_users")
async def list_users(session: SessionDep, limit: Limit = 50, cursor: Cursor = None) -> Page[AdminUserOut]:
    return Page[AdminUserOut](**await admin.list_users(session, limit, cursor))


@router.patch("/users/{user_id}", operation_id="update_admin_user")
async def update_user(
    user_id: uuid.UUID, body: AdminUserPatchIn, session: SessionDep, caller: CallerDep
) -> AdminUserOut:
    return AdminUserOut(**await admin.update_user(session, caller, user_id, body.role, body.disabled))


@router.delete("/users/{user_id}", status_code=204, operation_id="delete_admin_user")
async def delete_user(user_id: uuid.UUID, session: SessionDep, caller: CallerDep) -> Response:
    await admin.delete_user(session, caller, user_id)
    return Response(status_code=204)


@router.post("/users/{user_id}/reset-link", operation_id="create_reset_link")
async def reset_link(user_id: uuid.UUID, session: SessionDep, caller: CallerDep, identity: IdentityDep) -> ResetLinkOut:
    url, expires_at = await resets.create_link(session, identity.settings, caller, user_id)
    return ResetLinkOut(reset_url=url, expires_at=expires_at)


@router.post("/users/{user_id}/2fa/reset", status_code=204, operation_id="reset_two_factor")
async def reset_two_factor(user_id: uuid.UUID, session: SessionDep, caller: CallerDep) -> Response:
    """Turns the user's two-factor sign-in off (lost phone and codes); they sign in with the password."""
    await two_factor.admin_reset(session, caller, user_id)
    return Response(status_code=204)


@router.get("/spaces", operation_id="list_admin_spaces")
async def list_spaces(session: SessionDep, limit: Limit = 50, cursor: Cursor = None) -> Page[AdminSpaceOut]:
    return Page[AdminSpaceOut](**await admin.list_spaces(session, limit, cursor))


@router.get("/feature-flags", operation_id="list_feature_flags")
async def list_flags(session: SessionDep) -> Page[FeatureFlagOut]:
    return Page.of([FeatureFlagOut(**row) for row in await admin.list_flags(session)])


@router.patch("/feature-flags/{key}", operation_id="update_feature_flag")
async def set_flag(key: str, body: FeatureFlagPatchIn, session: SessionDep, caller: CallerDep) -> FeatureFlagOut:
    return FeatureFlagOut(**await admin.set_flag(session, caller, key, body.enabled))


@router.get("/instance-settings", operation_id="get_instance_settings")
async def get_settings(session: SessionDep) -> InstanceSettingsOut:
    return InstanceSettingsOut(**await admin.get_instance_settings(session))


@router.patch("/instance-settings", operation_id="update_instance_settings")
async def update_settings(body: InstanceSettingsPatchIn, session: SessionDep, caller: CallerDep) -> InstanceSettingsOut:
    changes = body.model_dump(exclude_none=True)
    return InstanceSettingsOut(**await admin.update_instance_settings(session, caller, changes))
