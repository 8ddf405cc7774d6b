"""Settings of the identity service, each read from the environment variable of the same name."""

from typing import Literal

from pydantic import Field, SecretStr, field_validator

from shelfspace_contracts.identity import SessionCookies, cookies_are_secure, session_cookies
from shelfspace_kernel.outbound.settings import OutboundSettings
from shelfspace_kernel.settings import ServiceSettings

DAY = 24 * 3600


class IdentitySettings(OutboundSettings):
    # A refused setting is named, its value never printed: SMTP_URL holds a password.
    model_config = {**ServiceSettings.model_config, "hide_input_in_errors": True}

    # A session ends when unused for the idle timeout, and at the latest at its absolute lifetime:
    # a weekly user stays signed in, a forgotten device does not, and everyone signs in monthly.
    session_idle_timeout_seconds: int = Field(default=7 * DAY, gt=0)
    session_lifetime_seconds: int = Field(default=30 * DAY, gt=0)
    session_max_per_user: int = 10
    # None: Secure cookies everywhere except development and test runs (plain http on loopback).
    # The gateway reads the same variable, to read the cookies under the same names.
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
    # Base of the links in created invites and reset links, e.g. https://shelf.example.org (empty: a
    # relative link; reset emails then cannot be sent, as a mail needs an absolute link).
    public_url: str = ""
    # A reset link works once, for this long; a newer link for the same user revokes the older ones.
    password_reset_lifetime_seconds: int = Field(default=3600, gt=0)
    # Emailed reset requests, counted whatever the email (so a limit reveals no account), in the
    # login failure window; and wrong reset tokens per client address.
    password_reset_max_requests_per_email: int = 3
    password_reset_max_requests_per_address: int = 10
    password_reset_max_failures_per_address: int = 10
    # Mail: smtp://user:pass@host:587 (STARTTLS per SMTP_STARTTLS) or smtps://user:pass@host:465
    # (TLS from the first byte). Empty: no mail is sent and reset links are issued by admins only.
    smtp_url: SecretStr = SecretStr("")
    smtp_from: str = ""
    smtp_starttls: Literal["auto", "required", "off"] = "auto"
    smtp_tls_verify: bool = True
    smtp_ca_file: str = ""
    smtp_timeout_seconds: float = Field(default=15.0, gt=0)
    # The sender looks for due mail this often; a failed send is retried after 2^attempts times this,
    # at most MAIL_RETRY_MAX_SECONDS later, until the server accepts it.
    mail_send_every_seconds: float = Field(default=5.0, gt=0)
    mail_retry_max_seconds: float = Field(default=600.0, gt=0)

    # Seals TOTP secrets at rest (AES-GCM): base64 of 32 random bytes (`openssl rand -base64 32`);
    # older keys, comma-separated, still open what they sealed. Without a key (outside development)
    # two-factor enrolment is refused; accounts already enrolled need the key that sealed them.
    identity_encryption_key: str = ""
    identity_encryption_old_keys: str = ""
    # How long the half-signed-in state after a right password waits for the second factor.
    two_factor_challenge_seconds: int = Field(default=300, gt=0)
    # The name authenticator apps show for the account.
    two_factor_issuer: str = "Shelfspace"

    # Single sign-on (docs/operations/sso.md). OpenID providers are reached under the OUTBOUND_*
    # rules (a provider on this host needs OUTBOUND_ALLOWED_NETWORKS=127.0.0.1/32); every call to one
    # gives up after SSO_TIMEOUT_SECONDS. A sign-in must come back from the provider within
    # SSO_LOGIN_SECONDS; ID token times (exp, iat) may be off by at most SSO_CLOCK_SKEW_SECONDS.
    sso_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    sso_login_seconds: int = Field(default=600, gt=0)
    sso_clock_skew_seconds: int = Field(default=60, ge=0, le=300)
    # Sign-in from the Remote-User / Remote-Email headers of a forward-auth proxy. The gateway passes
    # those headers on only from a peer in its TRUSTED_PROXIES; off unless set.
    forward_auth_enabled: bool = False

    @property
    def cookies(self) -> SessionCookies:
        return session_cookies(cookies_are_secure(self.session_cookie_secure, self.environment))

    @field_validator("smtp_url")
    @classmethod
    def _smtp_scheme(cls, value: SecretStr) -> SecretStr:
        url = value.get_secret_value()
        if url and not url.startswith(("smtp://", "smtps://")):
            raise ValueError("SMTP_URL must start with smtp:// or smtps://")
        return value

    @property
    def mail_configured(self) -> bool:
        return bool(self.smtp_url.get_secret_value() and self.smtp_from and self.public_url)

    @property
    def session_touch_seconds(self) -> float:
        """How stale a session's last-seen time may get before a use records it again: one write per
        session a minute at most, and a small part of the idle timeout when that is short."""
        return min(60.0, self.session_idle_timeout_seconds / 10)
