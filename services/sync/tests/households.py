"""A space wired to the real services (the `system` fixture): its owner, and Plex against a fake server."""

import uuid
from dataclasses import dataclass

import httpx

from tests.fakes.plex import FakePlex
from tests.support.clients import signed_client

PLEX_TOKEN = "plex-token-for-sync-tests"


@dataclass
class Household:
    """One space with its owner, Plex configured against the fake server."""

    system: object
    keys: object
    plex: FakePlex
    space_id: uuid.UUID
    owner_id: uuid.UUID

    def client(self, service: str) -> httpx.AsyncClient:
        return signed_client(
            self.system.services[service].url,
            self.keys,
            service,
            user_id=self.owner_id,
            space_id=self.space_id,
            space_role="owner",
        )

    async def configure_plex(self, **settings) -> None:
        async with self.client("integrations") as integrations:
            response = await integrations.put(f"/api/spaces/{self.space_id}/integrations/plex", json=settings)
        assert response.status_code == 200, response.text

    async def import_plex(self, **body) -> dict:
        async with self.client("sync") as sync:
            response = await sync.post("/api/media/import-plex?wait=60", json=body or None)
        assert response.status_code == 200, response.text
        return response.json()["job"]

    async def titles(self) -> list[dict]:
        async with self.client("library") as library:
            response = await library.get("/api/media", params={"limit": 200, "sort": "title"})
        assert response.status_code == 200, response.text
        return response.json()["items"]
