"""The instance's feature flags as sync knows them: a copy kept from identity's events.

The gateway refuses the schedule routes while `scheduled_sync` is off; the scheduler reads this
copy so that schedules saved while it was on stop running too.
"""

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shelfspace_contracts.events import EventEnvelope
from shelfspace_contracts.features import Feature
from sync.store import feature_flags


async def on_feature_flag_changed(session: AsyncSession, envelope: EventEnvelope) -> None:
    """`identity.feature_flag.changed`: keep the newest value (events may arrive out of order)."""
    values = {"key": envelope.data["key"], "enabled": envelope.data["enabled"], "changed_at": envelope.occurred_at}
    statement = insert(feature_flags).values(values)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[feature_flags.c.key],
            set_={"enabled": statement.excluded.enabled, "changed_at": statement.excluded.changed_at},
            where=feature_flags.c.changed_at < statement.excluded.changed_at,
        )
    )


async def scheduled_sync_is_on(session: AsyncSession) -> bool:
    # No row: the flag has not changed since sync kept a copy, and schedules exist only if it was on.
    enabled = await session.scalar(
        select(feature_flags.c.enabled).where(feature_flags.c.key == Feature.SCHEDULED_SYNC.value)
    )
    return enabled is not False
