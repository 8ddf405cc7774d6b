"""Session and API token resolution backed by the identity service, sessions with a short cache.

The gateway holds no database: it asks identity who a session cookie belongs to and keeps the
answer for a few seconds (`SESSION_CACHE_SECONDS`), never past the moment the session would end
unused (its idle deadline or absolute end, as identity reports it). Every request that changes
identity state through this gateway (login, logout, active space, roles, ...) clears the cache
before its response leaves, so the caller never sees a stale answer here; a change made through
another replica is seen within the cache window.

A personal API token (`Authorization: Bearer <secret>`) is asked about on every request, with no
cache: a revoked or expired token, or one of a disabled user, is refused (401) at once on every
replica. A bearer request is judged by its token alone: its cookies are not looked at and it needs
no CSRF header (a browser's cross-site form or script cannot set `Authorization`).
"""

import hashlib
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import httpx
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.access import REFUSAL_HEADER, Principal
from gateway.addresses import Network, client_address
from gateway.csrf import SAFE_METHODS, check_bound_to_session, check_double_submit, needs_csrf
from gateway.routes import Access, RouteTable
from shelfspace_contracts.identity import (
    RESOLVE_SESSION_PATH,
    RESOLVE_TOKEN_PATH,
    ResolvedSession,
    ResolvedToken,
    SessionCookies,
)
from shelfspace_contracts.roles import GlobalRole
from shelfspace_kernel.errors import Unauthenticated, Unavailable
from shelfspace_kernel.internal_auth import CallerContext, TokenSigner
from shelfspace_kernel.internal_client import SignedAs

MAX_TOKEN_LENGTH = 200
BEARER = "bearer"


class InvalidToken(Unauthenticated):
    code, message = "invalid_token", "This API token is not valid: it is unknown, revoked or expired."

    def __init__(self) -> None:
        super().__init__(headers={REFUSAL_HEADER: self.code, "WWW-Authenticate": 'Bearer error="invalid_token"'})


def bearer_secret(request: Request) -> str | None:
    """The secret of an `Authorization: Bearer` header; None without one."""
    scheme, _, secret = request.headers.get("authorization", "").partition(" ")
    return secret.strip() if scheme.lower() == BEARER else None


class SessionCache:
    """token hash → resolved session (or None), for `ttl` seconds. A clear bumps the generation,
    so an answer fetched before the clear is never stored after it."""

    def __init__(self, ttl: float, max_entries: int = 10_000) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self.generation = 0
        self._entries: dict[str, tuple[float, ResolvedSession | None]] = {}

    def get(self, key: str) -> tuple[bool, ResolvedSession | None]:
        entry = self._entries.get(key)
        if entry is None or entry[0] < time.monotonic():
            return False, None
        return True, entry[1]

    def put(self, key: str, value: ResolvedSession | None, generation: int) -> None:
        ttl = self.ttl
        if value is not None and value.expires_at is not None:
            ttl = min(ttl, (value.expires_at - datetime.now(UTC)).total_seconds())
        if ttl <= 0 or generation != self.generation:
            return
        if len(self._entries) >= self.max_entries:
            self._entries.clear()
        self._entries[key] = (time.monotonic() + ttl, value)

    def clear(self) -> None:
        self.generation += 1
        self._entries.clear()


class IdentitySessions:
    """The gateway's `SessionResolver`: cookie → `Principal`, with CSRF checked on the way."""

    def __init__(
        self,
        signer: TokenSigner,
        table: RouteTable,
        *,
        cookies: SessionCookies,
        cache_seconds: float,
        trusted_proxies: Sequence[Network],
    ) -> None:
        self._signer = signer
        self._table = table
        self._cookies = cookies
        self._trusted = trusted_proxies
        self.cache = SessionCache(cache_seconds)

    async def resolve(self, request: Request) -> Principal | None:
        request.state.client_ip = client_address(request, self._trusted)
        secret = bearer_secret(request)
        if secret is not None:
            return await self._resolve_bearer(request, secret)
        echoed = check_double_submit(request, self._cookies) if needs_csrf(request, self._cookies) else None
        # Only the name this deployment sets: with Secure cookies an unprefixed `session` could have
        # been planted by a sibling host, and is not looked at.
        token = request.cookies.get(self._cookies.session, "")
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return None
        try:
            resolved = await self._lookup(request, token)
        except Unavailable:
            # A public route still works, anonymously, while identity is down.
            if self._is_public(request):
                return None
            raise
        if resolved is None:
            return None
        if echoed is not None:
            check_bound_to_session(echoed, resolved.csrf_hash)
        return Principal(
            user_id=resolved.user_id,
            global_role=resolved.global_role,
            active_space_id=resolved.active_space_id,
            memberships=dict(resolved.memberships),
            session_id=resolved.session_id,
            features=resolved.features,
        )

    async def _resolve_bearer(self, request: Request, secret: str) -> Principal:
        if not secret or len(secret) > MAX_TOKEN_LENGTH:
            raise InvalidToken()
        response = await self._ask_identity(request, RESOLVE_TOKEN_PATH, secret)
        if response is None:
            raise InvalidToken()
        resolved = ResolvedToken.model_validate(response)
        memberships = {resolved.space_id: resolved.space_role} if resolved.space_role else {}
        return Principal(
            user_id=resolved.user_id,
            global_role=GlobalRole.USER,
            active_space_id=resolved.space_id if memberships else None,
            memberships=memberships,
            features=resolved.features,
            token_id=resolved.token_id,
        )

    def _is_public(self, request: Request) -> bool:
        match = self._table.match(request.method, request.url.path)
        return match is not None and match.route.access is Access.PUBLIC

    def forget_all(self) -> None:
        self.cache.clear()

    async def _lookup(self, request: Request, token: str) -> ResolvedSession | None:
        key = hashlib.sha256(token.encode()).hexdigest()
        hit, cached = self.cache.get(key)
        if hit:
            return cached
        generation = self.cache.generation
        answer = await self._ask_identity(request, RESOLVE_SESSION_PATH, token)
        resolved = None if answer is None else ResolvedSession.model_validate(answer)
        self.cache.put(key, resolved, generation)
        return resolved

    async def _ask_identity(self, request: Request, path: str, token: str) -> dict | None:
        client: httpx.AsyncClient = request.app.state.clients["identity"]
        request_id = getattr(request.state, "request_id", None) or uuid.uuid4().hex
        auth = SignedAs(self._signer, "identity", CallerContext(request_id=request_id, caller="gateway"))
        try:
            response = await client.post(path, json={"token": token}, headers={"x-request-id": request_id}, auth=auth)
        except httpx.TransportError as exc:
            raise Unavailable("Sign-in is unavailable; try again shortly.") from exc
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise Unavailable("Sign-in is unavailable; try again shortly.")
        return response.json()


class ForgetSessionsOnIdentityChange:
    """ASGI middleware: a mutating request routed to identity clears the resolver's cache just
    before its response starts (identity has committed by then)."""

    def __init__(self, app: ASGIApp, table: RouteTable, resolver: object) -> None:
        self.app = app
        self.table = table
        self.forget: Callable[[], None] | None = getattr(resolver, "forget_all", None)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        forget = self.forget
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS or forget is None:
            await self.app(scope, receive, send)
            return
        match = self.table.match(scope["method"], scope["path"])
        if match is None or match.route.service != "identity":
            await self.app(scope, receive, send)
            return

        async def send_after_forgetting(message: Message) -> None:
            if message["type"] == "http.response.start":
                forget()
            await send(message)

        await self.app(scope, receive, send_after_forgetting)
