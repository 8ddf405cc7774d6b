"""Internal API for the sync service: normalized provider pages, so secrets stay in this service.

The space is the caller's (from the signed context); errors use the codes listed in
shelfspace_contracts.integrations.PROVIDER_ERROR_CODES.
"""

import asyncio
import uuid
from typing import Annotated, Literal, cast

from fastapi import APIRouter, Path, Query

from integrations.adapters.plex import MAX_PAGE, Plex
from integrations.api.deps import ImportKitDep, KeyringDep, KitDep
from integrations.api.lookups import TmdbSearch
from integrations.domain.providers import PlexConfig, selected_section_keys
from integrations.handlers import imports, lookups, watchlists
from integrations.handlers.settings import credentials, load
from shelfspace_contracts.collectz import IntegrationImport, IntegrationImportResult
from shelfspace_contracts.integrations import (
    PlexSectionChoice,
    PlexSectionList,
    TmdbSearchResult,
    TmdbStatus,
    TmdbTitle,
)
from shelfspace_contracts.media_items import ProviderPage
from shelfspace_kernel.caller import ServiceCallerDep
from shelfspace_kernel.db import SessionDep
from shelfspace_kernel.errors import NotFound, ValidationFailed
from shelfspace_kernel.internal_auth import CallerContext

router = APIRouter(prefix="/internal", tags=["internal"])


def _space(caller: CallerContext) -> uuid.UUID:
    if caller.space_id is None:
        raise ValidationFailed("The caller context names no space.", code="no_space")
    return caller.space_id


async def _plex_config(
    session: SessionDep, keyring: KeyringDep, kit: KitDep, caller: CallerContext
) -> tuple[PlexConfig, Plex]:
    space_id = _space(caller)
    config, token = await credentials(session, keyring, caller, space_id, "plex")
    kit.limiter.acquire(space_id, "plex")
    plex_config = cast(PlexConfig, config)
    return plex_config, Plex(plex_config, token or "", kit)


async def _plex(session: SessionDep, keyring: KeyringDep, kit: KitDep, caller: CallerContext) -> Plex:
    return (await _plex_config(session, keyring, kit, caller))[1]


@router.get("/plex/sections", operation_id="internal_plex_sections")
async def plex_sections(
    caller: ServiceCallerDep, session: SessionDep, keyring: KeyringDep, kit: KitDep
) -> PlexSectionList:
    """The server's movie and show sections; `selected` marks those the space chose to import."""
    config, plex = await _plex_config(session, keyring, kit, caller)
    info = await asyncio.to_thread(plex.server_info)
    chosen = selected_section_keys(config, [section.key for section in info.sections])
    sections = [PlexSectionChoice(**section.model_dump(), selected=section.key in chosen) for section in info.sections]
    return PlexSectionList(server_name=info.name, sections=sections)


@router.get("/plex/sections/{section_key}/items", operation_id="internal_plex_section_items")
async def plex_section_items(
    section_key: str,
    caller: ServiceCallerDep,
    session: SessionDep,
    keyring: KeyringDep,
    kit: KitDep,
    start: Annotated[int, Query(ge=0)] = 0,
    size: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 200,
) -> ProviderPage:
    plex = await _plex(session, keyring, kit, caller)
    page = await asyncio.to_thread(plex.page, _space(caller), section_key, start, size)
    total = page.total
    # The next page starts after what Plex returned, even when some items were not importable.
    returned = min(size, max(total - start, 0))
    next_start = start + returned if start + returned < total else None
    return ProviderPage(items=page.items, start=start, total=total, next_start=next_start, watched=page.watched)


@router.get("/tmdb/{media_type}/{tmdb_id}", operation_id="internal_tmdb_details")
async def tmdb_details(
    media_type: Literal["movie", "tv"],
    tmdb_id: Annotated[int, Path(gt=0, lt=2**31)],
    caller: ServiceCallerDep,
    session: SessionDep,
    keyring: KeyringDep,
    kit: KitDep,
) -> TmdbTitle:
    """TMDB's details of a title with the caller space's TMDB settings (a title page's match or refresh)."""
    _space(caller)
    tmdb = await lookups.tmdb_for(session, keyring, kit, caller)
    return await tmdb.details(tmdb_id, media_type)


@router.get("/{provider}/watchlist", operation_id="internal_watchlist")
async def watchlist(
    provider: str,
    caller: ServiceCallerDep,
    session: SessionDep,
    keyring: KeyringDep,
    kit: KitDep,
    start: Annotated[int, Query(ge=0)] = 0,
    size: Annotated[int, Query(ge=1, le=watchlists.MAX_SIZE)] = 100,
) -> ProviderPage:
    """A page of the watchlist at `plex` (the space's Plex account, on plex.tv) or `trakt` (the calling
    user's link); 404 provider_not_linked when there is nothing linked to read."""
    read = watchlists.READERS.get(provider)
    if read is None:
        raise NotFound("No watchlist provider by that name.")
    _space(caller)
    return await read(session, keyring, kit, caller, start, size)


@router.post("/imports/integrations", operation_id="internal_import_integrations")
async def import_integrations(
    body: IntegrationImport, caller: ServiceCallerDep, session: SessionDep, keyring: KeyringDep
) -> IntegrationImportResult:
    """collectZ's provider settings for the mapped spaces, secrets sealed under this service's key."""
    return await imports.import_settings(session, keyring, caller, body)


@router.get("/tmdb/status", operation_id="internal_tmdb_status")
async def tmdb_status(caller: ServiceCallerDep, session: SessionDep) -> TmdbStatus:
    """Whether the space has a TMDB key stored (not whether it works): a file import offers enrichment then."""
    stored = await load(session, _space(caller), "tmdb")
    return TmdbStatus(configured=stored.sealed is not None)


@router.post("/tmdb/search", operation_id="internal_tmdb_search")
async def tmdb_search(
    body: TmdbSearch, caller: ServiceCallerDep, session: SessionDep, keyring: KeyringDep, kit: ImportKitDep
) -> TmdbSearchResult:
    """The Add page's TMDB search for an import job, counted against the imports' own rate budget."""
    _space(caller)
    tmdb = await lookups.tmdb_for(session, keyring, kit, caller)
    items = await tmdb.search(body.query.strip(), body.media_type, body.year)
    return TmdbSearchResult(items=items)
