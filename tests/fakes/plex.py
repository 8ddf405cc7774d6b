"""A fake Plex Media Server: the XML plexapi parses, with token checks and container paging.

plex = await FakePlex(token="plex-token").start()
movies = plex.add_section("1", "Movies", "movie")
plex.add_movie("1", "The Matrix", year=1999, guids=["imdb://tt0133093", "tmdb://603"], resolution="1080")
# settings: {"base_url": plex.url, "token": "plex-token"}
plex.set_thumb(1001, SVG, "image/svg+xml")  # what /library/metadata/1001/thumb/... answers
plex.add_movie("1", "Heat", view_count=2, last_viewed_at=1_700_000_000)  # played twice by the token's account
"""

import itertools
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, SubElement, tostring

from fastapi import FastAPI, Request
from fastapi.responses import Response

from tests.fakes.base import FakeServer

# The smallest valid PNG (1 by 1 pixel), served as every thumb.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
# The start of a JPEG (SOI and a JFIF APP0 segment): enough for anything that reads the signature.
JPEG = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffd9")
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


@dataclass
class PlexSeason:
    index: int  # 0 is "Specials"
    title: str | None = None
    year: int | None = None
    episodes: int = 10


@dataclass
class PlexItem:
    rating_key: int
    type: str  # movie | show
    title: str
    year: int | None = None
    guids: list[str] = field(default_factory=list)
    legacy_guid: str | None = None
    thumb: str | None = None
    resolution: str | None = None
    duration_ms: int | None = None
    summary: str | None = None
    original_title: str | None = None
    genres: list[str] = field(default_factory=list)
    directors: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    audience_rating: float | None = None
    season_count: int | None = None
    episode_count: int | None = None
    # A show's seasons on the server; by default seasons 1..season_count.
    seasons: list[PlexSeason] | None = None

    def seasons_present(self) -> list[PlexSeason]:
        if self.seasons is not None:
            return self.seasons
        return [
            PlexSeason(n, year=self.year + n - 1 if self.year else None) for n in range(1, (self.season_count or 0) + 1)
        ]

    # The token account's plays, as Plex sends them per user: `viewCount` (movies and shows),
    # `viewedLeafCount` (episodes played, shows) and `lastViewedAt` (epoch seconds).
    view_count: int | None = None
    viewed_episode_count: int | None = None
    last_viewed_at: int | None = None


@dataclass
class PlexSection:
    key: str
    title: str
    type: str
    items: list[PlexItem] = field(default_factory=list)


def _xml(root: Element) -> Response:
    return Response(
        b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="utf-8"), media_type="text/xml"
    )


class FakePlex(FakeServer):
    def __init__(self, token: str = "fake-plex-token", name: str = "Fake Plex", version: str = "1.40.2.8395") -> None:
        super().__init__()
        self.token = token
        self.name = name
        self.version = version
        self.machine_identifier = "fakeplexmachine0001"
        self.sections: dict[str, PlexSection] = {}
        self.thumbs: dict[int, tuple[bytes, str]] = {}
        self._keys = itertools.count(1000)

    # Library set-up ----------------------------------------------------------------------------

    def add_section(self, key: str, title: str, type: str) -> PlexSection:
        self.sections[key] = PlexSection(key, title, type)
        return self.sections[key]

    def _add(self, section_key: str, item: PlexItem) -> PlexItem:
        self.sections[section_key].items.append(item)
        return item

    def add_movie(self, section_key: str, title: str, **fields) -> PlexItem:  # type: ignore[no-untyped-def]
        key = fields.pop("rating_key", None) or next(self._keys)
        fields.setdefault("thumb", f"/library/metadata/{key}/thumb/1700000000")
        return self._add(section_key, PlexItem(key, "movie", title, **fields))

    def add_show(self, section_key: str, title: str, **fields) -> PlexItem:  # type: ignore[no-untyped-def]
        key = fields.pop("rating_key", None) or next(self._keys)
        fields.setdefault("thumb", f"/library/metadata/{key}/thumb/1700000000")
        return self._add(section_key, PlexItem(key, "show", title, **fields))

    def set_thumb(self, rating_key: int, body: bytes, media_type: str) -> None:
        """The thumb of `rating_key` answers `body` with this Content-Type (default: a PNG)."""
        self.thumbs[rating_key] = (body, media_type)

    def page_requests(self, section_key: str) -> list[tuple[int, int]]:
        """The (start, size) of every page read of a section, in order."""
        return [
            (int(r.headers.get("x-plex-container-start", 0)), int(r.headers.get("x-plex-container-size", 0)))
            for r in self.requests_to(f"/library/sections/{section_key}/all")
        ]

    def _show(self, rating_key: int) -> PlexItem | None:
        for section in self.sections.values():
            for item in section.items:
                if item.rating_key == rating_key and item.type == "show":
                    return item
        return None

    @staticmethod
    def _season_elements(show: PlexItem, exclude_all_leaves: bool) -> list[dict[str, str]]:
        seasons = show.seasons_present()
        entries = []
        if not exclude_all_leaves:
            total = str(sum(season.episodes for season in seasons))
            key = f"/library/metadata/{show.rating_key}/allLeaves"
            entries.append(
                {"leafCount": total, "thumb": "", "viewedLeafCount": "0", "key": key, "title": "All episodes"}
            )
        for season in seasons:
            season_key = show.rating_key * 100 + season.index
            attrs = {
                "ratingKey": str(season_key),
                "key": f"/library/metadata/{season_key}/children",
                "parentRatingKey": str(show.rating_key),
                "guid": f"plex://season/602e67{season_key:08d}",
                "parentGuid": f"plex://show/5d7768{show.rating_key:06d}",
                "type": "season",
                "title": season.title or ("Specials" if season.index == 0 else f"Season {season.index}"),
                "parentKey": f"/library/metadata/{show.rating_key}",
                "parentTitle": show.title,
                "summary": "",
                "index": str(season.index),
                "parentIndex": "1",
                "thumb": f"/library/metadata/{season_key}/thumb/1700000000",
                "leafCount": str(season.episodes),
                "viewedLeafCount": "0",
                "addedAt": "1700000000",
                "updatedAt": "1700000000",
            }
            if season.year:
                attrs["year"] = str(season.year)
            entries.append(attrs)
        return entries

    # Protocol ----------------------------------------------------------------------------------

    def _authorized(self, request: Request) -> bool:
        given = request.headers.get("x-plex-token") or request.query_params.get("X-Plex-Token")
        return given == self.token

    def _item_element(self, parent: Element, item: PlexItem, with_guids: bool) -> None:
        tag = "Video" if item.type == "movie" else "Directory"
        key = f"/library/metadata/{item.rating_key}" + ("/children" if item.type == "show" else "")
        attrs = {"ratingKey": str(item.rating_key), "key": key, "type": item.type, "title": item.title}
        attrs["guid"] = item.legacy_guid or f"plex://{item.type}/5d7768{item.rating_key:06d}"
        optional = {
            "year": item.year,
            "thumb": item.thumb,
            "duration": item.duration_ms,
            "summary": item.summary,
            "originalTitle": item.original_title,
            "audienceRating": item.audience_rating,
            "childCount": item.season_count,
            "leafCount": item.episode_count,
            "viewCount": item.view_count,
            "viewedLeafCount": item.viewed_episode_count,
            "lastViewedAt": item.last_viewed_at,
        }
        attrs |= {name: str(value) for name, value in optional.items() if value is not None}
        element = SubElement(parent, tag, attrs)
        if item.type == "movie":
            media = SubElement(element, "Media", {"id": str(item.rating_key * 10), "container": "mkv"})
            if item.resolution:
                media.set("videoResolution", item.resolution)
            SubElement(media, "Part", {"id": str(item.rating_key * 100), "file": f"/media/{item.rating_key}.mkv"})
        for name, values in (("Genre", item.genres), ("Director", item.directors), ("Role", item.roles)):
            for value in values:
                SubElement(element, name, {"tag": value})
        if with_guids:
            for guid in item.guids:
                SubElement(element, "Guid", {"id": guid})

    def routes(self, app: FastAPI) -> None:
        def unauthorized() -> Response:
            return Response("<html><head><title>Unauthorized</title></head></html>", 401, media_type="text/html")

        @app.get("/")
        async def root(request: Request) -> Response:
            if not self._authorized(request):
                return unauthorized()
            attrs = {"friendlyName": self.name, "version": self.version, "size": "0"}
            attrs |= {"machineIdentifier": self.machine_identifier, "platform": "Linux"}
            return _xml(Element("MediaContainer", attrs))

        @app.get("/identity")
        async def identity() -> Response:
            attrs = {"size": "0", "claimed": "1", "machineIdentifier": self.machine_identifier, "version": self.version}
            return _xml(Element("MediaContainer", attrs))

        @app.get("/library/sections")
        async def sections(request: Request) -> Response:
            if not self._authorized(request):
                return unauthorized()
            root = Element("MediaContainer", {"size": str(len(self.sections)), "title1": "Plex Library"})
            for section in self.sections.values():
                attrs = {"key": section.key, "title": section.title, "type": section.type}
                attrs["agent"] = "tv.plex.agents.movie" if section.type == "movie" else "tv.plex.agents.series"
                SubElement(root, "Directory", attrs)
            return _xml(root)

        @app.get("/library/sections/{key}/all")
        async def section_items(key: str, request: Request) -> Response:
            if not self._authorized(request):
                return unauthorized()
            section = self.sections.get(key)
            if section is None:
                return Response("", 404)
            start = int(
                request.headers.get("x-plex-container-start") or request.query_params.get("X-Plex-Container-Start") or 0
            )
            size = int(
                request.headers.get("x-plex-container-size") or request.query_params.get("X-Plex-Container-Size") or 50
            )
            page = section.items[start : start + size]
            root = Element(
                "MediaContainer",
                {
                    "size": str(len(page)),
                    "totalSize": str(len(section.items)),
                    "offset": str(start),
                    "librarySectionID": key,
                    "librarySectionTitle": section.title,
                    "viewGroup": section.type,
                },
            )
            with_guids = request.query_params.get("includeGuids") == "1"
            for item in page:
                self._item_element(root, item, with_guids)
            return _xml(root)

        @app.get("/library/metadata/{rating_key}/children")
        async def children(rating_key: int, request: Request) -> Response:
            """A show's seasons, as Plex lists them (the "All episodes" entry first unless excludeAllLeaves=1)."""
            if not self._authorized(request):
                return unauthorized()
            show = self._show(rating_key)
            if show is None:
                return Response("", 404)
            entries = self._season_elements(show, request.query_params.get("excludeAllLeaves") == "1")
            start = int(
                request.headers.get("x-plex-container-start") or request.query_params.get("X-Plex-Container-Start") or 0
            )
            size = int(
                request.headers.get("x-plex-container-size")
                or request.query_params.get("X-Plex-Container-Size")
                or len(entries)
            )
            page = entries[start : start + size]
            attrs = {
                "size": str(len(page)),
                "totalSize": str(len(entries)),
                "offset": str(start),
                "allowSync": "1",
                "identifier": "com.plexapp.plugins.library",
                "key": str(show.rating_key),
                "parentIndex": "1",
                "parentTitle": show.title,
                "title1": "TV Shows",
                "title2": show.title,
                "viewGroup": "season",
                "viewMode": "458810",
            }
            if show.year:
                attrs["parentYear"] = str(show.year)
            root = Element("MediaContainer", attrs)
            for tag_attrs in page:
                SubElement(root, "Directory", tag_attrs)
            return _xml(root)

        @app.get("/library/metadata/{rating_key}/thumb/{stamp}")
        async def thumb(rating_key: int, stamp: str, request: Request) -> Response:
            if not self._authorized(request):
                return unauthorized()
            body, media_type = self.thumbs.get(rating_key, (PNG, "image/png"))
            return Response(body, media_type=media_type)
