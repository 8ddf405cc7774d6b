"""Overdue-loan reminders: the library decides a loan is due a reminder (once per loan, in the
transaction that claims it); identity knows the addresses and queues the mail in its mail outbox,
in the inbox transaction, so a redelivered event never queues a second mail."""

import uuid

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from identity.handlers import mail
from identity.settings import IdentitySettings
from identity.store import memberships, users
from shelfspace_contracts.events import EventEnvelope
from shelfspace_contracts.library import LoanReminderDue
from shelfspace_kernel.inbox import EventHandler

EVENT = "library.loan.reminder_due"


async def _member(session: AsyncSession, space_id: uuid.UUID | None, user_id: uuid.UUID | None) -> Row | None:
    """(email, name) of a live member of the space, or None."""
    if space_id is None or user_id is None:
        return None
    query = (
        select(users.c.email, users.c.name)
        .join(memberships, memberships.c.user_id == users.c.id)
        .where(users.c.id == user_id, memberships.c.space_id == space_id, users.c.disabled.is_(False))
    )
    return (await session.execute(query)).first()


def _text(reminder: LoanReminderDue, to_borrower: bool, name: str) -> tuple[str, str]:
    item = reminder.title
    due = reminder.due_at.date().isoformat() if reminder.due_at else "?"
    lent = reminder.lent_at.date().isoformat()
    if to_borrower:
        subject = f"Reminder: please return {item}"
        body = f"Hello {name},\n\n{item}, borrowed on {lent}, was due back on {due}.\n"
    else:
        who = reminder.borrower_name or "a former member"
        subject = f"Overdue: {item} lent to {who}"
        body = f"Hello {name},\n\n{item}, lent to {who} on {lent}, was due back on {due}.\n"
    return subject, body


def reminder_handler(settings: IdentitySettings) -> EventHandler:
    async def on_reminder_due(session: AsyncSession, envelope: EventEnvelope) -> None:
        """To the borrower when a member of the space, else to whoever lent the copy."""
        if not settings.mail_configured:
            return
        reminder = LoanReminderDue.model_validate(envelope.data)
        to_borrower = True
        found = await _member(session, envelope.space_id, reminder.borrower_user_id)
        if found is None:
            to_borrower = False
            found = await _member(session, envelope.space_id, reminder.lent_by)
        if found is None:
            return
        subject, body = _text(reminder, to_borrower, found.name)
        await mail.enqueue(session, found.email, subject=subject, body=body)

    return on_reminder_due
