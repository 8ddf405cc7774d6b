"""Which owned title a candidate is (for the watchlist's `owned` flag), matched like the import dedupes:
TMDB id and type → IMDb id → title + year + type when no stored TMDB/IMDb id contradicts the candidate."""

import uuid
from collections.abc import Iterable
from typing import Any

from library.domain.imports import ids_conflict
from library.domain.titles import sort_key
from shelfspace_contracts.sync import MediaMatchCandidate


def tmdb_type(candidate: MediaMatchCandidate) -> str:
    """TMDB's type of the candidate's id: a series is `tv`, anything else `movie`."""
    return "tv" if candidate.media_type == "tv_series" else "movie"


class OwnedTitles:
    """Live titles of one space, indexed the ways a candidate may be matched (earliest first)."""

    def __init__(self, rows: Iterable[dict[str, Any]]) -> None:
        self.by_tmdb: dict[int, list[dict[str, Any]]] = {}
        self.by_imdb: dict[str, list[dict[str, Any]]] = {}
        self.by_title: dict[tuple[str, int, str], list[dict[str, Any]]] = {}
        for row in rows:
            if row["tmdb_id"]:
                self.by_tmdb.setdefault(row["tmdb_id"], []).append(row)
            if row["imdb_id"]:
                self.by_imdb.setdefault(row["imdb_id"], []).append(row)
            if row["year"] is not None:
                self.by_title.setdefault((row["sort_key"], row["year"], row["media_type"]), []).append(row)

    def match(self, candidate: MediaMatchCandidate) -> uuid.UUID | None:
        kind = tmdb_type(candidate) if candidate.tmdb_id else None
        if candidate.tmdb_id:
            for row in self.by_tmdb.get(candidate.tmdb_id, []):
                if row["tmdb_media_type"] in (None, kind):
                    return row["id"]
        if candidate.imdb_id and (rows := self.by_imdb.get(candidate.imdb_id)):
            return rows[0]["id"]
        if candidate.year is None:
            return None
        for row in self.by_title.get((sort_key(candidate.title), candidate.year, candidate.media_type), []):
            if not ids_conflict(row, candidate.tmdb_id, kind, candidate.imdb_id):
                return row["id"]
        return None


def title_keys(candidates: Iterable[MediaMatchCandidate]) -> list[str]:
    """The sort keys to look titles up by: those of candidates with a year."""
    return sorted({sort_key(candidate.title) for candidate in candidates if candidate.year is not None})
