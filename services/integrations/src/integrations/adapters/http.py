"""Outbound HTTP for the JSON providers: timeout, bounded retries with back-off, per-space rate limit.

Errors come back as the provider errors of `integrations.errors`, with messages that never contain
a URL (TMDB v3 keys travel in the query string) or a secret.
"""

import asyncio
import logging
import math
import time
import uuid
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from integrations.errors import ProviderBadResponse, ProviderRateLimited, ProviderUnauthorized, ProviderUnreachable
from integrations.settings import IntegrationsSettings
from shelfspace_kernel.errors import RateLimited
from shelfspace_kernel.outbound import OutboundAsyncTransport, OutboundPolicy, OutboundRefused

# httpx logs request URLs at INFO; a URL may carry an API key.
logging.getLogger("httpx").setLevel(logging.WARNING)
logging.getLogger("httpcore").setLevel(logging.WARNING)


@dataclass(frozen=True)
class RetryPolicy:
    timeout: float = 10.0
    max_retries: int = 2
    backoff: float = 0.5
    max_retry_after: float = 10.0

    @classmethod
    def from_settings(cls, settings: IntegrationsSettings) -> "RetryPolicy":
        return cls(
            settings.provider_timeout_seconds,
            settings.provider_max_retries,
            settings.provider_backoff_seconds,
            settings.provider_max_retry_after_seconds,
        )

    def delay(self, attempt: int, retry_after: str | None) -> float:
        """Seconds to wait before retry `attempt` (0-based): the provider's Retry-After when it gives one."""
        wanted = parse_retry_after(retry_after)
        if wanted is None:
            wanted = self.backoff * (2**attempt)
        return min(max(wanted, 0.0), self.max_retry_after)


def parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value).timestamp() - time.time()
    except (TypeError, ValueError):
        return None


@dataclass
class RateLimiter:
    """A token bucket per (space, provider), in this process: protects the space's provider quota."""

    per_minute: int
    _buckets: dict[tuple[uuid.UUID, str], tuple[float, float]] = field(default_factory=dict)

    def acquire(self, space_id: uuid.UUID, provider: str) -> None:
        now = time.monotonic()
        capacity = float(max(self.per_minute, 1))
        tokens, since = self._buckets.get((space_id, provider), (capacity, now))
        tokens = min(capacity, tokens + (now - since) * capacity / 60.0)
        if tokens < 1.0:
            wait = math.ceil((1.0 - tokens) * 60.0 / capacity)
            self._buckets[(space_id, provider)] = (tokens, now)
            raise RateLimited(
                f"Too many {provider} requests for this space; try again in {wait} s.",
                headers={"Retry-After": str(wait)},
            )
        self._buckets[(space_id, provider)] = (tokens - 1.0, now)


@dataclass(frozen=True)
class ProviderKit:
    """What every adapter call needs besides its credentials."""

    policy: RetryPolicy
    limiter: RateLimiter
    outbound: OutboundPolicy


class ProviderHttp:
    def __init__(self, kit: ProviderKit, space_id: uuid.UUID, provider: str, label: str) -> None:
        self._kit = kit
        self._space_id = space_id
        self._provider = provider
        self.label = label

    async def request(self, method: str, url: str, *, expect: tuple[int, ...] = (), **kwargs: Any) -> httpx.Response:
        """One logical call; 401/403 raise ProviderUnauthorized, other statuses are the caller's to read.

        Statuses in `expect` are answers the caller handles itself: returned at once, never retried.
        """
        self._kit.limiter.acquire(self._space_id, self._provider)
        policy = self._kit.policy
        outbound = self._kit.outbound
        async with httpx.AsyncClient(
            timeout=policy.timeout,
            follow_redirects=True,  # same-host only: the transport refuses a redirect elsewhere
            max_redirects=outbound.max_redirects,
            transport=OutboundAsyncTransport(outbound),
        ) as http:
            for attempt in range(policy.max_retries + 1):
                response = await self._send(http, method, url, **kwargs)
                if response.status_code in expect:
                    return response
                retryable = response.status_code == 429 or response.status_code >= 500
                if not retryable or attempt == policy.max_retries:
                    break
                await asyncio.sleep(policy.delay(attempt, response.headers.get("retry-after")))
        if response.status_code in (401, 403):
            raise ProviderUnauthorized(f"{self.label} rejected the token (HTTP {response.status_code}).")
        if response.status_code == 429:
            raise ProviderRateLimited(f"{self.label} is rate limiting requests; try again later.")
        if response.status_code >= 500:
            raise ProviderBadResponse(f"{self.label} answered HTTP {response.status_code}; try again later.")
        return response

    async def _send(self, http: httpx.AsyncClient, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            return await http.request(method, url, **kwargs)
        except OutboundRefused as exc:
            raise OutboundRefused(f"{self.label}: {exc.message}") from exc
        except httpx.TooManyRedirects as exc:
            raise ProviderBadResponse(f"{self.label} redirected too many times; check the base URL.") from exc
        except httpx.TransportError as exc:
            # One message for a refused connection, a timeout and a broken answer alike, so that an
            # error never tells which ports answer at an address.
            raise unreachable(self.label, httpx.URL(url).host, self._kit.policy.timeout) from exc

    @staticmethod
    def json_of(response: httpx.Response, label: str) -> Any:
        try:
            return response.json()
        except ValueError as exc:
            raise ProviderBadResponse(f"{label} did not answer with JSON; check the base URL.") from exc


def unreachable(label: str, host: str, timeout: float) -> ProviderUnreachable:
    return ProviderUnreachable(
        f"Could not reach {label} at {host}: no connection, or no answer within {timeout:g} s. "
        "Check the base URL and that the server is running."
    )
