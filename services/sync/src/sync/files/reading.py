"""An uploaded file → its preset, columns, proposed or given mapping, records and problems.

A CSV's records are lists of cells; a JSON export's records are its objects (Trakt entries, our
export's titles). Records are what a file import stores at submission and converts step by step.
"""

import json
from dataclasses import dataclass, field
from typing import Any

from sync.files.decoding import UnreadableFile, decode
from sync.files.fields import FIELDS, REQUIRED
from sync.files.presets import JSON_PRESETS, detect_csv_preset, preset_mapping
from sync.files.rows import Rejected
from sync.files.tables import Problem, read_table

SHELFSPACE_FORMAT_VERSION = 1
TRAKT_KINDS = ("movie", "show", "episode", "season")


class BadMapping(ValueError):
    def __init__(self, details: list[dict[str, str]]) -> None:
        super().__init__("The mapping does not fit the file.")
        self.details = details


@dataclass
class ParsedFile:
    preset: str
    columns: list[str]
    mapping: dict[str, str]
    records: list[tuple[int, Any]]
    problems: list[Problem] = field(default_factory=list)
    encoding: str = "utf-8"
    delimiter: str | None = None
    # Our JSON export's author, whose annotations become the importing user's own.
    exported_by: str | None = None

    def params(self) -> dict[str, Any]:
        """What a job needs besides the records to convert them (stored in its params)."""
        params = {"preset": self.preset, "columns": self.columns, "mapping": self.mapping}
        return params | ({"exported_by": self.exported_by} if self.exported_by else {})


def _looks_like_json(text: str) -> bool:
    return text.lstrip()[:1] in ("{", "[")


def _json_file(text: str, preset: str | None) -> ParsedFile:
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise UnreadableFile(f"The file is not valid JSON: {exc}.") from exc
    if isinstance(document, dict) and "titles" in document and preset in (None, "shelfspace_json"):
        version = document.get("format_version")
        if version != SHELFSPACE_FORMAT_VERSION:
            raise UnreadableFile(f"This Shelfspace export has format_version {version!r}; this version reads 1.")
        titles = document["titles"]
        if not isinstance(titles, list) or not all(isinstance(title, dict) for title in titles):
            raise UnreadableFile("The export's “titles” is not a list of titles.")
        columns = ["title", "year", "media_type", "tmdb_id", "imdb_id"]
        records = list(enumerate(titles, start=1))
        author = document.get("exported_by")
        return ParsedFile("shelfspace_json", columns, {}, records, exported_by=str(author) if author else None)
    if (
        isinstance(document, list)
        and preset in (None, "trakt")
        and all(isinstance(entry, dict) and any(kind in entry for kind in TRAKT_KINDS) for entry in document)
    ):
        columns = ["title", "year", "media_type", "tmdb_id", "imdb_id", "tvdb_id", "user_rating", "watched"]
        return ParsedFile("trakt", columns, {}, list(enumerate(document, start=1)))
    raise UnreadableFile(
        "The JSON file is neither a Shelfspace export nor a Trakt export (a list of entries with a movie or show)."
    )


def check_mapping(columns: list[str], mapping: dict[str, str]) -> dict[str, str]:
    """The mapping without unmapped columns; BadMapping naming every column or field that does not fit."""
    details = []
    known = set(columns)
    cleaned = {}
    for column, target in mapping.items():
        if not target:
            continue
        if column not in known:
            details.append({"field": f"mapping.{column}", "message": "the file has no such column"})
        elif target not in FIELDS:
            details.append({"field": f"mapping.{column}", "message": f"“{target}” is not a field that can be filled"})
        else:
            cleaned[column] = target
    if details:
        raise BadMapping(details)
    return cleaned


def mapping_problems(mapping: dict[str, str]) -> list[Problem]:
    problems = []
    targets = list(mapping.values())
    for name in REQUIRED:
        if name not in targets:
            problems.append(
                Problem("unmapped_required", f"No column is mapped to “{name}”, which every row needs.", None)
            )
    for name in sorted({target for target in targets if targets.count(target) > 1}):
        columns = [column for column, target in mapping.items() if target == name]
        problems.append(
            Problem(
                "field_mapped_twice", f"“{name}” is mapped from {', '.join(columns)}: the first filled one is used."
            )
        )
    return problems


def read_file(data: bytes, preset: str | None = None, mapping: dict[str, str] | None = None) -> ParsedFile:
    """Read the file as `preset` (detected when None), with `mapping` (proposed when None)."""
    decoded = decode(data)
    text = decoded.text
    if preset in JSON_PRESETS or (preset is None and _looks_like_json(text)):
        parsed = _json_file(text, preset)
        parsed.encoding = decoded.encoding
        return parsed
    table = read_table(text)
    chosen = preset or detect_csv_preset(table.columns)
    proposed = preset_mapping(chosen, table.columns) if mapping is None else check_mapping(table.columns, mapping)
    problems = [*table.problems, *mapping_problems(proposed)]
    unmapped = [column for column in table.columns if column not in proposed]
    if unmapped:
        problems.append(Problem("unmapped_columns", f"Not imported: {', '.join(unmapped[:20])}."))
    return ParsedFile(chosen, table.columns, proposed, table.rows, problems, decoded.encoding, table.delimiter)


def trakt_values(entry: dict[str, Any]) -> dict[str, str] | Rejected:
    """The fields of one Trakt export entry (watched, collection, watchlist or ratings)."""
    kind = entry.get("type") or next((k for k in TRAKT_KINDS if isinstance(entry.get(k), dict)), None)
    if kind in ("episode", "season"):
        return Rejected("skipped", f"A Trakt {kind} entry: only movies and shows are imported.")
    thing = entry.get("movie") if kind == "movie" else entry.get("show")
    if not isinstance(thing, dict):
        return Rejected("failed", "The Trakt entry has no movie or show.")
    ids = thing.get("ids") if isinstance(thing.get("ids"), dict) else {}
    values = {
        "title": thing.get("title"),
        "year": thing.get("year"),
        "media_type": "movie" if kind == "movie" else "tv",
        "tmdb_id": ids.get("tmdb"),
        "imdb_id": ids.get("imdb"),
        "tvdb_id": ids.get("tvdb"),
        "user_rating": entry.get("rating"),
        # watched-*.json entries carry plays; ratings and watchlist entries do not say.
        "watched": "yes" if entry.get("plays") or entry.get("last_watched_at") else None,
    }
    return {name: "" if value is None else str(value) for name, value in values.items()}


def record_values(params: dict[str, Any], record: Any) -> dict[str, str] | Rejected:
    """A stored record's field values, as the job's preset and mapping read it."""
    preset = params["preset"]
    if preset == "trakt":
        return trakt_values(record) if isinstance(record, dict) else Rejected("failed", "Not a Trakt entry.")
    if preset == "shelfspace_json":
        if not isinstance(record, dict):
            return Rejected("failed", "Not a title of a Shelfspace export.")
        ids = record.get("identities") if isinstance(record.get("identities"), dict) else {}
        values = {name: record.get(name, ids.get(name)) for name in params["columns"]}
        return {name: "" if value is None else str(value) for name, value in values.items()}
    values: dict[str, str] = {}
    for column, cell in zip(params["columns"], record, strict=False):
        target = params["mapping"].get(column)
        if target is not None and not values.get(target, "").strip():
            values[target] = cell
    return values
