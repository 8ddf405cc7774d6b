"""Request and response shapes of the library's public API (API.md "Media")."""

import uuid
from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from shelfspace_contracts.media_items import CopyFields, CopyFormat, MediaType, Resolution

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Visibility = Literal["private", "shared"]
SortField = Literal["title", "year", "added", "rating", "user_rating", "runtime"]
SortOrder = Literal["asc", "desc"]
MissingField = Literal["poster", "copies"]  # titles without a poster / without any copy


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CopyIn(CopyFields):
    format: CopyFormat


class CopyPatch(CopyFields):
    format: CopyFormat | None = None

    @field_validator("format")
    @classmethod
    def _format_not_null(cls, value: str | None) -> str:
        if value is None:
            raise ValueError("format cannot be null")
        return value


class MediaFields(_Input):
    original_title: str | None = Field(default=None, max_length=500)
    year: int | None = Field(default=None, ge=1870, le=2100)
    runtime_minutes: int | None = Field(default=None, ge=0, le=100000)
    overview: str | None = Field(default=None, max_length=10000)
    poster_url: str | None = Field(default=None, max_length=2000)
    backdrop_url: str | None = Field(default=None, max_length=2000)
    genres: list[Name] = Field(default_factory=list, max_length=50)
    directors: list[Name] = Field(default_factory=list, max_length=50)
    cast: list[Name] = Field(default_factory=list, max_length=100)
    season_count: int | None = Field(default=None, ge=0, le=10000)
    episode_count: int | None = Field(default=None, ge=0, le=100000)
    tmdb_id: int | None = Field(default=None, gt=0)
    tmdb_media_type: Literal["movie", "tv"] | None = None
    imdb_id: str | None = Field(default=None, pattern=r"^tt\d{5,10}$")
    tvdb_id: int | None = Field(default=None, gt=0)
    rating: float | None = Field(default=None, ge=0, le=10)
    notes: str | None = Field(default=None, max_length=10000)


Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class MediaIn(MediaFields):
    title: Title
    media_type: MediaType
    copies: list[CopyIn] = Field(default_factory=list, max_length=50)


class MediaPatch(MediaFields):
    title: Title | None = None
    media_type: MediaType | None = None
    genres: list[Name] | None = Field(default=None, max_length=50)
    directors: list[Name] | None = Field(default=None, max_length=50)
    cast: list[Name] | None = Field(default=None, max_length=100)

    @field_validator("title", "media_type", "genres", "directors", "cast")
    @classmethod
    def _not_null(cls, value):
        if value is None:
            raise ValueError("this field cannot be null")
        return value


class AnnotationIn(_Input):
    rating: float | None = Field(default=None, ge=0, le=10)
    notes: str | None = Field(default=None, max_length=10000)
    watched: bool = False
    visibility: Visibility = "private"


class MergeIn(_Input):
    survivor_id: uuid.UUID
    duplicate_ids: list[uuid.UUID] = Field(min_length=1, max_length=50)


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
    loan: CopyLoan | None = None


class AnnotationOut(BaseModel):
    user_id: uuid.UUID
    rating: float | None
    notes: str | None
    watched: bool
    visibility: Visibility
    updated_at: datetime


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


class MediaListItem(MediaOut):
    user_rating: float | None = None


class MediaDetail(MediaOut):
    annotation: AnnotationOut | None
    shared_annotations: list[AnnotationOut]
    can_edit: bool


class ListParams(BaseModel):
    """The query string of `GET /api/media` (API.md "Media"); `None` means no filter."""

    q: Annotated[str | None, Field(max_length=200)] = None
    media_type: MediaType | None = None
    format: CopyFormat | None = None
    genre: Annotated[str | None, Field(max_length=200)] = None
    director: Annotated[str | None, Field(max_length=200)] = None
    cast: Annotated[str | None, Field(max_length=200)] = None
    resolution: Resolution | None = None
    source: Annotated[str | None, Field(max_length=40)] = None
    added_by: uuid.UUID | None = None
    year_min: Annotated[int | None, Field(ge=1870, le=2100)] = None
    year_max: Annotated[int | None, Field(ge=1870, le=2100)] = None
    rating_min: Annotated[float | None, Field(ge=0, le=10)] = None
    rating_max: Annotated[float | None, Field(ge=0, le=10)] = None
    user_rating_min: Annotated[float | None, Field(ge=0, le=10)] = None
    user_rating_max: Annotated[float | None, Field(ge=0, le=10)] = None
    missing: MissingField | None = None
    # Titles with a copy on loan / a loan past its due date; false is the same as leaving it out.
    on_loan: bool | None = None
    overdue: bool | None = None
    sort: SortField = "title"
    order: SortOrder = "asc"
    limit: Annotated[int, Field(ge=1, le=200)] = 50
    cursor: Annotated[str | None, Field(max_length=2000)] = None


class MediaPage(BaseModel):
    items: list[MediaListItem]
    next_cursor: str | None
    total: int
    total_is_lower_bound: bool


class TrashItem(MediaOut):
    deleted_at: datetime
    purge_after: datetime


class TrashPage(BaseModel):
    items: list[TrashItem]
    next_cursor: str | None
    total: int
    total_is_lower_bound: bool


class MergeOut(BaseModel):
    merge_id: uuid.UUID
    media: MediaOut


class RevertOut(BaseModel):
    merge_id: uuid.UUID
    media: list[MediaOut]


class DuplicateGroup(BaseModel):
    reason: Literal["same_tmdb_id", "same_title_year", "similar_title"]
    items: list[MediaOut]


class DuplicatesOut(BaseModel):
    groups: list[DuplicateGroup]


class Attention(BaseModel):
    no_poster: int
    no_copies: int
    duplicate_groups: int


class StatsOut(BaseModel):
    total: int
    by_format: dict[str, int]
    by_media_type: dict[str, int]
    by_decade: dict[str, int]
    by_genre: dict[str, int]
    by_source: dict[str, int]
    added_by_month: dict[str, int]
    attention: Attention


class LoanIn(_Input):
    """A member (`borrower_user_id`) or anyone by name (`borrower_name`), never both."""

    borrower_user_id: uuid.UUID | None = None
    borrower_name: Name | None = None
    lent_at: datetime | None = None  # now when left out
    due_at: datetime | None = None

    @model_validator(mode="after")
    def _one_borrower_and_due_after_lent(self) -> "LoanIn":
        if (self.borrower_user_id is None) == (self.borrower_name is None):
            raise ValueError("Give either borrower_user_id or borrower_name.")
        for name in ("lent_at", "due_at"):
            value = getattr(self, name)
            if value is not None and value.tzinfo is None:
                raise ValueError(f"{name} needs a time zone.")
        lent_at = self.lent_at or datetime.now(UTC)
        if self.due_at is not None and self.due_at < lent_at:
            raise ValueError("due_at is before the loan starts.")
        return self


class LoanOut(BaseModel):
    id: uuid.UUID
    copy_id: uuid.UUID
    media_id: uuid.UUID
    title: str
    format: CopyFormat
    borrower_user_id: uuid.UUID | None
    borrower_name: str | None
    lent_by: uuid.UUID | None
    lent_at: datetime
    due_at: datetime | None
    returned_at: datetime | None
    overdue: bool


class LoanPage(BaseModel):
    items: list[LoanOut]
    next_cursor: str | None
