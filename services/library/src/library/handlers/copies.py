"""Copies owned of a title, and each user's annotation of it."""

import uuid
from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from library.api.schemas import AnnotationIn, CopyIn, CopyPatch
from library.domain.copies import copy_columns
from library.events import record_media_event, record_watched_events, recorder, watched_envelope
from library.handlers.seasons import check_copy_seasons
from library.handlers.titles import DUPLICATE_SOURCE, annotation_out, editable_title, new_copy_row
from library.store import media as store
from library.store import watched as watched_store
from shelfspace_contracts.library import AnnotationSaved, CopyChanged
from shelfspace_kernel.errors import NotFound
from shelfspace_kernel.internal_auth import CallerContext


async def _touch(session: AsyncSession, caller: CallerContext, media_id: uuid.UUID, change: str, copy: dict) -> dict:
    await store.update_media(session, media_id, {"updated_at": datetime.now(UTC)})
    fresh = await store.refresh_derived(session, media_id)
    shown = store.copy_to_api(copy)
    changed = CopyChanged(
        id=copy["id"], change=change, format=copy["format"], condition=shown["condition"], purchase=shown["purchase"]
    )
    await record_media_event(session, "updated", caller, fresh, fields=["copies"], copy_changed=changed)
    return fresh


async def add_copy(session: AsyncSession, caller: CallerContext, media_id: uuid.UUID, body: CopyIn) -> dict:
    copy = new_copy_row(caller.space_id, media_id, body.model_dump(), datetime.now(UTC))
    try:
        async with session.begin():
            title = await editable_title(session, caller, media_id)
            await check_copy_seasons(session, title, body.season_numbers)
            await store.insert_copy(session, copy)
            await _touch(session, caller, media_id, "added", copy)
    except IntegrityError as exc:
        raise DUPLICATE_SOURCE from exc
    return store.copy_to_api(copy)


async def _owned_copy(
    session: AsyncSession, caller: CallerContext, media_id: uuid.UUID, copy_id: uuid.UUID
) -> tuple[dict, dict]:
    """The title and its copy, for a change of the copy."""
    title = await editable_title(session, caller, media_id)
    copy = await store.get_copy(session, media_id, copy_id)
    if copy is None:
        raise NotFound()
    return title, copy


async def update_copy(
    session: AsyncSession, caller: CallerContext, media_id: uuid.UUID, copy_id: uuid.UUID, body: CopyPatch
) -> dict:
    try:
        async with session.begin():
            title, copy = await _owned_copy(session, caller, media_id, copy_id)
            changes = {k: v for k, v in copy_columns(body.model_dump(exclude_unset=True)).items() if copy[k] != v}
            await check_copy_seasons(session, title, changes.get("season_numbers"))
            if changes:
                await store.update_copy(session, copy_id, changes)
                await _touch(session, caller, media_id, "edited", {**copy, **changes})
    except IntegrityError as exc:
        raise DUPLICATE_SOURCE from exc
    return store.copy_to_api({**copy, **changes})


async def delete_copy(session: AsyncSession, caller: CallerContext, media_id: uuid.UUID, copy_id: uuid.UUID) -> None:
    async with session.begin():
        _, copy = await _owned_copy(session, caller, media_id, copy_id)
        await store.delete_copy(session, copy_id)
        await _touch(session, caller, media_id, "removed", copy)


# `watched` is written in step with `watched_at`, the watched state's one truth (migration 0014):
# true keeps a known date (else now, by hand), false clears the state, null leaves it as it is.
_UPSERT_ANNOTATION = text(
    """
    INSERT INTO annotations AS a (id, space_id, media_id, user_id, rating, notes, watched, visibility,
        watched_at, play_count, watched_source)
    VALUES (:id, :space_id, :media_id, :user_id, :rating, :notes, coalesce(:watched, false), :visibility,
        CASE WHEN :watched THEN now() END, CASE WHEN :watched THEN 1 ELSE 0 END,
        CASE WHEN :watched THEN 'manual' END)
    ON CONFLICT (media_id, user_id) DO UPDATE SET rating = EXCLUDED.rating, notes = EXCLUDED.notes,
        visibility = EXCLUDED.visibility, updated_at = now(),
        watched = coalesce(:watched, a.watched),
        watched_at = CASE WHEN :watched IS NULL THEN a.watched_at
            WHEN :watched THEN coalesce(a.watched_at, now()) END,
        play_count = CASE WHEN :watched IS NULL THEN a.play_count
            WHEN :watched THEN greatest(a.play_count, 1) ELSE 0 END,
        watched_source = CASE WHEN :watched IS NULL THEN a.watched_source
            WHEN :watched THEN coalesce(a.watched_source, 'manual') END
    RETURNING *
    """
)


async def put_annotation(session: AsyncSession, caller: CallerContext, media_id: uuid.UUID, body: AnnotationIn) -> dict:
    async with session.begin():
        title = await store.get_media(session, caller.space_id, media_id)
        if title is None:
            raise NotFound()
        params = {"id": uuid.uuid4(), "space_id": caller.space_id, "media_id": media_id, "user_id": caller.user_id}
        before = await watched_store.of_user(session, media_id, caller.user_id)
        row = dict((await session.execute(_UPSERT_ANNOTATION, {**params, **body.model_dump()})).mappings().one())
        data = AnnotationSaved(visibility=body.visibility, rated=body.rating is not None)
        await recorder.record(
            session,
            "library.annotation.saved",
            caller=caller,
            entity_type="media",
            entity_id=media_id,
            data=data.model_dump(),
        )
        was_watched = before is not None and before["watched_at"] is not None
        if was_watched != (row["watched_at"] is not None):
            verb, state = ("watched", row) if row["watched_at"] is not None else ("unwatched", before)
            await record_watched_events(session, [watched_envelope(verb, caller, title, state)])
    return annotation_out(row)
