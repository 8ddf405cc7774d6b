"""The session and CSRF cookies (API.md conventions): set on sign-in, cleared on sign-out."""

import math
from datetime import UTC, datetime

from fastapi import Response

from identity.handlers.sessions import NewSession
from identity.settings import IdentitySettings
from shelfspace_contracts.identity import CSRF_COOKIE, SESSION_COOKIE


def set_session_cookies(response: Response, created: NewSession, settings: IdentitySettings) -> None:
    max_age = max(1, math.ceil((created.expires_at - datetime.now(UTC)).total_seconds()))
    common = {"max_age": max_age, "path": "/", "samesite": "lax", "secure": settings.cookie_secure}
    response.set_cookie(SESSION_COOKIE, created.token, httponly=True, **common)
    # Readable by the web app, which echoes it in X-CSRF-Token (double submit).
    response.set_cookie(CSRF_COOKIE, created.csrf_token, httponly=False, **common)


def clear_session_cookies(response: Response, settings: IdentitySettings) -> None:
    for name, httponly in ((SESSION_COOKIE, True), (CSRF_COOKIE, False)):
        response.delete_cookie(name, path="/", samesite="lax", secure=settings.cookie_secure, httponly=httponly)
