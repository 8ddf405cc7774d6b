"""The fields a file's column can be mapped to, and the column names each is recognised by."""

import re

# field → what it fills (NormalizedItem and its copy, CopyDetails). `title` is the one required.
FIELDS: dict[str, str] = {
    "title": "the title (required)",
    "original_title": "the original title",
    "year": "the release year (a date is read for its year)",
    "media_type": "movie, TV series or other (IMDb and collectZ types are understood)",
    "tmdb_id": "the TMDB id (a TMDB URL is read for its id)",
    "imdb_id": "the IMDb id, tt… (an IMDb URL is read for its id)",
    "tvdb_id": "the TheTVDB id",
    "runtime_minutes": "the running time in minutes",
    "overview": "the plot summary",
    "genres": "genres, separated by , ; | or /",
    "directors": "directors, separated by , ; or |",
    "cast": "cast members, separated by , ; or |",
    "poster_url": "a poster image URL (http or https)",
    "tags": "the space's free tags for the title, separated by ; or | (added to the tags it has)",
    "rating": "the title's public rating 0-10 (IMDb's, TMDB's), filling it when the title has none",
    "user_rating": "the importing user's own rating (0-10 after the preset's scale), as their annotation",
    "watched": "the importing user has watched it (yes/true/x/1 or a date), as their annotation",
    "notes": "the importing user's notes on the title, as their annotation",
    "format": "the copy's format (4K UHD, Blu-ray, DVD, VHS, LaserDisc, Digital, Other)",
    "edition": "the copy's edition",
    "barcode": "the copy's barcode (UPC/EAN)",
    "location": "where the copy is kept",
    "resolution": "the copy's resolution (sd, 720p, 1080p, 4k)",
    "purchase_price": "what the copy cost; a currency sign or code in it ($, €, £, ¥, EUR…) gives the currency",
    "purchase_currency": "the currency of the price, an ISO 4217 code (EUR, USD…)",
    "purchase_date": "when the copy was bought (2024-05-31, 2024/05/31 or May 31, 2024)",
    "purchase_store": "where the copy was bought",
    "condition": "the copy's condition (mint, near mint, very good, good, fair, poor)",
    "collection_status": "rows whose status says they are not owned (wish list, on order, sold) are skipped",
}
REQUIRED = ("title",)

# Column names (compared without case, spaces or punctuation) a generic CSV is mapped by.
ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "name", "movie", "film", "movietitle", "filmtitle", "primarytitle"),
    "original_title": ("originaltitle", "originalname"),
    "year": ("year", "releaseyear", "movieyear", "movierelease", "movieReleaseYear", "released", "releasedate"),
    "media_type": ("mediatype", "type", "titletype", "kind", "category"),
    "tmdb_id": ("tmdb", "tmdbid", "themoviedbid", "tmdbnumber"),
    "imdb_id": ("imdb", "imdbid", "imdbnumber", "const", "imdbconst", "tconst"),
    "tvdb_id": ("tvdb", "tvdbid", "thetvdbid"),
    "runtime_minutes": ("runtime", "runtimemins", "runtimeminutes", "runningtime", "length", "duration"),
    "overview": ("overview", "plot", "description", "synopsis", "summary"),
    "genres": ("genre", "genres"),
    "directors": ("director", "directors", "directedby"),
    "cast": ("cast", "actors", "actor", "stars", "starring"),
    "poster_url": ("poster", "posterurl", "coverurl", "image", "imageurl"),
    "tags": ("tags", "tag", "labels"),
    "rating": ("rating", "imdbrating", "tmdbrating", "publicrating", "score"),
    "user_rating": ("yourrating", "myrating", "userrating", "personalrating", "stars"),
    "watched": ("watched", "seen", "watcheddate", "datewatched", "lastwatched"),
    "notes": ("notes", "note", "comment", "comments", "review"),
    "format": ("format", "media", "medium", "formats", "copyformat"),
    "edition": ("edition", "version", "cut", "copyedition"),
    "barcode": ("barcode", "upc", "ean", "upcean", "eanupc", "gtin", "copybarcode"),
    "location": ("location", "shelf", "storage", "storagelocation", "box", "copylocation"),
    "resolution": ("resolution", "videoresolution", "quality", "copyresolution"),
    "purchase_price": ("purchaseprice", "price", "pricepaid", "paid", "cost", "copypurchaseprice"),
    "purchase_currency": ("currency", "purchasecurrency", "copypurchasecurrency"),
    "purchase_date": ("purchasedate", "datebought", "bought", "purchased", "dateofpurchase", "copypurchasedate"),
    "purchase_store": ("store", "purchasestore", "shop", "boughtat", "purchasedfrom", "copypurchasestore"),
    "condition": ("condition", "copycondition"),
    "collection_status": ("collectionstatus", "status", "ownership"),
}
_KEY = re.compile(r"[^a-z0-9]")


def column_key(name: str) -> str:
    return _KEY.sub("", name.casefold())


_BY_ALIAS = {column_key(alias): name for name, aliases in ALIASES.items() for alias in aliases}


def guess_field(column: str) -> str | None:
    return _BY_ALIAS.get(column_key(column))


def propose_mapping(columns: list[str]) -> dict[str, str]:
    """Each field mapped from the first column whose name it is known by."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for column in columns:
        target = guess_field(column)
        if target is not None and target not in taken:
            mapping[column] = target
            taken.add(target)
    return mapping
