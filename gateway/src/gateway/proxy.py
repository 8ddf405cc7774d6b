"""Forwarding to the owning service over the gateway's own keep-alive connections (upstream.py).

The request body is read first, bounded by MAX_BODY_BYTES, and sent with its length. Answers of a
known, modest size are read whole and sent in one piece: streaming costs a task group and a
disconnect listener per response, which dominated the small JSON answers most routes give; larger
or open-ended ones (the activity export) are streamed. The upstream connection is always released,
also when the caller disconnects early.
"""

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from gateway.upstream import Upstream, UpstreamAnswer, UpstreamUnavailable
from shelfspace_kernel.errors import AppError, Unavailable

HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "host",
}
# The user's cookie and any identity claim stay at the gateway: services trust only the token.
NEVER_FORWARDED = {
    name.encode()
    for name in HOP_BY_HOP | {"content-length", "cookie", "authorization", "x-csrf-token", "x-space-id", "x-request-id"}
}
# The gateway's own server sets these on every response.
NOT_RETURNED = {name.encode() for name in HOP_BY_HOP | {"x-request-id", "date", "server"}}
BUFFERED_BODY_BYTES = 1024 * 1024


class PayloadTooLarge(AppError):
    status, code, message = 413, "payload_too_large", "The request body is too large."


def _returned_headers(answer: UpstreamAnswer) -> list[tuple[bytes, bytes]]:
    # Raw pairs keep repeated headers such as several Set-Cookie lines.
    return [(name, value) for name, value in answer.headers if name not in NOT_RETURNED]


class UpstreamResponse(StreamingResponse):
    def __init__(self, answer: UpstreamAnswer) -> None:
        super().__init__(answer.pieces(), status_code=answer.status)
        self.raw_headers = _returned_headers(answer)
        self._answer = answer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._answer.release()


def create_upstreams(urls: dict[str, str], connect: float, read: float) -> dict[str, Upstream]:
    return {name: Upstream(url, connect_timeout=connect, read_timeout=read) for name, url in urls.items()}


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge()
    chunks: list[bytes] = []
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > limit:
            raise PayloadTooLarge()
        chunks.append(chunk)
    return b"".join(chunks)


async def forward(
    upstream: Upstream, request: Request, *, target: str, token: str, request_id: str, max_body_bytes: int
) -> Response:
    """Send `request` to `target` (path and query) with `token`, which is bound to exactly that target."""
    body = b"" if request.method == "GET" else await _read_body(request, max_body_bytes)
    headers = [(name, value) for name, value in request.headers.raw if name not in NEVER_FORWARDED]
    headers += [(b"authorization", f"Bearer {token}".encode()), (b"x-request-id", request_id.encode())]
    try:
        answer = await upstream.send(request.method, target.encode("latin-1"), headers, body)
    except UpstreamUnavailable as exc:
        raise _unavailable() from exc
    length = answer.header(b"content-length") or b""
    if not (length.isdigit() and int(length) <= BUFFERED_BODY_BYTES):
        return UpstreamResponse(answer)
    try:
        content = await answer.read()
    except UpstreamUnavailable as exc:
        raise _unavailable() from exc
    finally:
        answer.release()
    response = Response(content, status_code=answer.status)
    response.raw_headers = _returned_headers(answer)
    return response


def _unavailable() -> Unavailable:
    return Unavailable("The service that answers this request is unavailable; try again shortly.")
