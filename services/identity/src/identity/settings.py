"""Settings of the identity service, each read from the environment variable of the same name."""

from shelfspace_kernel.settings import ServiceSettings

DAY = 24 * 3600


class IdentitySettings(ServiceSettings):
    session_lifetime_seconds: int = 14 * DAY
    session_max_per_user: int = 10
    # None: Secure cookies everywhere except development and test runs (plain http on loopback).
    session_cookie_secure: bool | None = None
    session_cleanup_every_seconds: float = 600.0
    password_min_length: int = 10
    password_hash_time_cost: int = 3
    password_hash_memory_kib: int = 65536
    password_hash_parallelism: int = 4
    # argon2 runs at most this many at a time per process (each holds PASSWORD_HASH_MEMORY_KIB);
    # beyond PASSWORD_HASH_QUEUE waiting requests the answer is 503 `busy` at once.
    password_hash_concurrency: int = 2
    password_hash_queue: int = 8
    login_failure_window_seconds: int = 900
    login_max_failures_per_account: int = 5
    login_max_failures_per_address: int = 30
    # Failed registrations and invite claims per client address, in the same window.
    registration_max_failures_per_address: int = 10
    invite_claim_max_failures_per_address: int = 10
    invite_lifetime_seconds: int = 7 * DAY
    # Base of the links in created invites, e.g. https://shelf.example.org (empty: a relative link).
    public_url: str = ""

    @property
    def cookie_secure(self) -> bool:
        if self.session_cookie_secure is not None:
            return self.session_cookie_secure
        return self.environment == "production"
