"""Import rules: which stored title an imported item is, and what the import may change on it.

Dedupe order: provider identity → TMDB id and type → IMDb id → title + year + type, the last one
only when no strong identifier stored on the candidate contradicts the item's.
An import fills gaps (fields that are empty on the title) and never overwrites what a person entered.
"""

import hashlib
from typing import Any

from shelfspace_contracts.media_items import NormalizedItem

# Fields an import fills when the stored title has no value yet.
GAP_FIELDS = (
    "original_title",
    "year",
    "runtime_minutes",
    "overview",
    "poster_url",
    "genres",
    "directors",
    "cast_members",
    "tmdb_id",
    "tmdb_media_type",
    "imdb_id",
    "tvdb_id",
    "rating",
    "season_count",
    "episode_count",
)


def provider_key(item: NormalizedItem) -> str:
    return f"{item.provider}:{item.external_id}"


def content_hash(item: NormalizedItem) -> str:
    """Fingerprint of everything the provider said; an equal one means nothing to do.

    Seasons and tags count only when there are some, so an item without them hashes as it did
    before they existed.
    """
    left_out: dict[str, Any] = {name: True for name in ("seasons", "tags") if not getattr(item, name)}
    if not item.owned_copy.season_numbers:
        left_out["owned_copy"] = {"season_numbers"}
    return hashlib.sha256(item.model_dump_json(exclude=left_out or None).encode()).hexdigest()[:32]


def tmdb_type(item: NormalizedItem) -> str | None:
    """TMDB's own type of the item (`movie` or `tv`), inferred from the media type when not given."""
    ids = item.identities
    if not ids.tmdb_id:
        return None
    return ids.tmdb_media_type or ("tv" if item.media_type == "tv_series" else "movie")


def item_fields(item: NormalizedItem) -> dict[str, Any]:
    """The title columns an item provides."""
    ids = item.identities
    return {
        "title": item.title,
        "original_title": item.original_title,
        "media_type": item.media_type,
        "year": item.year,
        "runtime_minutes": item.runtime_minutes,
        "overview": item.overview,
        "poster_url": item.poster_url,
        "genres": list(item.genres),
        "directors": list(item.directors),
        "cast_members": list(item.cast),
        "tmdb_id": ids.tmdb_id,
        "tmdb_media_type": tmdb_type(item),
        "imdb_id": ids.imdb_id,
        "tvdb_id": ids.tvdb_id,
        "rating": item.rating,
        "season_count": item.season_count,
        "episode_count": item.episode_count,
    }


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def gaps_to_fill(stored: dict[str, Any], item: NormalizedItem) -> dict[str, Any]:
    """The stored title's empty fields that the item has a value for."""
    fields = item_fields(item)
    changes = {name: fields[name] for name in GAP_FIELDS if _empty(stored.get(name)) and not _empty(fields[name])}
    if "tmdb_id" in changes and not _empty(stored.get("tmdb_media_type")):
        changes.pop("tmdb_media_type", None)
    return changes


def strong_ids_conflict(stored: dict[str, Any], item: NormalizedItem) -> bool:
    """True when the stored title and the item carry different TMDB or IMDb ids (so different titles)."""
    ids = item.identities
    return ids_conflict(stored, ids.tmdb_id, ids.tmdb_media_type, ids.imdb_id)


def ids_conflict(stored: dict[str, Any], tmdb_id: int | None, tmdb_media_type: str | None, imdb_id: str | None) -> bool:
    """True when the stored title carries a TMDB or IMDb id (or TMDB type) other than these."""
    if stored.get("tmdb_id") and tmdb_id:
        if stored["tmdb_id"] != tmdb_id:
            return True
        if stored.get("tmdb_media_type") and tmdb_media_type and stored["tmdb_media_type"] != tmdb_media_type:
            return True
    return bool(stored.get("imdb_id") and imdb_id and stored["imdb_id"] != imdb_id)


def identity_claims(tmdb_id: int | None, tmdb_media_type: str | None, imdb_id: str | None) -> list[tuple[str, str]]:
    """The strong identifiers a new title claims, so two racing imports cannot both create it."""
    claims = []
    if tmdb_id:
        claims.append(("tmdb", f"{tmdb_media_type or '?'}:{tmdb_id}"))
    if imdb_id:
        claims.append(("imdb", imdb_id))
    return claims
