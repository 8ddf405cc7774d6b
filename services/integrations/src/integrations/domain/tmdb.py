"""TMDB answers turned into normalized titles (pure: raw JSON in, TmdbTitle out)."""

from typing import Any, Literal

from shelfspace_contracts.integrations import TmdbTitle
from shelfspace_contracts.media_items import Identities, SeasonItem

TmdbType = Literal["movie", "tv"]
TOP_CAST = 10


def year_of(date: str | None) -> int | None:
    if not date or len(date) < 4 or not date[:4].isdigit():
        return None
    year = int(date[:4])
    return year if 1870 <= year <= 2100 else None


def image_url(base: str, size: str, path: str | None) -> str | None:
    return f"{base}/{size}{path}" if path else None


def _text(value: Any, limit: int) -> str | None:
    return str(value).strip()[:limit] or None if value else None


def _rating(value: Any) -> float | None:
    try:
        rating = float(value)
    except (TypeError, ValueError):
        return None
    return rating if 0 < rating <= 10 else None


def _names(entries: list[dict[str, Any]] | None, limit: int = 50) -> list[str]:
    names = [str(entry.get("name", "")).strip() for entry in entries or []]
    return list(dict.fromkeys(name for name in names if name))[:limit]


def _cast(credits: dict[str, Any]) -> list[tuple[str, str | None]]:
    """The top of the billing as (name, character), each name once."""
    billed = sorted(credits.get("cast") or [], key=lambda c: c.get("order", 999))
    cast: dict[str, str | None] = {}
    for entry in billed:
        name = str(entry.get("name") or "").strip()
        if name and name not in cast:
            cast[name] = _text(entry.get("character"), 200)
    return list(cast.items())[:TOP_CAST]


def _identities(raw: dict[str, Any], media_type: TmdbType) -> Identities:
    external = raw.get("external_ids") or {}
    imdb = raw.get("imdb_id") or external.get("imdb_id")
    tvdb = external.get("tvdb_id")
    return Identities(
        tmdb_id=int(raw["id"]),
        tmdb_media_type=media_type,
        imdb_id=imdb if isinstance(imdb, str) and imdb.startswith("tt") and imdb[2:].isdigit() else None,
        tvdb_id=tvdb if isinstance(tvdb, int) and tvdb > 0 else None,
    )


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and 0 <= value <= 100000 else None


def seasons(entries: Any) -> list[SeasonItem]:
    """A show's `seasons` (details only, 0 being "Specials"), once each by number; others passed over."""
    found: dict[int, SeasonItem] = {}
    for entry in entries if isinstance(entries, list) else []:
        number = entry.get("season_number") if isinstance(entry, dict) else None
        if not isinstance(number, int) or not 0 <= number <= 999 or number in found:
            continue
        found[number] = SeasonItem(
            number=number,
            name=_text(entry.get("name"), 200),
            year=year_of(entry.get("air_date")),
            episode_count=_count(entry.get("episode_count")),
        )
    return [found[number] for number in sorted(found)]


def normalize(raw: dict[str, Any], media_type: TmdbType, image_base: str) -> TmdbTitle | None:
    """A search result or a details answer; None when TMDB gave no usable title."""
    is_movie = media_type == "movie"
    title = _text(raw.get("title") if is_movie else raw.get("name"), 500)
    if not title or not raw.get("id"):
        return None
    original = _text(raw.get("original_title") if is_movie else raw.get("original_name"), 500)
    runtimes = [raw.get("runtime")] if is_movie else list(raw.get("episode_run_time") or [])
    runtime = next((int(r) for r in runtimes if isinstance(r, int | float) and r > 0), None)
    credits = raw.get("credits") or {}
    directors = (
        [c.get("name", "") for c in credits.get("crew") or [] if c.get("job") == "Director"]
        if is_movie
        else [c.get("name", "") for c in raw.get("created_by") or []]
    )
    cast = _cast(credits)
    return TmdbTitle(
        provider="tmdb",
        external_id=f"{media_type}:{raw['id']}",
        title=title,
        original_title=original if original != title else None,
        media_type="movie" if is_movie else "tv_series",
        year=year_of(raw.get("release_date") if is_movie else raw.get("first_air_date")),
        runtime_minutes=runtime,
        overview=_text(raw.get("overview"), 10000),
        poster_url=image_url(image_base, "w500", raw.get("poster_path")),
        backdrop_url=image_url(image_base, "w1280", raw.get("backdrop_path")),
        genres=_names(raw.get("genres")),
        directors=list(dict.fromkeys(d.strip() for d in directors if d and d.strip()))[:50],
        cast=[name for name, _ in cast],
        cast_characters=[character for _, character in cast],
        rating=_rating(raw.get("vote_average")),
        season_count=raw.get("number_of_seasons") if not is_movie else None,
        episode_count=raw.get("number_of_episodes") if not is_movie else None,
        identities=_identities(raw, media_type),
        seasons=seasons(raw.get("seasons")) if not is_movie else [],
    )


def best_match(candidates: list[TmdbTitle], year: int | None) -> TmdbTitle | None:
    """TMDB ranks by relevance; among the first few, prefer the one whose year fits."""
    if not candidates:
        return None
    if year is not None:
        for candidate in candidates[:5]:
            if candidate.year is not None and abs(candidate.year - year) <= 1:
                return candidate
    return candidates[0]
