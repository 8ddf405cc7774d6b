"""Trakt: client-id checks, OAuth device-code linking per user, and watchlist/collection pages."""

import uuid
from typing import Any

from integrations.adapters.http import ProviderHttp, ProviderKit
from integrations.domain.providers import TraktConfig
from integrations.errors import ProviderBadResponse, ProviderNotConfigured
from shelfspace_contracts.media_items import Identities, NormalizedItem

API_VERSION = "2"


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
        response = await self._http.request(
            "POST", f"{self._config.base_url}/oauth/device/code", json={"client_id": self._client_id}
        )
        body = ProviderHttp.json_of(response, "Trakt")
        if response.status_code != 200 or not isinstance(body, dict) or "device_code" not in body:
            raise ProviderBadResponse(f"Trakt did not issue a device code (HTTP {response.status_code}).")
        return body

    async def device_token(self, device_code: str) -> tuple[str, dict[str, Any] | None]:
        """('linked', tokens) or (state, None) with state pending, slow_down, expired, denied, invalid."""
        if not self._secret:
            raise ProviderNotConfigured("Trakt's client secret is not set for this space.")
        response = await self._http.request(
            "POST",
            f"{self._config.base_url}/oauth/device/token",
            json={"code": device_code, "client_id": self._client_id, "client_secret": self._secret},
        )
        states = {400: "pending", 404: "invalid", 409: "invalid", 410: "expired", 418: "denied", 429: "slow_down"}
        if response.status_code == 200:
            return "linked", ProviderHttp.json_of(response, "Trakt")
        if response.status_code in states:
            return states[response.status_code], None
        raise ProviderBadResponse(f"Trakt answered HTTP {response.status_code} while linking.")

    async def list_page(
        self, access_token: str, kind: str, page: int, limit: int
    ) -> tuple[list[NormalizedItem], int, int]:
        """One page of the user's watchlist or collection (movies and shows); (items, page count, item count)."""
        path = "/sync/watchlist" if kind == "watchlist" else "/sync/collection/movies"
        response = await self._http.request(
            "GET",
            f"{self._config.base_url}{path}",
            params={"page": page, "limit": limit, "extended": "full"},
            headers=self._headers(access_token),
        )
        if response.status_code >= 400:
            raise ProviderBadResponse(f"Trakt answered HTTP {response.status_code}.")
        body = ProviderHttp.json_of(response, "Trakt")
        items = [n for n in (normalize_entry(e) for e in body if isinstance(e, dict)) if n is not None]
        pages = int(response.headers.get("x-pagination-page-count") or page)
        total = int(response.headers.get("x-pagination-item-count") or len(items))
        return items, pages, total


def normalize_entry(entry: dict[str, Any]) -> NormalizedItem | None:
    kind = "movie" if "movie" in entry else "show" if "show" in entry else None
    if kind is None:
        return None
    raw = entry[kind] or {}
    ids = raw.get("ids") or {}
    title = str(raw.get("title") or "").strip()
    if not title or not ids.get("trakt"):
        return None
    imdb = ids.get("imdb")
    year = raw.get("year")
    return NormalizedItem(
        provider="trakt",
        external_id=f"{kind}:{ids['trakt']}",
        title=title[:500],
        media_type="movie" if kind == "movie" else "tv_series",
        year=year if isinstance(year, int) and 1870 <= year <= 2100 else None,
        runtime_minutes=raw.get("runtime") if isinstance(raw.get("runtime"), int) else None,
        overview=(raw.get("overview") or None),
        genres=[str(g) for g in raw.get("genres") or []][:50],
        identities=Identities(
            tmdb_id=ids.get("tmdb") or None,
            tmdb_media_type=("movie" if kind == "movie" else "tv") if ids.get("tmdb") else None,
            imdb_id=imdb if isinstance(imdb, str) and imdb.startswith("tt") else None,
            tvdb_id=ids.get("tvdb") or None,
        ),
    )
