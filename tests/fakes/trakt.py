"""A fake Trakt API: client-id checks, the OAuth device-code flow, token refresh and revocation,
and paginated watchlists.

trakt = await FakeTrakt(client_id="cid", client_secret="secret").start()
code = ...  # after POST /oauth/device/code, call trakt.approve() (or deny(), expire()) before polling
trakt.expire_access_token()  # the issued access token now gets 401 until the client refreshes it
"""

import itertools
import time
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from tests.fakes.base import FakeServer


class FakeTrakt(FakeServer):
    def __init__(self, client_id: str = "fake-client-id", client_secret: str = "fake-client-secret") -> None:
        super().__init__()
        self.client_id = client_id
        self.client_secret = client_secret
        # device code -> pending | approved | denied | expired | used
        self.device_codes: dict[str, str] = {}
        self._serial = itertools.count(2)
        self.access_token: str | None = "fake-trakt-access-token"
        self.refresh_token = "fake-trakt-refresh-token"
        self.token_lifetime = 86400
        self.revoked: list[str] = []
        self.watchlist: list[dict[str, Any]] = []

    def _set_codes(self, state: str) -> None:
        for code, current in self.device_codes.items():
            if current == "pending":
                self.device_codes[code] = state

    def approve(self) -> None:
        self._set_codes("approved")

    def deny(self) -> None:
        self._set_codes("denied")

    def expire(self) -> None:
        self._set_codes("expired")

    def expire_access_token(self) -> None:
        """The access token handed out so far is refused (401); the refresh token still works."""
        self.access_token = None

    def _issue(self) -> dict[str, Any]:
        serial = next(self._serial)
        self.access_token = f"fake-trakt-access-token-{serial}"
        self.refresh_token = f"fake-trakt-refresh-token-{serial}"
        return {
            "access_token": self.access_token,
            "token_type": "bearer",
            "expires_in": self.token_lifetime,
            "refresh_token": self.refresh_token,
            "scope": "public",
            "created_at": int(time.time()),
        }

    def _entry(self, kind: str, trakt_id: int, title: str, year: int | None, ids: dict, details: dict | None) -> None:
        item = {"title": title, "year": year, "ids": {"trakt": trakt_id, "slug": title.lower(), **ids}}
        entry = {"rank": len(self.watchlist) + 1, "id": 100 + len(self.watchlist), "type": kind, kind: item}
        entry["listed_at"] = "2024-01-01T00:00:00.000Z"
        entry["_details"] = details or {}
        self.watchlist.append(entry)

    def add_watchlist_movie(
        self, trakt_id: int, title: str, year: int | None = None, *, details: dict | None = None, **ids: Any
    ) -> None:
        """`details` (overview, runtime, genres, ...) are sent only with `extended=full`, as Trakt does."""
        self._entry("movie", trakt_id, title, year, ids, details)

    def add_watchlist_show(
        self, trakt_id: int, title: str, year: int | None = None, *, details: dict | None = None, **ids: Any
    ) -> None:
        self._entry("show", trakt_id, title, year, ids, details)

    def add_watchlist_season(self, show_trakt_id: int, show_title: str, number: int) -> None:
        """A season entry (Trakt watchlists hold seasons and episodes too)."""
        show = {"title": show_title, "year": None, "ids": {"trakt": show_trakt_id}}
        season = {"number": number, "ids": {"trakt": show_trakt_id * 100 + number}}
        entry = {"rank": len(self.watchlist) + 1, "type": "season", "season": season, "show": show}
        self.watchlist.append({**entry, "_details": {}})

    def routes(self, app: FastAPI) -> None:
        def client_ok(request: Request) -> bool:
            return request.headers.get("trakt-api-key") == self.client_id

        @app.get("/movies/trending")
        async def trending(request: Request) -> Response:
            if not client_ok(request):
                return Response("", status_code=403)
            return JSONResponse([{"watchers": 1, "movie": {"title": "Alien", "year": 1979, "ids": {"trakt": 1}}}])

        @app.post("/oauth/device/code")
        async def device_code(request: Request) -> Response:
            body = await request.json()
            if body.get("client_id") != self.client_id:
                return Response("", status_code=403)
            code = f"device-code-{len(self.device_codes) + 1}"
            self.device_codes[code] = "pending"
            return JSONResponse(
                {
                    "device_code": code,
                    "user_code": "5055CC52",
                    "verification_url": "https://trakt.tv/activate",
                    "expires_in": 600,
                    "interval": 5,
                }
            )

        @app.post("/oauth/device/token")
        async def device_token(request: Request) -> Response:
            body = await request.json()
            if body.get("client_id") != self.client_id or body.get("client_secret") != self.client_secret:
                return Response("", status_code=401)
            state = self.device_codes.get(body.get("code"))
            if state is None:
                return Response("", status_code=404)
            if state != "approved":
                status = {"pending": 400, "denied": 418, "expired": 410, "used": 409}[state]
                return Response("", status_code=status)
            self.device_codes[body["code"]] = "used"
            return JSONResponse(self._issue())

        @app.post("/oauth/token")
        async def token(request: Request) -> Response:
            body = await request.json()
            if body.get("client_id") != self.client_id or body.get("client_secret") != self.client_secret:
                return Response("", status_code=401)
            if body.get("grant_type") != "refresh_token" or body.get("refresh_token") != self.refresh_token:
                error = {"error": "invalid_grant", "error_description": "The refresh token is invalid."}
                return JSONResponse(error, status_code=400)
            return JSONResponse(self._issue())

        @app.post("/oauth/revoke")
        async def revoke(request: Request) -> Response:
            body = await request.json()
            if body.get("client_id") != self.client_id or body.get("client_secret") != self.client_secret:
                return Response("", status_code=401)
            self.revoked.append(body.get("token"))
            if body.get("token") == self.access_token:
                self.access_token = None
            return JSONResponse({})

        @app.get("/sync/watchlist")
        async def watchlist(request: Request, page: int = 1, limit: int = 10, extended: str = "") -> Response:
            bearer = request.headers.get("authorization")
            if not client_ok(request) or self.access_token is None or bearer != f"Bearer {self.access_token}":
                return Response("", status_code=401)
            chunk = []
            for entry in self.watchlist[(page - 1) * limit : page * limit]:
                shown = {k: v for k, v in entry.items() if k != "_details"}
                if extended == "full" and entry["type"] in ("movie", "show"):
                    shown[entry["type"]] = {**entry[entry["type"]], **entry["_details"]}
                chunk.append(shown)
            pages = max(1, -(-len(self.watchlist) // limit))
            headers = {
                "x-pagination-page": str(page),
                "x-pagination-limit": str(limit),
                "x-pagination-page-count": str(pages),
                "x-pagination-item-count": str(len(self.watchlist)),
            }
            return JSONResponse(chunk, headers=headers)
