"""Lookups for adding a title: TMDB search and details, barcodes and cover photos with TMDB matches."""

import asyncio

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from integrations.adapters.barcode import Barcode
from integrations.adapters.http import ProviderKit
from integrations.adapters.tmdb import Tmdb
from integrations.adapters.vision import Vision, check_image
from integrations.crypto import Keyring
from integrations.domain.tmdb import TmdbType, best_match
from integrations.errors import ProviderNotConfigured
from integrations.handlers.settings import credentials
from shelfspace_contracts.integrations import BarcodeCandidate, CoverCandidate, TmdbTitle
from shelfspace_kernel.errors import AppError
from shelfspace_kernel.internal_auth import CallerContext

log = structlog.get_logger(__name__)


async def tmdb_for(session: AsyncSession, keyring: Keyring, kit: ProviderKit, caller: CallerContext) -> Tmdb:
    config, token = await credentials(session, keyring, caller, caller.space_id, "tmdb")
    return Tmdb(kit, caller.space_id, config, token or "")


async def _optional_tmdb(
    session: AsyncSession, keyring: Keyring, kit: ProviderKit, caller: CallerContext
) -> Tmdb | None:
    """TMDB when the space has it; matches are a bonus, so a missing or broken TMDB is not an error."""
    try:
        return await tmdb_for(session, keyring, kit, caller)
    except AppError as exc:
        log.info("integrations.lookup.no_tmdb_matches", reason=exc.code)
        return None


async def _match(tmdb: Tmdb | None, title: str, year: int | None, media_type: TmdbType) -> TmdbTitle | None:
    if tmdb is None:
        return None
    try:
        found = await tmdb.search(title, media_type, year)
        if not found and year is not None:
            found = await tmdb.search(title, media_type)
    except AppError as exc:
        log.info("integrations.lookup.match_failed", reason=exc.code)
        return None
    return best_match(found, year)


async def lookup_upc(
    session: AsyncSession, keyring: Keyring, kit: ProviderKit, caller: CallerContext, upc: str
) -> list[BarcodeCandidate]:
    config, token = await credentials(session, keyring, caller, caller.space_id, "barcode", secret_required=False)
    candidates = await Barcode(kit, caller.space_id, config, token).lookup(upc)
    tmdb = await _optional_tmdb(session, keyring, kit, caller)
    matches = await asyncio.gather(*(_match(tmdb, c.title, c.year, "movie") for c in candidates))
    return [c.model_copy(update={"match": m}) for c, m in zip(candidates, matches, strict=True)]


async def recognize_cover(
    session: AsyncSession,
    keyring: Keyring,
    kit: ProviderKit,
    caller: CallerContext,
    image: bytes,
    max_bytes: int,
) -> list[CoverCandidate]:
    mime = check_image(image, max_bytes)
    config, token = await credentials(session, keyring, caller, caller.space_id, "vision", secret_required=False)
    if config.model_dump() == type(config)().model_dump() and token is None:
        raise ProviderNotConfigured("Cover recognition is not set up for this space: configure the vision settings.")
    titles = await Vision(kit, caller.space_id, config, token).recognize(image, mime)
    tmdb = await _optional_tmdb(session, keyring, kit, caller)
    matches = await asyncio.gather(*(_match(tmdb, t["title"], t["year"], t["media_type"]) for t in titles))
    return [CoverCandidate(**t, match=m) for t, m in zip(titles, matches, strict=True)]
