"""Reads and writes of single titles and their copies (SQL on the caller's transaction)."""

import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from library.domain import covers, titles
from library.domain.copies import purchase_of
from library.store.tables import COPY_COLUMNS

Row = dict[str, Any]

_MEDIA_BY_ID = "SELECT * FROM media WHERE id = :id AND space_id = :space_id"
_COPIES_OF = text("SELECT * FROM copies WHERE media_id = ANY(:ids) ORDER BY created_at, id")


async def get_media(
    session: AsyncSession, space_id: uuid.UUID, media_id: uuid.UUID, *, trashed: bool | None = False, lock: bool = False
) -> Row | None:
    """A title of this space; `trashed` False = live only, True = trash only, None = either."""
    sql = _MEDIA_BY_ID
    if trashed is False:
        sql += " AND deleted_at IS NULL"
    elif trashed is True:
        sql += " AND deleted_at IS NOT NULL"
    if lock:
        sql += " FOR UPDATE"
    row = (await session.execute(text(sql), {"id": media_id, "space_id": space_id})).mappings().first()
    return dict(row) if row else None


async def copies_of(session: AsyncSession, media_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[Row]]:
    found: dict[uuid.UUID, list[Row]] = {media_id: [] for media_id in media_ids}
    if media_ids:
        for row in (await session.execute(_COPIES_OF, {"ids": media_ids})).mappings():
            found[row["media_id"]].append(dict(row))
    return found


def derived_fields(row: Row, copies: list[Row]) -> Row:
    """Columns computed from the others: sort title and key, facets, search text."""
    return {
        "sort_title": titles.sort_title(row["title"]),
        "sort_key": titles.sort_key(row["title"]),
        "facets": titles.facets(
            media_type=row["media_type"],
            genres=row["genres"],
            directors=row["directors"],
            cast=row["cast_members"],
            added_by=row.get("added_by"),
            copies=copies,
            poster_url=row.get("poster_url") or row.get("cover_key"),
        ),
        "search_text": titles.search_text(
            row["title"],
            row.get("original_title"),
            [*row["directors"], *row["cast_members"]],
            [copy["barcode"] for copy in copies if copy.get("barcode")],
        ),
    }


def _assignments(values: Row) -> str:
    return ", ".join(f"{name} = :{name}" for name in values)


async def insert_media(session: AsyncSession, row: Row) -> None:
    names = ", ".join(row)
    params = ", ".join(f":{name}" for name in row)
    await session.execute(text(f"INSERT INTO media ({names}) VALUES ({params})"), row)  # noqa: S608 - fixed names


async def update_media(session: AsyncSession, media_id: uuid.UUID, changes: Row) -> None:
    if changes:
        sql = f"UPDATE media SET {_assignments(changes)} WHERE id = :_id"  # noqa: S608 - column names are ours
        await session.execute(text(sql), {**changes, "_id": media_id})


async def refresh_derived(session: AsyncSession, media_id: uuid.UUID) -> Row:
    """Recompute the derived columns after the title or its copies changed; returns the fresh row."""
    row = dict((await session.execute(text("SELECT * FROM media WHERE id = :id"), {"id": media_id})).mappings().one())
    copies = (await copies_of(session, [media_id]))[media_id]
    fresh = derived_fields(row, copies)
    changed = {name: value for name, value in fresh.items() if row[name] != value}
    await update_media(session, media_id, changed)
    row.update(changed)
    row["copies"] = copies
    return row


async def insert_copy(session: AsyncSession, copy: Row) -> None:
    names = [name for name in COPY_COLUMNS if name in copy]
    sql = f"INSERT INTO copies ({', '.join(names)}) VALUES ({', '.join(':' + n for n in names)})"  # noqa: S608
    await session.execute(text(sql), copy)


async def get_copy(session: AsyncSession, media_id: uuid.UUID, copy_id: uuid.UUID) -> Row | None:
    row = (
        (
            await session.execute(
                text("SELECT * FROM copies WHERE id = :id AND media_id = :media_id"),
                {"id": copy_id, "media_id": media_id},
            )
        )
        .mappings()
        .first()
    )
    return dict(row) if row else None


async def update_copy(session: AsyncSession, copy_id: uuid.UUID, changes: Row) -> None:
    if changes:
        sql = f"UPDATE copies SET {_assignments(changes)}, updated_at = now() WHERE id = :_id"  # noqa: S608
        await session.execute(text(sql), {**changes, "_id": copy_id})


async def delete_copy(session: AsyncSession, copy_id: uuid.UUID) -> None:
    # A removed copy's loans go with it (their key is checked only at commit, see 0010_loans).
    await session.execute(text("DELETE FROM loans WHERE copy_id = :id"), {"id": copy_id})
    await session.execute(text("DELETE FROM copies WHERE id = :id"), {"id": copy_id})


async def claim_identities(
    session: AsyncSession, space_id: uuid.UUID, media_id: uuid.UUID, claims: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    """Claim identifiers for a title; returns the ones another title already holds."""
    lost = []
    for kind, value in claims:
        got = await session.scalar(
            text(
                "INSERT INTO media_identities (space_id, kind, value, media_id) VALUES (:space_id, :kind, :value, :media_id)"
                " ON CONFLICT DO NOTHING RETURNING media_id"
            ),
            {"space_id": space_id, "kind": kind, "value": value, "media_id": media_id},
        )
        if got is None:
            holder = await session.scalar(
                text("SELECT media_id FROM media_identities WHERE space_id = :s AND kind = :k AND value = :v"),
                {"s": space_id, "k": kind, "v": value},
            )
            if holder != media_id:
                lost.append((kind, value))
    return lost


async def identity_holder(session: AsyncSession, space_id: uuid.UUID, kind: str, value: str) -> Row | None:
    """The title (id, title, deleted_at) that holds an identifier in the space."""
    found = await session.execute(
        text(
            "SELECT m.id, m.title, m.deleted_at FROM media_identities i JOIN media m ON m.id = i.media_id"
            " WHERE i.space_id = :s AND i.kind = :k AND i.value = :v"
        ),
        {"s": space_id, "k": kind, "v": value},
    )
    row = found.mappings().first()
    return dict(row) if row else None


async def release_identities(session: AsyncSession, media_id: uuid.UUID, kinds: list[str]) -> None:
    await session.execute(
        text("DELETE FROM media_identities WHERE media_id = :id AND kind = ANY(:kinds)"),
        {"id": media_id, "kinds": kinds},
    )


async def adjust_live_count(session: AsyncSession, space_id: uuid.UUID, delta: int) -> None:
    """Keep the per-space count of live titles that an unfiltered list reports as its exact total."""
    if delta:
        await session.execute(
            text(
                "INSERT INTO space_counts (space_id, live) VALUES (:space_id, :delta)"
                " ON CONFLICT (space_id) DO UPDATE SET live = space_counts.live + EXCLUDED.live"
            ),
            {"space_id": space_id, "delta": delta},
        )


async def live_count(session: AsyncSession, space_id: uuid.UUID) -> int:
    value = await session.scalar(text("SELECT live FROM space_counts WHERE space_id = :s"), {"s": space_id})
    return int(value or 0)


def to_api(row: Row, copies: list[Row]) -> Row:
    """A title as the API shows it."""
    out = {key: row.get(key) for key in API_FIELDS}
    out["poster_url"] = covers.poster_url(row.get("cover_key"), row.get("poster_url"))
    out["cover_urls"] = covers.cover_urls(row.get("cover_key"))
    out["cast"] = row["cast_members"]
    for name in SEASON_COUNTS:
        out[name] = row.get(name) or 0
    out["copies"] = [copy_to_api(copy) for copy in copies]
    return out


def copy_to_api(copy: Row) -> Row:
    return {
        **{key: copy[key] for key in COPY_API_FIELDS},
        "season_numbers": copy.get("season_numbers") or [],
        "purchase": purchase_of(copy),
    }


# The fields of a title and of a copy as the API shows them (json_rows builds the same in SQL).
API_FIELDS = (
    "id",
    "space_id",
    "title",
    "original_title",
    "sort_title",
    "media_type",
    "year",
    "runtime_minutes",
    "overview",
    "poster_url",
    "backdrop_url",
    "genres",
    "directors",
    "season_count",
    "episode_count",
    "tmdb_id",
    "tmdb_media_type",
    "imdb_id",
    "tvdb_id",
    "rating",
    "notes",
    "added_by",
    "added_by_name",
    "created_at",
    "updated_at",
)
# Kept by triggers (migration 0016) and NULL in rows restored from older merge snapshots: read as 0.
SEASON_COUNTS = ("seasons_owned", "seasons_total")
COPY_API_FIELDS = (
    "id",
    "format",
    "edition",
    "barcode",
    "region",
    "location",
    "notes",
    "resolution",
    "source_provider",
    "source_external_id",
    "condition",
)
