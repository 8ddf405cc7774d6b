"""Library contracts: the `data` of `library.media.*` events and the identity events it consumes."""

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shelfspace_contracts.integrations import TmdbTitle

MediaEventSource = Literal["api", "import", "merge", "trash"]


class MediaChanged(BaseModel):
    """`library.media.created|updated|deleted|restored|purged|cover_set|cover_removed`: entity_id is the title's id.

    `cover_set` and `cover_removed` (an own cover uploaded or removed) carry `fields: ["cover"]`.
    """

    title: str
    media_type: str
    year: int | None = None
    source: MediaEventSource = "api"
    provider: str | None = None
    fields: list[str] = []


class MediaMerged(BaseModel):
    """`library.media.merged` and `library.media.merge_reverted`: entity_id is the survivor's id."""

    merge_id: uuid.UUID
    survivor_id: uuid.UUID
    duplicate_ids: list[uuid.UUID]
    title: str | None = None  # the survivor's title, for people reading the history


class AnnotationSaved(BaseModel):
    """`library.annotation.saved`: entity_id is the title's id; notes are never in events."""

    visibility: Literal["private", "shared"]
    rated: bool


class SpaceExported(BaseModel):
    """`library.space.exported`: entity_id is the space's id, the actor who exported it; what went out.

    `complete` is false when the download stopped early (the caller went away): the counts are then
    what was sent before it stopped.
    """

    format: Literal["csv", "json"]
    titles: int
    copies: int
    annotations: int
    complete: bool = True


class SpaceDeleted(BaseModel):
    """`identity.space.deleted` as the library reads it: the space is envelope.space_id / entity_id."""

    model_config = ConfigDict(extra="allow")


class UserDeleted(BaseModel):
    """`identity.user.deleted`: entity_id is the user's id; `name` stays as the display name."""

    model_config = ConfigDict(extra="allow")

    name: str | None = None


class LoanChanged(BaseModel):
    """`library.loan.created|returned`: entity_id is the loan's id; the borrower is a member or a name."""

    copy_id: uuid.UUID
    media_id: uuid.UUID
    title: str
    borrower_user_id: uuid.UUID | None = None
    borrower_name: str | None = None
    due_at: datetime | None = None


class LoanReminderDue(LoanChanged):
    """`library.loan.reminder_due`: a loan passed its due date unreturned, once per loan.

    Identity mails the reminder (its mail outbox): to the borrower when a member, else to `lent_by`.
    """

    lent_by: uuid.UUID | None = None
    lent_at: datetime


class TmdbDetailsApply(BaseModel):
    """`POST /internal/media/{id}/tmdb`: TMDB's details for a title (match or refresh, API.md "Media").

    `expect_tmdb_id` (a refresh) makes the library refuse when the title's TMDB id changed meanwhile.
    """

    model_config = ConfigDict(extra="forbid")

    details: TmdbTitle
    expect_tmdb_id: int | None = Field(default=None, gt=0)


class WishChanged(BaseModel):
    """`library.wish.created|updated|deleted|fulfilled`: entity_id is the wish's id.

    `fulfilled` ("Got it") names the title the wish became (`media_id`); the wish is gone then.
    """

    title: str
    media_type: str
    year: int | None = None
    tmdb_id: int | None = None
    priority: int
    fields: list[str] = []
    media_id: uuid.UUID | None = None
