"""Normalized media items: what provider adapters produce and the library's import upsert takes.

Integrations turns a provider's data (Plex, TMDB, barcode, Trakt) into these shapes; sync pages
them from integrations and sends batches to the library; the library dedupes and stores them.
"""

import hashlib
import uuid
from datetime import UTC, datetime, timedelta
from datetime import date as Day
from decimal import Decimal
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, StringConstraints, model_validator

MediaType = Literal["movie", "tv_series", "other"]
CopyFormat = Literal["4K UHD", "Blu-ray", "DVD", "VHS", "LaserDisc", "Digital", "Other"]
Resolution = Literal["sd", "720p", "1080p", "4k"]
# A free tag of the space (the library keeps one per name whatever its case).
TagName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
MAX_TAGS = 30
# A copy's condition, best first (the library's `ck_copies_condition`).
Condition = Literal["mint", "near_mint", "very_good", "good", "fair", "poor"]
CONDITIONS: tuple[str, ...] = get_args(Condition)
# An amount of money: at most 10 digits before the point and 2 after; a JSON number on the wire.
Price = Annotated[
    Decimal, Field(ge=0, max_digits=12, decimal_places=2), PlainSerializer(float, return_type=float, when_used="json")
]


class Purchase(BaseModel):
    """What a copy cost (`price` in `currency`, an ISO 4217 code), when and where it was bought."""

    model_config = ConfigDict(extra="forbid")

    price: Price | None = None
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    date: Day | None = None
    store: str | None = Field(default=None, min_length=1, max_length=200)

    @model_validator(mode="after")
    def _currency_with_price_and_no_future_date(self) -> "Purchase":
        if self.price is not None and self.currency is None:
            raise ValueError("A price needs its currency.")
        # A day of slack: "today" where the buyer lives may be tomorrow in UTC.
        if self.date is not None and self.date > (datetime.now(UTC) + timedelta(days=1)).date():
            raise ValueError("The purchase date is in the future.")
        return self

    def is_empty(self) -> bool:
        return all(value is None for value in (self.price, self.currency, self.date, self.store))


class Identities(BaseModel):
    """Strong identifiers of a title, read from the provider (Plex `Guid` children, TMDB, ...)."""

    model_config = ConfigDict(extra="forbid")

    tmdb_id: int | None = Field(default=None, gt=0)
    tmdb_media_type: Literal["movie", "tv"] | None = None
    imdb_id: str | None = Field(default=None, pattern=r"^tt\d{5,10}$")
    tvdb_id: int | None = Field(default=None, gt=0)


SeasonNumber = Annotated[int, Field(ge=0, le=999)]


class CopyDetails(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: CopyFormat = "Digital"
    resolution: Resolution | None = None
    edition: str | None = Field(default=None, max_length=200)
    barcode: str | None = Field(default=None, max_length=64)
    location: str | None = Field(default=None, max_length=200)
    # The seasons of a show the copy holds (those present on the Plex server); each one of the item's seasons.
    season_numbers: list[SeasonNumber] = Field(default_factory=list, max_length=1000)
    purchase: Purchase | None = None
    condition: Condition | None = None


class SeasonItem(BaseModel):
    """A season of a show as the provider knows it; 0 is "Specials"."""

    model_config = ConfigDict(extra="forbid")

    number: SeasonNumber
    name: str | None = Field(default=None, max_length=200)
    year: int | None = Field(default=None, ge=1870, le=2100)
    episode_count: int | None = Field(default=None, ge=0, le=100000)


class CopyFields(BaseModel):
    """A copy's fields besides its format, with the limits of the library's `copies` table."""

    model_config = ConfigDict(extra="forbid")

    edition: str | None = Field(default=None, max_length=200)
    barcode: str | None = Field(default=None, max_length=64)
    region: str | None = Field(default=None, max_length=20)
    location: str | None = Field(default=None, max_length=200)
    notes: str | None = Field(default=None, max_length=10000)
    resolution: Resolution | None = None
    source_provider: str | None = Field(default=None, min_length=1, max_length=40)
    source_external_id: str | None = Field(default=None, min_length=1, max_length=200)
    purchase: Purchase | None = None
    condition: Condition | None = None


class NormalizedItem(BaseModel):
    """One title as a provider knows it; (provider, external_id) identifies it at that provider."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, serialize_by_alias=True)

    provider: str = Field(min_length=1, max_length=40)
    external_id: str = Field(min_length=1, max_length=200)
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
    identities: Identities = Field(default_factory=Identities)
    # Added to the title's tags (a file's `tags` column); providers send none.
    tags: list[TagName] = Field(default_factory=list, max_length=MAX_TAGS)
    seasons: list[SeasonItem] = Field(default_factory=list, max_length=1000)
    # `copy` on the wire; another attribute name, since BaseModel has a `copy` method.
    owned_copy: CopyDetails = Field(default_factory=CopyDetails, alias="copy")

    @model_validator(mode="after")
    def _copy_holds_the_item_s_seasons(self) -> "NormalizedItem":
        unknown = set(self.owned_copy.season_numbers) - {season.number for season in self.seasons}
        if unknown:
            raise ValueError(f"the copy holds seasons the item does not list: {sorted(unknown)}")
        return self


class ProviderWatched(BaseModel):
    """What the provider account says of one of the page's items: played, how often, last when."""

    external_id: str = Field(min_length=1, max_length=200)
    play_count: int = Field(ge=1)
    last_viewed_at: datetime


class ProviderPage(BaseModel):
    """A page of a provider's items (a Plex section read with container start/size).

    `watched` is the provider account's watched state of the page's items (Plex: the account whose
    token is used); it is kept beside the items, not in them, so a play does not change a title's data.
    """

    items: list[NormalizedItem]
    start: int
    total: int
    next_start: int | None
    watched: list[ProviderWatched] = Field(default_factory=list)


ImportOutcome = Literal["created", "updated", "unchanged", "failed"]


class ImportBatch(BaseModel):
    """The library's internal import upsert: a batch of items for the caller's space."""

    model_config = ConfigDict(extra="forbid")

    items: list[NormalizedItem] = Field(max_length=500)
    # Idempotency key of this batch in the caller's space: a batch sent again with the same key is
    # answered with the first send's results, not applied again (sync: one key per job step).
    batch_key: str | None = Field(default=None, min_length=1, max_length=200)


def batch_fingerprint(items: list[NormalizedItem]) -> str:
    """The identity of a batch: its items' (provider, external_id), in order, as a SHA-256 hex digest."""
    digest = hashlib.sha256()
    for item in items:
        digest.update(f"{item.provider}\x1f{item.external_id}\x1e".encode())
    return digest.hexdigest()


class ImportItemResult(BaseModel):
    external_id: str
    outcome: ImportOutcome
    media_id: uuid.UUID | None = None
    reason: str | None = None


class ImportBatchResult(BaseModel):
    results: list[ImportItemResult]
