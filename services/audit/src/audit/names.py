"""Names resolved when an event is written, from the audit service's own directory of users and spaces.

Identity events carry the names (`identity.user.registered|updated|deleted`,
`identity.space.created|updated|deleted`); the directory keeps the newest name of each user and space
and never forgets one, so an activity row names who acted, where and about whom even when the user or
space is gone. Producers only put in `data` what they have at hand (a title and its year); they do not
know the actor's name, and asking identity for it on every event would tie the log to its uptime.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator
from sqlalchemy import case, func, or_, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from audit.store import activity_log, known_names
from shelfspace_contracts.events import EventEnvelope

USER = "user"
SPACE = "space"
USER_EVENTS = {"identity.user.registered", "identity.user.updated", "identity.user.deleted"}
# Events that introduce a user or space: their first actions may have been written before them.
LOCK_PREFIX = "audit.names:"
INTRODUCING = {"identity.user.registered", "identity.space.created"}
SPACE_EVENTS = {"identity.space.created", "identity.space.updated", "identity.space.deleted"}


class NamedData(BaseModel):
    """The parts of an event's `data` that name someone or something; the rest is ignored."""

    model_config = ConfigDict(extra="ignore")

    name: str | None = None
    email: str | None = None
    user_id: uuid.UUID | None = None

    @field_validator("name", "email")
    @classmethod
    def _blank_is_unknown(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @classmethod
    def of(cls, envelope: EventEnvelope) -> "NamedData":
        try:
            return cls.model_validate(envelope.data)
        except ValidationError:
            return cls()  # an event type this log does not know: it still lands, without names


@dataclass(frozen=True)
class ResolvedNames:
    actor_name: str | None = None
    space_name: str | None = None
    subject_name: str | None = None


def _as_uuid(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def _learnt(envelope: EventEnvelope, data: NamedData) -> tuple[str, uuid.UUID, NamedData] | None:
    if envelope.type in USER_EVENTS and envelope.entity_type == USER:
        user_id = _as_uuid(envelope.entity_id)
        return (USER, user_id, data) if user_id else None
    if envelope.type in SPACE_EVENTS and envelope.space_id is not None:
        return SPACE, envelope.space_id, NamedData(name=data.name)
    return None


async def _learn(session: AsyncSession, kind: str, entity_id: uuid.UUID, data: NamedData, at: datetime) -> None:
    if not (data.name or data.email):
        return
    statement = insert(known_names).values(kind=kind, id=entity_id, name=data.name, email=data.email, updated_at=at)
    current = known_names.c
    # An older event arriving late does not undo a newer name; a missing part keeps the known one.
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[current.kind, current.id],
            set_={
                "name": func.coalesce(statement.excluded.name, current.name),
                "email": func.coalesce(statement.excluded.email, current.email),
                "updated_at": statement.excluded.updated_at,
            },
            where=current.updated_at <= statement.excluded.updated_at,
        )
    )


async def _fill_earlier_rows(session: AsyncSession, kind: str, entity_id: uuid.UUID, data: NamedData) -> None:
    """Name the rows written before the introducing event arrived (outboxes of several services race)."""
    name = data.name or data.email
    if kind == USER:
        row = activity_log.c
        # Their own first actions (joining a space, claiming an invite) are also about them.
        about_them = or_(row.details["user_id"].astext == str(entity_id), row.entity_id == str(entity_id))
        filled = update(activity_log).where(row.user_id == entity_id, row.actor_name.is_(None))
        await session.execute(
            filled.values(actor_name=name, subject_name=case((about_them, name), else_=row.subject_name))
        )
    else:
        filled = update(activity_log).where(activity_log.c.space_id == entity_id, activity_log.c.space_name.is_(None))
        await session.execute(filled.values(space_name=name))


def _subject_of(envelope: EventEnvelope, data: NamedData) -> uuid.UUID | None:
    """The user an action is about: a member added or removed, an invite's claimer, a user edited."""
    if data.user_id is not None:
        return data.user_id
    return _as_uuid(envelope.entity_id) if envelope.entity_type == USER else None


async def _lock_names_of(session: AsyncSession, ids: set[uuid.UUID], learning: uuid.UUID | None) -> None:
    """Events are handled concurrently: a row naming a user and the event introducing that user take
    the same lock, so one of them always sees the other's write. Only the event that learns a name
    takes it exclusively: a burst of one user's actions (an import) still runs in parallel. Taken in
    a stable order, so no deadlock."""
    for entity_id in sorted(ids, key=str):
        lock = func.pg_advisory_xact_lock if entity_id == learning else func.pg_advisory_xact_lock_shared
        await session.execute(select(lock(func.hashtextextended(LOCK_PREFIX + str(entity_id), 0))))


async def resolve_names(session: AsyncSession, envelope: EventEnvelope) -> ResolvedNames:
    """Learn the names the event carries, then name its actor, space and subject."""
    data = NamedData.of(envelope)
    learnt = _learnt(envelope, data)
    subject_id = _subject_of(envelope, data)
    learning = learnt[1] if learnt else None
    ids = {entity_id for entity_id in (envelope.actor_user_id, envelope.space_id, subject_id, learning) if entity_id}
    await _lock_names_of(session, ids, learning)
    if learnt:
        await _learn(session, *learnt, envelope.occurred_at)
        if envelope.type in INTRODUCING and (learnt[2].name or learnt[2].email):
            await _fill_earlier_rows(session, *learnt)
    wanted = {
        (kind, entity_id)
        for kind, entity_id in ((USER, envelope.actor_user_id), (SPACE, envelope.space_id), (USER, subject_id))
        if entity_id is not None
    }
    if not wanted:
        return ResolvedNames()
    rows = await session.execute(
        select(known_names.c.kind, known_names.c.id, func.coalesce(known_names.c.name, known_names.c.email)).where(
            tuple_(known_names.c.kind, known_names.c.id).in_(list(wanted))
        )
    )
    found = {(kind, entity_id): name for kind, entity_id, name in rows}
    return ResolvedNames(
        actor_name=found.get((USER, envelope.actor_user_id)),
        space_name=found.get((SPACE, envelope.space_id)),
        subject_name=found.get((USER, subject_id)),
    )
