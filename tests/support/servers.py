"""Run ASGI apps on loopback (127.0.0.1, or ::1 when asked) inside the test's event loop, with stop and restart on the same port."""

import asyncio
import contextlib
import socket
from collections.abc import Callable

import uvicorn
from fastapi import FastAPI

from shelfspace_kernel.app import SERVER_OPTIONS


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class RunningApp:
    def __init__(self, factory: Callable[[], FastAPI], port: int | None = None, host: str = "127.0.0.1") -> None:
        self._factory = factory
        self.host = host
        self.port = port or free_port(host)
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task | None = None
        self.app: FastAPI | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    async def start(self) -> "RunningApp":
        self.app = self._factory()
        # As in production (shelfspace_kernel.app.serve): same keep-alive, no proxy-header rewriting.
        config = uvicorn.Config(self.app, host=self.host, port=self.port, **SERVER_OPTIONS)
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve())
        for _ in range(200):
            if self._server.started:
                return self
            if self._task.done():
                self._task.result()
            await asyncio.sleep(0.05)
        raise TimeoutError(f"app on port {self.port} did not start")

    async def stop(self) -> None:
        if self._server is None or self._task is None:
            return
        self._server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(self._task, 15)
        self._server = self._task = None
