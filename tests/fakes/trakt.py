"""A fake Trakt API: client-id checks, the OAuth device-code flow, and paginated watchlists.

trakt = await FakeTrakt(client_id="cid", client_secret="secret").start()
code = ...  # after POST /oauth/device/code, call trakt.approve() to let the next token poll succeed
"""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from tests.fakes.base import FakeServer


class FakeTrakt(FakeServer):
    def __init__(self, client_id: str = "fake-client-id", client_secret: str = "fake-client-secret") -> None:
        super().__init__()
        self.client_id = client_id
        self.client_secret = client_secret
        self.device_codes: dict[str, str] = {}  # device code -> pending | approved | denied | used
        self.access_token = "fake-trakt-access-token"
        self.watchlist: list[dict[str, Any]] = []

    def approve(self) -> None:
        for code, state in self.device_codes.items():
            if state == "pending":
                self.device_codes[code] = "approved"

    def add_watchlist_movie(self, trakt_id: int, title: str, year: int | None = None, **ids: Any) -> None:
        movie = {"title": title, "year": year, "ids": {"trakt": trakt_id, "slug": title.lower(), **ids}}
        self.watchlist.append({"rank": len(self.watchlist) + 1, "type": "movie", "movie": movie})

    def add_watchlist_show(self, trakt_id: int, title: str, year: int | None = None, **ids: Any) -> None:
        show = {"title": title, "year": year, "ids": {"trakt": trakt_id, "slug": title.lower(), **ids}}
        self.watchlist.append({"rank": len(self.watchlist) + 1, "type": "show", "show": show})

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
                return Response("", status_code={"pending": 400, "denied": 418, "used": 409}[state])
            self.device_codes[body["code"]] = "used"
            return JSONResponse(
                {
                    "access_token": self.access_token,
                    "token_type": "bearer",
                    "expires_in": 7776000,
                    "refresh_token": "fake-trakt-refresh-token",
                    "scope": "public",
                    "created_at": 1700000000,
                }
            )

        @app.get("/sync/watchlist")
        async def watchlist(request: Request, page: int = 1, limit: int = 10) -> Response:
            if not client_ok(request) or request.headers.get("authorization") != f"Bearer {self.access_token}":
                return Response("", status_code=401)
            chunk = self.watchlist[(page - 1) * limit : page * limit]
            pages = max(1, -(-len(self.watchlist) // limit))
            headers = {
                "x-pagination-page": str(page),
                "x-pagination-limit": str(limit),
                "x-pagination-page-count": str(pages),
                "x-pagination-item-count": str(len(self.watchlist)),
            }
            return JSONResponse(chunk, headers=headers)
