"""Settings of the integrations service, each read from the environment variable of the same name."""

from pydantic import field_validator

from shelfspace_kernel.outbound import DEFAULT_PRIVATE_NETWORKS, parse_endpoints, parse_networks
from shelfspace_kernel.settings import ServiceSettings

# The deployment's own parts, never a provider's address: `make run`'s gateway and services (ports of
# scripts/run_local.py), Postgres and RabbitMQ (AMQP and management) on loopback, and the names of
# docker-compose.yml. Helm sets its own names. This service's database, broker and port are added to it.
DEFAULT_INTERNAL_ENDPOINTS = ",".join(
    [
        *(f"127.0.0.1:{port}" for port in range(8080, 8086)),
        "127.0.0.1:5432",
        "127.0.0.1:5672",
        "127.0.0.1:15672",
        "gateway:8080",
        "frontend:8080",
        *(f"{service}:8000" for service in ("identity", "library", "integrations", "sync", "audit")),
        "postgres:5432",
        "rabbitmq:5672",
        "rabbitmq:15672",
    ]
)


class IntegrationsSettings(ServiceSettings):
    # base64 of 32 random bytes; required outside development (see docs/integrations.md).
    integration_encryption_key: str = ""
    # Comma-separated base64 keys still accepted for decryption while secrets are rotated.
    integration_encryption_old_keys: str = ""
    provider_timeout_seconds: float = 10.0
    provider_max_retries: int = 2
    provider_backoff_seconds: float = 0.5
    provider_max_retry_after_seconds: float = 10.0
    # Outbound calls per space and provider per minute (per replica).
    provider_rate_per_minute: int = 120
    # The same for import jobs' lookups (a file import's TMDB enrichment paces itself below this).
    import_provider_rate_per_minute: int = 2400
    vision_max_image_bytes: int = 8 * 1024 * 1024
    artwork_max_bytes: int = 10 * 1024 * 1024
    # Plex artwork served per space per minute (per replica); a library page shows up to ~100 posters.
    artwork_rate_per_minute: int = 600
    # Where provider calls may go (docs/security.md, "Outbound requests"): comma-separated CIDRs
    # allowed beyond the defaults (e.g. 127.0.0.1/32 for a Plex on this host), the LAN ranges allowed
    # by default (narrow them to your LAN, or empty for none), and host:port pairs always refused.
    outbound_allowed_networks: str = ""
    outbound_private_networks: str = DEFAULT_PRIVATE_NETWORKS
    outbound_internal_endpoints: str = DEFAULT_INTERNAL_ENDPOINTS
    outbound_max_response_bytes: int = 32 * 1024 * 1024
    outbound_max_redirects: int = 3

    @field_validator("outbound_allowed_networks", "outbound_private_networks")
    @classmethod
    def _networks(cls, value: str) -> str:
        parse_networks(value)
        return value

    @field_validator("outbound_internal_endpoints")
    @classmethod
    def _endpoints(cls, value: str) -> str:
        parse_endpoints(value)
        return value
