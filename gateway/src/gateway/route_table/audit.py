"""Public routes owned by the audit service."""

from gateway.routes import Access, Route

ROUTES: list[Route] = [
    Route("GET", "/api/admin/activity", "audit", Access.GLOBAL_ADMIN),
    Route("GET", "/api/admin/activity/export", "audit", Access.GLOBAL_ADMIN),
    Route("GET", "/api/admin/activity/facets", "audit", Access.GLOBAL_ADMIN),
    Route("GET", "/api/spaces/{space_id}/activity", "audit", Access.SPACE_ADMIN, space_param="space_id"),
    Route("GET", "/api/spaces/{space_id}/activity/facets", "audit", Access.SPACE_ADMIN, space_param="space_id"),
]
