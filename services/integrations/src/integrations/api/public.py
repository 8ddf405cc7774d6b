"""Integration settings (API.md "Integration settings"): per space, owners and admins only.

The 1.x paths under /api/admin/settings/integrations act on the caller's active space.
"""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends

from integrations.api.deps import KeyringDep, KitDep, SpaceAdminDep
from integrations.api.schemas import IntegrationSettings, IntegrationSettingsList, ProviderTestResult
from integrations.domain.providers import PROVIDERS
from integrations.handlers import settings as handlers
from integrations.handlers.testing import test_provider
from shelfspace_contracts.roles import SpaceRole
from shelfspace_kernel.caller import require_space_role
from shelfspace_kernel.db import SessionDep
from shelfspace_kernel.errors import ValidationFailed
from shelfspace_kernel.internal_auth import CallerContext

router = APIRouter(prefix="/api", tags=["integrations"])
ActiveSpaceAdmin = Annotated[CallerContext, Depends(require_space_role(SpaceRole.ADMIN))]
UpdateBody = Annotated[dict[str, Any], Body(examples=[{"base_url": "http://plex.lan:32400", "token": "…"}])]


async def _list(session: SessionDep, keyring: KeyringDep, caller: CallerContext, space_id: uuid.UUID) -> dict:
    stored = await handlers.load_all(session, space_id)
    return {"items": [await handlers.view(session, keyring, caller, space_id, s) for s in stored.values()]}


async def _update(
    session: SessionDep, keyring: KeyringDep, caller: CallerContext, space_id: uuid.UUID, provider: str, body: dict
) -> dict:
    handlers.check_provider(provider)
    await handlers.update_settings(session, keyring, caller, space_id, {provider: body})
    return await handlers.view(session, keyring, caller, space_id, await handlers.load(session, space_id, provider))


@router.get("/spaces/{space_id}/integrations", operation_id="list_integrations", response_model=IntegrationSettingsList)
async def list_integrations(
    space_id: uuid.UUID, caller: SpaceAdminDep, session: SessionDep, keyring: KeyringDep
) -> dict[str, Any]:
    return await _list(session, keyring, caller, space_id)


@router.put(
    "/spaces/{space_id}/integrations/{provider}", operation_id="update_integration", response_model=IntegrationSettings
)
async def update_integration(
    space_id: uuid.UUID,
    provider: str,
    body: UpdateBody,
    caller: SpaceAdminDep,
    session: SessionDep,
    keyring: KeyringDep,
) -> dict[str, Any]:
    return await _update(session, keyring, caller, space_id, provider, body)


@router.post(
    "/spaces/{space_id}/integrations/{provider}/test",
    operation_id="test_integration",
    response_model=ProviderTestResult,
    response_model_exclude_unset=True,
)
async def integration_test(
    space_id: uuid.UUID,
    provider: str,
    caller: SpaceAdminDep,
    session: SessionDep,
    keyring: KeyringDep,
    kit: KitDep,
    body: Annotated[dict[str, Any] | None, Body(examples=[{"base_url": "http://plex.lan:32400"}])] = None,
) -> dict[str, Any]:
    """Tests the values typed (`body`: the fields of an update, over the saved ones) without saving them."""
    handlers.check_provider(provider)
    return await test_provider(session, keyring, kit, caller, space_id, provider, body)


@router.get("/admin/settings/integrations", operation_id="list_integrations_1x", response_model=IntegrationSettingsList)
async def list_integrations_1x(caller: ActiveSpaceAdmin, session: SessionDep, keyring: KeyringDep) -> dict[str, Any]:
    return await _list(session, keyring, caller, caller.space_id)


@router.put(
    "/admin/settings/integrations", operation_id="update_integrations_1x", response_model=IntegrationSettingsList
)
async def update_integrations_1x(
    body: dict[str, Any], caller: ActiveSpaceAdmin, session: SessionDep, keyring: KeyringDep
) -> dict[str, Any]:
    """1.x shape: `{"<provider>": {fields...}, ...}`; each named provider gets a partial update."""
    unknown = [name for name in body if name not in PROVIDERS]
    if unknown or not all(isinstance(v, dict) for v in body.values()):
        details = [{"field": name, "message": "unknown provider", "type": "value_error"} for name in unknown]
        raise ValidationFailed("Send an object of provider name → settings.", details=details)
    await handlers.update_settings(session, keyring, caller, caller.space_id, body)
    return await _list(session, keyring, caller, caller.space_id)


@router.post(
    "/admin/settings/integrations/test-{provider}",
    operation_id="test_integration_1x",
    response_model=ProviderTestResult,
    response_model_exclude_unset=True,
)
async def test_integration_1x(
    provider: str, caller: ActiveSpaceAdmin, session: SessionDep, keyring: KeyringDep, kit: KitDep
) -> dict[str, Any]:
    handlers.check_provider(provider)
    return await test_provider(session, keyring, kit, caller, caller.space_id, provider, None)
