"""Loans: lend a copy to a member or to anyone by name, return it, list them; overdue reminders."""

import uuid
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from library.api.schemas import LoanIn
from library.domain import cursor as cursors
from library.events import recorder
from library.store import loans as store
from shelfspace_contracts.events import EventEnvelope
from shelfspace_contracts.library import LoanChanged, LoanReminderDue
from shelfspace_kernel.errors import Conflict, NotFound, ValidationFailed
from shelfspace_kernel.internal_auth import CallerContext

_LENT = Conflict("This copy is already on loan; return it first.", code="copy_on_loan")
_UNKNOWN_MEMBER = ValidationFailed(
    details=[{"field": "borrower_user_id", "message": "Not a member of this space.", "type": "value_error"}]
)
REMINDER_BATCH = 200


def loan_out(row: dict) -> dict:
    return {name: row[name] for name in LOAN_FIELDS}


LOAN_FIELDS = (
    "id",
    "copy_id",
    "media_id",
    "title",
    "format",
    "borrower_user_id",
    "borrower_name",
    "lent_by",
    "lent_at",
    "due_at",
    "returned_at",
    "overdue",
)


def _changed(row: dict) -> dict:
    data = LoanChanged(
        copy_id=row["copy_id"],
        media_id=row["media_id"],
        title=row["title"],
        borrower_user_id=row["borrower_user_id"],
        borrower_name=row["borrower_name"],
        due_at=row["due_at"],
    )
    return data.model_dump(mode="json")


async def _record(session: AsyncSession, verb: str, caller: CallerContext, row: dict) -> None:
    await recorder.record(
        session, f"library.loan.{verb}", caller=caller, entity_type="loan", entity_id=row["id"], data=_changed(row)
    )


async def lend(session: AsyncSession, caller: CallerContext, copy_id: uuid.UUID, body: LoanIn) -> dict:
    """A new open loan of the copy; 409 when the copy is on loan already (one open loan per copy)."""
    now = datetime.now(UTC)
    loan = {
        "id": uuid.uuid4(),
        "space_id": caller.space_id,
        "copy_id": copy_id,
        "borrower_user_id": body.borrower_user_id,
        "borrower_name": body.borrower_name,
        "lent_by": caller.user_id,
        "lent_at": body.lent_at or now,
        "due_at": body.due_at,
    }
    try:
        async with session.begin():
            copy = await store.live_copy(session, caller.space_id, copy_id)
            if copy is None:
                raise NotFound()
            if body.borrower_user_id is not None and not await store.is_member(
                session, caller.space_id, body.borrower_user_id
            ):
                raise _UNKNOWN_MEMBER
            await store.insert(session, {**loan, "media_id": copy["media_id"]})
            row = await store.get(session, caller.space_id, loan["id"], now)
            assert row is not None
            await _record(session, "created", caller, row)
    except IntegrityError as exc:
        raise _LENT from exc
    return loan_out(row)


async def return_loan(session: AsyncSession, caller: CallerContext, loan_id: uuid.UUID) -> dict:
    """Close the loan; 409 when it was returned already."""
    now = datetime.now(UTC)
    async with session.begin():
        if not await store.mark_returned(session, caller.space_id, loan_id, caller.user_id, now):
            if await store.get(session, caller.space_id, loan_id, now) is None:
                raise NotFound()
            raise Conflict("This loan was returned already.", code="loan_returned")
        row = await store.get(session, caller.space_id, loan_id, now)
        assert row is not None
        await _record(session, "returned", caller, row)
    return loan_out(row)


async def list_loans(
    session: AsyncSession,
    caller: CallerContext,
    state: str,
    copy_id: uuid.UUID | None,
    limit: int,
    cursor_token: str | None,
) -> dict:
    """The space's loans in `state` (of one copy: its history), newest first."""
    after = None
    if cursor_token:
        cursor = cursors.decode(cursor_token, sort="lent", order="desc")
        after = (cursors.timestamp_value(cursor), cursor.id)
    async with session.begin():
        rows = await store.page(session, caller.space_id, state, copy_id, after, limit + 1, datetime.now(UTC))
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = cursors.encode(cursors.Cursor("lent", "desc", last["lent_at"].isoformat(), last["id"]))
    return {"items": [loan_out(row) for row in rows[:limit]], "next_cursor": next_cursor}


def _reminder(row: dict) -> EventEnvelope:
    data = LoanReminderDue.model_validate({**_changed(row), "lent_by": row["lent_by"], "lent_at": row["lent_at"]})
    return recorder.envelope(
        "library.loan.reminder_due",
        space_id=row["space_id"],
        entity_type="loan",
        entity_id=row["id"],
        data=data.model_dump(mode="json"),
    )


async def send_reminders(session: AsyncSession) -> None:
    """The periodic job: each overdue loan's reminder, claimed and recorded in one transaction."""
    while rows := await store.claim_reminders(session, datetime.now(UTC), REMINDER_BATCH):
        await recorder.record_all(session, [_reminder(row) for row in rows])
        if len(rows) < REMINDER_BATCH:
            return


async def on_membership_added(session: AsyncSession, envelope: EventEnvelope) -> None:
    """`identity.membership.added|role_changed`: the user is a member and may borrow in the space."""
    await store.add_member(session, *_membership(envelope))


async def on_membership_removed(session: AsyncSession, envelope: EventEnvelope) -> None:
    """`identity.membership.removed`: no new loans to the user; their loans stay as they are."""
    await store.remove_member(session, *_membership(envelope))


def _membership(envelope: EventEnvelope) -> tuple[uuid.UUID, uuid.UUID]:
    data = envelope.data or {}
    return uuid.UUID(str(data["space_id"])), uuid.UUID(str(data["user_id"]))
