"""Stored titles by the keys the dedupe looks them up by (import upsert and watchlist match).

One query per kind of key, whatever the number of keys: provider identity (primary key), copy source
(`uq_copies_source`), TMDB id (`ix_media_tmdb`), IMDb id (`ix_media_imdb`) and live titles by sort
key (`ix_media_live_title`). Each query probes its index once per key: `CROSS JOIN LATERAL (… OFFSET
0)` keeps the planner from folding the keys into one filtered scan of the whole space, which is what
it picks for `= ANY(keys)` when the tables have no statistics yet (a fresh space, or a server without
autovacuum). For sort keys, the range and the order make the title index the cheapest path with or
without statistics; with `= ANY` and statistics, the planner may take the trigram index instead, at
seconds per query.
"""

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncSession

from library.domain.imports import provider_key
from library.domain.matching import BatchTitles, TitleIndex, title_keys
from shelfspace_contracts.media_items import NormalizedItem

Row = dict[str, Any]
KnownData = dict[str, tuple[uuid.UUID, str | None]]  # provider key → (its title, hash of its last data)
INT4 = 2**31  # TMDB ids beyond the column type cannot be stored, so they match nothing


def _probe(keys: str, lookup: str, found_by: str = "") -> TextClause:
    """`lookup` once per row of `keys` (aliased `k`), with the key columns `found_by` in front of the title's."""
    return text(f"SELECT {found_by}m.* FROM {keys} CROSS JOIN LATERAL ({lookup} OFFSET 0) m")  # noqa: S608


_KNOWN = text(
    "SELECT k.key, i.media_id, i.content_hash FROM unnest(CAST(:keys AS text[])) AS k(key) CROSS JOIN LATERAL"
    " (SELECT media_id, content_hash FROM media_identities"
    "  WHERE space_id = :space_id AND kind = 'provider' AND value = k.key OFFSET 0) i"
)
_BY_PROVIDER = _probe(
    "unnest(CAST(:keys AS text[])) AS k(key)",
    "SELECT m.* FROM media_identities i JOIN media m ON m.id = i.media_id"
    " WHERE i.space_id = :space_id AND i.kind = 'provider' AND i.value = k.key",
    found_by="k.key AS _key, ",
)
_BY_COPY_SOURCE = _probe(
    "unnest(CAST(:providers AS text[]), CAST(:external_ids AS text[])) AS k(provider, external_id)",
    "SELECT m.* FROM copies c JOIN media m ON m.id = c.media_id WHERE c.space_id = :space_id"
    " AND c.source_provider = k.provider AND c.source_external_id = k.external_id",
    found_by="k.provider AS _provider, k.external_id AS _external_id, ",
)
_BY_TMDB = _probe(
    "unnest(CAST(:keys AS integer[])) AS k(key)", "SELECT * FROM media WHERE space_id = :space_id AND tmdb_id = k.key"
)
_BY_IMDB = _probe(
    "unnest(CAST(:keys AS text[])) AS k(key)", "SELECT * FROM media WHERE space_id = :space_id AND imdb_id = k.key"
)
_BY_TITLE = _probe(
    "unnest(CAST(:keys AS text[])) AS k(key)",
    'SELECT * FROM media WHERE space_id = :space_id AND sort_key >= k.key COLLATE "C"'
    ' AND sort_key <= k.key COLLATE "C" AND deleted_at IS NULL ORDER BY sort_key, id',
)


async def _rows(session: AsyncSession, statement: TextClause, params: dict[str, Any]) -> list[Row]:
    return [dict(row) for row in (await session.execute(statement, params)).mappings()]


def _title(row: Row) -> Row:
    """The title's columns of a row that also carries the key it was found by (`_…` columns)."""
    return {name: value for name, value in row.items() if not name.startswith("_")}


async def known_provider_data(session: AsyncSession, space_id: uuid.UUID, keys: Iterable[str]) -> KnownData:
    """What the space knows of these provider keys: their titles and the hash of the data last imported."""
    result = await session.execute(_KNOWN, {"space_id": space_id, "keys": sorted(set(keys))})
    return {row.key: (row.media_id, row.content_hash) for row in result}


async def titles_by_ids_and_title(
    session: AsyncSession,
    space_id: uuid.UUID,
    tmdb_ids: Iterable[int | None],
    imdb_ids: Iterable[str | None],
    sort_keys: list[str],
) -> list[Row]:
    """Titles with one of these TMDB or IMDb ids (live or trashed), and live titles with one of these sort keys."""
    lookups = [
        (_BY_TMDB, sorted({tmdb_id for tmdb_id in tmdb_ids if tmdb_id is not None and 0 < tmdb_id < INT4})),
        (_BY_IMDB, sorted({imdb_id for imdb_id in imdb_ids if imdb_id})),
        (_BY_TITLE, sort_keys),
    ]
    rows = []
    for statement, keys in lookups:
        if keys:
            rows += await _rows(session, statement, {"space_id": space_id, "keys": keys})
    return rows


async def batch_titles(session: AsyncSession, space_id: uuid.UUID, items: list[NormalizedItem]) -> BatchTitles:
    """The stored titles these items may be, indexed for the import's dedupe."""
    titles = TitleIndex()
    by_provider: dict[str, uuid.UUID] = {}
    keys = sorted({provider_key(item) for item in items})
    for row in await _rows(session, _BY_PROVIDER, {"space_id": space_id, "keys": keys}):
        titles.add(_title(row))
        by_provider[row["_key"]] = row["id"]
    by_copy_source: dict[tuple[str, str], uuid.UUID] = {}
    sources = {"providers": [item.provider for item in items], "external_ids": [item.external_id for item in items]}
    for row in await _rows(session, _BY_COPY_SOURCE, {"space_id": space_id, **sources}):
        titles.add(_title(row))
        by_copy_source[(row["_provider"], row["_external_id"])] = row["id"]
    ids = [item.identities for item in items]
    for row in await titles_by_ids_and_title(
        session, space_id, [i.tmdb_id for i in ids], [i.imdb_id for i in ids], title_keys(items)
    ):
        titles.add(row)
    return BatchTitles(titles, by_provider, by_copy_source)


async def find_match(session: AsyncSession, space_id: uuid.UUID, item: NormalizedItem) -> Row | None:
    """The stored title this one item is, by the dedupe order; None when it is new."""
    return (await batch_titles(session, space_id, [item])).match(item)
