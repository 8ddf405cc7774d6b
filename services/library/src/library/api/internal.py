"""Service-to-service routes: the import upsert that the sync service calls."""

from fastapi import APIRouter

from library.handlers.imports import import_batch
from shelfspace_contracts.media_items import ImportBatch, ImportBatchResult
from shelfspace_kernel.caller import ServiceCallerDep
from shelfspace_kernel.db import SessionDep

router = APIRouter(prefix="/internal", tags=["internal"])


@router.post("/media/import", operation_id="import_media", response_model=ImportBatchResult)
async def import_media(batch: ImportBatch, caller: ServiceCallerDep, session: SessionDep) -> ImportBatchResult:
    """Upsert a batch of normalized items into the caller's space."""
    return await import_batch(session, caller, batch)
