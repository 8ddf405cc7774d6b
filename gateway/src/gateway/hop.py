"""What may cross the hop between a caller and a service: unambiguous framing, end-to-end headers.

uvicorn's parser (llhttp) already answers 400 to most ambiguous framing (Content-Length with
Transfer-Encoding, several or non-numeric lengths, a coding other than a final `chunked`) before
the app sees the request; what it lets through is refused here, so the rule does not depend on the
server's parser. Hop-by-hop headers (RFC 9110 7.6.1) describe one connection and never go on to the
next one, in either direction; Host and Content-Length are set anew for the service's connection.
"""

from starlette.types import Scope

from shelfspace_kernel.errors import AppError

HOP_BY_HOP = frozenset(
    {b"connection", b"keep-alive", b"te", b"trailer", b"transfer-encoding", b"upgrade", b"expect"}
    | {b"host", b"content-length"}
)
# The user's cookie and any identity claim stay at the gateway: services trust only the token. A
# client's trace context is not passed on either: a trace starts at the gateway (shelfspace_kernel.tracing).
NOT_FORWARDED = HOP_BY_HOP | {b"cookie", b"authorization", b"x-csrf-token", b"x-space-id", b"x-request-id"}
NOT_FORWARDED |= {b"traceparent", b"tracestate"}
# Who a forward-auth proxy says the user is (Authelia, Authentik, ...): passed on only when the
# gateway's direct peer is in TRUSTED_PROXIES, so nobody else can name themselves (docs/operations/sso.md).
PROXY_IDENTITY = frozenset({b"remote-user", b"remote-email", b"remote-name", b"remote-groups"})
# The gateway's own server and middleware set these on every answer.
NOT_RETURNED = HOP_BY_HOP | {b"x-request-id", b"date", b"server"}


class AmbiguousFraming(AppError):
    status, code, message = 400, "bad_request", "The request's length is ambiguous (Content-Length, Transfer-Encoding)."

    def __init__(self) -> None:
        # Where this request ends is unknown, so the connection cannot carry another (RFC 9112 6.3).
        super().__init__(headers={"Connection": "close"})


class UnreadableHeader(AppError):
    status, code, message = 400, "bad_request", "A request header or the path is not valid UTF-8 text."


def check_framing(scope: Scope) -> None:
    """Refuse a request whose body length two parsers could read differently."""
    lengths = [value for name, value in scope["headers"] if name == b"content-length"]
    codings = [value for name, value in scope["headers"] if name == b"transfer-encoding"]
    if len(lengths) > 1 or (lengths and not lengths[0].isdigit()):
        raise AmbiguousFraming()
    if codings and (lengths or len(codings) > 1 or codings[0].strip().lower() != b"chunked"):
        raise AmbiguousFraming()
    if codings and scope.get("http_version") == "1.0":
        raise AmbiguousFraming()  # HTTP/1.0 has no chunked coding (RFC 9112 6.1)


def _named_by_connection(headers: list[tuple[bytes, bytes]]) -> set[bytes]:
    return {token.strip().lower() for name, value in headers if name == b"connection" for token in value.split(b",")}


def _end_to_end(headers: list[tuple[bytes, bytes]], dropped: frozenset[bytes]) -> list[tuple[bytes, bytes]]:
    named = _named_by_connection(headers)
    return [
        (name, value)
        for name, value in headers
        if name not in dropped and name not in named and not name.startswith(b"proxy-")
    ]


def forwarded_headers(headers: list[tuple[bytes, bytes]], *, from_trusted_proxy: bool) -> list[tuple[str, str]]:
    """The caller's end-to-end headers (lower-case names, as the server gives them), as text."""
    dropped = NOT_FORWARDED if from_trusted_proxy else NOT_FORWARDED | PROXY_IDENTITY
    try:
        return [(name.decode(), value.decode()) for name, value in _end_to_end(headers, dropped)]
    except UnicodeDecodeError as exc:
        # The client library writes text as UTF-8: other bytes would change on the way.
        raise UnreadableHeader() from exc


def returned_headers(raw: tuple[tuple[bytes, bytes], ...]) -> list[tuple[bytes, bytes]]:
    """A service's end-to-end headers for the caller; repeated ones (Set-Cookie) stay apart."""
    return _end_to_end([(name.lower(), value) for name, value in raw], NOT_RETURNED)
