"""Merging duplicate titles into a survivor, and reverting a merge exactly from its snapshot.

The snapshot is built and restored by Postgres itself (`to_jsonb` / `jsonb_populate_recordset`), so
every column of every row comes back with its exact type and value.
"""

import uuid

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from library.api.schemas import MergeIn
from library.events import recorder
from library.store import media as store
from library.store import tags as tag_store
from library.store.tables import MEDIA_COLUMNS
from shelfspace_contracts.library import MediaMerged
from shelfspace_kernel.errors import Conflict, NotFound, ValidationFailed
from shelfspace_kernel.internal_auth import CallerContext

_LOCK = text(
    "SELECT id FROM media WHERE space_id = :space_id AND deleted_at IS NULL AND id = ANY(:ids) ORDER BY id FOR UPDATE"
)
_SNAPSHOT = text(
    """
    INSERT INTO merges (id, space_id, survivor_id, duplicate_ids, snapshot, merged_by)
    SELECT :merge_id, :space_id, :survivor_id, :dups, jsonb_build_object(
        'survivor', (SELECT to_jsonb(m) FROM media m WHERE m.id = :survivor_id),
        'media', (SELECT jsonb_agg(to_jsonb(m)) FROM media m WHERE m.id = ANY(:dups)),
        'copies', (SELECT coalesce(jsonb_agg(to_jsonb(c)), '[]') FROM copies c WHERE c.media_id = ANY(:dups)),
        'annotations', (SELECT coalesce(jsonb_agg(to_jsonb(a)), '[]') FROM annotations a WHERE a.media_id = ANY(:dups)),
        'identities', (SELECT coalesce(jsonb_agg(to_jsonb(i)), '[]') FROM media_identities i
                       WHERE i.media_id = ANY(:dups)),
        'tags', (SELECT coalesce(jsonb_agg(to_jsonb(t)), '[]') FROM media_tags t WHERE t.media_id = ANY(:dups)),
        'survivor_tags', (SELECT coalesce(jsonb_agg(to_jsonb(t)), '[]') FROM media_tags t
                          WHERE t.media_id = :survivor_id),
        'seasons', (SELECT coalesce(jsonb_agg(to_jsonb(s)), '[]') FROM seasons s
                    WHERE s.media_id = ANY(:dups) OR s.media_id = :survivor_id)
    ), :user_id
    """
)
# One annotation per user on the survivor: the survivor's own, else the user's latest on a duplicate.
_DROP_EXTRA_ANNOTATIONS = text(
    """
    DELETE FROM annotations WHERE media_id = ANY(:dups) AND id NOT IN (
        SELECT DISTINCT ON (user_id) id FROM annotations
        WHERE media_id = ANY(:dups)
          AND user_id NOT IN (SELECT user_id FROM annotations WHERE media_id = :survivor_id)
        ORDER BY user_id, updated_at DESC, id
    )
    """
)
_MOVE = [
    # The survivor gains the seasons only a duplicate had recorded, so the copies it gains keep theirs.
    text(
        "INSERT INTO seasons (media_id, number, space_id, name, year, episode_count)"
        " SELECT DISTINCT ON (number) :survivor_id, number, space_id, name, year, episode_count"
        " FROM seasons WHERE media_id = ANY(:dups) ORDER BY number, media_id ON CONFLICT DO NOTHING"
    ),
    text("UPDATE annotations SET media_id = :survivor_id WHERE media_id = ANY(:dups)"),
    text("UPDATE copies SET media_id = :survivor_id WHERE media_id = ANY(:dups)"),
    text("UPDATE loans SET media_id = :survivor_id WHERE media_id = ANY(:dups)"),
    text("UPDATE media_identities SET media_id = :survivor_id WHERE media_id = ANY(:dups)"),
    # The survivor gets every tag of its duplicates.
    text(
        "INSERT INTO media_tags (media_id, tag_id, space_id) SELECT :survivor_id, tag_id, space_id"
        " FROM media_tags WHERE media_id = ANY(:dups) ON CONFLICT DO NOTHING"
    ),
]


async def _record(
    session: AsyncSession, verb: str, caller: CallerContext, merge_id, survivor_id, dups, title: str | None
) -> None:
    data = MediaMerged(merge_id=merge_id, survivor_id=survivor_id, duplicate_ids=dups, title=title)
    await recorder.record(
        session,
        f"library.media.{verb}",
        caller=caller,
        entity_type="media",
        entity_id=survivor_id,
        data=data.model_dump(mode="json"),
    )


async def merge(session: AsyncSession, caller: CallerContext, body: MergeIn) -> dict:
    dups = list(dict.fromkeys(body.duplicate_ids))
    if body.survivor_id in dups:
        raise ValidationFailed(details=[{"field": "duplicate_ids", "message": "The survivor cannot be a duplicate."}])
    merge_id = uuid.uuid4()
    params = {"merge_id": merge_id, "space_id": caller.space_id, "survivor_id": body.survivor_id, "dups": dups}
    async with session.begin():
        locked = await session.execute(_LOCK, {"space_id": caller.space_id, "ids": [body.survivor_id, *dups]})
        if len(locked.all()) != len(dups) + 1:
            raise NotFound()
        await session.execute(_SNAPSHOT, {**params, "user_id": caller.user_id})
        await session.execute(_DROP_EXTRA_ANNOTATIONS, params)
        for statement in _MOVE:
            await session.execute(statement, params)
        await session.execute(text("DELETE FROM media WHERE id = ANY(:dups)"), params)
        survivor = await store.refresh_derived(session, body.survivor_id)
        await store.adjust_live_count(session, caller.space_id, -len(dups))
        await _record(session, "merged", caller, merge_id, body.survivor_id, dups, survivor["title"])
        tags = (await tag_store.tags_of(session, [body.survivor_id]))[body.survivor_id]
    return {"merge_id": merge_id, "media": {**store.to_api(survivor, survivor["copies"]), "tags": tags}}


_RESTORE_SURVIVOR = text(
    "UPDATE media m SET ({cols}) = (SELECT {r_cols} FROM"  # noqa: S608 - the table's own column names
    " jsonb_populate_record(NULL::media, CAST(:snapshot AS jsonb) -> 'survivor') r)"
    " WHERE m.id = :survivor_id".format(
        cols=", ".join(MEDIA_COLUMNS), r_cols=", ".join(f"r.{name}" for name in MEDIA_COLUMNS)
    )
)
_RESTORE = [
    text("INSERT INTO media SELECT * FROM jsonb_populate_recordset(NULL::media, CAST(:snapshot AS jsonb) -> 'media')"),
    text(
        "DELETE FROM copies WHERE id IN (SELECT id FROM jsonb_populate_recordset(NULL::copies, CAST(:snapshot AS jsonb) -> 'copies'))"
    ),
    text(
        "INSERT INTO copies SELECT * FROM jsonb_populate_recordset(NULL::copies, CAST(:snapshot AS jsonb) -> 'copies')"
    ),
    # The loans of the copies put back (kept: their copy key is checked at commit) follow them.
    text(
        "UPDATE loans l SET media_id = c.media_id FROM copies c WHERE c.id = l.copy_id"
        " AND c.id IN (SELECT id FROM jsonb_populate_recordset(NULL::copies, CAST(:snapshot AS jsonb) -> 'copies'))"
    ),
    text(
        "DELETE FROM annotations WHERE id IN"
        " (SELECT id FROM jsonb_populate_recordset(NULL::annotations, CAST(:snapshot AS jsonb) -> 'annotations'))"
    ),
    text(
        "INSERT INTO annotations SELECT * FROM jsonb_populate_recordset(NULL::annotations, CAST(:snapshot AS jsonb) -> 'annotations')"
    ),
    # Snapshots taken before seasons existed (migration 0016) have none to restore, and leave them be.
    text("DELETE FROM seasons WHERE media_id = :survivor_id AND (CAST(:snapshot AS jsonb) -> 'seasons') IS NOT NULL"),
    text(
        "INSERT INTO seasons SELECT * FROM jsonb_populate_recordset(NULL::seasons, CAST(:snapshot AS jsonb) -> 'seasons')"
    ),
    # A merge made before migration 0014 kept no watch date: a watched annotation it put back gets
    # its own last change as the date, as the migration gave every other one.
    text(
        "UPDATE annotations SET watched_at = updated_at, play_count = 1, watched_source = 'manual'"
        " WHERE watched AND watched_at IS NULL AND id IN"
        " (SELECT id FROM jsonb_populate_recordset(NULL::annotations, CAST(:snapshot AS jsonb) -> 'annotations'))"
    ),
    text(
        "DELETE FROM media_identities WHERE (space_id, kind, value) IN (SELECT space_id, kind, value"
        " FROM jsonb_populate_recordset(NULL::media_identities, CAST(:snapshot AS jsonb) -> 'identities'))"
    ),
    text(
        "INSERT INTO media_identities"
        " SELECT * FROM jsonb_populate_recordset(NULL::media_identities, CAST(:snapshot AS jsonb) -> 'identities')"
    ),
    # Tags as they were, of the tags that still exist (merges made before tags have no `survivor_tags`:
    # the survivor keeps its tags then).
    text(
        "DELETE FROM media_tags WHERE media_id = :survivor_id AND (CAST(:snapshot AS jsonb) -> 'survivor_tags') IS NOT NULL"
        " AND tag_id NOT IN (SELECT tag_id FROM"
        " jsonb_populate_recordset(NULL::media_tags, CAST(:snapshot AS jsonb) -> 'survivor_tags'))"
    ),
    text(
        "INSERT INTO media_tags (media_id, tag_id, space_id) SELECT r.media_id, r.tag_id, r.space_id"
        " FROM jsonb_populate_recordset(NULL::media_tags, CAST(:snapshot AS jsonb) -> 'tags') r"
        " JOIN tags t ON t.id = r.tag_id ON CONFLICT DO NOTHING"
    ),
]
_MERGE_FOR_REVERT = text(
    "SELECT id, survivor_id, duplicate_ids, snapshot::text AS snapshot, reverted_at FROM merges"
    " WHERE id = :id AND space_id = :space_id FOR UPDATE"
)


async def revert(session: AsyncSession, caller: CallerContext, merge_id: uuid.UUID) -> dict:
    try:
        async with session.begin():
            found = (await session.execute(_MERGE_FOR_REVERT, {"id": merge_id, "space_id": caller.space_id})).first()
            if found is None:
                raise NotFound()
            if found.reverted_at is not None:
                raise Conflict("This merge was already reverted.")
            survivor = await session.execute(
                text("SELECT id FROM media WHERE id = :id AND deleted_at IS NULL FOR UPDATE"), {"id": found.survivor_id}
            )
            if survivor.first() is None:
                raise Conflict("Restore the surviving title from the trash before reverting this merge.")
            params = {"snapshot": found.snapshot, "survivor_id": found.survivor_id}
            for statement in _RESTORE:
                await session.execute(statement, params)
            await session.execute(_RESTORE_SURVIVOR, params)
            # The survivor's row comes back as it was; its season counts follow what it holds now.
            await session.execute(
                text("SELECT count_media_seasons(CAST(:ids AS uuid[]))"), {"ids": [found.survivor_id]}
            )
            await store.refresh_derived(session, found.survivor_id)
            await session.execute(
                text("UPDATE merges SET reverted_at = now(), reverted_by = :user_id WHERE id = :id"),
                {"id": merge_id, "user_id": caller.user_id},
            )
            dups = list(found.duplicate_ids)
            await store.adjust_live_count(session, caller.space_id, len(dups))
            ids = [found.survivor_id, *dups]
            rows = await session.execute(text("SELECT * FROM media WHERE id = ANY(:ids)"), {"ids": ids})
            by_id = {row["id"]: dict(row) for row in rows.mappings()}
            title = by_id[found.survivor_id]["title"]
            await _record(session, "merge_reverted", caller, merge_id, found.survivor_id, dups, title)
            copies = await store.copies_of(session, ids)
            tags = await tag_store.tags_of(session, ids)
    except IntegrityError as exc:
        raise Conflict("The merged titles changed since the merge and cannot be restored exactly.") from exc
    media = [{**store.to_api(by_id[i], copies[i]), "tags": tags[i]} for i in ids if i in by_id]
    return {"merge_id": merge_id, "media": media}
