"""Text of a CSV export → a table: delimiter (`,` `;` tab), header row, unique column names, rows.

Rows keep their number as a spreadsheet shows it (the header is row 1), so a reason given for a row
points at the line the user sees. Blank rows are dropped; short rows are padded, long ones cut.
"""

import csv
import io
from dataclasses import dataclass, field

from sync.files.decoding import UnreadableFile

DELIMITERS = (",", ";", "\t")
# A cell longer than this is no export of a collection app (csv's own default is 128 KiB).
MAX_CELL = 1024 * 1024
csv.field_size_limit(MAX_CELL)


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    column: str | None = None


@dataclass
class Table:
    columns: list[str]
    rows: list[tuple[int, list[str]]]
    delimiter: str
    has_header: bool
    problems: list[Problem] = field(default_factory=list)


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line
    return ""


def sniff_delimiter(text: str) -> str:
    """The delimiter the first line uses most outside quotes (a comma when it uses none)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in _first_line(text):
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _looks_like_data(cell: str) -> bool:
    value = cell.strip().replace(".", "", 1)
    return value.isdigit() or (value.lower().startswith("tt") and value[2:].isdigit())


def _is_header(cells: list[str]) -> bool:
    """A header names its columns: text in every cell, and no year, id or number among them."""
    filled = [cell for cell in cells if cell.strip()]
    return bool(filled) and not any(_looks_like_data(cell) for cell in filled)


def unique_columns(names: list[str]) -> tuple[list[str], list[Problem]]:
    """Column names made unique (`Title (2)`) and named when blank (`Column 3`), with the problems seen."""
    columns: list[str] = []
    problems = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(names, start=1):
        name = raw.strip() or f"Column {index}"
        key = name.casefold()
        if key in seen:
            seen[key] += 1
            problems.append(
                Problem(
                    "duplicate_header",
                    f"The column “{name}” appears more than once; the later one is “{name} ({seen[key]})”.",
                    name,
                )
            )
            name = f"{name} ({seen[key]})"
        else:
            seen[key] = 1
        columns.append(name)
    return columns, problems


def read_table(text: str) -> Table:
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', strict=False)
    records: list[tuple[int, list[str]]] = []
    try:
        for number, cells in enumerate(reader, start=1):
            if any(cell.strip() for cell in cells):
                records.append((number, cells))
    except csv.Error as exc:
        raise UnreadableFile(f"The file cannot be read as CSV near row {reader.line_num}: {exc}.") from exc
    if not records:
        raise UnreadableFile("The file holds no rows.")
    first = records[0][1]
    has_header = _is_header(first)
    if has_header:
        columns, problems = unique_columns(first)
        records = records[1:]
    else:
        width = max(len(cells) for _, cells in records[:100])
        columns, problems = [f"Column {n}" for n in range(1, width + 1)], []
    width = len(columns)
    longer = shorter = 0
    rows = []
    for number, cells in records:
        if len(cells) > width:
            longer += 1
            cells = cells[:width]
        elif len(cells) < width:
            shorter += 1
            cells = cells + [""] * (width - len(cells))
        rows.append((number, cells))
    if longer:
        problems.append(
            Problem("extra_cells", f"{longer} row(s) have more cells than the header; the extra cells are ignored.")
        )
    if shorter:
        problems.append(
            Problem("missing_cells", f"{shorter} row(s) have fewer cells than the header; the missing ones are empty.")
        )
    return Table(columns, rows, delimiter, has_header, problems)
