"""Opaque keyset cursors: the last row's sort value and id, plus the sort and search mode they belong to."""

import base64
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shelfspace_kernel.errors import ValidationFailed


@dataclass(frozen=True)
class Cursor:
    sort: str
    order: str
    value: Any  # the last row's sort value; None once the page walk reached rows without one
    id: uuid.UUID | None
    in_nulls: bool = False
    similar: bool = False  # the search matched similar words (nothing matched the words as typed)


def encode(cursor: Cursor) -> str:
    raw = json.dumps(
        [
            cursor.sort,
            cursor.order,
            cursor.value,
            str(cursor.id) if cursor.id else None,
            cursor.in_nulls,
            cursor.similar,
        ],
        separators=(",", ":"),
    )
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(token: str, *, sort: str, order: str) -> Cursor:
    try:
        padded = token + "=" * (-len(token) % 4)
        # Cursors handed out before the search mode was added have five fields.
        s, o, value, ident, in_nulls, *similar = json.loads(base64.urlsafe_b64decode(padded))
        if len(similar) > 1:
            raise ValueError("too many fields")
        cursor = Cursor(s, o, value, uuid.UUID(ident) if ident else None, bool(in_nulls), bool(similar and similar[0]))
    except (ValueError, TypeError) as exc:
        raise _invalid("The cursor is not valid.") from exc
    if (cursor.sort, cursor.order) != (sort, order):
        raise _invalid("The cursor belongs to another sort order.")
    return cursor


def _invalid(message: str) -> ValidationFailed:
    return ValidationFailed(details=[{"field": "cursor", "message": message, "type": "value_error"}])


def timestamp_value(cursor: Cursor) -> datetime:
    """The cursor's value as a timestamp (for orders by a time column)."""
    try:
        return datetime.fromisoformat(cursor.value)
    except (TypeError, ValueError) as exc:
        raise _invalid("The cursor is not valid.") from exc


def priority_value(cursor: Cursor) -> tuple[int, datetime]:
    """The cursor's value as (priority, created_at) (for the wishlist's order)."""
    try:
        priority, created_at = cursor.value
        return int(priority), datetime.fromisoformat(created_at)
    except (TypeError, ValueError) as exc:
        raise _invalid("The cursor is not valid.") from exc
