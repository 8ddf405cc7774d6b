"""The integrations service on loopback against the test database, called directly as a signed caller."""

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Callable

import aio_pika
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.fakes.plex import FakePlex
from tests.fakes.plex_discover import FakePlexDiscover
from tests.fakes.tmdb import FakeTmdb
from tests.fakes.trakt import FakeTrakt
from tests.fakes.upcitemdb import FakeUpcItemDb
from tests.fakes.vision import FakeVision
from tests.support.clients import signed_client
from tests.support.servers import RunningApp

FAST = {"provider_timeout_seconds": 1.0, "provider_backoff_seconds": 0.05, "provider_max_retry_after_seconds": 1.0}


@pytest.fixture(scope="session")
async def start_integrations(service_settings) -> AsyncIterator[Callable]:
    """Start an integrations service with settings overrides: `await start_integrations(key=...)`."""
    from integrations.main import create_app

    running: list[RunningApp] = []

    async def start(**overrides) -> RunningApp:
        settings = service_settings("integrations", **{**FAST, **overrides})
        app = await RunningApp(lambda: create_app(settings)).start()
        running.append(app)
        return app

    yield start
    for app in running:
        await app.stop()


@pytest.fixture(scope="session")
async def integrations(start_integrations) -> RunningApp:
    return await start_integrations()


@pytest.fixture
def space() -> uuid.UUID:
    return uuid.uuid4()


@pytest.fixture
def as_role(integrations, keys, space):
    """`as_role("admin")`: a client calling the service as a user with that role in `space`."""

    def client(role: str | None, *, space_id: uuid.UUID | None = None, app: RunningApp | None = None, caller="gateway"):
        return signed_client(
            (app or integrations).url,
            keys,
            "integrations",
            user_id=uuid.uuid4(),
            space_id=space_id or space,
            space_role=role,
            caller=caller,
        )

    return client


@pytest.fixture
async def admin(as_role):
    async with as_role("admin") as client:
        yield client


@pytest.fixture
async def sync_caller(integrations, keys, space):
    """The sync service calling the internal API for `space`."""
    async with signed_client(integrations.url, keys, "integrations", space_id=space, caller="sync") as client:
        yield client


@pytest.fixture
def user() -> uuid.UUID:
    return uuid.uuid4()


@pytest.fixture
async def member(integrations, keys, space, user):
    """`user`, a member of `space`, calling through the gateway."""
    async with signed_client(
        integrations.url, keys, "integrations", user_id=user, space_id=space, space_role="member"
    ) as client:
        yield client


@pytest.fixture
async def sync_for_user(integrations, keys, space, user):
    """The sync service calling the internal API for `user` in `space` (a watchlist job's context)."""
    async with signed_client(
        integrations.url,
        keys,
        "integrations",
        user_id=user,
        space_id=space,
        space_role="admin",
        caller="sync",
    ) as client:
        yield client


async def _serve(fake):
    async with fake:
        yield fake


@pytest.fixture
async def plex() -> AsyncIterator[FakePlex]:
    async for fake in _serve(FakePlex(token="plex-token-0123456789")):
        yield fake


@pytest.fixture
async def tmdb() -> AsyncIterator[FakeTmdb]:
    async for fake in _serve(FakeTmdb(api_key="0123456789abcdef0123456789abcdef")):
        yield fake


@pytest.fixture
async def upcitemdb() -> AsyncIterator[FakeUpcItemDb]:
    async for fake in _serve(FakeUpcItemDb(user_key="upc-key-0123456789")):
        yield fake


@pytest.fixture
async def vision() -> AsyncIterator[FakeVision]:
    async for fake in _serve(FakeVision(api_key="sk-vision-0123456789")):
        yield fake


@pytest.fixture
async def trakt() -> AsyncIterator[FakeTrakt]:
    async for fake in _serve(FakeTrakt(client_id="trakt-client-id", client_secret="trakt-client-secret-0123")):
        yield fake


@pytest.fixture
async def discover() -> AsyncIterator[FakePlexDiscover]:
    async for fake in _serve(FakePlexDiscover(token="plex-token-0123456789")):
        yield fake


@pytest.fixture
async def db_rows(database):
    """Every column of every table in the integrations schema, as the database admin sees them."""
    engine = create_async_engine(database.admin_url)

    async def dump() -> str:
        async with engine.connect() as conn:
            tables = (
                await conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'integrations'"))
            ).scalars()
            out = []
            for table in list(tables):
                rows = (await conn.execute(text(f'SELECT * FROM integrations."{table}"'))).all()
                out += [repr(tuple(row)) for row in rows]
                # bytea as text, too, in case a secret were stored unencrypted in a binary column
                out += [bytes(v).decode("utf-8", "replace") for row in rows for v in row if isinstance(v, bytes)]
            return "\n".join(out)

    async def query(sql: str, **params):
        async with engine.connect() as conn:
            return (await conn.execute(text(sql), params)).all()

    dump.query = query  # type: ignore[attr-defined]
    yield dump
    await engine.dispose()


@pytest.fixture
async def events(amqp_url):
    """Events the service publishes: `await events.next("integrations.settings.updated", space_id)`."""
    connection = await aio_pika.connect_robust(amqp_url)
    channel = await connection.channel()
    exchange = await channel.declare_exchange("shelfspace.events", aio_pika.ExchangeType.TOPIC, durable=True)
    queue = await channel.declare_queue(exclusive=True)
    await queue.bind(exchange, routing_key="integrations.#")

    class Events:
        seen: list[dict] = []

        async def next(self, event_type: str, space_id: uuid.UUID, timeout: float = 10.0) -> dict:
            async def wait() -> dict:
                while True:
                    for event in self.seen:
                        if event["type"] == event_type and event["space_id"] == str(space_id):
                            self.seen.remove(event)
                            return event
                    message = await queue.get(timeout=timeout, fail=False)
                    if message is None:
                        await asyncio.sleep(0.1)
                        continue
                    await message.ack()
                    self.seen.append(json.loads(message.body))

            return await asyncio.wait_for(wait(), timeout)

    yield Events()
    await connection.close()
