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
