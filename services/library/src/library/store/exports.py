"""The export's read: a space's live titles with their copies and visible annotations, through a
server-side cursor, so memory stays flat whatever the size of the space.

One statement: Postgres writes each title as the JSON of an `ExportedTitle` (as `json_rows` does for
the list; encoding it in Python cost more than the whole query) with its copies and annotations
(from `ix_copies_media_id_created_at_id` and `uq_annotations_media_id_user_id`), and the titles
come in `ix_media_live_title` order (sort key, id), so nothing is sorted or held whole. JIT is off:
the planner's cost for 100k titles turns it on, and compiling took longer than it saved.
"""

import uuid
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from library.domain.exports import ANNOTATION_FIELDS, COPY_FIELDS, IDENTITY_FIELDS, TITLE_FIELDS

Row = dict[str, Any]


def _object(alias: str, fields: dict[str, str] | tuple[str, ...]) -> str:
    pairs = fields.items() if isinstance(fields, dict) else ((name, f"{alias}.{name}") for name in fields)
    arguments = ", ".join(f"'{name}', {value}" for name, value in pairs)
    return f"json_build_object({arguments})"


_COPY = _object("c", COPY_FIELDS)
_ANNOTATION = _object("a", ("user_id", *ANNOTATION_FIELDS))
_TITLE = _object(
    "m",
    {"id": "m.id"}
    | {name: f"m.{'cast_members' if name == 'cast' else name}" for name in TITLE_FIELDS}
    | {"identities": _object("m", IDENTITY_FIELDS)}
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


async def stream_titles(
    session: AsyncSession, space_id: uuid.UUID, user_id: uuid.UUID | None, *, batch_size: int
) -> AsyncIterator[list[Row]]:
    """The space's live titles in batches: `title` (its JSON text), `copies` and `annotations` (how many).

    The annotations are the caller's own and the shared ones of others.
    """
    await session.execute(_NO_JIT)
    statement = _TITLES.execution_options(yield_per=batch_size)
    result = await session.stream(statement, {"space_id": space_id, "user_id": user_id})
    async for partition in result.mappings().partitions(batch_size):
        yield [dict(row) for row in partition]
