"""The facets of an activity log: the people who acted in it, the kinds of action it holds and, for
the whole log, its spaces.

Each is the distinct values of an indexed column, read by a loose index scan (a recursive query that
jumps from one value to the next), so the cost follows the number of values, not of rows.
"""

import uuid
from typing import NamedTuple

from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncSession

from shelfspace_contracts.audit import ActivityFacets, ActivityNamed

# `{column}`, `{kind}` and `{scope}` are fixed SQL fragments chosen below, never input;
# values travel as parameters.
_DISTINCT = """
WITH RECURSIVE found(value) AS (
    (SELECT l.{column} FROM activity_log l WHERE l.{column} IS NOT NULL {scope} ORDER BY l.{column} LIMIT 1)
    UNION ALL
    SELECT (SELECT l.{column} FROM activity_log l WHERE l.{column} > found.value {scope} ORDER BY l.{column} LIMIT 1)
    FROM found WHERE found.value IS NOT NULL
)
"""
# Each value with its name in the directory, where every name a row holds came from; reading it
# there costs one index lookup, where the newest named row may lie behind all of a space's old rows.
_NAMED = """
SELECT found.value, (SELECT coalesce(k.name, k.email) FROM known_names k WHERE k.kind = '{kind}' AND k.id = found.value)
FROM found WHERE found.value IS NOT NULL
"""
_VALUES = "SELECT found.value FROM found WHERE found.value IS NOT NULL"
_IN_SPACE = "AND l.space_id = :space_id"


class _Named(NamedTuple):
    column: str
    kind: str


PEOPLE = _Named("user_id", "user")
SPACES = _Named("space_id", "space")


def _distinct(column: str, scope: str, then: str) -> TextClause:
    return text(_DISTINCT.format(column=column, scope=scope) + then)


async def _named(session: AsyncSession, of: _Named, scope: str, params: dict) -> list[ActivityNamed]:
    query = _distinct(of.column, scope, _NAMED.format(kind=of.kind))
    found = [ActivityNamed(id=value, name=name) for value, name in await session.execute(query, params)]
    # Named ones first, alphabetically, so a picker reads like a list of names.
    return sorted(found, key=lambda item: (item.name is None, (item.name or "").casefold(), str(item.id)))


async def list_facets(session: AsyncSession, space_id: uuid.UUID | None) -> ActivityFacets:
    """The facets of one space's log, or of the whole log (with its spaces) when `space_id` is None."""
    scope = _IN_SPACE if space_id is not None else ""
    params = {"space_id": space_id} if space_id is not None else {}
    return ActivityFacets(
        people=await _named(session, PEOPLE, scope, params),
        actions=list(await session.scalars(_distinct("action", scope, _VALUES), params)),
        spaces=await _named(session, SPACES, scope, params) if space_id is None else [],
    )
