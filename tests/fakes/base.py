"""What every fake provider can do: record requests, answer a forced status, or slow down."""

import asyncio
import json
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response

from tests.support.servers import RunningApp


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes


@dataclass
class Forced:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    path_prefix: str = ""


class FakeServer:
    """Subclasses add routes in `routes(app)`; `start()` serves them on a free loopback port (`start("::1")`: IPv6)."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.delay = 0.0
        self._forced: deque[Forced] = deque()
        self._running: RunningApp | None = None

    # Controls ----------------------------------------------------------------------------------

    def fail_next(
        self, status: int, *, times: int = 1, headers: dict[str, str] | None = None, body: Any = None, path: str = ""
    ) -> None:
        """The next `times` requests (whose path starts with `path`) answer `status` instead."""
        for _ in range(times):
            self._forced.append(Forced(status, headers or {}, body, path))

    def slow_down(self, seconds: float) -> None:
        """Every answer waits `seconds` first (0 to stop)."""
        self.delay = seconds

    def reset(self) -> None:
        self._forced.clear()
        self.delay = 0.0
        self.requests.clear()

    def requests_to(self, path_prefix: str) -> list[Recorded]:
        return [r for r in self.requests if r.path.startswith(path_prefix)]

    # Serving -----------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self._running is not None, "start() the fake first"
        return self._running.url

    def routes(self, app: FastAPI) -> None:
        raise NotImplementedError

    def _app(self) -> FastAPI:
        app = FastAPI()
        # Added last, so it wraps the fake's own middleware: every request is recorded and controllable.
        self.routes(app)

        @app.middleware("http")
        async def control(request: Request, call_next):  # type: ignore[no-untyped-def]
            body = await request.body()
            self.requests.append(
                Recorded(request.method, request.url.path, dict(request.query_params), dict(request.headers), body)
            )
            if self.delay:
                await asyncio.sleep(self.delay)
            forced = next((f for f in self._forced if request.url.path.startswith(f.path_prefix)), None)
            if forced is not None:
                self._forced.remove(forced)
                content = json.dumps(forced.body) if forced.body is not None else ""
                return Response(content, status_code=forced.status, headers=forced.headers)
            return await call_next(request)

        return app

    async def start(self, host: str = "127.0.0.1") -> "FakeServer":
        self._running = await RunningApp(self._app, host=host).start()
        return self

    async def stop(self) -> None:
        if self._running is not None:
            await self._running.stop()
            self._running = None

    async def __aenter__(self) -> "FakeServer":
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()
