"""Reads and writes of loans (SQL on the caller's transaction)."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

Row = dict[str, Any]

# A loan with what its answers show of the copy and title; `overdue` against the caller's clock.
_LOAN = """
    SELECT l.*, m.title, c.format, coalesce(l.returned_at IS NULL AND l.due_at < :now, false) AS overdue
    FROM loans l JOIN copies c ON c.id = l.copy_id JOIN media m ON m.id = l.media_id
"""
_INSERT = text(
    """
    INSERT INTO loans (id, space_id, copy_id, media_id, borrower_user_id, borrower_name, lent_by, lent_at, due_at)
    VALUES (:id, :space_id, :copy_id, :media_id, :borrower_user_id, :borrower_name, :lent_by, :lent_at, :due_at)
    """
)
_RETURN = text(
    """
    UPDATE loans SET returned_at = :now, returned_by = :user_id
    WHERE id = :id AND space_id = :space_id AND returned_at IS NULL
    RETURNING id
    """
)
# state → condition on the space's loans
STATES = {
    "open": "l.returned_at IS NULL",
    "overdue": "l.returned_at IS NULL AND l.due_at < :now",
    "all": "true",
}


async def live_copy(session: AsyncSession, space_id: uuid.UUID, copy_id: uuid.UUID) -> Row | None:
    """A copy of a live title of this space, locked against a concurrent delete."""
    row = (
        await session.execute(
            text(
                "SELECT c.id, c.media_id FROM copies c JOIN media m ON m.id = c.media_id"
                " WHERE c.id = :id AND c.space_id = :space_id AND m.deleted_at IS NULL FOR SHARE OF c"
            ),
            {"id": copy_id, "space_id": space_id},
        )
    ).first()
    return {"id": row.id, "media_id": row.media_id} if row else None


async def is_member(session: AsyncSession, space_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    found = await session.scalar(
        text("SELECT 1 FROM space_members WHERE space_id = :space_id AND user_id = :user_id"),
        {"space_id": space_id, "user_id": user_id},
    )
    return found is not None


async def open_of_title(session: AsyncSession, media_id: uuid.UUID, now: datetime) -> dict[uuid.UUID, Row]:
    """The open loans of a title's copies, by copy id, as titles show them (shelfspace_contracts.library.CopyLoan)."""
    rows = await session.execute(
        text(
            "SELECT id, copy_id, borrower_user_id, borrower_name, lent_at, due_at,"
            " coalesce(due_at < :now, false) AS overdue"
            " FROM loans WHERE media_id = :media_id AND returned_at IS NULL"
        ),
        {"media_id": media_id, "now": now},
    )
    return {row["copy_id"]: dict(row) for row in rows.mappings()}


async def insert(session: AsyncSession, loan: Row) -> None:
    await session.execute(_INSERT, loan)


async def mark_returned(
    session: AsyncSession, space_id: uuid.UUID, loan_id: uuid.UUID, user_id: uuid.UUID | None, now: datetime
) -> bool:
    """Close an open loan; False when there is none by that id in the space (or it was returned)."""
    params = {"id": loan_id, "space_id": space_id, "user_id": user_id, "now": now}
    return (await session.execute(_RETURN, params)).first() is not None


async def get(session: AsyncSession, space_id: uuid.UUID, loan_id: uuid.UUID, now: datetime) -> Row | None:
    sql = text(f"{_LOAN} WHERE l.id = :id AND l.space_id = :space_id")
    row = (await session.execute(sql, {"id": loan_id, "space_id": space_id, "now": now})).mappings().first()
    return dict(row) if row else None


async def page(
    session: AsyncSession,
    space_id: uuid.UUID,
    state: str,
    copy_id: uuid.UUID | None,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
    now: datetime,
) -> list[Row]:
    """Loans of the space (of one copy when given), newest first, keyset after (lent_at, id)."""
    clauses = ["l.space_id = :space_id", "m.deleted_at IS NULL", STATES[state]]
    params: Row = {"space_id": space_id, "now": now, "limit": limit}
    if copy_id is not None:
        clauses.append("l.copy_id = :copy_id")
        params["copy_id"] = copy_id
    if after is not None:
        clauses.append("(l.lent_at, l.id) < (:c_lent_at, :c_id)")
        params |= {"c_lent_at": after[0], "c_id": after[1]}
    sql = f"{_LOAN} WHERE {' AND '.join(clauses)} ORDER BY l.lent_at DESC, l.id DESC LIMIT :limit"
    return [dict(row) for row in (await session.execute(text(sql), params)).mappings()]


# Overdue loans not reminded of yet, claimed in the transaction that records their reminders: a
# replica running the job at the same time skips the locked rows, and the `reminded_at IS NULL`
# test keeps a claimed loan from being claimed again once committed.
_CLAIM_REMINDERS = text(
    """
    UPDATE loans l SET reminded_at = :now
    FROM media m, copies c
    WHERE l.id IN (
        SELECT id FROM loans
        WHERE returned_at IS NULL AND reminded_at IS NULL AND due_at < :now
        ORDER BY due_at LIMIT :batch FOR UPDATE SKIP LOCKED
    )
    AND l.reminded_at IS NULL AND m.id = l.media_id AND c.id = l.copy_id
    RETURNING l.*, m.title, c.format
    """
)


async def claim_reminders(session: AsyncSession, now: datetime, batch: int) -> list[Row]:
    return [dict(row) for row in (await session.execute(_CLAIM_REMINDERS, {"now": now, "batch": batch})).mappings()]


async def add_member(session: AsyncSession, space_id: uuid.UUID, user_id: uuid.UUID) -> None:
    await session.execute(
        text("INSERT INTO space_members (space_id, user_id) VALUES (:space_id, :user_id) ON CONFLICT DO NOTHING"),
        {"space_id": space_id, "user_id": user_id},
    )


async def remove_member(session: AsyncSession, space_id: uuid.UUID, user_id: uuid.UUID) -> None:
    await session.execute(
        text("DELETE FROM space_members WHERE space_id = :space_id AND user_id = :user_id"),
        {"space_id": space_id, "user_id": user_id},
    )
