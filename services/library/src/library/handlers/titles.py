"""Titles: create, read, edit, trash and restore, with the space's rules checked here."""

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from library.api.schemas import MediaIn, MediaPatch
from library.domain import covers
from library.domain import tags as tag_rules
from library.domain.access import can_edit, ensure_can_edit, is_admin
from library.domain.copies import copy_columns
from library.domain.imports import identity_claims
from library.domain.titles import cast_characters, recast_characters
from library.events import record_media_event
from library.store import loans
from library.store import media as store
from library.store import tags as tag_store
from shelfspace_kernel.errors import Conflict, NotFound, ValidationFailed
from shelfspace_kernel.internal_auth import CallerContext

_STRONG_IDS = ("tmdb_id", "tmdb_media_type", "imdb_id")
# `uq_copies_source`: one copy per (provider, external id) in a space, also within one new title's copies.
DUPLICATE_SOURCE = Conflict("Another copy in this space already has that source provider and external id.")


def _column_values(fields: dict) -> dict:
    """API field names → columns (`cast` is stored as `cast_members`)."""
    values = dict(fields)
    if "cast" in values:
        values["cast_members"] = values.pop("cast")
    if values.get("cast_characters") is not None:
        values["cast_characters"] = cast_characters(values["cast_members"], values["cast_characters"])
        if not any(values["cast_characters"]):
            values["cast_characters"] = None
    return values


def _default_tmdb_type(values: dict, media_type: str) -> None:
    if values.get("tmdb_id") and not values.get("tmdb_media_type"):
        values["tmdb_media_type"] = "tv" if media_type == "tv_series" else "movie"


def new_copy_row(space_id: uuid.UUID, media_id: uuid.UUID, fields: dict, now: datetime) -> dict:
    return {
        "id": uuid.uuid4(),
        "space_id": space_id,
        "media_id": media_id,
        **copy_columns(fields),
        "created_at": now,
        "updated_at": now,
    }


async def create_title(session: AsyncSession, caller: CallerContext, body: MediaIn) -> dict:
    if any(copy.season_numbers for copy in body.copies):
        # A copy holds recorded seasons only (handlers/seasons.py), and a new title has none yet.
        message = "Record the show's seasons first, then say which ones each copy holds."
        raise ValidationFailed(details=[{"field": "copies.season_numbers", "message": message}])
    space_id = caller.space_id
    now = datetime.now(UTC)
    values = _column_values(body.model_dump(exclude={"copies", "tags"}))
    _default_tmdb_type(values, values["media_type"])
    row = {"id": uuid.uuid4(), "space_id": space_id, **values, "added_by": caller.user_id}
    row |= {"created_at": now, "updated_at": now}
    copies = [new_copy_row(space_id, row["id"], copy.model_dump(), now) for copy in body.copies]
    # A microsecond apart, so the title lists its copies in the order the request gave them.
    for index, copy in enumerate(copies):
        copy["created_at"] = copy["updated_at"] = now + timedelta(microseconds=index)
    row |= store.derived_fields(row, copies)
    try:
        async with session.begin():
            await store.insert_media(session, row)
            for copy in copies:
                await store.insert_copy(session, copy)
            claims = identity_claims(row["tmdb_id"], row["tmdb_media_type"], row["imdb_id"])
            await store.claim_identities(session, space_id, row["id"], claims)
            await store.adjust_live_count(session, space_id, 1)
            tags = await tag_store.set_tags(session, space_id, row["id"], tag_rules.distinct(body.tags))
            await record_media_event(session, "created", caller, row)
    except IntegrityError as exc:
        raise DUPLICATE_SOURCE from exc
    return {**store.to_api(row, copies), "tags": tags}


async def editable_title(session: AsyncSession, caller: CallerContext, media_id: uuid.UUID) -> dict:
    """The live title, locked for the change; 404 in another space, 403 when the caller may not edit."""
    row = await store.get_media(session, caller.space_id, media_id, lock=True)
    if row is None:
        raise NotFound()
    ensure_can_edit(caller, row["added_by"])
    return row


async def update_title(session: AsyncSession, caller: CallerContext, media_id: uuid.UUID, body: MediaPatch) -> dict:
    async with session.begin():
        row = await editable_title(session, caller, media_id)
        values = _column_values(body.model_dump(exclude_unset=True, exclude={"tags"}))
        if "cast_members" in values and "cast_characters" not in values:
            values["cast_characters"] = recast_characters(
                row["cast_members"], row["cast_characters"], values["cast_members"]
            )
        _default_tmdb_type(values, values.get("media_type", row["media_type"]))
        if row["cover_key"] and values.get("poster_url") == covers.poster_url(row["cover_key"], None):
            del values["poster_url"]  # the own cover as shown, sent back by a form: not an external poster
        retagged = False
        if body.tags is not None:
            before = (await tag_store.tags_of(session, [media_id]))[media_id]
            tags = await tag_store.set_tags(session, caller.space_id, media_id, tag_rules.distinct(body.tags))
            retagged = [tag_rules.key(name) for name in before] != [tag_rules.key(name) for name in tags]
        return await apply_changes(session, caller, row, values, also_changed=["tags"] if retagged else [])


async def apply_changes(
    session: AsyncSession,
    caller: CallerContext,
    row: dict,
    values: dict,
    *,
    exclusive_ids: bool = False,
    also_changed: list[str] | None = None,
) -> dict:
    """Store the columns of `values` that differ, re-claim its ids, record the event; the title as the API shows it.

    With `exclusive_ids`, an id another title of the space holds raises 409 (the transaction rolls back).
    `also_changed` names what the caller changed besides the columns (tags, the show's seasons), for the event.
    """
    media_id = row["id"]
    changes = {name: value for name, value in values.items() if row[name] != value}
    tags = (await tag_store.tags_of(session, [media_id]))[media_id]
    if not changes and not also_changed:
        return {**store.to_api(row, (await store.copies_of(session, [media_id]))[media_id]), "tags": tags}
    await store.update_media(session, media_id, {**changes, "updated_at": datetime.now(UTC)})
    fresh = await store.refresh_derived(session, media_id)
    if any(name in changes for name in _STRONG_IDS):
        await store.release_identities(session, media_id, ["tmdb", "imdb"])
        claims = identity_claims(fresh["tmdb_id"], fresh["tmdb_media_type"], fresh["imdb_id"])
        lost = await store.claim_identities(session, caller.space_id, media_id, claims)
        if lost and exclusive_ids:
            raise await duplicate_identity(session, caller.space_id, lost[0])
    await record_media_event(session, "updated", caller, fresh, fields=sorted([*changes, *(also_changed or [])]))
    return {**store.to_api(fresh, fresh["copies"]), "tags": tags}


async def duplicate_identity(session: AsyncSession, space_id: uuid.UUID, claim: tuple[str, str]) -> Conflict:
    """409 naming the title that already holds `claim`, pointing at the merge flow."""
    holder = await store.identity_holder(session, space_id, *claim)
    return duplicate_title(holder, "TMDB" if claim[0] == "tmdb" else "IMDb")


def duplicate_title(holder: dict | None, kind: str) -> Conflict:
    name = f"“{holder['title']}”" if holder else "Another title"
    where = " (in the trash: restore it first)" if holder and holder["deleted_at"] else ""
    return Conflict(
        f"{name}{where} already has this {kind} id in this space: merge the two titles instead (Library → Duplicates).",
        code="duplicate_title",
        details=[{"field": "tmdb_id", "message": "taken", "media_id": str(holder["id"]) if holder else None}],
    )


async def trash_title(session: AsyncSession, caller: CallerContext, media_id: uuid.UUID) -> None:
    async with session.begin():
        row = await editable_title(session, caller, media_id)
        await store.update_media(session, media_id, {"deleted_at": datetime.now(UTC), "deleted_by": caller.user_id})
        await store.adjust_live_count(session, caller.space_id, -1)
        await record_media_event(session, "deleted", caller, row, source="trash")


async def restore_title(session: AsyncSession, caller: CallerContext, media_id: uuid.UUID) -> dict:
    async with session.begin():
        row = await store.get_media(session, caller.space_id, media_id, trashed=True, lock=True)
        if row is None:
            raise NotFound()
        ensure_can_edit(caller, row["added_by"])
        await store.update_media(session, media_id, {"deleted_at": None, "deleted_by": None})
        await store.adjust_live_count(session, caller.space_id, 1)
        await record_media_event(session, "restored", caller, row, source="trash")
        copies = (await store.copies_of(session, [media_id]))[media_id]
        tags = (await tag_store.tags_of(session, [media_id]))[media_id]
    return {**store.to_api({**row, "deleted_at": None}, copies), "tags": tags}


_ANNOTATIONS_FOR = text(
    "SELECT * FROM annotations WHERE media_id = :media_id AND (user_id = :user_id OR visibility = 'shared')"
    " ORDER BY updated_at DESC, id"
)


def annotation_out(row: dict, *, own: bool = True) -> dict:
    """An annotation as the API shows it; whether it is watched is read from `watched_at` (migration 0014).
    Another member's shared annotation says whether they watched it, never when."""
    keys = ("user_id", "rating", "notes", "visibility", "updated_at")
    watched = {"watched": row["watched_at"] is not None, "watched_at": row["watched_at"] if own else None}
    return {key: row[key] for key in keys} | watched


async def title_detail(session: AsyncSession, caller: CallerContext, media_id: uuid.UUID) -> dict:
    """A live title with its copies, the caller's annotation and the space's shared annotations."""
    async with session.begin():
        row = await store.get_media(session, caller.space_id, media_id)
        if row is None:
            raise NotFound()
        copies = (await store.copies_of(session, [media_id]))[media_id]
        notes = (await session.execute(_ANNOTATIONS_FOR, {"media_id": media_id, "user_id": caller.user_id})).mappings()
        notes = [dict(note) for note in notes]
        lent = await loans.open_of_title(session, media_id, datetime.now(UTC))
        tags = (await tag_store.tags_of(session, [media_id]))[media_id]
    out = {**store.to_api(row, copies), "tags": tags}
    for copy in out["copies"]:
        copy["loan"] = lent.get(copy["id"])
    own = [note for note in notes if note["user_id"] == caller.user_id]
    out["annotation"] = annotation_out(own[0]) if own else None
    out["watched_at"] = own[0]["watched_at"] if own else None
    out["shared_annotations"] = [annotation_out(note, own=False) for note in notes if note["user_id"] != caller.user_id]
    out["can_edit"] = can_edit(caller, row["added_by"])
    out["cast_characters"] = cast_characters(row["cast_members"], row["cast_characters"])
    return out


def may_see_all_trash(caller: CallerContext) -> bool:
    return is_admin(caller)
