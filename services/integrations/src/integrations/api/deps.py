"""Dependencies of the integrations routes: the keyring, the provider kit, and space checks."""

import uuid
from typing import Annotated

from fastapi import Depends, Request

from integrations.adapters.http import ProviderKit, RateLimiter
from integrations.crypto import Keyring
from integrations.settings import IntegrationsSettings
from shelfspace_contracts.roles import SpaceRole
from shelfspace_kernel.caller import CallerDep, space_role_of
from shelfspace_kernel.errors import Forbidden, NotFound
from shelfspace_kernel.internal_auth import CallerContext


def _keyring(request: Request) -> Keyring:
    return request.app.state.keyring


def _kit(request: Request) -> ProviderKit:
    return request.app.state.provider_kit


def _import_kit(request: Request) -> ProviderKit:
    return request.app.state.import_provider_kit


def _settings(request: Request) -> IntegrationsSettings:
    return request.app.state.integrations_settings


def _artwork_limiter(request: Request) -> RateLimiter:
    return request.app.state.artwork_limiter


KeyringDep = Annotated[Keyring, Depends(_keyring)]
KitDep = Annotated[ProviderKit, Depends(_kit)]
# Import jobs' provider calls: the same kit with a budget of their own, so an import does not starve
# the Add page (and the Add page does not fail an import's lookups).
ImportKitDep = Annotated[ProviderKit, Depends(_import_kit)]
SettingsDep = Annotated[IntegrationsSettings, Depends(_settings)]
ArtworkLimiterDep = Annotated[RateLimiter, Depends(_artwork_limiter)]


def in_path_space(caller: CallerContext, space_id: uuid.UUID, minimum: SpaceRole) -> CallerContext:
    """The path's space must be the one the caller was authorized for (else 404), with the role (else 403)."""
    if caller.space_id != space_id:
        raise NotFound()
    if not space_role_of(caller).at_least(minimum):
        raise Forbidden()
    return caller


def admin_of_path_space(caller: CallerDep, space_id: uuid.UUID) -> CallerContext:
    return in_path_space(caller, space_id, SpaceRole.ADMIN)


def viewer_of_path_space(caller: CallerDep, space_id: uuid.UUID) -> CallerContext:
    return in_path_space(caller, space_id, SpaceRole.VIEWER)


SpaceAdminDep = Annotated[CallerContext, Depends(admin_of_path_space)]
SpaceViewerDep = Annotated[CallerContext, Depends(viewer_of_path_space)]
