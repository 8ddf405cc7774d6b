"""HTTP clients for tests: straight to a service with a signed internal token, or through the gateway."""

import uuid

import httpx

from shelfspace_kernel.internal_auth import CallerContext, TokenSigner


def signed_client(
    base_url: str,
    private_pem: str,
    audience: str,
    *,
    user_id: uuid.UUID | None = None,
    global_role: str | None = "user",
    space_id: uuid.UUID | None = None,
    space_role: str | None = None,
    caller: str = "gateway",
) -> httpx.AsyncClient:
    """A client that calls one service directly as the given caller (what the gateway would sign)."""
    context = CallerContext(
        request_id=uuid.uuid4().hex,
        caller=caller,
        user_id=user_id,
        global_role=global_role if user_id else None,
        space_id=space_id,
        space_role=space_role,
    )
    token = TokenSigner(private_pem).sign(audience, context)
    return httpx.AsyncClient(base_url=base_url, headers={"authorization": f"Bearer {token}"}, timeout=30)
