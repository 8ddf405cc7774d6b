"""Public routes owned by the integrations service."""

from gateway.routes import Access, Route
from shelfspace_contracts.features import Feature

SVC = "integrations"
SPACE = "/api/spaces/{space_id}/integrations"

ROUTES: list[Route] = [
    # Settings of a named space: owners and admins of that space (others get 404 for the space).
    Route("GET", SPACE, SVC, Access.SPACE_ADMIN, space_param="space_id"),
    Route("PUT", f"{SPACE}/{{provider}}", SVC, Access.SPACE_ADMIN, space_param="space_id"),
    Route("POST", f"{SPACE}/{{provider}}/test", SVC, Access.SPACE_ADMIN, space_param="space_id"),
    # Plex artwork through the service (the token stays server-side): anyone who can see the space.
    Route("GET", f"{SPACE}/plex/artwork", SVC, Access.SPACE_VIEWER, space_param="space_id"),
    # The 1.x paths, on the active space.
    Route("GET", "/api/admin/settings/integrations", SVC, Access.SPACE_ADMIN),
    Route("PUT", "/api/admin/settings/integrations", SVC, Access.SPACE_ADMIN),
    *(
        Route("POST", f"/api/admin/settings/integrations/test-{provider}", SVC, Access.SPACE_ADMIN)
        for provider in ("tmdb", "barcode", "vision", "plex", "trakt")
    ),
    # Lookups with the active space's settings.
    Route("POST", "/api/media/search-tmdb", SVC, Access.SPACE_MEMBER),
    Route("GET", "/api/media/tmdb/{tmdb_id}", SVC, Access.SPACE_MEMBER),
    Route("POST", "/api/media/lookup-upc", SVC, Access.SPACE_MEMBER),
    Route("POST", "/api/media/recognize-cover", SVC, Access.SPACE_MEMBER, feature=Feature.COVER_RECOGNITION),
    # The caller's own Trakt link (device code flow) with the active space's Trakt app.
    Route("GET", "/api/integrations/trakt/link", SVC, Access.SPACE_MEMBER),
    Route("POST", "/api/integrations/trakt/link", SVC, Access.SPACE_MEMBER, feature=Feature.WATCHLIST),
    Route("POST", "/api/integrations/trakt/link/poll", SVC, Access.SPACE_MEMBER, feature=Feature.WATCHLIST),
    Route("DELETE", "/api/integrations/trakt/link", SVC, Access.SPACE_MEMBER),
]
