"""Public routes owned by the sync service."""

from gateway.routes import Access, BodyLimit, Route
from shelfspace_contracts.features import Feature

SYNC = "sync"
SCHEDULES = "/api/spaces/{space_id}/sync-schedules"
COLLECTZ = "/api/admin/imports/collectz"

ROUTES: list[Route] = [
    Route("POST", "/api/media/import-plex", SYNC, Access.SPACE_ADMIN),
    Route("GET", "/api/sync-jobs", SYNC, Access.SPACE_MEMBER),
    Route("GET", "/api/sync-jobs/{job_id}", SYNC, Access.SPACE_MEMBER),
    Route("GET", "/api/sync-jobs/{job_id}/errors.csv", SYNC, Access.SPACE_MEMBER),
    Route("POST", "/api/imports/file/preview", SYNC, Access.SPACE_ADMIN, body_limit=BodyLimit.IMPORT),
    Route("POST", "/api/imports/file", SYNC, Access.SPACE_ADMIN, body_limit=BodyLimit.IMPORT),
    Route("POST", "/api/sync-jobs/{job_id}/cancel", SYNC, Access.SPACE_ADMIN),
    Route("GET", "/api/sync-status", SYNC, Access.SPACE_MEMBER),
    Route("GET", SCHEDULES, SYNC, Access.SPACE_ADMIN, space_param="space_id", feature=Feature.SCHEDULED_SYNC),
    Route("PUT", SCHEDULES, SYNC, Access.SPACE_ADMIN, space_param="space_id", feature=Feature.SCHEDULED_SYNC),
    Route("POST", "/api/media/{media_id}/match", SYNC, Access.SPACE_MEMBER),
    Route("POST", "/api/media/{media_id}/refresh", SYNC, Access.SPACE_MEMBER),
    Route("GET", "/api/watchlist", SYNC, Access.SPACE_MEMBER, feature=Feature.WATCHLIST),
    Route("POST", "/api/watchlist/sync", SYNC, Access.SPACE_MEMBER, feature=Feature.WATCHLIST),
    Route("POST", COLLECTZ, SYNC, Access.GLOBAL_ADMIN),
    Route("GET", COLLECTZ, SYNC, Access.GLOBAL_ADMIN),
    Route("GET", f"{COLLECTZ}/{{job_id}}", SYNC, Access.GLOBAL_ADMIN),
    Route("POST", f"{COLLECTZ}/{{job_id}}/cancel", SYNC, Access.GLOBAL_ADMIN),
]
