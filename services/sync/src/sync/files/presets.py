"""Presets: the exports people have (CLZ Movies, Letterboxd, IMDb, Trakt, collectZ, our JSON) and how
each one's columns map to fields. A preset is recognised from the header (or the JSON's shape)."""

from dataclasses import dataclass, field
from typing import Literal

from sync.files.fields import column_key, propose_mapping

PresetName = Literal["shelfspace_json", "csv", "clz_movies", "letterboxd", "imdb", "trakt", "collectz_csv"]
PRESETS: tuple[str, ...] = ("shelfspace_json", "csv", "clz_movies", "letterboxd", "imdb", "trakt", "collectz_csv")
JSON_PRESETS = ("shelfspace_json", "trakt")


@dataclass(frozen=True)
class Preset:
    name: str
    # column key (lower case, letters and digits only) → field, first match wins per field
    columns: dict[str, str] = field(default_factory=dict)
    # columns whose presence (all of one group) recognises the preset
    signatures: tuple[frozenset[str], ...] = ()
    # what a rating column is out of (Letterboxd: 5 stars, scaled to 10)
    rating_scale: float = 10.0
    # the copy a row without a format stands for: lists of films seen are no discs on a shelf
    default_format: str = "Other"


def _keys(*names: str) -> frozenset[str]:
    return frozenset(column_key(name) for name in names)


CSV_PRESETS: dict[str, Preset] = {
    "letterboxd": Preset(
        "letterboxd",
        columns={"name": "title", "year": "year", "rating": "user_rating", "watcheddate": "watched"},
        signatures=(_keys("Letterboxd URI"),),
        rating_scale=5.0,
    ),
    "imdb": Preset(
        "imdb",
        columns={
            "const": "imdb_id",
            "title": "title",
            "originaltitle": "original_title",
            "titletype": "media_type",
            "year": "year",
            "runtimemins": "runtime_minutes",
            "genres": "genres",
            "directors": "directors",
            "yourrating": "user_rating",
            "imdbrating": "rating",
        },
        signatures=(_keys("Const", "Title Type"), _keys("Const", "Your Rating")),
    ),
    "clz_movies": Preset(
        "clz_movies",
        columns={
            "title": "title",
            "originaltitle": "original_title",
            "year": "year",
            "movieyear": "year",
            "moviereleaseyear": "year",
            "releaseyear": "year",
            "format": "format",
            "edition": "edition",
            "barcode": "barcode",
            "imdbnumber": "imdb_id",
            "imdburl": "imdb_id",
            "location": "location",
            "runtime": "runtime_minutes",
            "genre": "genres",
            "genres": "genres",
            "director": "directors",
            "directors": "directors",
            "cast": "cast",
            "actor": "cast",
            "actors": "cast",
            "plot": "overview",
            "myrating": "user_rating",
            "notes": "notes",
            "collectionstatus": "collection_status",
            "purchaseprice": "purchase_price",
            "purchasedate": "purchase_date",
            "store": "purchase_store",
            "purchasestore": "purchase_store",
            "condition": "condition",
        },
        signatures=(_keys("IMDb Number"), _keys("Collection Status", "Format", "Barcode")),
    ),
    "collectz_csv": Preset(
        "collectz_csv",
        columns={
            "title": "title",
            "originaltitle": "original_title",
            "mediatype": "media_type",
            "year": "year",
            "format": "format",
            "ownedformats": "format",
            "genre": "genres",
            "director": "directors",
            "cast": "cast",
            "rating": "rating",
            "runtime": "runtime_minutes",
            "tmdbid": "tmdb_id",
            "imdbid": "imdb_id",
            "upc": "barcode",
            "location": "location",
            "overview": "overview",
            "notes": "notes",
        },
        signatures=(
            _keys("title", "media_type", "upc"),
            _keys("title", "media_type", "owned_formats"),
            _keys("title", "media_type", "import_source"),
        ),
    ),
    "csv": Preset("csv"),
}


def detect_csv_preset(columns: list[str]) -> str:
    keys = {column_key(column) for column in columns}
    for name, preset in CSV_PRESETS.items():
        if any(signature <= keys for signature in preset.signatures):
            return name
    return "csv"


def preset_mapping(preset: str, columns: list[str]) -> dict[str, str]:
    """The mapping a preset proposes: its own columns, or for a generic CSV the known column names."""
    known = CSV_PRESETS.get(preset)
    if known is None or not known.columns:
        return propose_mapping(columns)
    by_key: dict[str, str] = {}
    for column in columns:
        by_key.setdefault(column_key(column), column)
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    # In the preset's order, so `format` wins over collectZ's `owned_formats` wherever they stand.
    for key, target in known.columns.items():
        column = by_key.get(key)
        if column is not None and target not in taken and column not in mapping:
            mapping[column] = target
            taken.add(target)
    return mapping


def preset_of(name: str) -> Preset:
    return CSV_PRESETS.get(name) or Preset(name, default_format="Other")
