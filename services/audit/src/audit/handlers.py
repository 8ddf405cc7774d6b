"""Use cases of the audit service: write an event down, forget what is past retention."""

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from audit.domain.redaction import redact
from audit.names import resolve_names
from audit.store import activity_log
from shelfspace_contracts.events import EventEnvelope


async def record_event(session: AsyncSession, envelope: EventEnvelope) -> None:
    """One activity row per event, whatever its type; its details redacted first, its names resolved."""
    names = await resolve_names(session, envelope)
    statement = insert(activity_log).values(
        id=uuid.uuid4(),
        event_id=envelope.id,
        action=envelope.type,
        producer=envelope.producer,
        user_id=envelope.actor_user_id,
        space_id=envelope.space_id,
        entity_type=envelope.entity_type,
        entity_id=envelope.entity_id,
        details=redact(envelope.data),
        request_id=envelope.request_id,
        created_at=envelope.occurred_at,
        actor_name=names.actor_name,
        space_name=names.space_name,
        subject_name=names.subject_name,
    )
    # The inbox already makes redelivery a no-op; the unique event id is the last line of defence.
    await session.execute(statement.on_conflict_do_nothing(index_elements=["event_id"]))


async def delete_expired(session: AsyncSession, *, retention_days: int, batch_size: int, max_batches: int) -> int:
    """Delete rows older than the retention, a batch at a time; returns how many went."""
    cutoff = datetime.now(UTC) - timedelta(days=retention_days)
    deleted = 0
    for _ in range(max_batches):
        expired = select(activity_log.c.id).where(activity_log.c.created_at < cutoff).limit(batch_size)
        result = await session.execute(delete(activity_log).where(activity_log.c.id.in_(expired.scalar_subquery())))
        deleted += result.rowcount or 0
        if (result.rowcount or 0) < batch_size:
            break
    return deleted
