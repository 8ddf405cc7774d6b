"""Run ASGI apps on loopback inside the test's event loop, with stop and restart on the same port."""

import asyncio
import contextlib
import socket
from collections.abc import Callable

import uvicorn
from fastapi import FastAPI

from shelfspace_kernel.app import SERVER_OPTIONS


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RunningApp:
    def __init__(self, factory: Callable[[], FastAPI], port: int | None = None) -> None:
        self._factory = factory
        self.port = port or free_port()
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task | None = None
        self.app: FastAPI | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> "RunningApp":
        self.app = self._factory()
        # As in production (shelfspace_kernel.app.serve): same keep-alive, no proxy-header rewriting.
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, **SERVER_OPTIONS)
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
