"""Integrations contracts: event data, lookup answers and the internal API shapes for sync.

Titles from every provider are `NormalizedItem`s (media_items.py); lookups add what a person picks by.
"""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shelfspace_contracts.media_items import CopyFormat, NormalizedItem

IntegrationProvider = Literal["tmdb", "barcode", "vision", "plex", "trakt"]


# Event data ---------------------------------------------------------------------------------------


class SettingsUpdatedData(BaseModel):
    """`integrations.settings.updated`: which fields changed, never their values."""

    provider: IntegrationProvider
    changed_fields: list[str]
    secret_changed: bool = False
    secret_cleared: bool = False


class SettingsTestedData(BaseModel):
    """`integrations.settings.tested`: the outcome of a provider test."""

    provider: IntegrationProvider
    ok: bool
    outcome: str


class SecretUndecryptableData(BaseModel):
    """`integrations.secret.undecryptable`: a stored secret no longer opens with any configured key."""

    provider: str
    key_id: str
    subject: Literal["provider_settings", "trakt_link"] = "provider_settings"


# Lookups ------------------------------------------------------------------------------------------


class TmdbTitle(NormalizedItem):
    """A TMDB search result or details, normalized; `provider` is "tmdb"."""

    backdrop_url: str | None = Field(default=None, max_length=2000)
    # The character each of `cast` plays, in the same order; None where TMDB names none.
    cast_characters: list[str | None] = Field(default_factory=list, max_length=100)


class TmdbStatus(BaseModel):
    """Whether a space has TMDB set up (a key stored), for features that only use it when it is."""

    configured: bool


class TmdbSearchResult(BaseModel):
    items: list[TmdbTitle]


class BarcodeCandidate(BaseModel):
    """A product found for a barcode, what it says about the disc, and its best TMDB match."""

    model_config = ConfigDict(extra="forbid")

    upc: str
    product_title: str
    title: str
    year: int | None = None
    format: CopyFormat
    edition: str | None = None
    brand: str | None = None
    image_url: str | None = None
    match: TmdbTitle | None = None


class CoverCandidate(BaseModel):
    """A title read from a cover photo, and its best TMDB match."""

    model_config = ConfigDict(extra="forbid")

    title: str
    year: int | None = None
    media_type: Literal["movie", "tv"] = "movie"
    match: TmdbTitle | None = None


# Internal API for sync ----------------------------------------------------------------------------


class PlexLibrarySection(BaseModel):
    key: str
    title: str
    type: Literal["movie", "show"]


class PlexSectionChoice(PlexLibrarySection):
    """A section as `/internal/plex/sections` lists it: `selected` when the space chose it for import
    (its key is in the Plex settings' `library_sections`; with none chosen, every section is)."""

    selected: bool


class PlexSectionList(BaseModel):
    server_name: str | None = None
    sections: list[PlexSectionChoice]


# Error codes the internal API answers with, so a sync job can give an actionable reason.
PROVIDER_ERROR_CODES = (
    "provider_not_configured",  # 409: no settings or no secret for the provider in this space
    "provider_not_linked",  # 404: the user has not linked an account at the provider (watchlists)
    "secret_undecryptable",  # 409: the stored secret does not open with the configured keys
    "provider_unauthorized",  # 502: the provider rejected the stored credentials
    "provider_unreachable",  # 503: no connection, or no answer within the timeout (one answer for both)
    "provider_timeout",  # 503: no longer answered (timeouts answer provider_unreachable); kept for old peers
    "outbound_refused",  # 422: the provider's address is one the outbound policy refuses
    "outbound_too_large",  # 502: the provider's answer was larger than the cap
    "provider_rate_limited",  # 503: the provider kept answering 429 after bounded retries
    "provider_error",  # 502: the provider answered something unexpected
)
