"""The wishlist: titles a space wants to own, and "Got it", which turns a wish into an owned copy.

A wish is matched against the library by the import's dedupe order (`title_lookup.find_match`:
TMDB id and type → IMDb id → title + year + type unless a strong id contradicts): a wish for a live
title is refused, and "Got it" adds the copy to the title it matches or creates the title. "Got it"
locks the wish first, so of two racing calls one fulfils it and the other finds it gone (404).
Members change the wishes they added, admins any; viewers read.
"""

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from library.api.wish_schemas import GotItIn, WishIn, WishPatch
from library.domain import cursor as cursors
from library.domain.access import can_edit, ensure_can_edit
from library.domain.imports import identity_claims, item_fields, tmdb_type
from library.events import record_media_event, record_wish_event
from library.handlers.imports import ATTEMPTS
from library.handlers.seasons import check_copy_seasons
from library.handlers.title_lookup import find_match
from library.handlers.titles import DUPLICATE_SOURCE, new_copy_row
from library.store import media as media_store
from library.store import tags as tag_store
from library.store import wishes as store
from library.store.listing import COUNT_CAP
from shelfspace_contracts.media_items import Identities, NormalizedItem
from shelfspace_kernel.errors import Conflict, NotFound
from shelfspace_kernel.internal_auth import CallerContext

Row = dict[str, Any]
PROVIDER = "wishlist"
# Fields that decide which title a wish is: a change of one is checked against the library again.
_IDENTITY_FIELDS = {"title", "year", "media_type", "tmdb_id", "imdb_id"}
_ALREADY_WISHED = Conflict("This title is already on the wishlist.", code="already_wished")
_CHANGED = Conflict("The library changed while this was saved; try again.", code="changed_concurrently")
_OUT_FIELDS = (
    "id",
    "title",
    "year",
    "media_type",
    "tmdb_id",
    "imdb_id",
    "poster_url",
    "priority",
    "format_wanted",
    "notes",
    "added_by",
    "created_at",
    "updated_at",
)


class _LostRace(Exception):
    """Another transaction claimed the new title's identifiers first; match again."""


def _item(wish: Row) -> NormalizedItem:
    """The wish as an import item, for the import's dedupe and title fields."""
    return NormalizedItem(
        provider=PROVIDER,
        external_id=str(wish["id"]),
        title=wish["title"],
        media_type=wish["media_type"],
        year=wish["year"],
        poster_url=wish["poster_url"],
        identities=Identities(tmdb_id=wish["tmdb_id"], imdb_id=wish["imdb_id"]),
    )


def wish_out(wish: Row, caller: CallerContext) -> Row:
    return {**{name: wish[name] for name in _OUT_FIELDS}, "can_edit": can_edit(caller, wish["added_by"])}


def _already_owned(title: Row) -> Conflict:
    name = title["title"] + (f" ({title['year']})" if title["year"] else "")
    return Conflict(
        f"{name} is already in the library; add a copy to it instead.",
        code="already_owned",
        details=[{"field": "title", "message": "already owned", "media_id": str(title["id"])}],
    )


async def _refuse_owned(session: AsyncSession, space_id: uuid.UUID, wish: Row) -> None:
    found = await find_match(session, space_id, _item(wish))
    if found is not None and found["deleted_at"] is None:
        raise _already_owned(found)


async def _editable(session: AsyncSession, caller: CallerContext, wish_id: uuid.UUID) -> Row:
    """The wish, locked for the change; 404 in another space, 403 when the caller may not change it."""
    wish = await store.get_wish(session, caller.space_id, wish_id, lock=True)
    if wish is None:
        raise NotFound()
    ensure_can_edit(caller, wish["added_by"])
    return wish


async def list_wishes(session: AsyncSession, caller: CallerContext, limit: int, cursor_token: str | None) -> Row:
    """The space's wishes, most wanted first (priority 1), then oldest first."""
    after = None
    if cursor_token:
        cursor = cursors.decode(cursor_token, sort="priority", order="asc")
        after = (*cursors.priority_value(cursor), cursor.id)
    async with session.begin():
        rows, found = await store.page(session, caller.space_id, limit, after)
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        value = [last["priority"], last["created_at"].isoformat()]
        next_cursor = cursors.encode(cursors.Cursor("priority", "asc", value, last["id"]))
    return {
        "items": [wish_out(row, caller) for row in rows],
        "next_cursor": next_cursor,
        "total": min(found, COUNT_CAP),
        "total_is_lower_bound": found > COUNT_CAP,
    }


async def create_wish(session: AsyncSession, caller: CallerContext, body: WishIn) -> Row:
    now = datetime.now(UTC)
    wish = {"id": uuid.uuid4(), "space_id": caller.space_id, **body.model_dump()}
    wish |= {
        "tmdb_media_type": tmdb_type(_item(wish)),
        "added_by": caller.user_id,
        "created_at": now,
        "updated_at": now,
    }
    try:
        async with session.begin():
            await _refuse_owned(session, caller.space_id, wish)
            await store.insert_wish(session, wish)
            await record_wish_event(session, "created", caller, wish)
    except IntegrityError as exc:
        raise _ALREADY_WISHED from exc
    return wish_out(wish, caller)


async def update_wish(session: AsyncSession, caller: CallerContext, wish_id: uuid.UUID, body: WishPatch) -> Row:
    try:
        async with session.begin():
            wish = await _editable(session, caller, wish_id)
            changes = {k: v for k, v in body.model_dump(exclude_unset=True).items() if wish[k] != v}
            if not changes:
                return wish_out(wish, caller)
            fresh = {**wish, **changes}
            fresh |= {"tmdb_media_type": tmdb_type(_item(fresh)), "updated_at": datetime.now(UTC)}
            if _IDENTITY_FIELDS & changes.keys():
                await _refuse_owned(session, caller.space_id, fresh)
            await store.update_wish(
                session, wish_id, {k: fresh[k] for k in [*changes, "tmdb_media_type", "updated_at"]}
            )
            await record_wish_event(session, "updated", caller, fresh, fields=sorted(changes))
    except IntegrityError as exc:
        raise _ALREADY_WISHED from exc
    return wish_out(fresh, caller)


async def delete_wish(session: AsyncSession, caller: CallerContext, wish_id: uuid.UUID) -> None:
    async with session.begin():
        wish = await _editable(session, caller, wish_id)
        await store.delete_wish(session, wish_id)
        await record_wish_event(session, "deleted", caller, wish)


async def _new_title(session: AsyncSession, caller: CallerContext, wish: Row, now: datetime) -> Row:
    """The wish as a new title of the space; _LostRace when another title holds its TMDB or IMDb id."""
    row = {"id": uuid.uuid4(), "space_id": caller.space_id, **item_fields(_item(wish))}
    row |= {"added_by": caller.user_id, "created_at": now, "updated_at": now}
    row |= media_store.derived_fields(row, [])
    await media_store.insert_media(session, row)
    if await media_store.claim_identities(
        session, caller.space_id, row["id"], identity_claims(row["tmdb_id"], row["tmdb_media_type"], row["imdb_id"])
    ):
        raise _LostRace()
    await media_store.adjust_live_count(session, caller.space_id, 1)
    return row


async def _owning_title(session: AsyncSession, caller: CallerContext, wish: Row, now: datetime) -> tuple[str, Row]:
    """("created" | "updated", the title the wish becomes): the one it matches, else a new one."""
    for _ in range(ATTEMPTS):
        try:
            async with session.begin_nested():
                found = await find_match(session, caller.space_id, _item(wish))
                if found is None:
                    return "created", await _new_title(session, caller, wish, now)
                if found["deleted_at"] is not None:
                    raise Conflict(
                        f"{found['title']} is in the trash; restore it, then add the copy to it.",
                        code="title_in_trash",
                        details=[{"field": "title", "message": "in the trash", "media_id": str(found["id"])}],
                    )
                return "updated", found
        except _LostRace:
            continue
    raise _CHANGED


async def got_it(session: AsyncSession, caller: CallerContext, wish_id: uuid.UUID, body: GotItIn) -> Row:
    """In one transaction: the title (matched or created), the copy bought, the wish gone, the events."""
    now = datetime.now(UTC)
    try:
        async with session.begin():
            wish = await _editable(session, caller, wish_id)
            verb, title = await _owning_title(session, caller, wish, now)
            await check_copy_seasons(session, title, body.copy_.season_numbers)
            copy = new_copy_row(caller.space_id, title["id"], body.copy_.model_dump(), now)
            await media_store.insert_copy(session, copy)
            if verb == "updated":
                await media_store.update_media(session, title["id"], {"updated_at": now})
            fresh = await media_store.refresh_derived(session, title["id"])
            await record_media_event(session, verb, caller, fresh, fields=["copies"] if verb == "updated" else [])
            await store.delete_wish(session, wish_id)
            await record_wish_event(session, "fulfilled", caller, wish, media_id=title["id"])
            tags = (await tag_store.tags_of(session, [title["id"]]))[title["id"]]
    except IntegrityError as exc:
        raise DUPLICATE_SOURCE from exc
    return {"media": {**media_store.to_api(fresh, fresh["copies"]), "tags": tags}}
