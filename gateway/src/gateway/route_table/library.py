"""Public routes owned by the library service (API.md "Media", "Collector records"), all on the caller's active space.

The service checks the same roles again, and the finer rules (a member edits only what they added).
"""

from gateway.routes import Access, Route

_S = "library"

ROUTES: list[Route] = [
    Route("GET", "/api/media", _S, Access.SPACE_VIEWER),
    Route("POST", "/api/media", _S, Access.SPACE_MEMBER),
    Route("GET", "/api/media/stats", _S, Access.SPACE_VIEWER),
    Route("GET", "/api/media/duplicates", _S, Access.SPACE_MEMBER),
    Route("GET", "/api/media/trash", _S, Access.SPACE_MEMBER),
    Route("POST", "/api/media/merge", _S, Access.SPACE_ADMIN),
    Route("POST", "/api/media/merges/{merge_id}/revert", _S, Access.SPACE_ADMIN),
    Route("GET", "/api/media/{media_id}", _S, Access.SPACE_VIEWER),
    Route("PATCH", "/api/media/{media_id}", _S, Access.SPACE_MEMBER),
    Route("DELETE", "/api/media/{media_id}", _S, Access.SPACE_MEMBER),
    Route("POST", "/api/media/{media_id}/restore", _S, Access.SPACE_MEMBER),
    Route("POST", "/api/media/{media_id}/copies", _S, Access.SPACE_MEMBER),
    Route("PATCH", "/api/media/{media_id}/copies/{copy_id}", _S, Access.SPACE_MEMBER),
    Route("DELETE", "/api/media/{media_id}/copies/{copy_id}", _S, Access.SPACE_MEMBER),
    Route("PUT", "/api/media/{media_id}/annotation", _S, Access.SPACE_VIEWER),
    Route("GET", "/api/media/{media_id}/seasons", _S, Access.SPACE_VIEWER),
    Route("PUT", "/api/media/{media_id}/seasons", _S, Access.SPACE_MEMBER),
    Route("PUT", "/api/media/{media_id}/watched", _S, Access.SPACE_VIEWER),
    Route("DELETE", "/api/media/{media_id}/watched", _S, Access.SPACE_VIEWER),
    Route("POST", "/api/copies/{copy_id}/loans", _S, Access.SPACE_MEMBER),
    Route("POST", "/api/loans/{loan_id}/return", _S, Access.SPACE_MEMBER),
    Route("GET", "/api/loans", _S, Access.SPACE_MEMBER),
    Route("GET", "/api/wishlist", _S, Access.SPACE_VIEWER),
    Route("POST", "/api/wishlist", _S, Access.SPACE_MEMBER),
    Route("PATCH", "/api/wishlist/{wish_id}", _S, Access.SPACE_MEMBER),
    Route("DELETE", "/api/wishlist/{wish_id}", _S, Access.SPACE_MEMBER),
    Route("POST", "/api/wishlist/{wish_id}/got-it", _S, Access.SPACE_MEMBER),
    Route("GET", "/api/tags", _S, Access.SPACE_VIEWER),
    Route("PATCH", "/api/tags/{name}", _S, Access.SPACE_ADMIN),
    Route("GET", "/api/views", _S, Access.SPACE_MEMBER),
    Route("POST", "/api/views", _S, Access.SPACE_MEMBER),
    Route("DELETE", "/api/views/{view_id}", _S, Access.SPACE_MEMBER),
    Route("PUT", "/api/media/{media_id}/cover", _S, Access.SPACE_MEMBER),
    Route("DELETE", "/api/media/{media_id}/cover", _S, Access.SPACE_MEMBER),
    # Own cover images: public, as their random key is the capability (docs/security.md, "Own covers").
    Route("GET", "/api/covers/{cover_key}/{file}", _S, Access.PUBLIC),
    Route("GET", "/api/spaces/{space_id}/export", _S, Access.SPACE_MEMBER, space_param="space_id"),
]
