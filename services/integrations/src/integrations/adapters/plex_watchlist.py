"""The Plex account's watchlist, read from plex.tv's discover API with the space's Plex token.

plexapi's MyPlexAccount has the discover host built in (and signs in to plex.tv first), so this is
a small JSON client instead, with the base URL from the Plex settings (`watchlist_base_url`).
"""

import asyncio
import re
import uuid
from typing import Any

from integrations.adapters.http import ProviderHttp, ProviderKit
from integrations.domain.providers import PlexConfig
from integrations.domain.watchlist import guid_ids
from integrations.errors import ProviderBadResponse, ProviderUnauthorized

RATING_KEY = re.compile(r"^[A-Za-z0-9]{1,64}$")
MAX_PAGE = 100  # plex.tv pages are kept small; the caller follows next_start
DETAIL_CONCURRENCY = 4
CLIENT_HEADERS = {
    "accept": "application/json",
    "x-plex-product": "Shelfspace",
    "x-plex-client-identifier": "shelfspace-integrations",
}


class PlexWatchlist:
    def __init__(self, kit: ProviderKit, space_id: uuid.UUID, config: PlexConfig, token: str) -> None:
        self._http = ProviderHttp(kit, space_id, "plex", "plex.tv")
        self._base = config.watchlist_base_url
        self._headers = {**CLIENT_HEADERS, "x-plex-token": token}

    async def _get(self, path: str, params: dict[str, Any]) -> dict[str, Any]:
        try:
            response = await self._http.request("GET", f"{self._base}{path}", params=params, headers=self._headers)
        except ProviderUnauthorized as exc:
            raise ProviderUnauthorized(
                "plex.tv rejected the Plex token: copy a current X-Plex-Token into the Plex settings."
            ) from exc
        if response.status_code >= 400:
            raise ProviderBadResponse(f"plex.tv answered HTTP {response.status_code} for the watchlist.")
        body = ProviderHttp.json_of(response, "plex.tv")
        container = body.get("MediaContainer") if isinstance(body, dict) else None
        if not isinstance(container, dict):
            raise ProviderBadResponse("plex.tv's answer had no MediaContainer; check the watchlist base URL.")
        return container

    async def page(self, start: int, size: int) -> tuple[list[dict[str, Any]], int]:
        """Raw watchlist entries from `start` (at most `size`, capped at MAX_PAGE) and the total count.

        Entries the listing gives without `Guid` children get them from the item's metadata.
        """
        size = min(size, MAX_PAGE)
        container = await self._get(
            "/library/sections/watchlist/all",
            {
                "includeCollections": 1,
                "includeExternalMedia": 1,
                "includeGuids": 1,
                "X-Plex-Container-Start": start,
                "X-Plex-Container-Size": size,
            },
        )
        entries = [e for e in container.get("Metadata") or [] if isinstance(e, dict)][:size]
        try:
            total = int(container.get("totalSize") or 0)
        except (TypeError, ValueError):
            total = 0
        limit = asyncio.Semaphore(DETAIL_CONCURRENCY)

        async def with_guids(entry: dict[str, Any]) -> dict[str, Any]:
            if guid_ids(entry) or not RATING_KEY.match(str(entry.get("ratingKey") or "")):
                return entry
            async with limit:
                details = await self._get(f"/library/metadata/{entry['ratingKey']}", {"includeGuids": 1})
            found = [d for d in details.get("Metadata") or [] if isinstance(d, dict)]
            return {**entry, "Guid": found[0].get("Guid") or []} if found else entry

        entries = list(await asyncio.gather(*(with_guids(e) for e in entries)))
        return entries, max(total, start + len(entries))
