"""The library service running alone on loopback, and spaces with one client per role."""

import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from library.main import create_app
from tests.support.clients import signed_client
from tests.support.servers import RunningApp

ROLES = ("owner", "admin", "member", "viewer")


@pytest.fixture(scope="session")
async def library(service_settings) -> AsyncIterator[RunningApp]:
    app = await RunningApp(lambda: create_app(service_settings("library"))).start()
    try:
        yield app
    finally:
        await app.stop()


@pytest.fixture(scope="session")
async def library_db(database) -> AsyncIterator[AsyncEngine]:
    """Read access to the library schema, to check what was (not) written."""
    engine = create_async_engine(
        database.service_url("library"), connect_args={"server_settings": {"search_path": "library, extensions"}}
    )
    try:
        yield engine
    finally:
        await engine.dispose()


@dataclass
class Space:
    """A space with one user per role; `as_(role)` is a client calling the library as that user."""

    id: uuid.UUID
    users: dict[str, uuid.UUID]
    clients: dict[str, httpx.AsyncClient] = field(default_factory=dict)
    service: httpx.AsyncClient | None = None

    def __getattr__(self, role: str) -> httpx.AsyncClient:
        if role in ROLES or role == "member2":
            return self.clients[role]
        raise AttributeError(role)


@pytest.fixture
async def new_space(library, keys) -> AsyncIterator[Callable[[], Space]]:
    spaces: list[Space] = []

    def make() -> Space:
        space_id = uuid.uuid4()
        roles = {role: role for role in ROLES} | {"member2": "member"}
        users = {name: uuid.uuid4() for name in roles}
        clients = {
            name: signed_client(library.url, keys, "library", user_id=users[name], space_id=space_id, space_role=role)
            for name, role in roles.items()
        }
        service = signed_client(library.url, keys, "library", space_id=space_id, caller="sync")
        space = Space(space_id, users, clients, service)
        spaces.append(space)
        return space

    yield make
    for space in spaces:
        for client in [*space.clients.values(), space.service]:
            await client.aclose()


async def create_title(client: httpx.AsyncClient, title: str, **fields) -> dict:
    response = await client.post("/api/media", json={"title": title, "media_type": "movie", **fields})
    assert response.status_code == 201, response.text
    return response.json()
