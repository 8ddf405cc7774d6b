"""A space's export as text: the JSON document (format version 1, see `shelfspace_contracts.exports`)
and the CSV (one row per copy). Pure functions of the rows `store.exports` reads.
"""

import csv
import io
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from library.domain.copies import PURCHASE_COLUMNS
from shelfspace_contracts.exports import FORMAT_VERSION, ExportedAnnotation, ExportedTitle
from shelfspace_contracts.media_items import CopyFields, Identities

Row = dict[str, Any]

_NESTED = {"id", "identities", "tags", "copies", "annotations", "added_at"}

# The fields of an exported title, a copy and an annotation, as the contract orders them.
TITLE_FIELDS = tuple(name for name in ExportedTitle.model_fields if name not in _NESTED)
IDENTITY_FIELDS = tuple(Identities.model_fields)
COPY_FIELDS = ("format", *CopyFields.model_fields)
# A CSV row holds the copy's purchase as four cells, named by their columns (purchase_price, ...).
CSV_COPY_FIELDS = tuple(
    column for name in COPY_FIELDS for column in (PURCHASE_COLUMNS.values() if name == "purchase" else (name,))
)
ANNOTATION_FIELDS = tuple(name for name in ExportedAnnotation.model_fields if name != "user_id")
# List fields in a CSV cell: the names joined with this. The CSV's cells are written by Postgres
# (`store.exports`), escaped by the kernel's spreadsheet rule there.
LIST_SEPARATOR = "; "
CSV_COLUMNS = (
    "title_id",
    *TITLE_FIELDS,
    *IDENTITY_FIELDS,
    "tags",
    "added_at",
    *(f"copy_{name}" for name in CSV_COPY_FIELDS),
    *(f"my_{name}" for name in ANNOTATION_FIELDS),
    "shared_annotations",
)


@dataclass
class Counts:
    titles: int = 0
    copies: int = 0
    annotations: int = 0

    def add(self, rows: list[Row]) -> None:
        """Count a batch of titles as `store.exports` reads them (`copies`, `annotations`: how many)."""
        self.titles += len(rows)
        self.copies += sum(row["copies"] for row in rows)
        self.annotations += sum(row["annotations"] for row in rows)

    def add_csv(self, rows: list[tuple[Any, ...]]) -> None:
        """Count a batch of CSV rows, each ending with what it adds: (title, copy, annotations)."""
        self.titles += sum(row[-3] for row in rows)
        self.copies += sum(row[-2] for row in rows)
        self.annotations += sum(row[-1] for row in rows)


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


def csv_lines(rows: list[tuple[Any, ...]], *, header: bool = False) -> str:
    """CSV rows as `store.exports` reads them (cells written and escaped by Postgres) as CSV text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if header:
        writer.writerow(CSV_COLUMNS)
    writer.writerows(row[: len(CSV_COLUMNS)] for row in rows)
    return buffer.getvalue()
