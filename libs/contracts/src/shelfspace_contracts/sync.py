"""Sync contracts: the job shape (API and `sync.job.*` event data) and the shapes sync reads from
integrations and library besides the import ones (Plex sections, watchlist pages, owned-title matches)."""

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

JobStatus = Literal["queued", "running", "succeeded", "failed", "cancelled"]
JobKind = Literal["import", "watchlist"]
ACTIVE_STATUSES: tuple[str, ...] = ("queued", "running")
FINISHED_STATUSES: tuple[str, ...] = ("succeeded", "failed", "cancelled")
VIDEO_SECTION_TYPES: tuple[str, ...] = ("movie", "show")


class JobProgress(BaseModel):
    total: int | None = None
    processed: int = 0


class JobItemError(BaseModel):
    item: str
    reason: str


class JobSummary(BaseModel):
    created: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[JobItemError] = Field(default_factory=list)
    # How many per-item reasons there were; `errors` keeps only the first ones.
    errors_total: int = 0


class SyncJob(BaseModel):
    id: uuid.UUID
    provider: str
    kind: str
    status: JobStatus
    progress: JobProgress
    summary: JobSummary
    error: str | None = None
    # What an import found and did, by kind of thing (a collectZ move: users, spaces, titles, ...).
    report: dict[str, Any] | None = None
    # Set by a cancel while running: the job stops before its next batch.
    cancel_requested: bool = False
    # File and collectZ imports: a dry run reports what it would write and writes nothing.
    dry_run: bool = False
    created_by: uuid.UUID | None = None
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None


class SyncJobEventData(BaseModel):
    """`data` of every `sync.job.*` event; `error` is the actionable reason of a failed job."""

    job_id: uuid.UUID
    provider: str
    kind: str
    status: JobStatus
    progress: JobProgress
    summary: dict[str, Any] = Field(default_factory=dict)
    error: str | None = None


class ProviderSection(BaseModel):
    """A Plex library section as integrations reports it; `selected` marks the configured ones."""

    model_config = ConfigDict(extra="ignore")

    key: str
    title: str = ""
    type: str = ""
    selected: bool | None = None


# Watchlists --------------------------------------------------------------------------------------
#
# integrations: `GET /internal/{plex|trakt}/watchlist?start=0&size=200` → `ProviderPage` of the
# watchlist of the caller's user (`user_id` of the signed context; provider settings of its space).
# A user who has not linked the provider gets 404 (code `provider_not_linked`) or 409
# (`provider_not_configured`): sync then skips that provider.
#
# library: `POST /internal/media/match` (`MediaMatchQuery` → `MediaMatchResult`): which of these
# titles the caller's space owns, matched like the import dedupes (TMDB id, IMDb id, title+year+type).

WATCHLIST_PROVIDERS: tuple[str, ...] = ("plex", "trakt")


class MediaMatchCandidate(BaseModel):
    key: str = Field(min_length=1, max_length=200)
    title: str = Field(min_length=1, max_length=500)
    media_type: Literal["movie", "tv_series", "other"]
    year: int | None = None
    tmdb_id: int | None = None
    imdb_id: str | None = None


class MediaMatchQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[MediaMatchCandidate] = Field(max_length=500)


class MediaMatch(BaseModel):
    key: str
    media_id: uuid.UUID | None = None


class MediaMatchResult(BaseModel):
    matches: list[MediaMatch]
