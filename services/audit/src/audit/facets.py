"""The facets of an activity log: the people who acted in it and the kinds of action it holds.

Both are distinct values of an indexed column, read by a loose index scan (a recursive query that
jumps from one value to the next), so the cost follows the number of people and kinds, not of rows.
"""

import uuid

from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncSession

from shelfspace_contracts.audit import ActivityFacets, ActivityPerson

# `{scope}` is a fixed SQL fragment chosen below, never input; values travel as parameters.
_DISTINCT = """
WITH RECURSIVE found(value) AS (
    (SELECT {column} FROM activity_log l WHERE {column} IS NOT NULL {scope} ORDER BY {column} LIMIT 1)
    UNION ALL
    SELECT (SELECT {column} FROM activity_log l WHERE {column} > found.value {scope} ORDER BY {column} LIMIT 1)
    FROM found WHERE found.value IS NOT NULL
)
"""
_PEOPLE = """
SELECT found.value AS user_id, coalesce(
    (SELECT l.actor_name FROM activity_log l
     WHERE l.user_id = found.value AND l.actor_name IS NOT NULL {scope} ORDER BY l.created_at DESC LIMIT 1),
    (SELECT coalesce(k.name, k.email) FROM known_names k WHERE k.kind = 'user' AND k.id = found.value)
) AS name
FROM found WHERE found.value IS NOT NULL
"""
_ACTIONS = "SELECT found.value FROM found WHERE found.value IS NOT NULL"
_IN_SPACE = "AND l.space_id = :space_id"


def _distinct_values(column: str, scope: str, then: str) -> TextClause:
    return text(_DISTINCT.format(column=column, scope=scope) + then.format(scope=scope))


async def list_facets(session: AsyncSession, space_id: uuid.UUID | None) -> ActivityFacets:
    """The facets of one space's log, or of the whole log when `space_id` is None."""
    scope = _IN_SPACE if space_id is not None else ""
    params = {"space_id": space_id} if space_id is not None else {}
    people = await session.execute(_distinct_values("l.user_id", scope, _PEOPLE), params)
    actions = await session.scalars(_distinct_values("l.action", scope, _ACTIONS), params)
    listed = [ActivityPerson(user_id=user_id, name=name) for user_id, name in people]
    # Named people first, alphabetically, so a picker reads like a list of names.
    listed.sort(key=lambda person: (person.name is None, (person.name or "").casefold(), str(person.user_id)))
    return ActivityFacets(people=listed, actions=list(actions))
