"""Small helpers for the integrations tests."""

import base64
import os
import uuid


def new_key() -> str:
    """A fresh INTEGRATION_ENCRYPTION_KEY value."""
    return base64.b64encode(os.urandom(32)).decode()


async def configure(client, space_id: uuid.UUID, provider: str, **fields) -> dict:
    response = await client.put(f"/api/spaces/{space_id}/integrations/{provider}", json=fields)
    assert response.status_code == 200, response.text
    return response.json()


TRAKT_CLIENT_ID = "trakt-client-id"
TRAKT_SECRET = "trakt-client-secret-0123"


async def configure_trakt(admin, space_id: uuid.UUID, trakt) -> dict:
    return await configure(admin, space_id, "trakt", base_url=trakt.url, client_id=TRAKT_CLIENT_ID, token=TRAKT_SECRET)


async def link_trakt(admin, member, space_id: uuid.UUID, trakt) -> None:
    """The space has a Trakt app and `member` has linked their account through the device-code flow."""
    await configure_trakt(admin, space_id, trakt)
    assert (await member.post("/api/integrations/trakt/link")).status_code == 200
    trakt.approve()
    response = await member.post("/api/integrations/trakt/link/poll")
    assert response.json() == {"status": "linked"}, response.text
