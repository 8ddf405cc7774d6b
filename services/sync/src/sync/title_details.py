"""A title page's "Match to TMDB" and "Refresh details": TMDB's details read by integrations, applied by the library.

Both calls go as the caller (their user, space and role), so each service checks its own rules: the
space's TMDB settings in integrations; edit rights and the dedupe of ids in the library. Their error
answers reach the caller as they are (a missing TMDB key says so, with what to do).
"""

import dataclasses
import uuid
from typing import Any, Literal

import httpx

from shelfspace_contracts.library import TmdbDetailsApply
from shelfspace_kernel.errors import AppError, Conflict, Unavailable
from shelfspace_kernel.internal_auth import CallerContext
from sync import SERVICE
from sync.upstream import Upstream

TmdbType = Literal["movie", "tv"]


class UpstreamRefusal(AppError):
    """Another service's error answer, passed on in the shared error shape."""

    def __init__(self, response: httpx.Response) -> None:
        try:
            error = response.json()["error"]
            code, message, details = error["code"], error["message"], error.get("details") or []
        except (ValueError, KeyError, TypeError):
            code, message, details = "error", f"The request was refused (HTTP {response.status_code}).", []
        self.status = response.status_code
        # A provider's rate limit says when to try again; the caller needs that too.
        wait = response.headers.get("retry-after")
        super().__init__(message, code=code, details=details, headers={"Retry-After": wait} if wait else None)


def _answer(response: httpx.Response, audience: str) -> Any:
    if response.status_code < 400:
        return response.json()
    refusal = UpstreamRefusal(response)
    # A provider's failure (502/503 `provider_*`) is said as the integrations said it; the services' own
    # failures (`internal_error`, `unavailable`, an answer not in the error shape) as a dependency outage.
    if response.status_code >= 500 and not refusal.code.startswith("provider_"):
        raise Unavailable(f"The {audience} service could not answer; try again shortly.")
    raise refusal


def _as_sync(caller: CallerContext) -> CallerContext:
    return dataclasses.replace(caller, caller=SERVICE)


async def _apply(upstream: Upstream, context: CallerContext, media_id: uuid.UUID, body: TmdbDetailsApply) -> Any:
    path = f"/internal/media/{media_id}/tmdb"
    response = await upstream.library.request("POST", path, context, json=body.model_dump(mode="json"))
    return _answer(response, "library")


async def _details(upstream: Upstream, context: CallerContext, media_type: TmdbType, tmdb_id: int) -> dict:
    response = await upstream.integrations.request("GET", f"/internal/tmdb/{media_type}/{tmdb_id}", context)
    return _answer(response, "integrations")


async def _title(upstream: Upstream, context: CallerContext, media_id: uuid.UUID) -> dict:
    """The title as the caller sees it: another space's title is 404 before any provider is asked."""
    return _answer(await upstream.library.request("GET", f"/api/media/{media_id}", context), "library")


async def match(
    upstream: Upstream, caller: CallerContext, media_id: uuid.UUID, tmdb_id: int, media_type: TmdbType
) -> Any:
    """Give the title this TMDB id and TMDB's details."""
    context = _as_sync(caller)
    await _title(upstream, context, media_id)
    details = await _details(upstream, context, media_type, tmdb_id)
    return await _apply(upstream, context, media_id, TmdbDetailsApply.model_validate({"details": details}))


async def refresh(upstream: Upstream, caller: CallerContext, media_id: uuid.UUID) -> Any:
    """Read the title's TMDB details again; 409 for a title without a TMDB id."""
    context = _as_sync(caller)
    title = await _title(upstream, context, media_id)
    tmdb_id = title.get("tmdb_id")
    if not tmdb_id:
        raise Conflict("This title has no TMDB id yet: use “Match to TMDB” first.", code="tmdb_id_missing")
    media_type: TmdbType = "tv" if title.get("tmdb_media_type") == "tv" else "movie"
    details = await _details(upstream, context, media_type, tmdb_id)
    body = TmdbDetailsApply.model_validate({"details": details, "expect_tmdb_id": tmdb_id})
    return await _apply(upstream, context, media_id, body)
