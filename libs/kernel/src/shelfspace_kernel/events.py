"""Building and recording events from a service's use cases."""

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shelfspace_contracts.events import EventEnvelope
from shelfspace_kernel.internal_auth import CallerContext
from shelfspace_kernel.outbox import add_event, add_events


class EventRecorder:
    """Writes a service's events to its outbox, in the caller's transaction."""

    def __init__(self, producer: str) -> None:
        self.producer = producer

    async def record(self, session: AsyncSession, event_type: str, **fields: Any) -> EventEnvelope:
        """Write one event (`fields` as for `envelope`)."""
        envelope = self.envelope(event_type, **fields)
        await add_event(session, envelope, schema=self.producer)
        return envelope

    async def record_all(self, session: AsyncSession, envelopes: Sequence[EventEnvelope]) -> None:
        """Write events built with `envelope` in one round trip (a bulk write's events)."""
        await add_events(session, envelopes, schema=self.producer)

    def envelope(
        self,
        event_type: str,
        *,
        caller: CallerContext | None = None,
        space_id: uuid.UUID | None = None,
        entity_type: str | None = None,
        entity_id: object | None = None,
        data: dict[str, Any] | None = None,
    ) -> EventEnvelope:
        return EventEnvelope(
            type=event_type,
            producer=self.producer,
            space_id=space_id if space_id is not None else (caller.space_id if caller else None),
            actor_user_id=caller.user_id if caller else None,
            entity_type=entity_type,
            entity_id=str(entity_id) if entity_id is not None else None,
            request_id=caller.request_id if caller else None,
            data=data or {},
        )
