"""Library contracts: the `data` of `library.media.*` events, the identity events it consumes, and a
title as the library answers it (which sync passes on for a title's TMDB match and refresh)."""

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shelfspace_contracts.integrations import TmdbTitle
from shelfspace_contracts.media_items import Condition, CopyFormat, MediaType, Purchase, Resolution

MediaEventSource = Literal["api", "import", "merge", "trash"]


class CopyChanged(BaseModel):
    """The copy a `library.media.updated` with `fields: ["copies"]` added, edited or removed, as it now is."""

    id: uuid.UUID
    change: Literal["added", "edited", "removed"]
    format: str
    condition: Condition | None = None
    purchase: Purchase | None = None


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
    copy_changed: CopyChanged | None = None


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


WatchedSource = Literal["manual", "plex", "trakt"]


class WatchedChanged(BaseModel):
    """`library.media.watched|unwatched`: entity_id is the title's id, the actor the user whose state it is.

    `watched_at`, `play_count` and `source` are the state after the change (`unwatched`: before it).
    """

    title: str
    watched_at: datetime | None = None
    play_count: int = 0
    source: WatchedSource | None = None


class WatchedImportItem(BaseModel):
    media_id: uuid.UUID
    watched_at: datetime
    play_count: int = Field(default=1, ge=1)


class WatchedImport(BaseModel):
    """`POST /internal/media/watched`: a provider's watched states of one user in the caller's space."""

    user_id: uuid.UUID
    source: Literal["plex", "trakt"]
    items: list[WatchedImportItem] = Field(max_length=1000)


class WatchedImportResult(BaseModel):
    updated: int
    unchanged: int


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


# A title as the library answers it (API.md "Media") -------------------------------------------------


class CopyLoan(BaseModel):
    """The open loan of a copy, as titles show it."""

    id: uuid.UUID
    borrower_user_id: uuid.UUID | None
    borrower_name: str | None
    lent_at: datetime
    due_at: datetime | None
    overdue: bool


class CopyOut(BaseModel):
    id: uuid.UUID
    format: CopyFormat
    edition: str | None
    barcode: str | None
    region: str | None
    location: str | None
    notes: str | None
    resolution: Resolution | None
    source_provider: str | None
    source_external_id: str | None
    season_numbers: list[int] = Field(default_factory=list)
    purchase: Purchase | None
    condition: Condition | None
    loan: CopyLoan | None = None


class MediaOut(BaseModel):
    id: uuid.UUID
    space_id: uuid.UUID
    title: str
    original_title: str | None
    sort_title: str
    media_type: MediaType
    year: int | None
    runtime_minutes: int | None
    overview: str | None
    # The own cover's 500-px rendition when there is one, else the TMDB or Plex poster.
    poster_url: str | None
    # The own cover's renditions by width ("200", "500", "1000"); null without an own cover.
    cover_urls: dict[str, str] | None = None
    backdrop_url: str | None
    genres: list[str]
    directors: list[str]
    cast: list[str]
    season_count: int | None
    episode_count: int | None
    seasons_owned: int = 0
    seasons_total: int = 0
    tmdb_id: int | None
    tmdb_media_type: str | None
    imdb_id: str | None
    tvdb_id: int | None
    rating: float | None
    notes: str | None
    added_by: uuid.UUID | None
    added_by_name: str | None
    created_at: datetime
    updated_at: datetime
    copies: list[CopyOut]
    tags: list[str] = []


class TagChanged(BaseModel):
    """`library.tag.renamed|merged`: entity_id is the tag that remains.

    `previous_name` is the tag renamed, or merged into `name` (it is gone then); `titles` how many
    titles carry `name` afterwards.
    """

    name: str
    previous_name: str
    titles: int = 0


class ViewChanged(BaseModel):
    """`library.view.created|deleted`: entity_id is the saved view's id; its query stays out."""

    name: str
    shared: bool
