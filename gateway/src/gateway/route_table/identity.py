"""Public routes owned by the identity service."""

from gateway.routes import Access, Route

S = "identity"
SPACE = "space_id"

ROUTES: list[Route] = [
    Route("GET", "/api/auth/config", S, Access.PUBLIC),
    Route("POST", "/api/auth/register", S, Access.PUBLIC),
    Route("POST", "/api/auth/login", S, Access.PUBLIC),
    # The second step of a sign-in that answered `two_factor_required` (the challenge is in the body).
    Route("POST", "/api/auth/login/2fa", S, Access.PUBLIC),
    Route("POST", "/api/auth/logout", S, Access.SIGNED_IN),
    Route("GET", "/api/auth/me", S, Access.SIGNED_IN),
    Route("PATCH", "/api/auth/me", S, Access.SIGNED_IN, session_only=True),
    Route("POST", "/api/auth/password-reset/request", S, Access.PUBLIC),
    Route("POST", "/api/auth/password-reset", S, Access.PUBLIC),
    # Single sign-on: browser redirects to and from the OpenID provider. `start?link=true` links the
    # signed-in caller's account (identity requires the session); the forward-auth proxy's headers
    # reach identity only from a peer in TRUSTED_PROXIES (gateway.hop).
    Route("GET", "/api/auth/sso/{provider_id}/start", S, Access.PUBLIC),
    Route("GET", "/api/auth/sso/{provider_id}/callback", S, Access.PUBLIC),
    Route("GET", "/api/auth/forward-auth", S, Access.PUBLIC),
    # Personal API tokens are managed from a session only: a token cannot mint tokens.
    Route("GET", "/api/auth/tokens", S, Access.SIGNED_IN, session_only=True),
    Route("POST", "/api/auth/tokens", S, Access.SIGNED_IN, session_only=True),
    Route("DELETE", "/api/auth/tokens/{token_id}", S, Access.SIGNED_IN, session_only=True),
    # The account's own second factor: a session only, like its password.
    Route("POST", "/api/auth/2fa/setup", S, Access.SIGNED_IN, session_only=True),
    Route("POST", "/api/auth/2fa/enable", S, Access.SIGNED_IN, session_only=True),
    Route("POST", "/api/auth/2fa/disable", S, Access.SIGNED_IN, session_only=True),
    # Joining or creating spaces reaches beyond a token's one space: a session only.
    Route("POST", "/api/invites/accept", S, Access.SIGNED_IN, session_only=True),
    Route("GET", "/api/spaces", S, Access.SIGNED_IN),
    # The instance setting `space_creation` may restrict this to global admins (checked by identity).
    Route("POST", "/api/spaces", S, Access.SIGNED_IN, session_only=True),
    # The space is in the body: identity checks the membership (404 for a stranger's space).
    Route("POST", "/api/spaces/active", S, Access.SIGNED_IN),
    Route("PATCH", "/api/spaces/{space_id}", S, Access.SPACE_ADMIN, space_param=SPACE),
    Route("DELETE", "/api/spaces/{space_id}", S, Access.SPACE_OWNER, space_param=SPACE),
    Route("GET", "/api/spaces/{space_id}/members", S, Access.SPACE_VIEWER, space_param=SPACE),
    Route("PATCH", "/api/spaces/{space_id}/members/{user_id}", S, Access.SPACE_ADMIN, space_param=SPACE),
    # Every member may leave (remove themselves); identity allows removing others to admins only.
    Route("DELETE", "/api/spaces/{space_id}/members/{user_id}", S, Access.SPACE_VIEWER, space_param=SPACE),
    Route("GET", "/api/spaces/{space_id}/invites", S, Access.SPACE_ADMIN, space_param=SPACE),
    Route("POST", "/api/spaces/{space_id}/invites", S, Access.SPACE_ADMIN, space_param=SPACE),
    Route("POST", "/api/spaces/{space_id}/invites/{invite_id}/revoke", S, Access.SPACE_ADMIN, space_param=SPACE),
    Route("GET", "/api/admin/users", S, Access.GLOBAL_ADMIN),
    Route("PATCH", "/api/admin/users/{user_id}", S, Access.GLOBAL_ADMIN),
    Route("DELETE", "/api/admin/users/{user_id}", S, Access.GLOBAL_ADMIN),
    Route("POST", "/api/admin/users/{user_id}/reset-link", S, Access.GLOBAL_ADMIN),
    Route("POST", "/api/admin/users/{user_id}/2fa/reset", S, Access.GLOBAL_ADMIN),
    Route("GET", "/api/admin/spaces", S, Access.GLOBAL_ADMIN),
    Route("GET", "/api/admin/feature-flags", S, Access.GLOBAL_ADMIN),
    Route("PATCH", "/api/admin/feature-flags/{key}", S, Access.GLOBAL_ADMIN),
    Route("GET", "/api/admin/instance-settings", S, Access.GLOBAL_ADMIN),
    Route("GET", "/api/admin/sso", S, Access.GLOBAL_ADMIN),
    Route("PUT", "/api/admin/sso", S, Access.GLOBAL_ADMIN),
    Route("POST", "/api/admin/sso/test", S, Access.GLOBAL_ADMIN),
    Route("PATCH", "/api/admin/instance-settings", S, Access.GLOBAL_ADMIN),
]
