"""Rules of the record import: how an exported title is matched, which copies are the same, whose
annotations arrive. No I/O.

A record is matched like an import item (`domain.matching`), its provider identity being
`shelfspace:<the title's id in the exporting space>`; a record whose id is a title of the target
space itself (an export restored into its own space) is that title.
"""

import hashlib
import json
import uuid
from typing import Any

from library.domain.copies import PURCHASE_COLUMNS, copy_columns, purchase_of
from library.domain.imports import gaps_to_fill
from shelfspace_contracts.exports import ExportedAnnotation, ExportedCopy, ExportedTitle
from shelfspace_contracts.media_items import NormalizedItem

PROVIDER = "shelfspace"
# A copy without a source is the same as a stored copy of the title with these fields equal.
COPY_KEY_FIELDS = ("format", "edition", "barcode", "region", "location")
# Copy fields a matched copy takes from the record when it has no value yet.
COPY_GAP_FIELDS = ("edition", "barcode", "region", "location", "notes", "resolution", "condition")

Row = dict[str, Any]


def as_item(record: ExportedTitle) -> NormalizedItem:
    """The record as an import item, for the import's dedupe and gap rules (its copy is not used)."""
    return NormalizedItem(
        provider=PROVIDER,
        external_id=str(record.id),
        **record.model_dump(include=set(NormalizedItem.model_fields) - {"provider", "external_id", "owned_copy"}),
    )


def title_gaps(stored: Row, record: ExportedTitle) -> Row:
    """The stored title's empty fields the record has a value for (the import's rule, plus notes)."""
    gaps = gaps_to_fill(stored, as_item(record))
    if not stored.get("notes") and record.notes:
        gaps["notes"] = record.notes
    return gaps


def copy_key(copy: Row) -> tuple[Any, ...]:
    return tuple(copy.get(name) for name in COPY_KEY_FIELDS)


def has_source(copy: ExportedCopy) -> bool:
    return bool(copy.source_provider and copy.source_external_id)


def copy_gaps(stored: Row, copy: ExportedCopy) -> Row:
    """The stored copy's empty fields the record has; the purchase is taken whole, only when none is stored."""
    values = copy_columns(copy.model_dump())
    gaps = {name: values[name] for name in COPY_GAP_FIELDS if stored.get(name) is None and values[name] is not None}
    if copy.purchase is not None and purchase_of(stored) is None:
        gaps |= {column: values[column] for column in PURCHASE_COLUMNS.values()}
    return gaps


def same_copy(stored: list[Row], copy: ExportedCopy, taken: set[uuid.UUID]) -> Row | None:
    """The first stored copy (not yet matched by another copy of the record) with the same key fields."""
    key = copy_key(copy.model_dump())
    return next((row for row in stored if row["id"] not in taken and copy_key(row) == key), None)


def annotation_owners(
    annotations: list[ExportedAnnotation],
    caller_id: uuid.UUID | None,
    member_ids: set[uuid.UUID],
    exported_by: uuid.UUID | None,
) -> tuple[dict[uuid.UUID, ExportedAnnotation], int]:
    """(user → the annotation they get, how many annotations were left out).

    A user who is the caller or a given member keeps their annotation; the export's author's become
    the caller's (a person restoring their own export, maybe under another account); others are left
    out. A user's own annotation wins over the author's mapped onto them.
    """
    known = member_ids | ({caller_id} if caller_id else set())
    owners: dict[uuid.UUID, ExportedAnnotation] = {}
    for note in annotations:
        if note.user_id in known:
            owners[note.user_id] = note
    left_out = 0
    for note in annotations:
        if note.user_id in known:
            continue
        if note.user_id == exported_by and caller_id is not None and caller_id not in owners:
            owners[caller_id] = note
        else:
            left_out += 1
    return owners, left_out


def content_hash(record: ExportedTitle, owners: dict[uuid.UUID, ExportedAnnotation]) -> str:
    """Fingerprint of what the record would write; an equal one means nothing to do."""
    data = record.model_dump(mode="json", exclude={"annotations"})
    data["annotations"] = sorted(
        ({**note.model_dump(mode="json"), "user_id": str(user)} for user, note in owners.items()),
        key=lambda note: note["user_id"],
    )
    return "r:" + hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:30]
