"""A fake plex.tv discover API: the account watchlist as JSON, with container paging and `Guid`s.

discover = await FakePlexDiscover(token="plex-token").start()
discover.add("movie", "The Matrix", year=1999, guids=["imdb://tt0133093", "tmdb://603"])
# Plex settings: {"watchlist_base_url": discover.url, "token": "plex-token"}

Like plex.tv it answers JSON to `Accept: application/json`: `{"MediaContainer": {offset, size,
totalSize, ..., "Metadata": [...]}}`, reads `X-Plex-Container-Start`/`-Size` from the query or the
headers, lists `Guid` children only with `includeGuids=1` (set `listing_guids = False` to have the
listing leave them out, as plex.tv sometimes does) and always on `/library/metadata/{ratingKey}`.
"""

import itertools
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from tests.fakes.base import FakeServer


@dataclass
class DiscoverItem:
    rating_key: str
    type: str  # movie | show
    title: str
    year: int | None = None
    guids: list[str] = field(default_factory=list)
    summary: str | None = None
    duration_ms: int | None = None
    genres: list[str] = field(default_factory=list)
    thumb: str | None = None
    season_count: int | None = None

    def metadata(self, with_guids: bool) -> dict[str, Any]:
        slug = self.title.lower().replace(" ", "-")
        data: dict[str, Any] = {
            "guid": f"plex://{self.type}/{self.rating_key}",
            "key": f"/library/metadata/{self.rating_key}",
            "ratingKey": self.rating_key,
            "type": self.type,
            "title": self.title,
            "slug": slug,
            "publicPagesURL": f"https://watch.plex.tv/{self.type}/{slug}",
            "userState": True,
        }
        optional = {
            "year": self.year,
            "summary": self.summary,
            "duration": self.duration_ms,
            "thumb": self.thumb,
            "childCount": self.season_count,
        }
        data |= {name: value for name, value in optional.items() if value is not None}
        if self.genres:
            data["Genre"] = [{"tag": name, "id": f"/library/sections/genre/{i}"} for i, name in enumerate(self.genres)]
        if with_guids:
            data["Guid"] = [{"id": guid} for guid in self.guids]
        return data


class FakePlexDiscover(FakeServer):
    def __init__(self, token: str = "fake-plex-token") -> None:
        super().__init__()
        self.token = token
        self.items: list[DiscoverItem] = []
        self.listing_guids = True
        self._keys = itertools.count(1)

    def add(self, type: str, title: str, **fields: Any) -> DiscoverItem:
        key = fields.pop("rating_key", None) or f"5d7768{next(self._keys):018x}"
        fields.setdefault("thumb", f"https://metadata-static.plex.tv/{key[:2]}/gracenote/{key}.jpg")
        item = DiscoverItem(key, type, title, **fields)
        self.items.append(item)
        return item

    def page_requests(self) -> list[tuple[int, int]]:
        return [
            (int(r.query.get("X-Plex-Container-Start", 0)), int(r.query.get("X-Plex-Container-Size", 0)))
            for r in self.requests_to("/library/sections/watchlist/all")
        ]

    def routes(self, app: FastAPI) -> None:
        def authorized(request: Request) -> bool:
            given = request.headers.get("x-plex-token") or request.query_params.get("X-Plex-Token")
            return given == self.token

        def container(metadata: list[dict[str, Any]], **attrs: Any) -> Response:
            body = {"MediaContainer": {"size": len(metadata), **attrs, "Metadata": metadata}}
            return JSONResponse(body)

        def paging(request: Request, name: str, default: int) -> int:
            value = request.query_params.get(f"X-Plex-Container-{name}") or request.headers.get(
                f"x-plex-container-{name.lower()}"
            )
            return int(value) if value else default

        @app.get("/library/sections/watchlist/{filter}")
        async def watchlist(filter: str, request: Request) -> Response:
            if not authorized(request):
                return Response("Unauthorized", status_code=401, media_type="text/plain")
            if "json" not in request.headers.get("accept", ""):
                return Response("<MediaContainer/>", status_code=406, media_type="text/xml")
            start, size = paging(request, "Start", 0), paging(request, "Size", 20)
            with_guids = self.listing_guids and request.query_params.get("includeGuids") == "1"
            page = [item.metadata(with_guids) for item in self.items[start : start + size]]
            return container(
                page,
                offset=start,
                totalSize=len(self.items),
                identifier="tv.plex.provider.discover",
                librarySectionID="watchlist",
                librarySectionTitle="Watchlist",
            )

        @app.get("/library/metadata/{rating_key}")
        async def metadata(rating_key: str, request: Request) -> Response:
            if not authorized(request):
                return Response("Unauthorized", status_code=401, media_type="text/plain")
            found = [item.metadata(True) for item in self.items if item.rating_key == rating_key]
            if not found:
                return Response("", status_code=404)
            return container(found, offset=0, totalSize=1, identifier="tv.plex.provider.metadata")
