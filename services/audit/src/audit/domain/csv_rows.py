"""Activity rows as CSV lines, safe to open in a spreadsheet."""

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from shelfspace_kernel.spreadsheet import safe_cell

COLUMNS = (
    "id",
    "created_at",
    "action",
    "user_id",
    "space_id",
    "entity_type",
    "entity_id",
    "request_id",
    "details",
    "actor_name",
    "space_name",
    "subject_name",
)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=True)
    elif hasattr(value, "isoformat"):
        text = value.isoformat()
    else:
        text = str(value)
    return safe_cell(text)


def csv_lines(rows: Iterable[dict[str, Any]], *, header: bool = False) -> str:
    """The rows (mappings with COLUMNS) as CSV text, optionally preceded by the header line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if header:
        writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_cell(row[column]) for column in COLUMNS])
    return buffer.getvalue()
