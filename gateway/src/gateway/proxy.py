"""Forwarding to the owning service: one long-lived client per upstream, streamed both ways.

Answers of a known, modest size are read whole and sent in one piece: streaming costs a task
group and a disconnect listener per response, which dominated the small JSON answers most routes
give. The upstream response is always closed, also when the caller disconnects early.
"""

from collections.abc import AsyncIterator

import httpx
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.types import Receive, Scope, Send

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
NEVER_FORWARDED = HOP_BY_HOP | {"cookie", "authorization", "x-csrf-token", "x-space-id", "x-request-id"}
# The gateway's own server sets these on every response.
NOT_RETURNED = HOP_BY_HOP | {"x-request-id", "date", "server"}
BUFFERED_BODY_BYTES = 1024 * 1024


class PayloadTooLarge(AppError):
    status, code, message = 413, "payload_too_large", "The request body is too large."


def _returned_headers(upstream: httpx.Response) -> list[tuple[bytes, bytes]]:
    # Raw pairs keep repeated headers such as several Set-Cookie lines.
    return [
        (name.lower().encode("latin-1"), value.encode("latin-1"))
        for name, value in upstream.headers.multi_items()
        if name.lower() not in NOT_RETURNED
    ]


class UpstreamResponse(StreamingResponse):
    def __init__(self, upstream: httpx.Response) -> None:
        super().__init__(upstream.aiter_raw(), status_code=upstream.status_code)
        self.raw_headers = _returned_headers(upstream)
        self._upstream = upstream

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            await self._upstream.aclose()


def create_clients(urls: dict[str, str], connect: float, read: float) -> dict[str, httpx.AsyncClient]:
    timeout = httpx.Timeout(connect=connect, read=read, write=read, pool=connect)
    # Idle upstream connections are dropped before the services' 30 s keep-alive ends.
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=50, keepalive_expiry=15.0)
    return {name: httpx.AsyncClient(base_url=url, timeout=timeout, limits=limits) for name, url in urls.items()}


async def _limited_body(request: Request, limit: int) -> AsyncIterator[bytes]:
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > limit:
            raise PayloadTooLarge()
        yield chunk


async def forward(
    client: httpx.AsyncClient, request: Request, *, token: str, request_id: str, max_body_bytes: int
) -> Response:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_body_bytes:
        raise PayloadTooLarge()
    headers = {k: v for k, v in request.headers.items() if k.lower() not in NEVER_FORWARDED}
    headers["authorization"] = f"Bearer {token}"
    headers["x-request-id"] = request_id
    has_body = request.method not in ("GET", "HEAD", "OPTIONS") and (
        declared not in (None, "0") or "transfer-encoding" in request.headers
    )
    # The path as it arrived, still percent-encoded: a decoded control character is no valid URL.
    raw_path = request.scope.get("raw_path") or request.url.path.encode()
    upstream_request = client.build_request(
        request.method,
        raw_path.decode("latin-1"),
        params=request.query_params.multi_items(),
        headers=headers,
        content=_limited_body(request, max_body_bytes) if has_body else None,
    )
    try:
        upstream = await client.send(upstream_request, stream=True)
    except httpx.TransportError as exc:
        raise _unavailable() from exc
    length = upstream.headers.get("content-length", "")
    if not (length.isdigit() and int(length) <= BUFFERED_BODY_BYTES):
        return UpstreamResponse(upstream)
    try:
        body = b"".join([chunk async for chunk in upstream.aiter_raw()])
    except httpx.TransportError as exc:
        raise _unavailable() from exc
    finally:
        await upstream.aclose()
    response = Response(body, status_code=upstream.status_code)
    response.raw_headers = _returned_headers(upstream)
    return response


def _unavailable() -> Unavailable:
    return Unavailable("The service that answers this request is unavailable; try again shortly.")
