"""Settings of the integrations service, each read from the environment variable of the same name."""

from shelfspace_kernel.outbound.settings import OutboundSettings


class IntegrationsSettings(OutboundSettings):
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
