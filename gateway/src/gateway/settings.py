"""Gateway settings, each read from the environment variable of the same name."""

from pathlib import Path

from shelfspace_contracts.audit import AuditLogMode
from shelfspace_contracts.identity import SessionCookies, cookies_are_secure, session_cookies
from shelfspace_kernel.settings import BaseAppSettings

SERVICES = ("identity", "library", "integrations", "sync", "audit")


class GatewaySettings(BaseAppSettings):
    port: int = 8080
    # Prometheus scrapes the gateway here, on a listener of its own; 0: not served.
    gateway_metrics_port: int = 9100
    identity_url: str = "http://127.0.0.1:8101"
    library_url: str = "http://127.0.0.1:8102"
    integrations_url: str = "http://127.0.0.1:8103"
    sync_url: str = "http://127.0.0.1:8104"
    audit_url: str = "http://127.0.0.1:8105"
    upstream_connect_timeout: float = 2.0
    upstream_read_timeout: float = 60.0
    health_timeout: float = 2.0
    # How long an `ok` answer of /api/health is reused (gateway/health.py); 0: every call asks every service.
    health_cache_seconds: float = 30.0
    # How long a resolved session is reused before identity is asked again (revocations made
    # through another gateway replica take effect within this window).
    session_cache_seconds: float = 5.0
    # Secure cookies, read under their `__Host-` names; None: only in production. Identity, which
    # sets the cookies, reads the same variable.
    session_cookie_secure: bool | None = None
    # Comma-separated addresses/networks of reverse proxies whose X-Forwarded-For is believed.
    trusted_proxies: str = ""
    max_body_bytes: int = 10 * 1024 * 1024
    # Routes that take a file to import (route table: BodyLimit.IMPORT); the sync service's own
    # IMPORT_MAX_FILE_BYTES should not be larger. The body is held in memory while it is forwarded.
    import_max_body_bytes: int = 50 * 1024 * 1024 + 64 * 1024
    frontend_dist: Path | None = None
    # Request outcomes for the activity log (docs/audit.md): off | failures | mutations | all.
    audit_log_mode: AuditLogMode = AuditLogMode.FAILURES
    audit_queue_size: int = 10_000
    amqp_url: str = "amqp://guest:guest@127.0.0.1:5672/"
    events_exchange: str = "shelfspace.events"

    @property
    def cookies(self) -> SessionCookies:
        return session_cookies(cookies_are_secure(self.session_cookie_secure, self.environment))

    def service_urls(self) -> dict[str, str]:
        return {name: getattr(self, f"{name}_url") for name in SERVICES}
