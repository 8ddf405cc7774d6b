"""HTTP/1.1 spoken byte by byte, for tests that send what a well-behaved client library would not."""

import asyncio
import contextlib
import json
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class RawAnswer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    interim: list[int] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        return next((value for key, value in self.headers if key == name), None)

    def all(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key == name]

    def json(self):
        return json.loads(self.body)


class RawConnection:
    """One client connection: write any bytes, read answers one at a time."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, base_url: str) -> "RawConnection":
        parts = urlsplit(base_url)
        return cls(*await asyncio.open_connection(parts.hostname, parts.port))

    async def send(self, data: bytes) -> None:
        self.writer.write(data)
        await self.writer.drain()

    async def read_head(self) -> tuple[int, list[tuple[str, str]]]:
        data = await self.reader.readuntil(b"\r\n\r\n")
        lines = data.decode("latin-1").split("\r\n")
        if not lines[0].startswith("HTTP/1.1 "):
            raise AssertionError(f"not the head of an answer: {data[:200]!r}")
        headers = [
            (name.lower(), value.strip()) for name, _, value in (line.partition(":") for line in lines[1:] if line)
        ]
        return int(lines[0].split(" ")[1]), headers

    async def read_answer(self, *, head_request: bool = False) -> RawAnswer:
        """The next final answer (interim 1xx ones are noted); a HEAD's answer has no body."""
        interim = []
        status, headers = await self.read_head()
        while 100 <= status < 200:
            interim.append(status)
            status, headers = await self.read_head()
        answer = RawAnswer(status, headers, b"", interim)
        if head_request or status in (204, 304):
            return answer
        if (answer.header("transfer-encoding") or "").lower() == "chunked":
            answer.body = await self._read_chunked()
        else:
            answer.body = await self.reader.readexactly(int(answer.header("content-length") or 0))
        return answer

    async def _read_chunked(self) -> bytes:
        pieces = []
        while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
            pieces.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)
        await self.reader.readuntil(b"\r\n")
        return b"".join(pieces)

    async def closed_by_peer(self, timeout: float = 5.0) -> bool:
        async with asyncio.timeout(timeout):
            return await self.reader.read() == b""

    async def aclose(self) -> None:
        self.writer.close()
        with contextlib.suppress(ConnectionError):
            await self.writer.wait_closed()


def request(method: str, target: str, headers: dict[str, str] | None = None, body: bytes = b"") -> bytes:
    lines = [f"{method} {target} HTTP/1.1", "host: gateway"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if body and not any(name.lower() in ("content-length", "transfer-encoding") for name in headers or {}):
        lines.append(f"content-length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body
