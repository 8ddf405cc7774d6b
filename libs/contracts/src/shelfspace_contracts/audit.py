"""The audit context's shapes: activity rows and pages, and the gateway's request-outcome events."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

REQUEST_COMPLETED = "gateway.request.completed"
REQUEST_FAILED = "gateway.request.failed"
REQUEST_ENTITY_TYPE = "http_request"
# `total` of an activity page stops counting here and says so with `total_is_lower_bound`.
TOTAL_CAP = 10_000


class AuditLogMode(StrEnum):
    """Which request outcomes the gateway records; each mode includes everything of the one before."""

    OFF = "off"
    FAILURES = "failures"
    MUTATIONS = "mutations"
    ALL = "all"


class RequestOutcome(BaseModel):
    """`data` of `gateway.request.completed|failed`; user and space travel in the envelope."""

    method: str
    path: str | None  # the route's template (/api/media/{media_id}); None when no route matched
    status: int
    duration_ms: float
    error_code: str | None = None
    # The personal access token (API token) the request was made with (None: a session or no one).
    # Not named `token_id`: the activity log redacts every key that names a token.
    pat_id: uuid.UUID | None = None


class ActivityEntry(BaseModel):
    id: uuid.UUID
    action: str
    user_id: uuid.UUID | None
    space_id: uuid.UUID | None
    entity_type: str | None
    entity_id: str | None
    details: dict[str, Any]
    request_id: str | None
    created_at: datetime
    # Names resolved when the row was written; None on rows older than that, or when never known.
    actor_name: str | None = None
    space_name: str | None = None
    subject_name: str | None = None


class ActivityPage(BaseModel):
    items: list[ActivityEntry]
    next_cursor: str | None
    total: int
    total_is_lower_bound: bool


class ActivityNamed(BaseModel):
    id: uuid.UUID
    name: str | None  # its newest name known to the log; None when never known


class ActivityFacets(BaseModel):
    """What the filters of a log can pick from: who acted in it, the kinds of action and (for the
    whole log) the spaces, each person and space with its name."""

    people: list[ActivityNamed]
    actions: list[str]
    spaces: list[ActivityNamed]
