"""Forwarding to the owning service through aiohttp's client: one session and keep-alive pool per service.

The request body is read first, bounded by MAX_BODY_BYTES, and sent with its length. Answers of a
known, modest size are read whole and sent in one piece: streaming costs a task group and a
disconnect listener per response, which dominated the small JSON answers most routes give; larger
or open-ended ones (the activity export) are streamed, with back-pressure. The upstream connection
is always released, also when the caller disconnects early, and is pooled again only after one
complete final answer (interim 1xx answers are the library's to skip).
"""

import uuid

import aiohttp
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response, StreamingResponse
from starlette.types import Receive, Scope, Send
from yarl import URL

from gateway.hop import UnreadableHeader, check_framing, forwarded_headers, returned_headers
from shelfspace_kernel.errors import AppError, Unavailable
from shelfspace_kernel.tracing import current_context_headers

BUFFERED_BODY_BYTES = 1024 * 1024
# The client's own defaults would change what the caller sent; the caller's headers go as they are.
NO_AUTO_HEADERS = ("Accept", "Accept-Encoding", "User-Agent", "Content-Type")
UPSTREAM_ERRORS = (aiohttp.ClientError, TimeoutError)


class PayloadTooLarge(AppError):
    status, code, message = 413, "payload_too_large", "The request body is too large."


class IncompleteBody(AppError):
    status, code, message = 400, "bad_request", "The request body ended before its declared length."


async def _sent_once(request: aiohttp.ClientRequest, handler: aiohttp.ClientHandlerType) -> aiohttp.ClientResponse:
    # aiohttp sends idempotent methods (PUT and DELETE too) again when a kept-alive connection
    # fails; here only a GET is, so a write can never be applied twice. This error is not retried.
    try:
        return await handler(request)
    except (aiohttp.ClientOSError, aiohttp.ServerDisconnectedError) as exc:
        raise aiohttp.ClientConnectionError(f"the service closed the connection: {exc}") from exc


class AnswerForAnotherRequest(aiohttp.ServerDisconnectedError):
    """The service answered with another request's id: its connection is out of step."""


class _OwnAnswer(aiohttp.ClientResponse):
    """Our services answer with the request id they were asked with (shelfspace_kernel.middleware).
    An answer naming another request was meant for someone else (a service that answered twice, or
    unasked into an idle connection, which aiohttp would hand to the next request): its connection
    is closed before anyone else can use it, and the request fails like one the service dropped."""

    async def start(self, connection: aiohttp.connector.Connection) -> "aiohttp.ClientResponse":
        transport = connection.transport
        await super().start(connection)  # a whole answer releases its connection in here
        answered = self.headers.get("x-request-id")
        if answered is not None and answered != self.request_info.headers.get("x-request-id"):
            if transport is not None:
                transport.abort()
            raise AnswerForAnotherRequest("the service answered another request")
        return self


class Upstream:
    """One service (`base_url`: http://host:port) behind its own pool of keep-alive connections."""

    def __init__(
        self,
        base_url: str,
        *,
        connect_timeout: float,
        read_timeout: float,
        max_connections: int = 200,
        idle_seconds: float = 15.0,
    ) -> None:
        url = URL(base_url)
        if url.scheme != "http" or not url.host:
            raise ValueError(f"a service URL must be http://host:port, not {base_url!r}")
        self._origin = str(url.origin())
        self.session = aiohttp.ClientSession(
            # Idle connections are dropped before the services' 30 s keep-alive ends.
            connector=aiohttp.TCPConnector(limit=max_connections, limit_per_host=0, keepalive_timeout=idle_seconds),
            # `connect` covers waiting for a free connection too; `sock_read` each wait for a piece.
            timeout=aiohttp.ClientTimeout(total=None, connect=connect_timeout, sock_read=read_timeout),
            cookie_jar=aiohttp.DummyCookieJar(),  # a user's Set-Cookie must never go out with another's request
            auto_decompress=False,
            skip_auto_headers=NO_AUTO_HEADERS,
            trust_env=False,
            response_class=_OwnAnswer,
        )

    async def send(
        self, method: str, target: str, headers: list[tuple[str, str]], body: bytes | None
    ) -> aiohttp.ClientResponse:
        """Send one request and wait for its final answer's head; Unavailable when that fails."""
        try:
            return await self.session.request(
                method,
                URL(self._origin + target, encoded=True),
                headers=headers,
                data=body,
                allow_redirects=False,
                middlewares=None if method == "GET" else (_sent_once,),
            )
        except UPSTREAM_ERRORS as exc:
            raise _unavailable() from exc

    async def get(self, path: str, timeout: float) -> tuple[int, bytes]:
        """The gateway's own small GET (health probes) on the same pool: (status, body). It carries a
        request id of its own, which the service's answer must name (`_OwnAnswer`)."""
        async with self.session.get(
            URL(self._origin + path, encoded=True),
            headers={"x-request-id": uuid.uuid4().hex},
            allow_redirects=False,
            timeout=aiohttp.ClientTimeout(total=timeout),
        ) as answer:
            return answer.status, await answer.read()

    async def aclose(self) -> None:
        await self.session.close()


def create_upstreams(urls: dict[str, str], connect: float, read: float) -> dict[str, Upstream]:
    return {name: Upstream(url, connect_timeout=connect, read_timeout=read) for name, url in urls.items()}


class UpstreamResponse(StreamingResponse):
    def __init__(self, answer: aiohttp.ClientResponse, length: str) -> None:
        super().__init__(_pieces(answer), status_code=answer.status)
        self.raw_headers = returned_headers(answer.raw_headers)
        if length:  # the service's own, checked by the client as the body arrives
            self.raw_headers.append((b"content-length", length.encode()))
        self._answer = answer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._answer.release()  # an answer not read to its end closes its connection


async def _pieces(answer: aiohttp.ClientResponse):
    try:
        async for piece in answer.content.iter_any():
            yield piece
    except UPSTREAM_ERRORS as exc:
        raise _unavailable() from exc


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge()
    chunks: list[bytes] = []
    received = 0
    try:
        async for chunk in request.stream():
            received += len(chunk)
            if received > limit:
                raise PayloadTooLarge()
            chunks.append(chunk)
    except ClientDisconnect as exc:
        raise IncompleteBody() from exc
    return b"".join(chunks)


def forwarded_target(scope: Scope) -> str:
    """The path and query to send on (and to bind the token to), as they arrived."""
    # The target as it arrived, still percent-encoded: a decoded control character is no valid URL.
    target = scope.get("raw_path") or scope["path"].encode()
    if query := scope.get("query_string"):
        target += b"?" + query
    try:
        return target.decode("ascii")
    except UnicodeDecodeError as exc:
        raise UnreadableHeader() from exc


async def forward(
    upstream: Upstream,
    request: Request,
    *,
    target: str,
    token: str,
    request_id: str,
    max_body_bytes: int,
    from_trusted_proxy: bool,
) -> Response:
    """Send `request` to `target` (path and query) with `token`, which is bound to exactly that target."""
    check_framing(request.scope)
    headers = forwarded_headers(request.scope["headers"], from_trusted_proxy=from_trusted_proxy)
    headers += [("authorization", f"Bearer {token}"), ("x-request-id", request_id)]
    headers += current_context_headers().items()
    body = None if request.method == "GET" else await _read_body(request, max_body_bytes)
    answer = await upstream.send(request.method, target, headers, body)
    length = answer.headers.get("content-length", "")
    if not (length.isdigit() and int(length) <= BUFFERED_BODY_BYTES):
        return UpstreamResponse(answer, length)
    try:
        content = await answer.read()
    except UPSTREAM_ERRORS as exc:
        raise _unavailable() from exc
    finally:
        answer.release()
    response = Response(content, status_code=answer.status)
    response.raw_headers += returned_headers(answer.raw_headers)
    return response


def _unavailable() -> Unavailable:
    return Unavailable("The service that answers this request is unavailable; try again shortly.")
