"""Tags of a space: the list with counts, and a rename that becomes a merge when the new name is taken.

A rename locks the tags of both names (in id order, so two renames never deadlock) and either
renames the tag or, when the new name is another tag's, moves its titles there and deletes it, in
one transaction. Two renames onto one new name at once: the second meets the first's name in the
unique index, and is run again as the merge it now is.
"""

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from library.domain import tags as rules
from library.events import record_tag_event
from library.store import tags as store
from shelfspace_contracts.library import TagChanged
from shelfspace_kernel.errors import Conflict, NotFound
from shelfspace_kernel.internal_auth import CallerContext

ATTEMPTS = 3
_CHANGED = Conflict("The tags changed while this was saved; try again.", code="changed_concurrently")


async def list_tags(session: AsyncSession, caller: CallerContext) -> dict:
    async with session.begin():
        rows = await store.list_tags(session, caller.space_id)
    return {"items": rows, "next_cursor": None, "total": len(rows), "total_is_lower_bound": False}


async def rename_tag(session: AsyncSession, caller: CallerContext, name: str, new_name: str) -> dict:
    """Rename the tag `name` to `new_name`, or merge it into the tag already called so."""
    for attempt in range(ATTEMPTS):
        try:
            async with session.begin():
                return await _rename_once(session, caller, rules.clean(name), new_name)
        except IntegrityError as exc:
            if attempt == ATTEMPTS - 1:
                raise _CHANGED from exc
    raise _CHANGED


async def _rename_once(session: AsyncSession, caller: CallerContext, name: str, new_name: str) -> dict:
    locked = await store.lock_named(session, caller.space_id, sorted({rules.key(name), rules.key(new_name)}))
    by_key = {rules.key(row["name"]): row for row in locked}
    source = by_key.get(rules.key(name))
    if source is None:
        raise NotFound("No tag of that name in this space.")
    target = by_key.get(rules.key(new_name))
    if target is None or target["id"] == source["id"]:
        if source["name"] != new_name:
            await store.rename(session, source["id"], new_name)
            titles = await store.titles_of(session, source["id"])
            changed = TagChanged(name=new_name, previous_name=source["name"], titles=titles)
            await record_tag_event(session, "renamed", caller, source["id"], changed)
        return {"name": new_name, "count": await store.titles_of(session, source["id"]), "merged": False}
    await store.merge(session, source["id"], target["id"])
    titles = await store.titles_of(session, target["id"])
    changed = TagChanged(name=target["name"], previous_name=source["name"], titles=titles)
    await record_tag_event(session, "merged", caller, target["id"], changed)
    return {"name": target["name"], "count": titles, "merged": True}
