"""Lookups (API.md "Lookups"): members of the active space, with the space's provider settings."""

import asyncio
import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Query, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from integrations.adapters.plex import Plex
from integrations.api.deps import ArtworkLimiterDep, KeyringDep, KitDep, SettingsDep, SpaceViewerDep
from integrations.api.schemas import BarcodeCandidates, CoverCandidates
from integrations.domain.artwork import EXTENSIONS, image_type
from integrations.domain.barcode import normalize_upc
from integrations.errors import UnsupportedArtwork
from integrations.handlers import lookups
from integrations.handlers.settings import credentials
from shelfspace_contracts.integrations import TmdbSearchResult, TmdbTitle
from shelfspace_contracts.roles import SpaceRole
from shelfspace_kernel.caller import require_space_role
from shelfspace_kernel.db import SessionDep
from shelfspace_kernel.errors import ValidationFailed
from shelfspace_kernel.internal_auth import CallerContext

router = APIRouter(prefix="/api", tags=["lookups"])
# An image from another server, served from our origin: never sniffed, never a document that runs script.
ARTWORK_HEADERS = {
    "cache-control": "private, max-age=86400",
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'; sandbox",
}
Member = Annotated[CallerContext, Depends(require_space_role(SpaceRole.MEMBER))]


class TmdbSearch(BaseModel):
    model_config = ConfigDict(extra="ignore")

    query: str = Field(min_length=1, max_length=200)
    year: int | None = Field(default=None, ge=1870, le=2100)
    media_type: Literal["movie", "tv"] = "movie"


class UpcLookup(BaseModel):
    upc: str = Field(min_length=1, max_length=32)


@router.post("/media/search-tmdb", operation_id="search_tmdb")
async def search_tmdb(
    body: TmdbSearch, caller: Member, session: SessionDep, keyring: KeyringDep, kit: KitDep
) -> TmdbSearchResult:
    tmdb = await lookups.tmdb_for(session, keyring, kit, caller)
    return TmdbSearchResult(items=await tmdb.search(body.query.strip(), body.media_type, body.year))


@router.get("/media/tmdb/{tmdb_id}", operation_id="get_tmdb_details")
async def tmdb_details(
    tmdb_id: Annotated[int, Field(gt=0)],
    caller: Member,
    session: SessionDep,
    keyring: KeyringDep,
    kit: KitDep,
    media_type: Literal["movie", "tv"] = "movie",
) -> TmdbTitle:
    tmdb = await lookups.tmdb_for(session, keyring, kit, caller)
    return await tmdb.details(tmdb_id, media_type)


@router.post("/media/lookup-upc", operation_id="lookup_upc")
async def lookup_upc(
    body: UpcLookup, caller: Member, session: SessionDep, keyring: KeyringDep, kit: KitDep
) -> BarcodeCandidates:
    upc = normalize_upc(body.upc)
    if upc is None:
        raise ValidationFailed(
            details=[{"field": "upc", "message": "a UPC or EAN has 8, 12, 13 or 14 digits", "type": "value_error"}]
        )
    return BarcodeCandidates(items=await lookups.lookup_upc(session, keyring, kit, caller, upc))


@router.post("/media/recognize-cover", operation_id="recognize_cover")
async def recognize_cover(
    caller: Member,
    session: SessionDep,
    keyring: KeyringDep,
    kit: KitDep,
    settings: SettingsDep,
    image: Annotated[UploadFile, File()],
) -> CoverCandidates:
    data = await image.read(settings.vision_max_image_bytes + 1)
    items = await lookups.recognize_cover(session, keyring, kit, caller, data, settings.vision_max_image_bytes)
    return CoverCandidates(items=items)


@router.get(
    "/spaces/{space_id}/integrations/plex/artwork",
    operation_id="get_plex_artwork",
    response_class=Response,
    responses={200: {"content": {media_type: {} for media_type in EXTENSIONS}, "description": "The image"}},
)
async def plex_artwork(
    space_id: uuid.UUID,
    caller: SpaceViewerDep,
    session: SessionDep,
    keyring: KeyringDep,
    kit: KitDep,
    settings: SettingsDep,
    limiter: ArtworkLimiterDep,
    path: Annotated[str, Query(max_length=300)],
) -> Response:
    """A Plex thumb for the browser: fetched here with the token, so the token never leaves the service.

    Served only when the bytes are a JPEG, PNG, WebP or GIF, with the type they are (not the one Plex named).
    """
    limiter.acquire(space_id, "artwork")
    config, token = await credentials(session, keyring, caller, space_id, "plex")
    plex = Plex(config, token or "", kit)
    body, _ = await asyncio.to_thread(plex.artwork, path, settings.artwork_max_bytes)
    media_type = image_type(body)
    if media_type is None:
        raise UnsupportedArtwork()
    disposition = f'inline; filename="artwork.{EXTENSIONS[media_type]}"'
    return Response(body, media_type=media_type, headers={**ARTWORK_HEADERS, "content-disposition": disposition})
