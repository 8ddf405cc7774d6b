"""One row of a file → one `NormalizedItem` (provider `file`), or the reason it is skipped or failed.

The item's `external_id` is a digest of what the row says (not of its position), so importing the
same file again sends the same items and the library recognises each as already imported.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from shelfspace_contracts.media_items import MAX_TAGS, NormalizedItem
from sync.files.presets import Preset

PROVIDER = "file"
YEAR = re.compile(r"(?<!\d)(18[7-9]\d|19\d\d|20\d\d|2100)(?!\d)")
IMDB = re.compile(r"tt\d{5,10}")
TMDB_URL = re.compile(r"themoviedb\.org/(?:movie|tv)/(\d+)")
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
MAX_INTEGER = 2**31 - 1  # the library stores ids and running times as 32-bit integers
LIST_SPLIT = re.compile(r"\s*(?:[,;|]|\s/\s)\s*")

SERIES = {"tv", "tvseries", "tvshow", "series", "show", "tvminiseries", "miniseries", "shows"}
MOVIES = {"movie", "movies", "film", "feature", "tvmovie", "video", "short", "tvshort", "tvspecial", "documentary"}
NOT_TITLES = {
    "tvepisode", "episode", "episodes", "season", "seasons", "videogame", "game", "book", "audio", "music",
    "comicbook", "podcastepisode", "podcastseries", "musicvideo", "album",
}  # fmt: skip
NOT_OWNED = ("wish", "order", "sold", "for sale", "loaned out", "not in", "wanted")
FORMATS = (
    (("4k", "uhd", "2160"), "4K UHD"),
    (("blu", "bd"), "Blu-ray"),
    (("dvd",), "DVD"),
    (("vhs",), "VHS"),
    (("laser",), "LaserDisc"),
    (("digital", "stream", "itunes", "vudu", "file", "plex", "movies anywhere", "download"), "Digital"),
)
RESOLUTIONS = ((("4k", "2160", "uhd"), "4k"), (("1080",), "1080p"), (("720",), "720p"), (("sd", "480", "576"), "sd"))


@dataclass(frozen=True)
class Rejected:
    outcome: str  # skipped | failed
    reason: str
    label: str = ""


def _key(value: str) -> str:
    return re.sub(r"[^a-z0-9]", "", value.casefold())


def media_type_of(raw: str) -> str | Rejected:
    key = _key(raw)
    if not key:
        return "movie"
    if key in SERIES or key == "tvseries":
        return "tv_series"
    if key in MOVIES:
        return "movie"
    if key in NOT_TITLES:
        return Rejected("skipped", f"A “{raw.strip()}” is not a title this library keeps (movies and TV series).")
    return "other"


def year_of(raw: str) -> int | Rejected | None:
    if not raw.strip():
        return None
    found = YEAR.search(raw)
    if found is None:
        return Rejected("failed", f"The year “{raw.strip()}” is not a year.")
    return int(found.group(1))


def _integer(raw: str, what: str) -> int | Rejected | None:
    text = raw.strip()
    if not text:
        return None
    found = TMDB_URL.search(text) or re.fullmatch(r"\s*(\d+)\s*(?:min\w*|m)?\s*", text, re.IGNORECASE)
    if found is None or int(found.group(1)) > MAX_INTEGER:
        return Rejected("failed", f"The {what} “{text[:40]}” is not a number this import takes.")
    return int(found.group(1))


def imdb_of(raw: str) -> str | Rejected | None:
    text = raw.strip()
    if not text:
        return None
    found = IMDB.search(text)
    if found is None:
        return Rejected("failed", f"The IMDb id “{text}” is not an IMDb id (tt followed by digits).")
    return found.group(0)


def rating_of(raw: str, scale: float) -> float | Rejected | None:
    text = raw.strip()
    if not text:
        return None
    found = NUMBER.search(text)
    if found is None:
        return Rejected("failed", f"The rating “{text}” is not a number.")
    value = float(found.group(0).replace(",", ".")) * 10.0 / scale
    if not 0 <= value <= 10:
        return Rejected("failed", f"The rating “{text}” is outside 0-{scale:g}.")
    return round(value, 1)


def format_of(raw: str, default: str) -> str:
    text = raw.strip().casefold()
    if not text:
        return default
    for needles, name in FORMATS:
        if any(needle in text for needle in needles):
            return name
    return "Other"


def resolution_of(raw: str) -> str | None:
    text = raw.strip().casefold()
    for needles, name in RESOLUTIONS:
        if text and any(needle in text for needle in needles):
            return name
    return None


# Tags are split on `;` and `|` only (the export writes "a; b"): a tag may hold a comma or a slash.
TAG_SPLIT = re.compile(r"\s*[;|]\s*")


def _tags(raw: str) -> list[str]:
    return [part for part in TAG_SPLIT.split(raw.strip()) if part][:MAX_TAGS]


CURRENCY_SIGNS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW"}
CURRENCY_CODE = re.compile(r"(?<![A-Za-z])([A-Za-z]{3})(?![A-Za-z])")
AMOUNT = re.compile(r"\d[\d.,' ]*")
MONTHS = {
    name: i
    for i, name in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)
}
ISO_DAY = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
NAMED_DAY = re.compile(r"([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})|(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{4})")
CONDITIONS = {
    "mint": "mint", "new": "mint", "sealed": "mint", "nearmint": "near_mint", "excellent": "near_mint",
    "verygood": "very_good", "good": "good", "fair": "fair", "poor": "poor", "damaged": "poor",
}  # fmt: skip


def amount_of(raw: str) -> Decimal | Rejected | None:
    """A price as people write it: 19.99, 19,99, 1,299.00, 1.299,00; the last . or , with 1-2 digits after is the point."""
    text = raw.strip()
    found = AMOUNT.search(text)
    if not text or found is None:
        return None if not text else Rejected("failed", f"The price “{text[:40]}” is not an amount.")
    digits = re.sub(r"[' ]", "", found.group(0)).rstrip(".,")
    point = re.search(r"[.,](\d{1,2})$", digits)
    whole = re.sub(r"[.,]", "", digits[: point.start()] if point else digits)
    value = Decimal(f"{whole}.{point.group(1)}" if point else whole)
    if "-" in text[: found.start()] or value >= Decimal("1e10"):
        return Rejected("failed", f"The price “{text[:40]}” is not an amount this library keeps.")
    return value


def currency_of(price: str, column: str) -> str | None:
    """The currency a price names by code or sign, else the currency column's code."""
    for text in (column, price):
        code = CURRENCY_CODE.search(text.strip())
        if code:
            return code.group(1).upper()
        for sign, name in CURRENCY_SIGNS.items():
            if sign in text.casefold():
                return name
    return None


def day_of(raw: str) -> date | Rejected | None:
    text = raw.strip()
    if not text:
        return None
    try:
        if found := ISO_DAY.search(text):
            return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
        if found := NAMED_DAY.search(text):
            month, day, year = found.group(1, 2, 3) if found.group(1) else found.group(5, 4, 6)
            if month.casefold() in MONTHS:
                return date(int(year), MONTHS[month.casefold()], int(day))
    except ValueError:
        pass
    return Rejected("failed", f"The purchase date “{text[:40]}” is not a date (2024-05-31 or May 31, 2024).")


def purchase_of(get) -> dict[str, Any] | Rejected | None:
    """The copy's purchase the row gives; a price whose currency it does not say is left out."""
    price = amount_of(get("purchase_price"))
    if isinstance(price, Rejected):
        return price
    bought = day_of(get("purchase_date"))
    if isinstance(bought, Rejected):
        return bought
    currency = currency_of(get("purchase_price"), get("purchase_currency"))
    purchase = {
        "price": price if currency else None,
        "currency": currency,
        "date": bought,
        "store": get("purchase_store")[:200] or None,
    }
    return purchase if any(value is not None for value in purchase.values()) else None


def condition_of(raw: str) -> str | None:
    return CONDITIONS.get(_key(raw))


def _list(raw: str) -> list[str]:
    return [part for part in LIST_SPLIT.split(raw.strip()) if part][:50]


YES = {"yes", "y", "true", "1", "x", "watched", "seen", "ja", "oui", "si"}


def annotation_of(values: dict[str, str], preset: Preset) -> dict[str, Any] | Rejected | None:
    """The importing user's own rating, watched flag and notes the row gives, or None when it gives none."""
    rating = rating_of((values.get("user_rating") or ""), preset.rating_scale)
    if isinstance(rating, Rejected):
        return Rejected(rating.outcome, rating.reason.replace("The rating", "Your rating"), label_of(values))
    seen = (values.get("watched") or "").strip()
    watched = bool(seen) and (seen.casefold() in YES or bool(YEAR.search(seen)))
    notes = (values.get("notes") or "").strip()[:10000] or None
    if rating is None and not watched and notes is None:
        return None
    return {"rating": rating, "watched": watched, "notes": notes}


def external_id(fields: dict[str, Any]) -> str:
    """A digest of what the row says: equal rows (in any file, at any position) are one item."""
    canonical = "\x1e".join(f"{name}\x1f{fields[name]}" for name in sorted(fields) if fields[name] not in (None, []))
    return "row-" + hashlib.sha256(canonical.encode()).hexdigest()[:40]


def label_of(values: dict[str, str]) -> str:
    title = (values.get("title") or "").strip()[:200]
    year = (values.get("year") or "").strip()[:20]
    return f"{title} ({year})" if title and year else title


def to_item(values: dict[str, str], preset: Preset) -> NormalizedItem | Rejected:
    """The item a row's mapped values (field → text) describe, or why it is not imported."""
    label = label_of(values)

    def rejected(found: Rejected) -> Rejected:
        return Rejected(found.outcome, found.reason, label)

    get = lambda name: (values.get(name) or "").strip()  # noqa: E731 - one short reader
    title = get("title")
    if not title:
        return Rejected("failed", "The row has no title.", label)
    status = get("collection_status").casefold()
    if status and any(word in status for word in NOT_OWNED):
        return Rejected("skipped", f"Not in the collection (status “{get('collection_status')}”).", label)
    parsed: dict[str, Any] = {}
    for name, reader in (
        ("media_type", media_type_of),
        ("year", year_of),
        ("tmdb_id", lambda raw: _integer(raw, "TMDB id")),
        ("tvdb_id", lambda raw: _integer(raw, "TheTVDB id")),
        ("runtime_minutes", lambda raw: _integer(raw, "running time")),
        ("imdb_id", imdb_of),
        ("rating", lambda raw: rating_of(raw, preset.rating_scale)),
    ):
        value = reader(get(name))
        if isinstance(value, Rejected):
            return rejected(value)
        parsed[name] = value
    purchase = purchase_of(get)
    if isinstance(purchase, Rejected):
        return rejected(purchase)
    poster = get("poster_url")
    fields: dict[str, Any] = {
        "title": title,
        "original_title": get("original_title") or None,
        **parsed,
        "overview": get("overview") or None,
        "genres": _list(get("genres")),
        "directors": _list(get("directors")),
        "cast": _list(get("cast"))[:100],
        "poster_url": poster if poster.startswith(("http://", "https://")) else None,
    }
    copy = {
        "format": format_of(get("format"), preset.default_format),
        "resolution": resolution_of(get("resolution")),
        "edition": get("edition") or None,
        "barcode": get("barcode") or None,
        "location": get("location") or None,
        "purchase": purchase,
        "condition": condition_of(get("condition")),
    }
    tags = _tags(get("tags"))
    tmdb_id = fields.pop("tmdb_id")
    imdb_id = fields.pop("imdb_id")
    tvdb_id = fields.pop("tvdb_id")
    identities = {"tmdb_id": tmdb_id, "imdb_id": imdb_id, "tvdb_id": tvdb_id}
    try:
        return NormalizedItem(
            provider=PROVIDER,
            external_id=external_id({**fields, **identities, **{f"copy.{k}": v for k, v in copy.items()}}),
            identities=identities,
            copy=copy,
            tags=tags,
            **fields,
        )
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"])
        return Rejected("failed", f"The {where.replace('_', ' ')} is not valid: {error['msg']}.", label)
