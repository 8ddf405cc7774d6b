"""ASGI middleware: request ids, access logs and the internal-token gate of every service."""

import json
import re
import time
import uuid

import structlog
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shelfspace_kernel.errors import AppError, error_body
from shelfspace_kernel.internal_auth import TokenVerifier, request_target

log = structlog.get_logger("access")

# The only routes a service answers without an internal token (shelfspace_kernel.health and the
# Prometheus scrape, shelfspace_kernel.metrics: counts and timings, nothing of any user's data); exact
# paths, compared before any normalisation, so `/health/../x` or `/healthz` need a token. The gateway
# routes only `/api/...` to a service, so none of these is reachable from outside.
OPEN_PATHS = frozenset({"/health", "/health/live", "/metrics"})
# A caller's own request id is kept only in this shape (it ends up in logs and activity rows);
# anything else is replaced by a fresh id.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def accepted_request_id(incoming: str) -> str:
    return incoming if SAFE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex


class RequestContextMiddleware:
    """Binds the request id (from the gateway, else new) to logs and answers with it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        request_id = accepted_request_id(request.headers.get("x-request-id", ""))
        scope.setdefault("state", {})["request_id"] = request_id
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if scope["path"] not in OPEN_PATHS:
                log.info(
                    "request",
                    method=scope["method"],
                    path=request.url.path,
                    status=status,
                    duration_ms=round((time.perf_counter() - started) * 1000, 1),
                )
            structlog.contextvars.unbind_contextvars("request_id")


class InternalAuthMiddleware:
    """Every route but health needs a valid internal token; the caller context goes to request.state."""

    def __init__(self, app: ASGIApp, verifier: TokenVerifier) -> None:
        self.app = app
        self.verifier = verifier

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _is_open(scope):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        target = request_target(_raw_path(scope), scope.get("query_string", b""))
        try:
            if scheme.lower() != "bearer" or not token:
                raise AppError("A valid internal token is required.", code="unauthenticated")
            request_id = scope.get("state", {}).get("request_id", "")
            context = self.verifier.verify(token, scope["method"], target, request_id)
        except AppError as exc:
            await self._reject(scope, send, exc.message)
            return
        scope.setdefault("state", {})["caller"] = context
        await self.app(scope, receive, send)

    async def _reject(self, scope: Scope, send: Send, message: str) -> None:
        request_id = scope.get("state", {}).get("request_id")
        body = json.dumps(error_body("unauthenticated", message, None, request_id)).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 401,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _raw_path(scope: Scope) -> bytes:
    """The path as the client sent it, before the server decoded it."""
    raw: bytes | None = scope.get("raw_path")
    return raw or scope["path"].encode()


def _is_open(scope: Scope) -> bool:
    return scope["method"] in ("GET", "HEAD") and _raw_path(scope).decode("latin-1") in OPEN_PATHS
