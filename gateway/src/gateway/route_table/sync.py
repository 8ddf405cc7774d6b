"""Public routes owned by the sync service."""

from gateway.routes import Access, Route

SYNC = "sync"

ROUTES: list[Route] = [
    Route("POST", "/api/media/import-plex", SYNC, Access.SPACE_ADMIN),
    Route("GET", "/api/sync-jobs", SYNC, Access.SPACE_MEMBER),
    Route("GET", "/api/sync-jobs/{job_id}", SYNC, Access.SPACE_MEMBER),
    Route("POST", "/api/sync-jobs/{job_id}/cancel", SYNC, Access.SPACE_ADMIN),
    Route("GET", "/api/sync-status", SYNC, Access.SPACE_MEMBER),
    Route("GET", "/api/spaces/{space_id}/sync-schedules", SYNC, Access.SPACE_ADMIN, space_param="space_id"),
    Route("PUT", "/api/spaces/{space_id}/sync-schedules", SYNC, Access.SPACE_ADMIN, space_param="space_id"),
    Route("GET", "/api/watchlist", SYNC, Access.SPACE_MEMBER),
    Route("POST", "/api/watchlist/sync", SYNC, Access.SPACE_MEMBER),
]
