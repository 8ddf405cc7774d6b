"""The export's read: a space's live titles with their copies and visible annotations, through a
server-side cursor, so memory stays flat whatever the size of the space.

One statement: Postgres writes each title as the JSON of an `ExportedTitle` (as `json_rows` does for
the list; encoding it in Python cost more than the whole query) with its copies and annotations
(from `ix_copies_media_id_created_at_id` and `uq_annotations_media_id_user_id`), and the titles
come in `ix_media_live_title` order (sort key, id), so nothing is sorted or held whole. JIT is off:
the planner's cost for 100k titles turns it on, and compiling took longer than it saved.
"""

import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Any

from sqlalchemy import TextClause, text
from sqlalchemy.engine import Row as ResultRow
from sqlalchemy.ext.asyncio import AsyncSession

from library.domain.exports import (
    ANNOTATION_FIELDS,
    COPY_FIELDS,
    CSV_COPY_FIELDS,
    IDENTITY_FIELDS,
    LIST_SEPARATOR,
    TITLE_FIELDS,
)
from library.store.json_rows import purchase_json
from shelfspace_kernel.spreadsheet import sql_safe_cell

Row = dict[str, Any]


def _object(alias: str, fields: dict[str, str] | tuple[str, ...]) -> str:
    pairs = fields.items() if isinstance(fields, dict) else ((name, f"{alias}.{name}") for name in fields)
    arguments = ", ".join(f"'{name}', {value}" for name, value in pairs)
    return f"json_build_object({arguments})"


_COPY = _object("c", {name: purchase_json("c") if name == "purchase" else f"c.{name}" for name in COPY_FIELDS})
# The title's tag names, alphabetically.
_TAG_NAMES = (
    "ARRAY(SELECT t.name FROM media_tags mt JOIN tags t ON t.id = mt.tag_id"
    " WHERE mt.media_id = m.id ORDER BY lower(t.name))"
)
_ANNOTATION = _object("a", ("user_id", *ANNOTATION_FIELDS))
_TITLE = _object(
    "m",
    {"id": "m.id"}
    | {name: f"m.{'cast_members' if name == 'cast' else name}" for name in TITLE_FIELDS}
    | {"identities": _object("m", IDENTITY_FIELDS), "tags": _TAG_NAMES}
    | {"copies": "c.list", "annotations": "a.list", "added_at": "m.created_at"},
)
# The caller's own annotation first, then the shared ones of others in the order they were written.
_TITLES = text(
    f"""
    SELECT {_TITLE}::text AS title, c.n AS copies, a.n AS annotations
    FROM media m
    CROSS JOIN LATERAL (
        SELECT coalesce(json_agg({_COPY} ORDER BY c.created_at, c.id), '[]') AS list, count(*) AS n
        FROM copies c WHERE c.media_id = m.id
    ) c
    CROSS JOIN LATERAL (
        SELECT coalesce(json_agg({_ANNOTATION} ORDER BY a.user_id IS DISTINCT FROM :user_id, a.created_at, a.id),
            '[]') AS list, count(*) AS n
        FROM annotations a WHERE a.media_id = m.id AND (a.user_id = :user_id OR a.visibility = 'shared')
    ) a
    WHERE m.space_id = :space_id AND m.deleted_at IS NULL
    ORDER BY m.sort_key, m.id
    """  # noqa: S608 - fixed expressions
)
_NO_JIT = text("SET LOCAL jit = off")


def _csv_cell(expression: str, kind: str = "text") -> str:
    if kind == "list":
        return sql_safe_cell(f"array_to_string({expression}, '{LIST_SEPARATOR}')")
    if kind == "time":
        return f"(to_json({expression}) #>> '{{}}')"
    if kind == "bool":
        return f"CASE WHEN {expression} THEN 'true' WHEN NOT {expression} THEN 'false' END"
    return sql_safe_cell(f"{expression}::text") if kind == "text" else f"{expression}::text"


_LISTS = {"genres", "directors", "cast"}
_NUMBERS = {
    "year",
    "runtime_minutes",
    "rating",
    "season_count",
    "episode_count",
    "tmdb_id",
    "tvdb_id",
    "purchase_price",
}


def _kind(name: str) -> str:
    return "list" if name in _LISTS else "number" if name in _NUMBERS else "text"


_CSV_CELLS = ", ".join(
    [
        "m.id::text",
        *(_csv_cell(f"m.{'cast_members' if name == 'cast' else name}", _kind(name)) for name in TITLE_FIELDS),
        *(_csv_cell(f"m.{name}", _kind(name)) for name in IDENTITY_FIELDS),
        _csv_cell(_TAG_NAMES, "list"),
        _csv_cell("m.created_at", "time"),
        *(_csv_cell(f"c.{name}", _kind(name)) for name in CSV_COPY_FIELDS),
        *(
            _csv_cell(f"mine.{name}", {"rating": "number", "watched": "bool"}.get(name, "text"))
            for name in ANNOTATION_FIELDS
        ),
        "shared.list",
    ]
)
# One row per copy (one with empty copy cells for a title without), every cell written by Postgres
# and escaped there; the last three columns count what the row adds (title, copy, annotations).
_CSV_ROWS = text(
    f"""
    SELECT {_CSV_CELLS},
        (c.ord IS NULL OR c.ord = 1)::int AS is_title, (c.id IS NOT NULL)::int AS is_copy,
        CASE WHEN c.ord IS NULL OR c.ord = 1 THEN (mine.id IS NOT NULL)::int + shared.n ELSE 0 END AS notes
    FROM media m
    LEFT JOIN annotations mine ON mine.media_id = m.id AND mine.user_id = :user_id
    CROSS JOIN LATERAL (
        SELECT json_agg({_ANNOTATION} ORDER BY a.created_at, a.id)::text AS list, count(*) AS n
        FROM annotations a
        WHERE a.media_id = m.id AND a.visibility = 'shared' AND a.user_id IS DISTINCT FROM :user_id
    ) shared
    LEFT JOIN LATERAL (
        SELECT c.*, row_number() OVER (ORDER BY c.created_at, c.id) AS ord FROM copies c WHERE c.media_id = m.id
    ) c ON true
    WHERE m.space_id = :space_id AND m.deleted_at IS NULL
    ORDER BY m.sort_key, m.id, c.ord
    """  # noqa: S608 - fixed expressions
)


async def stream_titles(
    session: AsyncSession, space_id: uuid.UUID, user_id: uuid.UUID | None, *, batch_size: int
) -> AsyncIterator[list[Row]]:
    """The space's live titles in batches: `title` (its JSON text), `copies` and `annotations` (how many).

    The annotations are the caller's own and the shared ones of others.
    """
    async for partition in _stream(session, _TITLES, space_id, user_id, batch_size):
        yield [dict(row._mapping) for row in partition]


async def stream_csv_rows(
    session: AsyncSession, space_id: uuid.UUID, user_id: uuid.UUID | None, *, batch_size: int
) -> AsyncIterator[list[tuple[Any, ...]]]:
    """The space's live titles as CSV rows (the export's columns, then `is_title`, `is_copy`, `notes`)."""
    async for partition in _stream(session, _CSV_ROWS, space_id, user_id, batch_size):
        yield [tuple(row) for row in partition]


async def _stream(
    session: AsyncSession, statement: TextClause, space_id: uuid.UUID, user_id: uuid.UUID | None, batch_size: int
) -> AsyncIterator[Sequence[ResultRow[Any]]]:
    await session.execute(_NO_JIT)
    result = await session.stream(
        statement.execution_options(yield_per=batch_size), params={"space_id": space_id, "user_id": user_id}
    )
    async for partition in result.partitions(batch_size):
        yield partition
