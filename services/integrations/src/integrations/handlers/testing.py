"""The test of a provider's settings: an actionable answer, recorded as the provider's status."""

import asyncio
import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from integrations.adapters.barcode import Barcode
from integrations.adapters.http import ProviderKit
from integrations.adapters.plex import Plex
from integrations.adapters.tmdb import Tmdb
from integrations.adapters.trakt import Trakt
from integrations.adapters.vision import Vision
from integrations.crypto import Keyring
from integrations.handlers.settings import record_test, typed_credentials, typed_settings
from shelfspace_kernel.errors import AppError
from shelfspace_kernel.internal_auth import CallerContext

SECRET_REQUIRED = {"tmdb": True, "plex": True, "barcode": False, "vision": False, "trakt": False}


async def _probe(kit: ProviderKit, space_id: uuid.UUID, provider: str, config: Any, secret: str | None) -> dict:
    if provider == "tmdb":
        return {"detail": await Tmdb(kit, space_id, config, secret or "").check()}
    if provider == "barcode":
        return {"detail": await Barcode(kit, space_id, config, secret).check()}
    if provider == "vision":
        return {"detail": await Vision(kit, space_id, config, secret).check()}
    if provider == "trakt":
        return {"detail": await Trakt(kit, space_id, config, secret).check()}
    kit.limiter.acquire(space_id, "plex")
    info = await asyncio.to_thread(Plex(config, secret or "", kit).server_info)
    sections = [s.model_dump() for s in info.sections]
    detail = f"Connected to {info.name} (Plex {info.version}); {len(sections)} movie or show sections."
    return {"detail": detail, "server_name": info.name, "version": info.version, "sections": sections}


async def test_provider(
    session: AsyncSession,
    keyring: Keyring,
    kit: ProviderKit,
    caller: CallerContext,
    space_id: uuid.UUID,
    provider: str,
    typed: dict[str, Any] | None,
) -> dict[str, Any]:
    """`{ok, detail, ...}` for the settings as typed (`typed`: the fields of an update over the saved
    ones; nothing is saved); a failure is an answer (ok false), not an error. The outcome becomes the
    provider's status only when the tested settings are the saved ones."""
    settings = await typed_settings(session, space_id, provider, typed or {})  # a malformed field is a 422
    try:
        config, secret = await typed_credentials(
            session, keyring, caller, space_id, settings, secret_required=SECRET_REQUIRED[provider]
        )
        result = {"ok": True, **await _probe(kit, space_id, provider, config, secret)}
    except AppError as exc:
        result = {"ok": False, "detail": exc.message, "reason": exc.code}
    if settings.is_saved:
        await record_test(session, caller, space_id, provider, result["ok"], result["detail"])
    return {"provider": provider, **result, "saved_settings": settings.is_saved}
