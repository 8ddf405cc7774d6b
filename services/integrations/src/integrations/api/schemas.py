"""Response shapes of the public integrations API (API.md "Integration settings", "Lookups").

A provider's settings are its config fields (integrations.domain.providers) between `provider` and the
state every provider shares; the secret is never among them, only whether it is set and its hint.
Answers whose fields depend on the outcome are sent without the fields that do not apply
(`response_model_exclude_unset` on their routes), as before they were typed.
"""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, create_model

from integrations.domain.providers import CONFIG_MODELS, ProviderConfig, Status
from shelfspace_contracts.integrations import (
    BarcodeCandidate,
    CoverCandidate,
    IntegrationProvider,
    PlexLibrarySection,
)


def _settings_view(provider: str, config: type[ProviderConfig]) -> type[BaseModel]:
    fields: dict[str, Any] = {
        "provider": (Literal[provider], ...),
        **{name: (info.annotation, info) for name, info in config.model_fields.items()},
        "secret_set": (bool, ...),
        # The secret's last 4 characters when it is long enough ("…" otherwise); null without one.
        "secret_hint": (str | None, None),
        "status": (Status, ...),
        "status_detail": (str | None, None),
        "tested_at": (datetime | None, None),
        "updated_at": (datetime | None, None),
    }
    return create_model(f"{provider.capitalize()}Settings", **fields)


TmdbSettings, BarcodeSettings, VisionSettings, PlexSettings, TraktSettings = (
    _settings_view(name, CONFIG_MODELS[name]) for name in ("tmdb", "barcode", "vision", "plex", "trakt")
)
IntegrationSettings = Annotated[
    TmdbSettings | BarcodeSettings | VisionSettings | PlexSettings | TraktSettings,  # type: ignore[valid-type]
    Field(discriminator="provider"),
]


class IntegrationSettingsList(BaseModel):
    items: list[IntegrationSettings]


class ProviderTestResult(BaseModel):
    """A provider's test: a failure is an answer (`ok` false, with `reason`), not an error. Plex adds what
    the server said; `saved_settings` tells whether the outcome became the provider's status."""

    provider: IntegrationProvider
    ok: bool
    detail: str
    reason: str | None = None
    server_name: str | None = None
    version: str | None = None
    sections: list[PlexLibrarySection] | None = None
    saved_settings: bool


class BarcodeCandidates(BaseModel):
    items: list[BarcodeCandidate]


class CoverCandidates(BaseModel):
    items: list[CoverCandidate]


class TraktLinkStatus(BaseModel):
    """The caller's Trakt link; `available` when the space has a Trakt app, `detail` when it cannot be read."""

    status: Literal["not_linked", "pending", "linked", "cannot_decrypt"]
    since: datetime | None
    available: bool
    detail: str | None = None


class TraktDeviceCode(BaseModel):
    """What the user enters at Trakt, and how often to poll (seconds)."""

    user_code: str
    verification_url: str
    expires_in: int
    interval: int


class TraktLinkPoll(BaseModel):
    """One poll: `interval` (seconds) comes with `pending` only."""

    status: Literal["linked", "pending", "expired", "denied"]
    interval: int | None = None
