"""Own covers: set a title's cover from an upload, remove it, and read a rendition for the public route.

The images are decoded and written before the title's row is touched, so a refused or failed upload
changes nothing; the row then names the new key in one short transaction, and the old objects are
deleted only after it committed (a cover is never named without its objects).
"""

import asyncio
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from library.covers import images
from library.covers.storage import CoverStorage
from library.domain import covers
from library.events import record_media_event
from library.handlers.titles import editable_title
from library.store import media as store
from shelfspace_kernel.errors import AppError, ValidationFailed
from shelfspace_kernel.internal_auth import CallerContext

log = structlog.get_logger(__name__)


class CoverTooLarge(AppError):
    status, code = 413, "payload_too_large"


@dataclass
class Covers:
    """What the cover use cases need: the storage, the upload limits and the decoding slots."""

    storage: CoverStorage
    max_bytes: int
    limits: images.Limits
    decoding: asyncio.Semaphore


def refused(message: str) -> ValidationFailed:
    return ValidationFailed(message, details=[{"field": "image", "message": message, "type": "value_error"}])


async def set_cover(
    session: AsyncSession, kit: Covers, caller: CallerContext, media_id: uuid.UUID, data: bytes
) -> dict:
    if len(data) > kit.max_bytes:
        raise CoverTooLarge(f"The image is larger than {kit.max_bytes // (1024 * 1024)} MB.")
    if not data:
        raise refused("Choose an image file.")
    async with session.begin():
        await editable_title(session, caller, media_id)  # 404 / 403 before any decoding
    async with kit.decoding:
        try:
            renditions = await asyncio.to_thread(images.renditions, data, kit.limits)
        except images.RefusedImage as exc:
            raise refused(str(exc)) from exc
    key = covers.new_key()
    try:
        for width, body in renditions.items():
            await kit.storage.put(covers.object_name(key, width), body, images.CONTENT_TYPE)
        async with session.begin():
            row = await editable_title(session, caller, media_id)
            fresh = await _name_cover(session, row, key)
            await record_media_event(session, "cover_set", caller, fresh, fields=["cover"])
    except Exception:
        await _forget(kit.storage, key)
        raise
    if row["cover_key"]:
        await _forget(kit.storage, row["cover_key"])
    return store.to_api(fresh, fresh["copies"])


async def remove_cover(session: AsyncSession, kit: Covers, caller: CallerContext, media_id: uuid.UUID) -> None:
    async with session.begin():
        row = await editable_title(session, caller, media_id)
        if not row["cover_key"]:
            return
        fresh = await _name_cover(session, row, None)
        await record_media_event(session, "cover_removed", caller, fresh, fields=["cover"])
    await _forget(kit.storage, row["cover_key"])


async def read_rendition(storage: CoverStorage, key: str, width: int) -> bytes | None:
    return await storage.get(covers.object_name(key, width))


async def _name_cover(session: AsyncSession, row: dict, key: str | None) -> dict:
    changes = {"cover_key": key, "updated_at": datetime.now(UTC)}
    if key:
        changes["cover_version"] = row["cover_version"] + 1
    await store.update_media(session, row["id"], changes)
    return await store.refresh_derived(session, row["id"])


async def _forget(storage: CoverStorage, key: str) -> None:
    await forget_covers(storage, [key])


async def forget_covers(storage: CoverStorage, keys: list[str]) -> None:
    """Delete covers' objects; a failure leaves unnamed objects behind, which is logged, not raised."""
    if not keys:
        return
    try:
        await storage.delete([name for key in keys for name in covers.object_names(key)])
    except Exception as exc:  # noqa: BLE001 - the titles are already right; the objects are only litter
        log.warning("library.covers.delete_failed", error=type(exc).__name__, covers=len(keys))
