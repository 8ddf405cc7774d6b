"""Plex through plexapi. plexapi is synchronous: every public method here is called in a thread.

The token travels only in the X-Plex-Token header (plexapi's way), never in a URL we keep or return.
"""

import re
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit
from xml.etree.ElementTree import ParseError

import requests
from plexapi import exceptions as plex_errors
from plexapi.server import PlexServer
from urllib3.util.retry import Retry

from integrations.adapters.http import ProviderKit, unreachable
from integrations.domain.plex_items import normalize, watched_state
from integrations.domain.providers import PlexConfig
from integrations.errors import ProviderBadResponse, ProviderUnauthorized
from shelfspace_contracts.integrations import PlexLibrarySection
from shelfspace_contracts.media_items import NormalizedItem, ProviderWatched
from shelfspace_kernel.errors import NotFound, ValidationFailed
from shelfspace_kernel.outbound import OutboundAdapter, OutboundRefused, outbound_session

IMPORTABLE_TYPES = ("movie", "show")
MAX_PAGE = 500
ARTWORK_PATH = re.compile(r"^/library/metadata/\d+/(thumb|art)(/\d+)?$")


class _CappedRetry(Retry):
    """urllib3's retry, with the provider's Retry-After capped so a sync never stalls for long."""

    cap: float = 10.0

    def get_retry_after(self, response):  # type: ignore[no-untyped-def]
        wanted = super().get_retry_after(response)
        return None if wanted is None else min(wanted, self.cap)


@dataclass
class PlexPage:
    """One page of a section: its importable items, the section's total, the account's watched items."""

    items: list[NormalizedItem]
    total: int
    watched: list[ProviderWatched]


@dataclass(frozen=True)
class ServerInfo:
    name: str
    version: str
    sections: list[PlexLibrarySection]


class Plex:
    def __init__(self, config: PlexConfig, token: str, kit: ProviderKit) -> None:
        self._config = config
        self._token = token
        self._policy = kit.policy
        self._outbound = kit.outbound

    def _session(self) -> requests.Session:
        retry = _CappedRetry(
            total=self._policy.max_retries,
            # Only answers are retried: a refused connection or a timeout fails at once, clearly.
            connect=0,
            read=False,
            status=self._policy.max_retries,
            status_forcelist=(429, 500, 502, 503, 504),
            allowed_methods=frozenset({"GET"}),
            backoff_factor=self._policy.backoff,
            respect_retry_after_header=True,
            raise_on_status=False,
        )
        retry.cap = self._policy.max_retry_after
        # Every request plexapi makes goes through the outbound policy (address, redirects, size).
        return outbound_session(self._outbound, OutboundAdapter(self._outbound, max_retries=retry))

    def _unreachable(self) -> Exception:
        return unreachable("Plex", urlsplit(self._config.base_url).hostname or "", self._policy.timeout)

    def _call(self, work):  # type: ignore[no-untyped-def]
        """Runs `work(server)` and turns plexapi and transport failures into actionable errors."""
        try:
            server = PlexServer(
                self._config.base_url, self._token, session=self._session(), timeout=self._policy.timeout
            )
            return work(server)
        except plex_errors.Unauthorized as exc:
            raise ProviderUnauthorized(
                "Plex rejected the token: copy a current X-Plex-Token into the Plex settings."
            ) from exc
        except plex_errors.NotFound as exc:
            raise NotFound("Plex has no such library section or item.") from exc
        except plex_errors.BadRequest as exc:
            status = re.match(r"\((\d{3})\)", str(exc))
            answer = f"HTTP {status.group(1)}" if status else "an error"
            raise ProviderBadResponse(f"Plex answered {answer}; check the server and try again.") from exc
        except OutboundRefused as exc:
            raise OutboundRefused(f"Plex: {exc.message}") from exc
        except requests.RequestException as exc:
            raise self._unreachable() from exc
        except (plex_errors.PlexApiException, ParseError, ValueError, AttributeError, TypeError, KeyError) as exc:
            # A web page (a NAS sign-in, a router), another service's JSON or broken XML: the most
            # common mistake is the address or port of another server on the same machine.
            host = urlsplit(self._config.base_url).netloc or self._config.base_url
            raise ProviderBadResponse(
                f"{host} answered, but not as a Plex server does (a web page or another service): it is not a "
                "Plex server. Check the address and port (Plex Media Server usually listens on port 32400)."
            ) from exc

    @staticmethod
    def _sections(server: PlexServer) -> list[PlexLibrarySection]:
        data = server.query("/library/sections")
        return [
            PlexLibrarySection(key=str(d.attrib["key"]), title=d.attrib.get("title") or "", type=d.attrib["type"])
            for d in data
            if d.tag == "Directory" and d.attrib.get("type") in IMPORTABLE_TYPES and d.attrib.get("key")
        ]

    def server_info(self) -> ServerInfo:
        def work(server: PlexServer) -> ServerInfo:
            # Any XML parses: a Plex server's root is a MediaContainer naming the server and its version
            # (an RSS feed or another service's XML is not).
            if server._data is None or server._data.tag != "MediaContainer" or not server.machineIdentifier:
                raise ValueError("the root answer is not a Plex server's")
            return ServerInfo(server.friendlyName or "Plex", server.version, self._sections(server))

        return self._call(work)

    def sections(self) -> list[PlexLibrarySection]:
        return self._call(self._sections)

    def page(self, space_id: uuid.UUID, section_key: str, start: int, size: int) -> PlexPage:
        """One page of a movie or show section, read with container start/size; with the token
        account's watched state of the page's items."""
        if not 1 <= size <= MAX_PAGE or start < 0:
            raise ValidationFailed(details=[{"field": "size", "message": f"1..{MAX_PAGE}", "type": "range"}])

        def work(server: PlexServer) -> PlexPage:
            if section_key not in {s.key for s in self._sections(server)}:
                raise NotFound("Plex has no movie or show section with that key.")
            key = f"/library/sections/{section_key}/all"
            headers = {"X-Plex-Container-Start": str(start), "X-Plex-Container-Size": str(size)}
            data = server.query(key, headers=headers, params={"includeGuids": 1})
            total = int(data.attrib.get("totalSize") or data.attrib.get("size") or 0)
            page = PlexPage([], total, [])
            for item in server.findItems(data, initpath=key):
                # Partial objects would reload themselves one request per missing attribute.
                item._autoReload = False
                if (normalized := normalize(item, space_id, self._seasons(item))) is not None:
                    page.items.append(normalized)
                    if (seen := watched_state(item)) is not None:
                        page.watched.append(seen)
            return page

        return self._call(work)

    @staticmethod
    def _seasons(item) -> list:  # type: ignore[no-untyped-def]
        """A show's seasons (one request: its children); none for a movie or a show gone meanwhile."""
        if getattr(item, "type", None) != "show":
            return []
        try:
            seasons = item.seasons()
        except plex_errors.NotFound:
            return []
        for season in seasons:
            season._autoReload = False  # a season without a year would reload itself to look for one
        return seasons

    def artwork(self, path: str, max_bytes: int) -> tuple[bytes, str]:
        """A thumb or art image by its relative Plex path, fetched with the token on the server side."""
        if not ARTWORK_PATH.match(path):
            raise NotFound("Not a Plex artwork path.")
        try:
            response = self._session().get(
                f"{self._config.base_url}{path}",
                headers={"X-Plex-Token": self._token, "Accept": "image/*"},
                timeout=self._policy.timeout,
                stream=True,
            )
        except OutboundRefused as exc:
            raise OutboundRefused(f"Plex: {exc.message}") from exc
        except requests.RequestException as exc:
            raise self._unreachable() from exc
        with response:
            if response.status_code == 401:
                raise ProviderUnauthorized("Plex rejected the token.")
            if response.status_code == 404:
                raise NotFound("Plex has no such image.")
            content_type = response.headers.get("content-type", "").split(";")[0].strip()
            if response.status_code != 200 or not content_type.startswith("image/"):
                raise ProviderBadResponse("Plex did not answer with an image.")
            body = response.raw.read(max_bytes + 1, decode_content=True)
            if len(body) > max_bytes:
                raise ProviderBadResponse("The Plex image is too large.")
            return body, content_type
