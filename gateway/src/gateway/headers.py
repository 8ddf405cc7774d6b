"""Security headers on every answer the gateway gives: the API's and the web app's.

The header pairs are built once; per response the middleware only appends the ones the answer does
not carry already, so a service that sets its own (artwork's `Cache-Control` that allows private
caching, its sandboxing CSP) keeps them. HSTS is added only to requests that arrived over https,
directly or through a trusted proxy that says so in `X-Forwarded-Proto`.
"""

from collections.abc import Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.addresses import Network, is_trusted

# The web app is one origin: its scripts, styles and API calls come from it. Posters are any image
# URL (TMDB's image host, a configured mirror, one typed by a user, Plex artwork through /api), and
# a cover photo is previewed from a blob: URL, so images may come from anywhere; they run no script.
WEB_APP_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: http: data: blob:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'"
)
# API answers are data, never a page: nothing in them may run or be framed.
API_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox"

_COMMON = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
)
API_HEADERS = (
    *_COMMON,
    (b"content-security-policy", API_POLICY.encode()),
    (b"cache-control", b"no-store"),
)
WEB_APP_HEADERS = (*_COMMON, (b"content-security-policy", WEB_APP_POLICY.encode()))
HSTS = (b"strict-transport-security", b"max-age=31536000")
# (an API answer?, over https?) → the headers it gets.
HEADERS = {
    (True, False): API_HEADERS,
    (True, True): (*API_HEADERS, HSTS),
    (False, False): WEB_APP_HEADERS,
    (False, True): (*WEB_APP_HEADERS, HSTS),
}


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, trusted_proxies: Sequence[Network]) -> None:
        self.app = app
        self.trusted = trusted_proxies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = HEADERS[(scope["path"].startswith("/api/"), self._over_https(scope))]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers.extend(pair for pair in extra if pair[0] not in present)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _over_https(self, scope: Scope) -> bool:
        if scope.get("scheme") == "https":
            return True
        proto = next((value for name, value in scope["headers"] if name == b"x-forwarded-proto"), None)
        if proto is None:
            return False
        client = scope.get("client")
        # With several values (proxies in a chain), the first is the scheme the browser used.
        first = proto.split(b",", 1)[0].strip().lower()
        return first == b"https" and client is not None and is_trusted(client[0], self.trusted)
