"""Request and response shapes of the library's public API (API.md "Media")."""

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from library.domain import tags as tag_rules
from shelfspace_contracts.library import MediaOut
from shelfspace_contracts.media_items import CopyFields, CopyFormat, MediaType, Resolution

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Character = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Visibility = Literal["private", "shared"]
SortField = Literal["title", "year", "added", "rating", "user_rating", "runtime"]
SortOrder = Literal["asc", "desc"]
# A tag as given: trimmed (inner runs of spaces made one), 1 to 50 characters.
TagName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=tag_rules.MAX_LENGTH),
    AfterValidator(tag_rules.clean),
]
MissingField = Literal["poster", "copies"]  # titles without a poster / without any copy


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


SeasonNumber = Annotated[int, Field(ge=0, le=999)]


SeasonNumbers = Field(default=None, max_length=1000)


class CopySeasons(CopyFields):
    """The seasons of its show a copy holds (a "Seasons 1-3" set: `[1, 2, 3]`), kept in order, once each."""

    season_numbers: list[SeasonNumber] | None = SeasonNumbers

    @field_validator("season_numbers")
    @classmethod
    def _ordered(cls, value: list[int] | None) -> list[int]:
        if value is None:
            raise ValueError("season_numbers cannot be null; send [] for none")
        return sorted(set(value))


class CopyIn(CopySeasons):
    format: CopyFormat
    season_numbers: list[SeasonNumber] = Field(default_factory=list, max_length=1000)


class CopyPatch(CopySeasons):
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
    # The character each of `cast` plays, in its order (null or "" where none); sent with `cast` only.
    cast_characters: list[Character | None] | None = Field(default=None, max_length=100)
    season_count: int | None = Field(default=None, ge=0, le=10000)
    episode_count: int | None = Field(default=None, ge=0, le=100000)
    tmdb_id: int | None = Field(default=None, gt=0)
    tmdb_media_type: Literal["movie", "tv"] | None = None
    imdb_id: str | None = Field(default=None, pattern=r"^tt\d{5,10}$")
    tvdb_id: int | None = Field(default=None, gt=0)
    rating: float | None = Field(default=None, ge=0, le=10)
    notes: str | None = Field(default=None, max_length=10000)

    @field_validator("cast_characters")
    @classmethod
    def _characters_beside_cast(cls, value: list[str | None] | None, info: ValidationInfo):
        cast = info.data.get("cast")
        if value is not None and (cast is None or len(value) != len(cast)):
            raise ValueError("send it with the cast: one character (or null) per name")
        return value


Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class MediaIn(MediaFields):
    title: Title
    media_type: MediaType
    copies: list[CopyIn] = Field(default_factory=list, max_length=50)
    tags: list[TagName] = Field(default_factory=list, max_length=tag_rules.MAX_PER_TITLE)


class MediaPatch(MediaFields):
    title: Title | None = None
    media_type: MediaType | None = None
    genres: list[Name] | None = Field(default=None, max_length=50)
    directors: list[Name] | None = Field(default=None, max_length=50)
    cast: list[Name] | None = Field(default=None, max_length=100)
    tags: list[TagName] | None = Field(default=None, max_length=tag_rules.MAX_PER_TITLE)

    @field_validator("title", "media_type", "genres", "directors", "cast", "tags")
    @classmethod
    def _not_null(cls, value):
        if value is None:
            raise ValueError("this field cannot be null")
        return value


class AnnotationIn(_Input):
    rating: float | None = Field(default=None, ge=0, le=10)
    notes: str | None = Field(default=None, max_length=10000)
    # The watched state lives with `PUT /watched`: true marks the title watched now unless it already
    # is, false clears it, left out keeps it as it is.
    watched: bool | None = None
    visibility: Visibility = "private"


# A watch date a little ahead of the server's clock is the caller's clock, not the future.
CLOCK_SKEW = timedelta(minutes=5)
EARLIEST_WATCH = datetime(1870, 1, 1, tzinfo=UTC)


class WatchedIn(_Input):
    """`PUT /api/media/{id}/watched`: when the caller watched the title (now when left out)."""

    watched_at: AwareDatetime | None = None

    @field_validator("watched_at", mode="before")
    @classmethod
    def _a_date_text(cls, value: object) -> object:
        if value is not None and not isinstance(value, str):
            raise ValueError("watched_at must be an ISO 8601 date-time with a time zone.")
        return value

    @field_validator("watched_at")
    @classmethod
    def _not_in_the_future(cls, value: datetime | None) -> datetime | None:
        if value is not None and value > datetime.now(UTC) + CLOCK_SKEW:
            raise ValueError("watched_at cannot be in the future.")
        if value is not None and value < EARLIEST_WATCH:
            raise ValueError("watched_at is before 1870.")
        return value


class WatchedOut(BaseModel):
    """The caller's watched state of a title: `watched_at` null when not watched."""

    media_id: uuid.UUID
    watched_at: datetime | None
    play_count: int
    source: Literal["manual", "plex", "trakt"] | None


class MergeIn(_Input):
    survivor_id: uuid.UUID
    duplicate_ids: list[uuid.UUID] = Field(min_length=1, max_length=50)


class AnnotationOut(BaseModel):
    user_id: uuid.UUID
    rating: float | None
    notes: str | None
    watched: bool
    watched_at: datetime | None = None
    visibility: Visibility
    updated_at: datetime


class MediaListItem(MediaOut):
    user_rating: float | None = None
    watched_at: datetime | None = None  # the caller's; null when they have not watched it


class MediaDetail(MediaOut):
    # The character each of `cast` plays, in its order; null where none is known.
    cast_characters: list[str | None]
    watched_at: datetime | None = None  # the caller's; null when they have not watched it
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
    tag: Annotated[str | None, Field(max_length=tag_rules.MAX_LENGTH)] = None
    # Titles with a copy on loan / a loan past its due date; false is the same as leaving it out.
    on_loan: bool | None = None
    overdue: bool | None = None
    # Shows with fewer of their recorded seasons owned than recorded (specials left out).
    incomplete: bool | None = None
    # The caller's own watched state: true only watched titles, false only unwatched ones.
    watched: bool | None = None
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


class CurrencyValue(BaseModel):
    """What a group of priced copies cost in one currency, and how many copies that is."""

    currency: str
    total: Annotated[Decimal, PlainSerializer(float, return_type=float, when_used="json")]
    copies: int


class FormatValue(CurrencyValue):
    format: CopyFormat


class YearValue(CurrencyValue):
    year: int | None  # null: copies bought on a day not recorded


class CollectionValue(BaseModel):
    by_currency: list[CurrencyValue]
    by_format: list[FormatValue]
    by_year: list[YearValue]


class StatsOut(BaseModel):
    total: int
    by_format: dict[str, int]
    by_media_type: dict[str, int]
    by_decade: dict[str, int]
    by_genre: dict[str, int]
    by_source: dict[str, int]
    added_by_month: dict[str, int]
    attention: Attention
    value: CollectionValue


class SeasonIn(_Input):
    """A season of a show; the name defaults to "Season N" ("Specials" for 0)."""

    number: SeasonNumber
    name: Name | None = None
    year: int | None = Field(default=None, ge=1870, le=2100)
    episode_count: int | None = Field(default=None, ge=0, le=100000)


class SeasonOut(BaseModel):
    number: int
    name: str
    year: int | None
    episode_count: int | None


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
