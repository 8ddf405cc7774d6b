"""Settings base: every field is read from an environment variable of the same name."""

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _repo_version() -> str:
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "VERSION"
        if candidate.is_file():
            return candidate.read_text().strip()
    return "0.0.0"


def read_key_material(value: str) -> str:
    """A key given inline as PEM, or as the path of a PEM file."""
    if value.lstrip().startswith("-----BEGIN"):
        return value
    return Path(value).read_text()


class BaseAppSettings(BaseSettings):
    """Settings every process has: the gateway and each service."""

    model_config = SettingsConfigDict(extra="ignore", case_sensitive=False)

    environment: Literal["development", "test", "production"] = "production"
    log_format: Literal["json", "console"] = "json"
    log_level: str = "INFO"
    host: str = "0.0.0.0"  # noqa: S104 - containers listen on every interface; `make run` binds loopback
    port: int = 8000
    app_version: str = Field(default_factory=_repo_version)
    git_sha: str = "unknown"
    build_date: str = "unknown"
    # Verifiers: `<caller>:<base64 public key>` entries, or a file of them (shelfspace_kernel.internal_keys).
    internal_auth_public_keys: str = ""
    # Signers (the gateway, sync): this process's own Ed25519 key, PEM text or a path to it.
    internal_auth_private_key: str = ""
    internal_token_ttl_seconds: int = Field(default=30, ge=1, le=30)
    # Traces go to this OTLP/HTTP collector (`<endpoint>/v1/traces`); empty: tracing is off.
    otel_exporter_otlp_endpoint: str = ""


class ServiceSettings(BaseAppSettings):
    """Settings of a domain service: its own database role and the broker."""

    database_url: str
    # Two cores run two statements at a time: more connections only make Postgres backends queue
    # for the CPU behind each other (a list page's p99 was 70 ms at 20 and 28 ms at 8).
    db_pool_size: int = 8
    amqp_url: str = "amqp://guest:guest@127.0.0.1:5672/"
    events_exchange: str = "shelfspace.events"
    outbox_batch_size: int = 200
    outbox_poll_seconds: float = 2.0
    consumer_max_retries: int = 5
    consumer_retry_delay_ms: int = 5000
    consumer_prefetch: int = 32
    # How often one replica checks whether a bulk change left the planner's statistics stale.
    statistics_check_seconds: float = 5.0
