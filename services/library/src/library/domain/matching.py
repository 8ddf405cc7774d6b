"""Which stored title an item is, by the dedupe order the import and the watchlist's `owned` flag share:
TMDB id and type → IMDb id → title + year + type when no stored TMDB/IMDb id contradicts the item's.
The import looks up its provider identity and copy source first (`BatchTitles`).
"""

import uuid
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from library.domain.imports import ids_conflict, provider_key, strong_ids_conflict, tmdb_type
from library.domain.titles import sort_key
from shelfspace_contracts.media_items import NormalizedItem
from shelfspace_contracts.sync import MediaMatchCandidate

Row = dict[str, Any]


def _precedence(row: Row) -> tuple[Any, ...]:
    """Of several titles under one key: live before trashed (the earliest trashed first), then the earliest."""
    deleted = row.get("deleted_at")
    return (0, row["created_at"], row["id"]) if deleted is None else (1, deleted, row["created_at"], row["id"])


class TitleIndex:
    """Titles of one space by TMDB id, IMDb id and (sort key, year, type); a title added again replaces itself."""

    def __init__(self, rows: Iterable[Row] = ()) -> None:
        self._rows: dict[uuid.UUID, Row] = {}
        self._by_tmdb: dict[int, set[uuid.UUID]] = {}
        self._by_imdb: dict[str, set[uuid.UUID]] = {}
        self._by_title: dict[tuple[str, int, str], set[uuid.UUID]] = {}
        for row in rows:
            self.add(row)

    def add(self, row: Row) -> None:
        self._rows[row["id"]] = row
        if row["tmdb_id"]:
            self._by_tmdb.setdefault(row["tmdb_id"], set()).add(row["id"])
        if row["imdb_id"]:
            self._by_imdb.setdefault(row["imdb_id"], set()).add(row["id"])
        if row["year"] is not None:
            self._by_title.setdefault((row["sort_key"], row["year"], row["media_type"]), set()).add(row["id"])

    def get(self, media_id: uuid.UUID | None) -> Row | None:
        return self._rows.get(media_id) if media_id is not None else None

    def drop(self, media_id: uuid.UUID) -> None:
        self._rows.pop(media_id, None)

    def _first(self, ids: Iterable[uuid.UUID], keep: Callable[[Row], bool]) -> Row | None:
        # `keep` checks the key again: a title added again may have left ids under keys it no longer has.
        rows = [row for media_id in ids if (row := self._rows.get(media_id)) is not None and keep(row)]
        return min(rows, key=_precedence, default=None)

    def by_tmdb(self, tmdb_id: int, kind: str | None) -> Row | None:
        """The title with this TMDB id whose TMDB type is this one or unknown."""
        return self._first(
            self._by_tmdb.get(tmdb_id, ()),
            lambda row: row["tmdb_id"] == tmdb_id and row["tmdb_media_type"] in (None, kind),
        )

    def by_imdb(self, imdb_id: str) -> Row | None:
        return self._first(self._by_imdb.get(imdb_id, ()), lambda row: row["imdb_id"] == imdb_id)

    def by_title(self, title: str, year: int, media_type: str, contradicts: Callable[[Row], bool]) -> Row | None:
        """The live title of this title, year and type that no strong identifier of it contradicts."""
        key = (sort_key(title), year, media_type)
        return self._first(
            self._by_title.get(key, ()),
            lambda row: (
                (row["sort_key"], row["year"], row["media_type"]) == key
                and row.get("deleted_at") is None
                and not contradicts(row)
            ),
        )


def tmdb_type_of(candidate: MediaMatchCandidate) -> str:
    """TMDB's type of the candidate's id: a series is `tv`, anything else `movie`."""
    return "tv" if candidate.media_type == "tv_series" else "movie"


def owned_title(titles: TitleIndex, candidate: MediaMatchCandidate) -> uuid.UUID | None:
    """The live title a watchlist candidate is, or None."""
    kind = tmdb_type_of(candidate) if candidate.tmdb_id else None
    found = titles.by_tmdb(candidate.tmdb_id, kind) if candidate.tmdb_id else None
    if found is None and candidate.imdb_id:
        found = titles.by_imdb(candidate.imdb_id)
    if found is None and candidate.year is not None:
        found = titles.by_title(
            candidate.title,
            candidate.year,
            candidate.media_type,
            lambda row: ids_conflict(row, candidate.tmdb_id, kind, candidate.imdb_id),
        )
    return found["id"] if found else None


class _Titled(Protocol):
    title: str
    year: int | None


def title_keys(candidates: Iterable[_Titled]) -> list[str]:
    """The sort keys to look titles up by: those of candidates with a year."""
    return sorted({sort_key(candidate.title) for candidate in candidates if candidate.year is not None})


class BatchTitles:
    """The titles an import batch may match: the stored ones it loaded, then those the batch itself
    creates or changes (`add`), so a later item of the batch finds them as it would in the database."""

    def __init__(
        self,
        titles: TitleIndex,
        by_provider: dict[str, uuid.UUID],
        by_copy_source: dict[tuple[str, str], uuid.UUID],
    ) -> None:
        self._titles = titles
        self._by_provider = by_provider
        self._by_copy_source = by_copy_source

    @classmethod
    def empty(cls) -> "BatchTitles":
        return cls(TitleIndex(), {}, {})

    def drop(self, media_id: uuid.UUID) -> None:
        """A title the batch planned but did not store."""
        self._titles.drop(media_id)

    def add(self, row: Row, item: NormalizedItem) -> None:
        """The item is now this title (created, updated or matched)."""
        self._titles.add(row)
        self._by_provider[provider_key(item)] = row["id"]
        source = (item.provider, item.external_id)
        # A copy of that source stays on the title that holds it; the item's update does not move it.
        if self._titles.get(self._by_copy_source.get(source)) is None:
            self._by_copy_source[source] = row["id"]

    def match(self, item: NormalizedItem) -> Row | None:
        """The title the item is: provider identity → copy source → TMDB id + type → IMDb id → title + year + type."""
        found = self._titles.get(self._by_provider.get(provider_key(item)))
        found = found or self._titles.get(self._by_copy_source.get((item.provider, item.external_id)))
        ids = item.identities
        if found is None and ids.tmdb_id:
            found = self._titles.by_tmdb(ids.tmdb_id, tmdb_type(item))
        if found is None and ids.imdb_id:
            found = self._titles.by_imdb(ids.imdb_id)
        if found is None and item.year is not None:
            found = self._titles.by_title(
                item.title, item.year, item.media_type, lambda row: strong_ids_conflict(row, item)
            )
        return found
