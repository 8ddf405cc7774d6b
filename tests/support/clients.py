"""HTTP clients for tests: straight to a service with a signed internal token, or through the gateway."""

import uuid
from typing import TYPE_CHECKING

import httpx

from shelfspace_kernel.internal_auth import CallerContext
from shelfspace_kernel.internal_client import SignedAs

if TYPE_CHECKING:
    from tests.support.fixtures import Keys


def signed_client(
    base_url: str,
    keys: "Keys",
    audience: str,
    *,
    user_id: uuid.UUID | None = None,
    global_role: str | None = "user",
    space_id: uuid.UUID | None = None,
    space_role: str | None = None,
    caller: str = "gateway",
) -> httpx.AsyncClient:
    """A client that calls one service directly as the given caller (what the gateway would sign),
    each request signed with that caller's key."""
    context = CallerContext(
        request_id=uuid.uuid4().hex,
        caller=caller,
        user_id=user_id,
        global_role=global_role if user_id else None,
        space_id=space_id,
        space_role=space_role,
    )
    auth = SignedAs(keys.signer(caller), audience, context)
    return httpx.AsyncClient(base_url=base_url, auth=auth, timeout=30)
