"""Plex items (as plexapi parses them) turned into normalized titles.

Identities come from the `Guid` children (tmdb://, imdb://, tvdb://) and, for libraries still on
the legacy agents, from the item's own guid (com.plexapp.agents.imdb://, …themoviedb://, …thetvdb://).
"""

import re
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from shelfspace_contracts.media_items import (
    CopyDetails,
    Identities,
    NormalizedItem,
    ProviderWatched,
    Resolution,
    SeasonItem,
)

_MODERN = re.compile(r"^(tmdb|imdb|tvdb)://([^?/]+)")
_LEGACY = re.compile(r"^com\.plexapp\.agents\.(imdb|themoviedb|thetvdb)://([^?/]+)")
_LEGACY_KIND = {"imdb": "imdb", "themoviedb": "tmdb", "thetvdb": "tvdb"}
_RESOLUTIONS: dict[str, Resolution] = {
    "4k": "4k",
    "2160": "4k",
    "1080": "1080p",
    "1080p": "1080p",
    "720": "720p",
    "720p": "720p",
    "576": "sd",
    "480": "sd",
    "sd": "sd",
}
_RANK: dict[Resolution, int] = {"sd": 0, "720p": 1, "1080p": 2, "4k": 3}
TOP_CAST = 10


def parse_guid(guid: str | None) -> tuple[str, str] | None:
    """(kind, value) for a tmdb/imdb/tvdb guid in the modern or legacy agent form; None otherwise."""
    if not guid:
        return None
    if match := _MODERN.match(guid):
        return match.group(1), match.group(2)
    if match := _LEGACY.match(guid):
        return _LEGACY_KIND[match.group(1)], match.group(2)
    return None


def identities(guids: Sequence[str | None], media_type: str) -> Identities:
    """The first valid value of each kind wins; Guid children come before the legacy guid."""
    found: dict[str, Any] = {}
    for parsed in filter(None, map(parse_guid, guids)):
        kind, value = parsed
        if f"{kind}_id" in found:
            continue
        if kind == "imdb" and re.fullmatch(r"tt\d{5,10}", value):
            found["imdb_id"] = value
        elif kind in ("tmdb", "tvdb") and value.isdigit() and int(value) > 0:
            found[f"{kind}_id"] = int(value)
    if "tmdb_id" in found:
        found["tmdb_media_type"] = "tv" if media_type == "show" else "movie"
    return Identities(**found)


def resolution(values: list[str | None]) -> Resolution | None:
    """The best resolution among the item's media versions."""
    known: list[Resolution] = [_RESOLUTIONS[v.lower()] for v in values if v and v.lower() in _RESOLUTIONS]
    if not known:
        return None
    return max(known, key=_RANK.__getitem__)


def artwork_url(space_id: uuid.UUID, thumb: str | None) -> str | None:
    """The browser's way to a Plex thumb: through the integrations service, which holds the token."""
    if not thumb or not thumb.startswith("/"):
        return None
    return f"/api/spaces/{space_id}/integrations/plex/artwork?path={quote(thumb, safe='')}"


def _tags(entries: Any, limit: int = 50) -> list[str]:
    names = [str(getattr(entry, "tag", "") or "").strip() for entry in entries or []]
    return list(dict.fromkeys(n for n in names if n))[:limit]


def _year(value: int | None) -> int | None:
    return value if value and 1870 <= value <= 2100 else None


def _rating(item: Any) -> float | None:
    for value in (getattr(item, "audienceRating", None), getattr(item, "rating", None)):
        if value is not None and 0 < value <= 10:
            return round(float(value), 1)
    return None


def seasons_present(entries: Any) -> list[SeasonItem]:
    """A show's seasons on the server (plexapi Season: `index`, `title`, `year`, `leafCount`), once each by number."""
    found: dict[int, SeasonItem] = {}
    for season in entries or []:
        number = getattr(season, "index", None)
        if not isinstance(number, int) or not 0 <= number <= 999 or number in found:
            continue
        name = (getattr(season, "title", None) or "").strip()[:200] or None
        episodes = getattr(season, "leafCount", None)
        found[number] = SeasonItem(
            number=number,
            name=name,
            year=_year(getattr(season, "year", None)),
            episode_count=episodes if isinstance(episodes, int) and 0 <= episodes <= 100000 else None,
        )
    return [found[number] for number in sorted(found)]


def normalize(item: Any, space_id: uuid.UUID, seasons: Any = None) -> NormalizedItem | None:
    """A plexapi Movie or Show as a normalized item; None for other types or an item without a title.

    `seasons` are a show's Season objects (`Show.seasons()`): the item lists them and its copy holds them.
    """
    kind = getattr(item, "type", None)
    title = (getattr(item, "title", None) or "").strip()
    if kind not in ("movie", "show") or not title or not getattr(item, "ratingKey", None):
        return None
    guids = [g.id for g in getattr(item, "guids", None) or []] + [getattr(item, "guid", None)]
    duration = getattr(item, "duration", None)
    media = getattr(item, "media", None) or [] if kind == "movie" else []
    original = (getattr(item, "originalTitle", None) or "").strip() or None
    present = seasons_present(seasons) if kind == "show" else []
    return NormalizedItem(
        provider="plex",
        external_id=str(item.ratingKey),
        title=title[:500],
        original_title=original[:500] if original and original != title else None,
        media_type="movie" if kind == "movie" else "tv_series",
        year=_year(getattr(item, "year", None)),
        runtime_minutes=round(duration / 60000) if duration else None,
        overview=(getattr(item, "summary", None) or "").strip()[:10000] or None,
        poster_url=artwork_url(space_id, getattr(item, "thumb", None)),
        genres=_tags(getattr(item, "genres", None)),
        directors=_tags(getattr(item, "directors", None)) if kind == "movie" else [],
        cast=_tags(getattr(item, "roles", None), TOP_CAST),
        rating=_rating(item),
        season_count=getattr(item, "childCount", None) if kind == "show" else None,
        episode_count=getattr(item, "leafCount", None) if kind == "show" else None,
        identities=identities(guids, kind),
        seasons=present,
        owned_copy=CopyDetails(
            format="Digital",
            resolution=resolution([m.videoResolution for m in media]),
            season_numbers=[season.number for season in present],
        ),
    )


def _viewed_at(item: Any) -> datetime | None:
    # plexapi gives `lastViewedAt` as a naive local time (datetime.fromtimestamp); the attribute is
    # epoch seconds, read as such so the server's time zone does not matter.
    raw = getattr(item, "_data", None)
    value = raw.attrib.get("lastViewedAt") if raw is not None else None
    if value and str(value).isdigit():
        return datetime.fromtimestamp(int(value), UTC)
    viewed = getattr(item, "lastViewedAt", None)
    return viewed.astimezone(UTC) if isinstance(viewed, datetime) else None


def watched_state(item: Any) -> ProviderWatched | None:
    """The token's account has played the movie (`viewCount`), or every episode of the show
    (`viewedLeafCount` = `leafCount`), last at `lastViewedAt`; None when not, or when Plex gives no date."""
    kind = getattr(item, "type", None)
    key = getattr(item, "ratingKey", None)
    if kind == "movie":
        plays = getattr(item, "viewCount", None) or 0
    elif kind == "show":
        episodes, seen = getattr(item, "leafCount", None) or 0, getattr(item, "viewedLeafCount", None) or 0
        plays = max(getattr(item, "viewCount", None) or 0, 1) if episodes and seen >= episodes else 0
    else:
        return None
    viewed_at = _viewed_at(item)
    if not key or plays < 1 or viewed_at is None:
        return None
    return ProviderWatched(external_id=str(key), play_count=plays, last_viewed_at=viewed_at)
