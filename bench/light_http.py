"""A small HTTP/1.1 keep-alive client for the benches, so the load driver leaves the CPU to the server.

On a two-core machine the driver shares the cores with the processes it measures; httpx spends
about a millisecond of CPU per request, as much as a list request costs the service. This client
writes the request line and headers itself and reads `Content-Length` or chunked bodies, nothing
more: enough for loopback requests to our own services, which is all a bench sends.
"""

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from bench.harness import ensure_loopback


@dataclass
class LightResponse:
    status_code: int
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode(errors="replace")


class LightClient:
    """`await client.request(method, path, params=..., json=...)` over up to `concurrency` connections."""

    def __init__(
        self,
        base_url: str,
        concurrency: int,
        *,
        headers: dict | None = None,
        cookies: dict | None = None,
        sign: Callable[[str, str], dict[str, str]] | None = None,
    ) -> None:
        ensure_loopback(base_url)
        parts = urlsplit(base_url)
        self._address = (parts.hostname or "127.0.0.1", parts.port or 80)
        fixed = {"host": parts.netloc, **(headers or {})}
        if cookies:
            fixed["cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
        self._headers = "".join(f"{name}: {value}\r\n" for name, value in fixed.items())
        # Headers made for each request from its method and target (an internal token bound to them).
        self._sign = sign
        self._idle: asyncio.Queue = asyncio.Queue()
        self._slots = asyncio.Semaphore(concurrency)
        self._open: list[asyncio.StreamWriter] = []

    async def request(self, method: str, path: str, *, params: dict | None = None, json: Any = None) -> LightResponse:
        target = f"{path}?{urlencode(params, doseq=True)}" if params else path
        body = b"" if json is None else _dumps(json)
        signed = (
            "".join(f"{name}: {value}\r\n" for name, value in self._sign(method, target).items()) if self._sign else ""
        )
        head = f"{method} {target} HTTP/1.1\r\n{self._headers}{signed}content-length: {len(body)}\r\n"
        head += "content-type: application/json\r\n\r\n" if json is not None else "\r\n"
        async with self._slots:
            reader, writer = self._idle.get_nowait() if not self._idle.empty() else await self._connect()
            writer.write(head.encode() + body)
            status, headers = await _read_head(reader)
            content = await _read_body(reader, headers)
            if headers.get("connection") == "close":
                writer.close()
            else:
                self._idle.put_nowait((reader, writer))
        return LightResponse(status, content)

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        reader, writer = await asyncio.open_connection(*self._address, limit=2**20)
        self._open.append(writer)
        return reader, writer

    async def aclose(self) -> None:
        for writer in self._open:
            writer.close()


def _dumps(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


async def _read_head(reader: asyncio.StreamReader) -> tuple[int, dict[str, str]]:
    lines = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name:
            headers[name.strip().lower()] = value.strip()
    return int(lines[0].split(" ", 2)[1]), headers


async def _read_body(reader: asyncio.StreamReader, headers: dict[str, str]) -> bytes:
    if headers.get("transfer-encoding", "").lower() == "chunked":
        chunks = []
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
            chunks.append(await reader.readexactly(size))
            await reader.readexactly(2)
        await reader.readuntil(b"\r\n")  # the empty trailer
        return b"".join(chunks)
    return await reader.readexactly(int(headers.get("content-length", "0")))
