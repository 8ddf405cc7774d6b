"""Trakt: client-id checks, OAuth device-code linking per user, token refresh, watchlist/collection pages."""

import uuid
from typing import Any

from integrations.adapters.http import ProviderHttp, ProviderKit
from integrations.domain.providers import TraktConfig
from integrations.errors import ProviderBadResponse, ProviderNotConfigured, ProviderUnauthorized

API_VERSION = "2"
OOB_REDIRECT = "urn:ietf:wg:oauth:2.0:oob"
LINK_REJECTED = "Trakt no longer accepts this account link: unlink Trakt and link it again."


class AccessTokenRejected(Exception):
    """Trakt answered 401 to a user's access token (expired or revoked)."""


class Trakt:
    def __init__(self, kit: ProviderKit, space_id: uuid.UUID, config: TraktConfig, client_secret: str | None) -> None:
        if not config.client_id:
            raise ProviderNotConfigured("Trakt is not set up for this space: add the app's client id in the settings.")
        self._http = ProviderHttp(kit, space_id, "trakt", "Trakt")
        self._config = config
        self._client_id = config.client_id
        self._secret = client_secret

    def _headers(self, access_token: str | None = None) -> dict[str, str]:
        headers = {"content-type": "application/json", "trakt-api-version": API_VERSION}
        headers["trakt-api-key"] = self._client_id
        if access_token:
            headers["authorization"] = f"Bearer {access_token}"
        return headers

    async def check(self) -> str:
        response = await self._http.request(
            "GET", f"{self._config.base_url}/movies/trending", params={"limit": 1}, headers=self._headers()
        )
        if response.status_code >= 400:
            raise ProviderBadResponse(f"Trakt answered HTTP {response.status_code}; check the client id.")
        secret = "and a client secret" if self._secret else "but no client secret (needed to link accounts)"
        return f"Trakt accepted the client id, {secret}."

    async def device_code(self) -> dict[str, Any]:
        """A new device code: {device_code, user_code, verification_url, expires_in, interval}."""
        response = await self._http.request(
            "POST", f"{self._config.base_url}/oauth/device/code", json={"client_id": self._client_id}
        )
        body = ProviderHttp.json_of(response, "Trakt")
        if response.status_code != 200 or not isinstance(body, dict) or "device_code" not in body:
            raise ProviderBadResponse(f"Trakt did not issue a device code (HTTP {response.status_code}).")
        return body

    def _client_credentials(self) -> dict[str, str]:
        if not self._secret:
            raise ProviderNotConfigured("Trakt's client secret is not set for this space.")
        return {"client_id": self._client_id, "client_secret": self._secret}

    async def device_token(self, device_code: str) -> tuple[str, dict[str, Any] | None]:
        """('linked', tokens) or (state, None) with state pending, slow_down, expired, denied, invalid."""
        credentials = self._client_credentials()
        states = {400: "pending", 404: "invalid", 409: "invalid", 410: "expired", 418: "denied", 429: "slow_down"}
        response = await self._http.request(
            "POST",
            f"{self._config.base_url}/oauth/device/token",
            json={"code": device_code, **credentials},
            expect=tuple(states),
        )
        if response.status_code == 200:
            return "linked", _tokens(response)
        if response.status_code in states:
            return states[response.status_code], None
        raise ProviderBadResponse(f"Trakt answered HTTP {response.status_code} while linking.")

    async def refresh(self, refresh_token: str) -> dict[str, Any]:
        """New tokens for a refresh token; ProviderUnauthorized when Trakt no longer accepts it."""
        response = await self._http.request(
            "POST",
            f"{self._config.base_url}/oauth/token",
            json={
                "refresh_token": refresh_token,
                **self._client_credentials(),
                "redirect_uri": OOB_REDIRECT,
                "grant_type": "refresh_token",
            },
            expect=(400, 401),
        )
        if response.status_code in (400, 401):
            raise ProviderUnauthorized(LINK_REJECTED)
        if response.status_code != 200:
            raise ProviderBadResponse(f"Trakt answered HTTP {response.status_code} while refreshing the link.")
        return _tokens(response)

    async def revoke(self, access_token: str) -> None:
        """Best effort: Trakt forgets the token (unlinking works locally whatever Trakt answers)."""
        await self._http.request(
            "POST",
            f"{self._config.base_url}/oauth/revoke",
            json={"token": access_token, **self._client_credentials()},
            expect=(400, 401, 403, 404),
        )

    async def list_page(self, access_token: str, kind: str, page: int, limit: int) -> tuple[list[dict[str, Any]], int]:
        """One page (1-based) of the user's watchlist or movie collection: (raw entries, item count).

        AccessTokenRejected when Trakt answers 401, so the caller can refresh the link and ask again.
        """
        path = "/sync/watchlist" if kind == "watchlist" else "/sync/collection/movies"
        response = await self._http.request(
            "GET",
            f"{self._config.base_url}{path}",
            params={"page": page, "limit": limit, "extended": "full"},
            headers=self._headers(access_token),
            expect=(401,),
        )
        if response.status_code == 401:
            raise AccessTokenRejected()
        if response.status_code >= 400:
            raise ProviderBadResponse(f"Trakt answered HTTP {response.status_code}.")
        body = ProviderHttp.json_of(response, "Trakt")
        if not isinstance(body, list):
            raise ProviderBadResponse("Trakt's list answer was not a list.")
        entries = [entry for entry in body if isinstance(entry, dict)]
        try:
            total = int(response.headers.get("x-pagination-item-count") or 0)
        except ValueError:
            total = 0
        # Without pagination headers, all there is came in this answer.
        return entries, max(total, (page - 1) * limit + len(entries))


def _tokens(response: Any) -> dict[str, Any]:
    body = ProviderHttp.json_of(response, "Trakt")
    if not isinstance(body, dict) or not body.get("access_token") or not body.get("refresh_token"):
        raise ProviderBadResponse("Trakt's token answer had no tokens.")
    return body
