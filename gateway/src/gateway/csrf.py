"""Double-submit CSRF: a mutating request that carries the session cookie must echo the readable
CSRF cookie (`csrf_token`, or `__Host-csrf_token` when Secure) in `X-CSRF-Token`, and that token
must belong to the session itself."""

import hashlib
import hmac

from starlette.requests import Request

from gateway.access import REFUSAL_HEADER
from shelfspace_contracts.identity import CSRF_HEADER, SessionCookies
from shelfspace_kernel.errors import Forbidden

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class CsrfFailed(Forbidden):
    code, message = "csrf_failed", "The CSRF token is missing or wrong; reload the page and try again."

    def __init__(self) -> None:
        super().__init__(headers={REFUSAL_HEADER: self.code})


def needs_csrf(request: Request, cookies: SessionCookies) -> bool:
    return request.method not in SAFE_METHODS and cookies.session in request.cookies


def check_double_submit(request: Request, cookies: SessionCookies) -> str:
    """The echoed token, when header and cookie agree; else 403 `csrf_failed`."""
    header = request.headers.get(CSRF_HEADER, "")
    cookie = request.cookies.get(cookies.csrf, "")
    if not header or not cookie or not hmac.compare_digest(header.encode(), cookie.encode()):
        raise CsrfFailed()
    return header


def check_bound_to_session(echoed: str, csrf_hash: str) -> None:
    """A token planted from another site (cookie tossing) does not match the session's own."""
    digest = hashlib.sha256(echoed.encode()).hexdigest()
    if not hmac.compare_digest(digest.encode(), csrf_hash.encode()):
        raise CsrfFailed()
