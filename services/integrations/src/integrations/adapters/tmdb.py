"""TMDB (v3 API key or v4 read access token): search, details with credits, and a connection test."""

import uuid
from typing import Any

from integrations.adapters.http import ProviderHttp, ProviderKit
from integrations.domain.providers import TmdbConfig
from integrations.domain.tmdb import TmdbType, normalize
from integrations.errors import ProviderBadResponse, ProviderUnauthorized
from shelfspace_contracts.integrations import TmdbTitle
from shelfspace_kernel.errors import NotFound


def is_read_access_token(token: str) -> bool:
    """v4 read access tokens are JWTs; v3 API keys are 32 hex characters."""
    return token.startswith("eyJ") and token.count(".") == 2


class Tmdb:
    def __init__(self, kit: ProviderKit, space_id: uuid.UUID, config: TmdbConfig, token: str) -> None:
        self._http = ProviderHttp(kit, space_id, "tmdb", "TMDB")
        self._config = config
        self._token = token

    async def _get(self, path: str, params: dict[str, Any]) -> Any:
        headers = {"accept": "application/json"}
        params = {"language": self._config.language, **params}
        if is_read_access_token(self._token):
            headers["authorization"] = f"Bearer {self._token}"
        else:
            params["api_key"] = self._token
        response = await self._http.request("GET", f"{self._config.base_url}{path}", params=params, headers=headers)
        if response.status_code == 404:
            raise NotFound("TMDB has no such title.")
        if response.status_code >= 400:
            raise ProviderBadResponse(f"TMDB answered HTTP {response.status_code}.")
        return ProviderHttp.json_of(response, "TMDB")

    async def search(self, query: str, media_type: TmdbType, year: int | None = None) -> list[TmdbTitle]:
        params: dict[str, Any] = {"query": query, "include_adult": "false"}
        if year:
            params["year" if media_type == "movie" else "first_air_date_year"] = year
        body = await self._get(f"/search/{media_type}", params)
        results = body.get("results") if isinstance(body, dict) else None
        if not isinstance(results, list):
            raise ProviderBadResponse("TMDB's search answer had no results list.")
        titles = (normalize(raw, media_type, self._config.image_base_url) for raw in results if isinstance(raw, dict))
        return [title for title in titles if title is not None]

    async def details(self, tmdb_id: int, media_type: TmdbType) -> TmdbTitle:
        extra = "credits" if media_type == "movie" else "credits,external_ids"
        body = await self._get(f"/{media_type}/{tmdb_id}", {"append_to_response": extra})
        title = normalize(body, media_type, self._config.image_base_url) if isinstance(body, dict) else None
        if title is None:
            raise ProviderBadResponse("TMDB's details answer had no title.")
        return title

    async def check(self) -> str:
        """A cheap authenticated call; the answer says which kind of credential worked."""
        try:
            await self._get("/configuration", {})
        except ProviderUnauthorized as exc:
            raise ProviderUnauthorized(
                "TMDB rejected the key: paste the v3 API key or the v4 read access token."
            ) from exc
        kind = "v4 read access token" if is_read_access_token(self._token) else "v3 API key"
        return f"Connected to TMDB with a {kind}."
