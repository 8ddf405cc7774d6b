"""The providers and their non-secret settings: one validated model per provider.

Every provider has one secret, always written as `token` on input and never returned.
"""

from typing import Any, Literal

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, field_validator

Provider = Literal["tmdb", "barcode", "vision", "plex", "trakt"]
PROVIDERS: tuple[Provider, ...] = ("tmdb", "barcode", "vision", "plex", "trakt")
Status = Literal["ok", "untested", "failing", "cannot_decrypt"]


def _clean_url(value: str) -> str:
    AnyHttpUrl(value)  # validates scheme and host
    return value.rstrip("/")


class ProviderConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    base_url: str = Field(max_length=500)

    @field_validator("base_url")
    @classmethod
    def _url(cls, value: str) -> str:
        return _clean_url(value)


class TmdbConfig(ProviderConfig):
    base_url: str = "https://api.themoviedb.org/3"
    image_base_url: str = "https://image.tmdb.org/t/p"
    language: str = Field(default="en-US", max_length=20)


class BarcodeConfig(ProviderConfig):
    base_url: str = "https://api.upcitemdb.com/prod"


class VisionConfig(ProviderConfig):
    base_url: str = "https://api.openai.com/v1"
    model: str = Field(default="gpt-4o-mini", min_length=1, max_length=200)


class PlexSection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str = Field(min_length=1, max_length=50)
    title: str = Field(max_length=300)
    type: str = Field(max_length=30)


class PlexConfig(ProviderConfig):
    base_url: str = "http://127.0.0.1:32400"
    library_sections: list[PlexSection] = Field(default_factory=list, max_length=100)
    # plex.tv's discover API, where the account's watchlist lives (same token as the server).
    watchlist_base_url: str = Field(default="https://discover.provider.plex.tv", max_length=500)

    @field_validator("watchlist_base_url")
    @classmethod
    def _watchlist_url(cls, value: str) -> str:
        return _clean_url(value)


def selected_section_keys(config: PlexConfig, available: list[str]) -> set[str]:
    """The keys of the server's sections the space imports: the configured ones, else all of them."""
    configured = {section.key for section in config.library_sections}
    return configured & set(available) if configured else set(available)


class TraktConfig(ProviderConfig):
    base_url: str = "https://api.trakt.tv"
    client_id: str | None = Field(default=None, max_length=200)


CONFIG_MODELS: dict[str, type[ProviderConfig]] = {
    "tmdb": TmdbConfig,
    "barcode": BarcodeConfig,
    "vision": VisionConfig,
    "plex": PlexConfig,
    "trakt": TraktConfig,
}


def default_config(provider: str) -> ProviderConfig:
    return CONFIG_MODELS[provider].model_validate({})


def secret_hint(secret: str) -> str:
    """The last 4 characters, only when the secret is long enough that they give little away."""
    return f"…{secret[-4:]}" if len(secret) >= 12 else "…"


# The settings a provider's secret is sent to; the secret belongs to the origins they name.
SECRET_URL_FIELDS: dict[str, tuple[str, ...]] = {"plex": ("base_url", "watchlist_base_url")}


def origin_of(url: str) -> str:
    """`scheme://host:port`, normalised: lower case, IDNA, default port written out, no trailing dot."""
    parsed = AnyHttpUrl(url)
    host = (parsed.host or "").rstrip(".")
    return f"{parsed.scheme}://{host}:{parsed.port}"


def secret_urls(provider: str) -> tuple[str, ...]:
    return SECRET_URL_FIELDS.get(provider, ("base_url",))


def secret_origin(provider: str, config: ProviderConfig) -> str:
    """Every origin the provider's secret is sent to with `config`, as one stable string."""
    return " ".join(sorted({origin_of(getattr(config, name)) for name in secret_urls(provider)}))


def apply_update(current: ProviderConfig, changes: dict[str, Any]) -> tuple[ProviderConfig, list[str]]:
    """The config with `changes` applied (partial update) and the names of the fields that changed."""
    model = type(current)
    merged = model.model_validate({**current.model_dump(), **changes})
    before, after = current.model_dump(), merged.model_dump()
    return merged, sorted(name for name in after if before.get(name) != after.get(name))
