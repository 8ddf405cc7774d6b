"""Service-to-service routes the sync service calls: the import upserts and the owned-title match."""

import uuid

from fastapi import APIRouter

from library.api.schemas import MediaOut
from library.handlers.imports import import_batch
from library.handlers.matching import match_owned
from library.handlers.records import import_records
from library.handlers.tmdb_details import apply_tmdb_details
from library.handlers.watched import import_watched
from shelfspace_contracts.exports import RecordBatch
from shelfspace_contracts.library import TmdbDetailsApply, WatchedImport, WatchedImportResult
from shelfspace_contracts.media_items import ImportBatch, ImportBatchResult
from shelfspace_contracts.sync import MediaMatchQuery, MediaMatchResult
from shelfspace_kernel.caller import ServiceCallerDep
from shelfspace_kernel.db import SessionDep

router = APIRouter(prefix="/internal", tags=["internal"])


@router.post("/media/import", operation_id="import_media", response_model=ImportBatchResult)
async def import_media(batch: ImportBatch, caller: ServiceCallerDep, session: SessionDep) -> ImportBatchResult:
    """Upsert a batch of normalized items into the caller's space."""
    return await import_batch(session, caller, batch)


@router.post("/media/records", operation_id="import_media_records", response_model=ImportBatchResult)
async def import_media_records(batch: RecordBatch, caller: ServiceCallerDep, session: SessionDep) -> ImportBatchResult:
    """Upsert full exported titles (a Shelfspace JSON export's) into the caller's space."""
    return await import_records(session, caller, batch)


@router.post("/media/match", operation_id="match_media", response_model=MediaMatchResult)
async def match_media(query: MediaMatchQuery, caller: ServiceCallerDep, session: SessionDep) -> MediaMatchResult:
    """Which of these titles the caller's space owns (live titles), one answer per item in order."""
    return await match_owned(session, caller, query)


@router.post("/media/watched", operation_id="import_watched", response_model=WatchedImportResult)
async def import_media_watched(
    batch: WatchedImport, caller: ServiceCallerDep, session: SessionDep
) -> WatchedImportResult:
    """A provider's watched states of one user for titles of the caller's space (later dates win)."""
    return await import_watched(session, caller, batch)


@router.post("/media/{media_id}/tmdb", operation_id="apply_tmdb_details", response_model=MediaOut)
async def apply_tmdb(
    media_id: uuid.UUID, body: TmdbDetailsApply, caller: ServiceCallerDep, session: SessionDep
) -> dict:
    """TMDB's details for a title of the caller's space (match or refresh), with the caller's edit rights."""
    return await apply_tmdb_details(session, caller, media_id, body)
