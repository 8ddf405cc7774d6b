"""Watchlist entries (Trakt JSON, plex.tv discover JSON) turned into normalized titles.

Identities come from the provider's own ids (Trakt `ids`) or from Plex `Guid` children
(`imdb://`, `tmdb://`, `tvdb://`); values that are not valid ids are left out, never guessed.
"""

import re
from typing import Any
from urllib.parse import urlsplit

from integrations.domain.plex_items import identities as plex_identities
from shelfspace_contracts.media_items import Identities, NormalizedItem

_IMDB = re.compile(r"^tt\d{5,10}$")
_KINDS = {"movie": "movie", "show": "tv_series"}


def _positive_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    return value if isinstance(value, int) and value > 0 else None


def _year(value: Any) -> int | None:
    year = _positive_int(value)
    return year if year and 1870 <= year <= 2100 else None


def _text(value: Any, limit: int) -> str | None:
    return str(value).strip()[:limit] or None if value else None


def _genres(values: Any) -> list[str]:
    names = [str(v.get("tag") if isinstance(v, dict) else v or "").strip() for v in values or []]
    return list(dict.fromkeys(n for n in names if n))[:50]


def trakt_identities(ids: dict[str, Any], kind: str) -> Identities:
    tmdb = _positive_int(ids.get("tmdb"))
    imdb = ids.get("imdb")
    return Identities(
        tmdb_id=tmdb,
        tmdb_media_type=("movie" if kind == "movie" else "tv") if tmdb else None,
        imdb_id=imdb if isinstance(imdb, str) and _IMDB.match(imdb) else None,
        tvdb_id=_positive_int(ids.get("tvdb")),
    )


def normalize_trakt(entry: dict[str, Any]) -> NormalizedItem | None:
    """A Trakt list entry (`{type, movie|show}`); None for seasons, episodes and entries without a title."""
    kind = entry.get("type") or ("movie" if "movie" in entry else "show" if "show" in entry else None)
    raw = entry.get(kind) if kind in _KINDS else None
    if not isinstance(raw, dict) or not isinstance(kind, str):
        return None
    raw_ids = raw.get("ids")
    ids: dict[str, Any] = raw_ids if isinstance(raw_ids, dict) else {}
    title = _text(raw.get("title"), 500)
    trakt_id = _positive_int(ids.get("trakt"))
    if not title or not trakt_id:
        return None
    runtime = _positive_int(raw.get("runtime"))
    return NormalizedItem(
        provider="trakt",
        external_id=f"{kind}:{trakt_id}",
        title=title,
        media_type=_KINDS[kind],
        year=_year(raw.get("year")),
        runtime_minutes=runtime if runtime and runtime <= 100000 else None,
        overview=_text(raw.get("overview"), 10000),
        genres=_genres(raw.get("genres")),
        identities=trakt_identities(ids, kind),
    )


def public_image(url: Any) -> str | None:
    """Only absolute https images without a token in them (plex.tv's metadata images are public)."""
    if not isinstance(url, str) or len(url) > 2000:
        return None
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.netloc or "token" in parts.query.lower():
        return None
    return url


def guid_ids(entry: dict[str, Any]) -> list[str]:
    """The `Guid` children's ids of a discover item (JSON: `"Guid": [{"id": "imdb://tt…"}]`)."""
    return [g["id"] for g in entry.get("Guid") or [] if isinstance(g, dict) and isinstance(g.get("id"), str)]


def normalize_plex_watchlist(entry: dict[str, Any]) -> NormalizedItem | None:
    """A plex.tv discover item (a watchlisted movie or show); None for other types or without a title."""
    kind = entry.get("type")
    title = _text(entry.get("title"), 500)
    rating_key = _text(entry.get("ratingKey"), 200)
    if kind not in _KINDS or not title or not rating_key:
        return None
    duration = _positive_int(entry.get("duration"))
    original = _text(entry.get("originalTitle"), 500)
    return NormalizedItem(
        provider="plex_watchlist",
        external_id=rating_key,
        title=title,
        original_title=original if original != title else None,
        media_type=_KINDS[kind],
        year=_year(entry.get("year")),
        runtime_minutes=round(duration / 60000) if duration else None,
        overview=_text(entry.get("summary"), 10000),
        poster_url=public_image(entry.get("thumb")),
        genres=_genres(entry.get("Genre")),
        season_count=_positive_int(entry.get("childCount")) if kind == "show" else None,
        identities=plex_identities(guid_ids(entry), kind),
    )
