"""Reactions to other contexts' events, and the trash purge job."""

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from library.covers.storage import CoverStorage
from library.events import recorder
from library.handlers.covers import forget_covers
from shelfspace_contracts.events import EventEnvelope
from shelfspace_contracts.library import MediaChanged, UserDeleted
from shelfspace_kernel.inbox import EventHandler
from shelfspace_kernel.periodic import PeriodicJob

# Children first by their own space index, so deleting a large space does not cascade row by row.
_DELETE_SPACE = [
    "DELETE FROM merges WHERE space_id = :space_id",
    "DELETE FROM loans WHERE space_id = :space_id",
    "DELETE FROM space_members WHERE space_id = :space_id",
    "DELETE FROM wishes WHERE space_id = :space_id",
    "DELETE FROM saved_views WHERE space_id = :space_id",
    "DELETE FROM media_tags WHERE tag_id IN (SELECT id FROM tags WHERE space_id = :space_id)",
    "DELETE FROM tags WHERE space_id = :space_id",
    "DELETE FROM annotations WHERE space_id = :space_id",
    "DELETE FROM copies WHERE space_id = :space_id",
    "DELETE FROM media_identities WHERE space_id = :space_id",
    "DELETE FROM media WHERE space_id = :space_id",
    "DELETE FROM space_counts WHERE space_id = :space_id",
    "DELETE FROM import_batches WHERE space_id = :space_id",
]
# Deleting titles still runs each foreign key's cascade once per title, through a plan Postgres keeps
# for it; planned anew every time (the services' setting, shelfspace_kernel.db) a 100k-title space
# took 20 s to delete instead of 3.5 s.
_KEEP_PLANS = text("SET LOCAL plan_cache_mode = auto")
_COVERS_OF_SPACE = text("SELECT cover_key FROM media WHERE space_id = :space_id AND cover_key IS NOT NULL")


def space_deletion(storage: CoverStorage | None = None) -> EventHandler:
    """The `identity.space.deleted` handler: everything the space had in the library goes, own covers too.

    The covers' images go last, before the inbox transaction commits: should it fail, the event is
    handled again and finds the rows still there.
    """

    async def on_space_deleted(session: AsyncSession, envelope: EventEnvelope) -> None:
        space_id = envelope.space_id or uuid.UUID(str(envelope.entity_id))
        await session.execute(_KEEP_PLANS)
        covers = list((await session.execute(_COVERS_OF_SPACE, {"space_id": space_id})).scalars())
        for statement in _DELETE_SPACE:
            await session.execute(text(statement), {"space_id": space_id})
        if storage is not None:
            await forget_covers(storage, covers)

    return on_space_deleted


async def on_user_deleted(session: AsyncSession, envelope: EventEnvelope) -> None:
    """`identity.user.deleted`: titles keep who added them as a name; private annotations and views go."""
    user_id = uuid.UUID(str(envelope.entity_id))
    data = UserDeleted.model_validate(envelope.data)
    await session.execute(
        text("UPDATE media SET added_by_name = :name WHERE added_by = :user_id"),
        {"user_id": user_id, "name": (data.name or "Deleted user")[:200]},
    )
    await session.execute(
        text("DELETE FROM annotations WHERE user_id = :user_id AND visibility = 'private'"), {"user_id": user_id}
    )
    await session.execute(text("DELETE FROM space_members WHERE user_id = :user_id"), {"user_id": user_id})
    await session.execute(
        text("DELETE FROM saved_views WHERE owner_id = :user_id AND NOT shared"), {"user_id": user_id}
    )


_PURGE = text(
    """
    DELETE FROM media WHERE id IN (
        SELECT id FROM media WHERE deleted_at < :cutoff ORDER BY deleted_at LIMIT :batch FOR UPDATE SKIP LOCKED
    )
    RETURNING id, space_id, title, media_type, year, cover_key
    """
)


def purge_job(
    retention: timedelta, every_seconds: float, batch: int, storage: CoverStorage | None = None
) -> PeriodicJob:
    """Remove titles that stayed in the trash past the retention (one replica at a time), and their own covers.

    The covers' images go before the transaction commits: should it fail, the titles stay in the
    trash without their cover images until the next run purges them.
    """

    async def purge(session: AsyncSession) -> None:
        cutoff = datetime.now(UTC) - retention
        await session.execute(_KEEP_PLANS)
        purged = (await session.execute(_PURGE, {"cutoff": cutoff, "batch": batch})).mappings().all()
        if storage is not None:
            await forget_covers(storage, [row["cover_key"] for row in purged if row["cover_key"]])
        for row in purged:
            data = MediaChanged(title=row["title"], media_type=row["media_type"], year=row["year"], source="trash")
            await recorder.record(
                session,
                "library.media.purged",
                space_id=row["space_id"],
                entity_type="media",
                entity_id=row["id"],
                data=data.model_dump(mode="json"),
            )

    return PeriodicJob("library.trash.purge", every_seconds, purge)
