"""A space's full-fidelity export (the JSON document, format version 1) and the library's record import.

The export's `titles` are `ExportedTitle`s; a restore sends them back to the library in
`RecordBatch`es, answered with an `ImportBatchResult` whose `external_id` is `str(record.id)`.
"""

import hashlib
import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shelfspace_contracts.media_items import MAX_TAGS, CopyFields, CopyFormat, Identities, MediaType, TagName

FORMAT_VERSION = 1
MAX_RECORDS = 500

Visibility = Literal["private", "shared"]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ExportedCopy(CopyFields):
    """One copy owned, as the library's `copies` table holds it."""

    format: CopyFormat


class ExportedAnnotation(_Record):
    """One user's rating and notes on a title."""

    user_id: uuid.UUID
    rating: float | None = Field(default=None, ge=0, le=10)
    notes: str | None = Field(default=None, max_length=10000)
    watched: bool = False
    visibility: Visibility = "private"


class ExportedTitle(_Record):
    """A live title with its copies and the annotations the exporting user may see."""

    id: uuid.UUID  # the title's id in the exporting space
    title: str = Field(min_length=1, max_length=500)
    original_title: str | None = Field(default=None, max_length=500)
    media_type: MediaType
    year: int | None = Field(default=None, ge=1870, le=2100)
    runtime_minutes: int | None = Field(default=None, ge=0, le=100000)
    overview: str | None = Field(default=None, max_length=10000)
    poster_url: str | None = Field(default=None, max_length=2000)
    genres: list[str] = Field(default_factory=list, max_length=50)
    directors: list[str] = Field(default_factory=list, max_length=50)
    cast: list[str] = Field(default_factory=list, max_length=100)
    rating: float | None = Field(default=None, ge=0, le=10)
    season_count: int | None = Field(default=None, ge=0)
    episode_count: int | None = Field(default=None, ge=0)
    notes: str | None = Field(default=None, max_length=10000)
    identities: Identities = Field(default_factory=Identities)
    tags: list[TagName] = Field(default_factory=list, max_length=MAX_TAGS)
    copies: list[ExportedCopy] = Field(default_factory=list, max_length=200)
    annotations: list[ExportedAnnotation] = Field(default_factory=list, max_length=1000)
    added_at: datetime | None = None


class ExportedSpace(BaseModel):
    id: uuid.UUID
    # The library does not hold space names; the export writes null unless it is told the name.
    name: str | None = None


class SpaceExport(BaseModel):
    """The JSON export's header; the document adds `titles: [ExportedTitle, ...]` after it."""

    format_version: int = FORMAT_VERSION
    exported_at: datetime
    exported_by: uuid.UUID | None = None
    space: ExportedSpace
    titles: list[ExportedTitle] = Field(default_factory=list)


class RecordBatch(BaseModel):
    """The library's internal record import (`POST /internal/media/records`) for the caller's space.

    Annotations keep their user when that user is the caller or in `member_ids` (members of the
    target space, which only the caller can know); those of `exported_by` (the export's author)
    otherwise become the caller's own; the rest are left out and counted in the record's reason.
    """

    model_config = ConfigDict(extra="forbid")

    records: list[ExportedTitle] = Field(max_length=MAX_RECORDS)
    # Idempotency key in the caller's space, as for `ImportBatch`.
    batch_key: str | None = Field(default=None, min_length=1, max_length=200)
    exported_by: uuid.UUID | None = None
    member_ids: list[uuid.UUID] = Field(default_factory=list, max_length=10000)


def records_fingerprint(records: list[ExportedTitle]) -> str:
    """The identity of a record batch: its records' ids in order, as a SHA-256 hex digest."""
    digest = hashlib.sha256()
    for record in records:
        digest.update(f"records\x1f{record.id}\x1e".encode())
    return digest.hexdigest()
