"""Writes of the import upsert: new titles (many at once) and the update of one matched title.

New titles go in with one multi-row INSERT each for the titles, their claims and their copies. The
claims (provider identity with its data hash, TMDB/IMDb ids) are taken with `ON CONFLICT DO NOTHING`
in (kind, value) order, so racing batches wait on each other in one order and a title whose claim
another title holds is not stored: its row is deleted again and its item is matched anew.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import SmallInteger, cast, func, literal, text, tuple_
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.ext.asyncio import AsyncSession

from library.domain import imports as rules
from library.domain import tags as tag_rules
from library.domain.copies import PURCHASE_COLUMNS, copy_columns
from library.events import record_imported_titles, record_media_event
from library.store import media as store
from library.store import seasons as season_store
from library.store import tags as tag_store
from library.store.tables import copies, media, media_identities
from shelfspace_contracts.media_items import NormalizedItem
from shelfspace_kernel.internal_auth import CallerContext

Row = dict[str, Any]

# Copy fields the provider may leave out: a missing value keeps the stored one (no seasons: those kept).
_KEPT = ("resolution", "edition", "barcode", "location", "condition", *PURCHASE_COLUMNS.values())
_copy = insert(copies)
_merged = {name: func.coalesce(_copy.excluded[name], copies.c[name]) for name in _KEPT}
_merged["season_numbers"] = func.coalesce(
    func.nullif(_copy.excluded.season_numbers, cast(literal("{}"), ARRAY(SmallInteger))), copies.c.season_numbers
)
_UPSERT_COPY = _copy.on_conflict_do_update(
    index_elements=["space_id", "source_provider", "source_external_id"],
    set_={"format": _copy.excluded.format, **_merged, "updated_at": func.now()},
    where=tuple_(copies.c.format, *(copies.c[name] for name in _merged)).is_distinct_from(
        tuple_(_copy.excluded.format, *_merged.values())
    ),
).returning(copies.c.id)
_CLAIM = insert(media_identities).on_conflict_do_nothing().returning(media_identities.c.kind, media_identities.c.value)
_DELETE = text("DELETE FROM media WHERE id = ANY(:ids)")
_SET_PROVIDER = text(
    """
    INSERT INTO media_identities (space_id, kind, value, media_id, content_hash)
    VALUES (:space_id, 'provider', :key, :media_id, :hash)
    ON CONFLICT (space_id, kind, value) DO UPDATE SET content_hash = EXCLUDED.content_hash
    """
)


@dataclass(eq=False)
class NewTitle:
    """A title an item creates: its row, its copy and the identifiers it claims."""

    item: NormalizedItem
    content: str
    row: Row
    copy: Row
    claims: list[tuple[str, str]]


def _copy_row(space_id: uuid.UUID, media_id: uuid.UUID, item: NormalizedItem) -> Row:
    return {
        "id": uuid.uuid4(),
        "space_id": space_id,
        "media_id": media_id,
        **copy_columns(item.owned_copy.model_dump()),
        "source_provider": item.provider,
        "source_external_id": item.external_id,
    }


def new_title(caller: CallerContext, item: NormalizedItem, content: str) -> NewTitle:
    now = datetime.now(UTC)
    row = {"id": uuid.uuid4(), "space_id": caller.space_id, **rules.item_fields(item), "added_by": caller.user_id}
    row |= {"created_at": now, "updated_at": now, "deleted_at": None}
    copy = _copy_row(caller.space_id, row["id"], item)
    row |= store.derived_fields(row, [copy])
    claims = [
        ("provider", rules.provider_key(item)),
        *rules.identity_claims(row["tmdb_id"], row["tmdb_media_type"], row["imdb_id"]),
    ]
    return NewTitle(item, content, row, copy, claims)


async def create_titles(session: AsyncSession, caller: CallerContext, titles: list[NewTitle]) -> list[NewTitle]:
    """Store new titles with their claims, copies and events; returns those that lost a claim (not stored)."""
    await session.execute(insert(media), [title.row for title in titles])
    claims = sorted(
        (
            {
                "space_id": caller.space_id,
                "kind": kind,
                "value": value,
                "media_id": title.row["id"],
                "content_hash": title.content if kind == "provider" else None,
            }
            for title in titles
            for kind, value in title.claims
        ),
        key=lambda claim: (claim["kind"], claim["value"]),
    )
    won = {(row.kind, row.value) for row in await session.execute(_CLAIM, claims)}
    lost = [title for title in titles if not won.issuperset(title.claims)]
    if lost:
        await session.execute(_DELETE, {"ids": [title.row["id"] for title in lost]})
    stored = [title for title in titles if won.issuperset(title.claims)]
    await season_store.add_missing_seasons(session, caller.space_id, _seasons(stored))
    if stored:
        await session.execute(_UPSERT_COPY, [title.copy for title in stored])
    for title in stored:
        await tag_store.add_tags(session, caller.space_id, title.row["id"], tag_rules.distinct(title.item.tags))
    await record_imported_titles(session, caller, [(title.row, title.item.provider) for title in stored])
    return lost


def _seasons(titles: list[NewTitle]) -> list[Row]:
    """The seasons the items list (a show's seasons present on Plex), each with its title's id."""
    return [{**season.model_dump(), "media_id": title.row["id"]} for title in titles for season in title.item.seasons]


async def update_title(
    session: AsyncSession, caller: CallerContext, stored: Row, item: NormalizedItem, content: str
) -> tuple[str, str | None, Row]:
    """Fill the title's gaps and upsert the item's copy; (outcome, reason, the title as it now is)."""
    space_id, media_id = caller.space_id, stored["id"]
    provider = {"space_id": space_id, "key": rules.provider_key(item), "media_id": media_id, "hash": content}
    if stored["deleted_at"] is not None:
        await session.execute(_SET_PROVIDER, provider)
        return "unchanged", "the title is in the trash", stored
    gaps = rules.gaps_to_fill(stored, item)
    if gaps:
        await store.update_media(session, media_id, gaps)
    seasons = [{**season.model_dump(), "media_id": media_id} for season in item.seasons]
    seasons_added = bool(await season_store.add_missing_seasons(session, space_id, seasons))
    copy_changed = (await session.execute(_UPSERT_COPY, _copy_row(space_id, media_id, item))).first() is not None
    await session.execute(_SET_PROVIDER, provider)
    tagged = await tag_store.add_tags(session, space_id, media_id, tag_rules.distinct(item.tags))
    if not gaps and not copy_changed and not tagged and not seasons_added:
        return "unchanged", None, stored
    await store.update_media(session, media_id, {"updated_at": datetime.now(UTC)})
    fresh = await store.refresh_derived(session, media_id)
    if {"tmdb_id", "imdb_id"} & gaps.keys():
        claims = rules.identity_claims(fresh["tmdb_id"], fresh["tmdb_media_type"], fresh["imdb_id"])
        await store.claim_identities(session, space_id, media_id, claims)
    changed = [
        *(["copies"] if copy_changed else []),
        *(["tags"] if tagged else []),
        *(["seasons"] if seasons_added else []),
    ]
    fields = sorted({*gaps, *changed})
    await record_media_event(session, "updated", caller, fresh, source="import", provider=item.provider, fields=fields)
    return "updated", None, fresh
