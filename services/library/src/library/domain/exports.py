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

from shelfspace_contracts.exports import FORMAT_VERSION, ExportedAnnotation, ExportedTitle
from shelfspace_contracts.media_items import CopyFields, Identities
from shelfspace_kernel.spreadsheet import safe_cell

Row = dict[str, Any]

_NESTED = {"id", "identities", "copies", "annotations", "added_at"}

# The fields of an exported title, a copy and an annotation, as the contract orders them.
TITLE_FIELDS = tuple(name for name in ExportedTitle.model_fields if name not in _NESTED)
IDENTITY_FIELDS = tuple(Identities.model_fields)
COPY_FIELDS = ("format", *CopyFields.model_fields)
ANNOTATION_FIELDS = tuple(name for name in ExportedAnnotation.model_fields if name != "user_id")
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

    def add(self, rows: list[Row]) -> None:
        """Count a batch of rows as `store.exports` reads them (`copies`, `annotations`: how many)."""
        self.titles += len(rows)
        self.copies += sum(row["copies"] for row in rows)
        self.annotations += sum(row["annotations"] for row in rows)


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
    """The titles of one batch (their JSON text, as Postgres wrote it) as the next elements of `titles`."""
    text = ",".join(row["title"] for row in rows)
    return text if first or not text else "," + text


JSON_TAIL = "]}\n"


def _cell(value: Any) -> str:
    if isinstance(value, str):
        return safe_cell(value)
    if value is None:
        return ""
    if isinstance(value, list):
        return safe_cell(LIST_SEPARATOR.join(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)  # a number: never formula-looking, as no stored number is negative


def _csv_rows(row: Row, user_id: uuid.UUID | None) -> Iterable[list[str]]:
    title = json.loads(row["title"])
    mine = next((note for note in title["annotations"] if note["user_id"] == str(user_id)), None)
    shared = [note for note in title["annotations"] if note is not mine]
    ids = title["identities"]
    # The title's cells once, then one row per copy.
    head = [_cell(title["id"]), *(_cell(title[name]) for name in TITLE_FIELDS)]
    head += [*(_cell(ids[name]) for name in IDENTITY_FIELDS), _cell(title["added_at"])]
    tail = [_cell((mine or {}).get(name)) for name in ANNOTATION_FIELDS]
    tail.append(_cell(_json(shared)) if shared else "")
    for copy in title["copies"] or [{}]:
        yield [*head, *(_cell(copy.get(name)) for name in COPY_FIELDS), *tail]


def csv_lines(rows: list[Row], user_id: uuid.UUID | None, *, header: bool = False) -> str:
    """The titles as CSV text, one line per copy (one with empty copy cells for a title without)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if header:
        writer.writerow(CSV_COLUMNS)
    writer.writerows(line for row in rows for line in _csv_rows(row, user_id))
    return buffer.getvalue()
