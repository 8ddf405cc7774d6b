"""The hop from the gateway to its services: keep-alive HTTP/1.1 connections parsed by httptools.

Forwarding is most of what the gateway does, and a general-purpose client spent more CPU on it
than the rest of the gateway together (pool bookkeeping, and a readability probe of every idle
connection on every request). This client does only what the hop needs. A connection learns that
its service closed it from the event loop (`connection_lost`), so taking one from the pool costs
nothing; one that fails before any answer arrives is retried once on a new connection, for reads
(GET) only. Timeouts: connecting (`connect_timeout`), and each wait for the answer's head or
its next piece (`read_timeout`). Request bodies are sent whole with their length (the proxy has
already read them, bounded); answers are read whole or as a stream, with back-pressure.
"""

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator
from typing import cast
from urllib.parse import urlsplit

import httptools

# Body bytes held for a slow reader before the service's socket is paused.
MAX_BUFFERED_BYTES = 256 * 1024


class UpstreamUnavailable(Exception):
    """The service could not be reached, or its answer broke off or timed out."""


class _Exchange:
    """One request's answer as it arrives: head, body pieces, end, or the failure that ended it."""

    def __init__(self) -> None:
        self.status = 0
        self.headers: list[tuple[bytes, bytes]] = []
        self.head_done = False
        self.complete = False
        self.keep_alive = False
        self.received_any = False
        self.error: BaseException | None = None
        self.pieces: deque[bytes] = deque()
        self.buffered = 0
        self._waiter: asyncio.Future | None = None

    def wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    async def wait(self, timeout: float) -> None:
        self._waiter = asyncio.get_running_loop().create_future()
        try:
            async with asyncio.timeout(timeout):
                await self._waiter
        except TimeoutError as exc:
            raise UpstreamUnavailable("the service did not answer in time") from exc
        finally:
            self._waiter = None


class _Connection(asyncio.Protocol):
    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self.idle_since = 0.0
        self.exchange: _Exchange | None = None
        self._parser = httptools.HttpResponseParser(self)
        self._paused = False

    def send(self, request: bytes) -> _Exchange:
        self.exchange = _Exchange()
        assert self.transport is not None
        self.transport.write(request)
        return self.exchange

    def abort(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.abort()

    def take(self) -> bytes:
        """The body bytes received so far (empty when none are waiting)."""
        exchange = self.exchange
        assert exchange is not None
        data = b"".join(exchange.pieces)
        exchange.pieces.clear()
        exchange.buffered = 0
        if self._paused and self.transport is not None:
            self._paused = False
            self.transport.resume_reading()
        return data

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's transports are not subclasses

    def data_received(self, data: bytes) -> None:
        exchange = self.exchange
        if exchange is None or exchange.complete:
            self.abort()  # nothing was asked on this connection: it cannot be trusted any more
            return
        exchange.received_any = True
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(exc)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self.exchange is not None and not self.exchange.complete:
            self._fail(exc or ConnectionError("the service closed the connection"))

    def _fail(self, exc: BaseException) -> None:
        assert self.exchange is not None
        self.exchange.error = exc
        self.abort()
        self.exchange.wake()

    # httptools callbacks
    def on_header(self, name: bytes, value: bytes) -> None:
        assert self.exchange is not None
        self.exchange.headers.append((name.lower(), value))

    def on_headers_complete(self) -> None:
        exchange = self.exchange
        assert exchange is not None
        exchange.status = self._parser.get_status_code()
        exchange.keep_alive = self._parser.should_keep_alive()
        exchange.head_done = True
        exchange.wake()

    def on_body(self, body: bytes) -> None:
        exchange = self.exchange
        assert exchange is not None
        assert self.transport is not None
        exchange.pieces.append(body)
        exchange.buffered += len(body)
        if exchange.buffered > MAX_BUFFERED_BYTES and not self._paused:
            self._paused = True
            self.transport.pause_reading()
        exchange.wake()

    def on_message_complete(self) -> None:
        assert self.exchange is not None
        self.exchange.complete = True
        self.exchange.wake()


class UpstreamAnswer:
    """Status, raw headers (lower-case names) and the body, read whole or piece by piece.
    `release()` must follow: it returns the connection to the pool, or closes it if unfinished."""

    def __init__(self, upstream: "Upstream", connection: _Connection, exchange: _Exchange) -> None:
        self.status = exchange.status
        self.headers = exchange.headers
        self._upstream = upstream
        self._connection = connection
        self._exchange = exchange
        self._released = False

    def header(self, name: bytes) -> bytes | None:
        return next((value for key, value in self.headers if key == name), None)

    async def read(self) -> bytes:
        return b"".join([piece async for piece in self.pieces()])

    async def pieces(self) -> AsyncIterator[bytes]:
        exchange = self._exchange
        while True:
            if data := self._connection.take():
                yield data
            if exchange.complete:
                return
            if exchange.error is not None:
                raise UpstreamUnavailable("the service's answer broke off") from exchange.error
            await exchange.wait(self._upstream.read_timeout)

    def release(self) -> None:
        if self._released:
            return
        self._released = True
        exchange = self._exchange
        # Unread pieces mean a reader that gave up, maybe with the socket paused: never reused.
        reusable = exchange.complete and exchange.keep_alive and not exchange.pieces
        self._upstream.give_back(self._connection, reusable=reusable)


class Upstream:
    """A pool of connections to one service (`base_url`: http://host:port)."""

    def __init__(
        self,
        base_url: str,
        *,
        connect_timeout: float,
        read_timeout: float,
        max_connections: int = 200,
        max_idle: int = 50,
        idle_seconds: float = 15.0,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"a service URL must be http://host:port, not {base_url!r}")
        self._address = (parts.hostname, parts.port or 80)
        self._host = parts.netloc.encode()
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self._slots = asyncio.Semaphore(max_connections)
        self._idle: deque[_Connection] = deque()
        self._max_idle = max_idle
        self._idle_seconds = idle_seconds

    async def send(
        self, method: str, target: bytes, headers: list[tuple[bytes, bytes]], body: bytes = b""
    ) -> UpstreamAnswer:
        """Send one request and wait for its answer's head; UpstreamUnavailable when that fails."""
        request = self._encode(method, target, headers, body)
        try:
            async with asyncio.timeout(self.connect_timeout):
                await self._slots.acquire()
        except TimeoutError as exc:
            raise UpstreamUnavailable("every connection to the service is busy") from exc
        try:
            return await self._exchange(method, request)
        except BaseException:
            self._slots.release()
            raise

    async def _exchange(self, method: str, request: bytes) -> UpstreamAnswer:
        while True:
            connection, reused = await self._connection()
            exchange = connection.send(request)
            try:
                while not exchange.head_done:
                    if exchange.error is not None:
                        raise UpstreamUnavailable("the service closed the connection") from exchange.error
                    await exchange.wait(self.read_timeout)
            except BaseException:
                connection.abort()
                # A kept-alive connection the service closed just as it was reused: nothing was
                # answered, so a read goes once more, on a new connection.
                if reused and not exchange.received_any and method == "GET" and exchange.error is not None:
                    continue
                raise
            return UpstreamAnswer(self, connection, exchange)

    async def _connection(self) -> tuple[_Connection, bool]:
        now = time.monotonic()
        while self._idle:
            connection = self._idle.pop()
            if not connection.closed and now - connection.idle_since < self._idle_seconds:
                return connection, True
            connection.abort()
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(self.connect_timeout):
                _, connection = await loop.create_connection(_Connection, *self._address)
        except (OSError, TimeoutError) as exc:
            raise UpstreamUnavailable("the service cannot be reached") from exc
        return connection, False

    def give_back(self, connection: _Connection, *, reusable: bool) -> None:
        self._slots.release()
        if not reusable or connection.closed:
            connection.abort()
            return
        connection.exchange = None
        connection.idle_since = time.monotonic()
        self._idle.append(connection)
        if len(self._idle) > self._max_idle:
            self._idle.popleft().abort()

    def _encode(self, method: str, target: bytes, headers: list[tuple[bytes, bytes]], body: bytes) -> bytes:
        lines = [method.encode(), b" ", target, b" HTTP/1.1\r\nhost: ", self._host, b"\r\n"]
        for name, value in headers:
            lines += [name, b": ", value, b"\r\n"]
        if body or method != "GET":
            lines += [b"content-length: ", str(len(body)).encode(), b"\r\n"]
        lines += [b"\r\n", body]
        return b"".join(lines)

    async def aclose(self) -> None:
        while self._idle:
            self._idle.pop().abort()
