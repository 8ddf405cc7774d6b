"""The mail outbox: an email is written in the transaction that decides to send it, and a periodic
sender delivers due mail, retrying with back-off while the server is unreachable, so an outage
delays mail and loses none. Delivery is at least once: a crash between the server's acceptance and
the commit sends that mail again.

A mail of a kind with a composer (a password reset) is queued with its recipient only: its text,
and the link in it, are made when it is sent. So no live link waits in the table, a link's lifetime
starts when it leaves, and asking for a reset costs the same whether or not the email has an
account (the composer finds none, and the mail is dropped)."""

import uuid
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta

import structlog
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from identity import mailer
from identity.settings import IdentitySettings
from identity.store import mail_outbox

log = structlog.get_logger(__name__)
BATCH = 20
PLAIN = "plain"

# kind → (session, settings, recipient) → (subject, body), or None when there is nothing to send.
Composer = Callable[[AsyncSession, IdentitySettings, str], Awaitable[tuple[str, str] | None]]


async def enqueue(
    session: AsyncSession, recipient: str, *, kind: str = PLAIN, subject: str | None = None, body: str | None = None
) -> None:
    """Queue a mail in the caller's transaction: it leaves only if that transaction commits."""
    await session.execute(
        insert(mail_outbox).values(id=uuid.uuid4(), kind=kind, recipient=recipient, subject=subject, body=body)
    )


def retry_delay(settings: IdentitySettings, attempts: int) -> timedelta:
    """2^attempts times the sender's period, capped at MAIL_RETRY_MAX_SECONDS."""
    seconds = settings.mail_send_every_seconds * 2 ** min(attempts, 30)
    return timedelta(seconds=min(seconds, settings.mail_retry_max_seconds))


async def send_due(session: AsyncSession, settings: IdentitySettings, composers: Mapping[str, Composer]) -> None:
    """The periodic job: send what is due; rows another replica holds are skipped, not waited for."""
    if not settings.mail_configured:
        return
    due = await session.execute(
        select(mail_outbox)
        .where(mail_outbox.c.failed_at.is_(None), mail_outbox.c.next_attempt_at <= func.now())
        .order_by(mail_outbox.c.next_attempt_at)
        .limit(BATCH)
        .with_for_update(skip_locked=True)
    )
    for row in due.all():
        await _send_one(session, settings, composers, row)


async def _send_one(session: AsyncSession, settings: IdentitySettings, composers: Mapping[str, Composer], row) -> None:
    try:
        # A failed send undoes what composing wrote (a reset link nobody received).
        async with session.begin_nested():
            text = (
                (row.subject, row.body)
                if row.kind == PLAIN
                else await composers[row.kind](session, settings, row.recipient)
            )
            if text is not None:
                await mailer.send(settings, mailer.build_message(settings, row.recipient, *text))
    except mailer.PermanentMailFailure as exc:
        log.warning("mail_refused", mail_id=str(row.id), error=str(exc))
        await _note_failure(session, row, str(exc), failed_at=datetime.now(UTC))
    except (OSError, TimeoutError, mailer.aiosmtplib.SMTPException) as exc:
        delay = retry_delay(settings, row.attempts)
        log.info("mail_deferred", mail_id=str(row.id), attempts=row.attempts + 1, retry_in=delay.total_seconds())
        await _note_failure(session, row, str(exc) or type(exc).__name__, next_attempt_at=datetime.now(UTC) + delay)
    else:
        await session.execute(delete(mail_outbox).where(mail_outbox.c.id == row.id))


async def _note_failure(session: AsyncSession, row, error: str, **values) -> None:
    await session.execute(
        update(mail_outbox)
        .where(mail_outbox.c.id == row.id)
        .values(attempts=row.attempts + 1, last_error=error[:1000], **values)
    )
