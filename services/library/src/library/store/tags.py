"""SQL of tags: a title's tags, the space's tags with their counts, and the rows a rename or merge changes."""

import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from library.domain import tags as rules

Row = dict[str, Any]

_TAGS_OF = text(
    "SELECT mt.media_id, t.name FROM media_tags mt JOIN tags t ON t.id = mt.tag_id"
    " WHERE mt.media_id = ANY(:ids) ORDER BY lower(t.name)"
)
# New names are added, names the space has already are kept with their spelling; the rows are held
# (FOR SHARE) until the title's change commits, so a merge cannot delete a tag being linked.
_ENSURE = text(
    "INSERT INTO tags (id, space_id, name, created_at)"
    " SELECT gen_random_uuid(), :space_id, name, now() FROM unnest(CAST(:names AS text[])) AS name"
    " ON CONFLICT (space_id, lower(name)) DO NOTHING"
)
_HELD = text(
    "SELECT id, name FROM tags WHERE space_id = :space_id AND lower(name) = ANY(CAST(:keys AS text[])) FOR SHARE"
)
_UNLINK = text(
    "DELETE FROM media_tags WHERE media_id = :media_id AND tag_id <> ALL(CAST(:ids AS uuid[])) RETURNING tag_id"
)
_LINK = text(
    "INSERT INTO media_tags (media_id, tag_id, space_id)"
    " SELECT :media_id, tag_id, :space_id FROM unnest(CAST(:ids AS uuid[])) AS tag_id ON CONFLICT DO NOTHING"
)
# A tag no title carries any more goes; one that another change is linking right now is skipped.
_DROP_UNUSED = text(
    "DELETE FROM tags WHERE id IN (SELECT t.id FROM tags t WHERE t.id = ANY(CAST(:ids AS uuid[]))"
    " AND NOT EXISTS (SELECT 1 FROM media_tags mt WHERE mt.tag_id = t.id) FOR UPDATE SKIP LOCKED)"
)
_LIST = text(
    "SELECT t.name, count(m.id) AS count FROM tags t"
    " JOIN media_tags mt ON mt.tag_id = t.id"
    " LEFT JOIN media m ON m.id = mt.media_id AND m.deleted_at IS NULL"
    " WHERE t.space_id = :space_id GROUP BY t.id, t.name ORDER BY lower(t.name)"
)
_LOCK_NAMED = text(
    "SELECT id, name FROM tags WHERE space_id = :space_id AND lower(name) = ANY(CAST(:keys AS text[]))"
    " ORDER BY id FOR UPDATE"
)
_RENAME = text("UPDATE tags SET name = :name WHERE id = :id")
_MOVE_LINKS = text(
    "INSERT INTO media_tags (media_id, tag_id, space_id)"
    " SELECT media_id, :target, space_id FROM media_tags WHERE tag_id = :source ON CONFLICT DO NOTHING"
)
_DELETE = text("DELETE FROM tags WHERE id = :id")
_TITLES_OF = text(
    "SELECT count(*) FROM media_tags mt JOIN media m ON m.id = mt.media_id WHERE mt.tag_id = :id AND m.deleted_at IS NULL"
)


async def tags_of(session: AsyncSession, media_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    """Each title's tag names, alphabetically."""
    found: dict[uuid.UUID, list[str]] = {media_id: [] for media_id in media_ids}
    if media_ids:
        for row in (await session.execute(_TAGS_OF, {"ids": media_ids})).mappings():
            found[row["media_id"]].append(row["name"])
    return found


async def set_tags(session: AsyncSession, space_id: uuid.UUID, media_id: uuid.UUID, names: list[str]) -> list[str]:
    """Make `names` (distinct, cleaned) the title's tags; returns them as the space spells them."""
    params = {"space_id": space_id, "media_id": media_id}
    held: list[Row] = []
    if names:
        await session.execute(_ENSURE, {**params, "names": names})
        keys = [name.lower() for name in names]
        held = [dict(row) for row in (await session.execute(_HELD, {**params, "keys": keys})).mappings()]
    ids = [row["id"] for row in held]
    unlinked = list((await session.execute(_UNLINK, {**params, "ids": ids})).scalars())
    if ids:
        await session.execute(_LINK, {**params, "ids": ids})
    if unlinked:
        await session.execute(_DROP_UNUSED, {"ids": unlinked})
    return sorted((row["name"] for row in held), key=str.lower)


async def add_tags(session: AsyncSession, space_id: uuid.UUID, media_id: uuid.UUID, names: list[str]) -> bool:
    """Add the tags the title does not have yet (an import's), up to the most a title has; whether any was added."""
    if not names:
        return False
    current = (await tags_of(session, [media_id]))[media_id]
    had = {rules.key(name) for name in current}
    wanted = [name for name in names if rules.key(name) not in had][: rules.MAX_PER_TITLE - len(current)]
    if not wanted:
        return False
    await set_tags(session, space_id, media_id, [*current, *wanted])
    return True


async def list_tags(session: AsyncSession, space_id: uuid.UUID) -> list[Row]:
    """The space's tags that some title carries, with how many live titles do."""
    return [dict(row) for row in (await session.execute(_LIST, {"space_id": space_id})).mappings()]


async def lock_named(session: AsyncSession, space_id: uuid.UUID, keys: list[str]) -> list[Row]:
    """The space's tags of these (lowercased) names, locked in id order so two renames never deadlock."""
    rows = await session.execute(_LOCK_NAMED, {"space_id": space_id, "keys": keys})
    return [dict(row) for row in rows.mappings()]


async def rename(session: AsyncSession, tag_id: uuid.UUID, name: str) -> None:
    await session.execute(_RENAME, {"id": tag_id, "name": name})


async def merge(session: AsyncSession, source_id: uuid.UUID, target_id: uuid.UUID) -> None:
    """The source's titles get the target tag; the source goes (its links with it)."""
    await session.execute(_MOVE_LINKS, {"source": source_id, "target": target_id})
    await session.execute(_DELETE, {"id": source_id})


async def titles_of(session: AsyncSession, tag_id: uuid.UUID) -> int:
    """How many live titles carry the tag."""
    return int(await session.scalar(_TITLES_OF, {"id": tag_id}) or 0)
