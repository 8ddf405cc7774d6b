"""The session and CSRF cookies (API.md conventions): set on sign-in, cleared on sign-out.

Both are `Path=/` with no `Domain`, as the `__Host-` names they take when Secure require."""

import math
from datetime import UTC, datetime

from fastapi import Response

from identity.handlers.sessions import NewSession
from identity.settings import IdentitySettings


def set_session_cookies(response: Response, created: NewSession, settings: IdentitySettings) -> None:
    cookies = settings.cookies
    max_age = max(1, math.ceil((created.expires_at - datetime.now(UTC)).total_seconds()))
    common = {"max_age": max_age, "path": "/", "samesite": "lax", "secure": cookies.secure}
    response.set_cookie(cookies.session, created.token, httponly=True, **common)
    # Readable by the web app, which echoes it in X-CSRF-Token (double submit).
    response.set_cookie(cookies.csrf, created.csrf_token, httponly=False, **common)


def clear_session_cookies(response: Response, settings: IdentitySettings) -> None:
    cookies = settings.cookies
    for name, httponly in ((cookies.session, True), (cookies.csrf, False)):
        response.delete_cookie(name, path="/", samesite="lax", secure=cookies.secure, httponly=httponly)
