"""A space's export as text: the JSON document (format version 1, see `shelfspace_contracts.exports`)
and the CSV (one row per copy). Pure functions of the rows `store.exports` reads.
"""

import csv
import io
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shelfspace_contracts.exports import FORMAT_VERSION
from shelfspace_kernel.spreadsheet import safe_cell

Row = dict[str, Any]

# Title fields of an exported title, in the order the document writes them.
TITLE_FIELDS = (
    "title",
    "original_title",
    "media_type",
    "year",
    "runtime_minutes",
    "overview",
    "poster_url",
    "genres",
    "directors",
    "cast",
    "rating",
    "season_count",
    "episode_count",
    "notes",
)
IDENTITY_FIELDS = ("tmdb_id", "tmdb_media_type", "imdb_id", "tvdb_id")
COPY_FIELDS = (
    "format",
    "edition",
    "barcode",
    "region",
    "location",
    "notes",
    "resolution",
    "source_provider",
    "source_external_id",
)
ANNOTATION_FIELDS = ("rating", "watched", "notes", "visibility")
# List fields in a CSV cell: the names joined with this.
LIST_SEPARATOR = "; "
CSV_COLUMNS = (
    "title_id",
    *TITLE_FIELDS,
    *IDENTITY_FIELDS,
    "added_at",
    *(f"copy_{name}" for name in COPY_FIELDS),
    *(f"my_{name}" for name in ANNOTATION_FIELDS),
    "shared_annotations",
)


@dataclass
class Counts:
    titles: int = 0
    copies: int = 0
    annotations: int = 0

    def add(self, titles: list[Row]) -> None:
        self.titles += len(titles)
        self.copies += sum(len(title["copies"]) for title in titles)
        self.annotations += sum(len(title["annotations"]) for title in titles)


def exported_title(row: Row) -> Row:
    """A title row (with its `copies` and `annotations`) in the shape of `ExportedTitle`."""
    title = {"id": row["id"], **{name: row[name] for name in TITLE_FIELDS if name != "cast"}}
    title["cast"] = row["cast_members"]
    title["identities"] = {name: row[name] for name in IDENTITY_FIELDS}
    title["copies"] = row["copies"]
    title["annotations"] = row["annotations"]
    title["added_at"] = row["created_at"]
    return title


def _json_value(value: Any) -> str:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_json_value)


def json_head(space_id: uuid.UUID, exported_by: uuid.UUID | None, exported_at: datetime) -> str:
    """The document up to its first title: the header fields and the opening of `titles`."""
    header = {
        "format_version": FORMAT_VERSION,
        "exported_at": exported_at,
        "exported_by": exported_by,
        "space": {"id": space_id, "name": None},
    }
    return _json(header)[:-1] + ',"titles":['


def json_titles(rows: list[Row], *, first: bool) -> str:
    """The titles of one batch as the next elements of the document's `titles`."""
    text = ",".join(_json(exported_title(row)) for row in rows)
    return text if first or not text else "," + text


JSON_TAIL = "]}\n"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(value)
    elif isinstance(value, datetime):
        value = value.isoformat()
    elif isinstance(value, bool):
        value = "true" if value else "false"
    return safe_cell(str(value))


def _csv_rows(row: Row, user_id: uuid.UUID | None) -> Iterable[list[str]]:
    title = exported_title(row)
    mine = next((note for note in title["annotations"] if note["user_id"] == str(user_id)), None)
    shared = [note for note in title["annotations"] if note is not mine]
    fixed = [
        title["id"],
        *(title[name] for name in TITLE_FIELDS),
        *(title["identities"][name] for name in IDENTITY_FIELDS),
        title["added_at"],
    ]
    notes = [(mine or {}).get(name) for name in ANNOTATION_FIELDS]
    notes.append(_json(shared) if shared else None)
    for copy in title["copies"] or [{}]:
        yield [_cell(value) for value in (*fixed, *(copy.get(name) for name in COPY_FIELDS), *notes)]


def csv_lines(rows: list[Row], user_id: uuid.UUID | None, *, header: bool = False) -> str:
    """The titles as CSV text, one line per copy (one with empty copy cells for a title without)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if header:
        writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerows(_csv_rows(row, user_id))
    return buffer.getvalue()
