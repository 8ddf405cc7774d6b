"""Fixtures of the audit tests: a running audit service, a broker to publish events, its database."""

import uuid
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from audit.main import create_app
from shelfspace_kernel.broker import Broker
from shelfspace_kernel.db import create_engine, create_sessionmaker
from tests.support.audit import EXCHANGE, eventually
from tests.support.clients import signed_client
from tests.support.outbox_schema import OutboxSchema, outbox_schema
from tests.support.servers import RunningApp


@pytest.fixture(scope="session")
async def event_broker(amqp_url) -> AsyncIterator[Broker]:
    broker = Broker(amqp_url, EXCHANGE, service="audit-test")
    await broker.start()
    await broker.wait_ready(10)
    try:
        yield broker
    finally:
        await broker.stop()


@pytest.fixture(scope="session")
async def audit_service(service_settings) -> AsyncIterator[RunningApp]:
    app = await RunningApp(lambda: create_app(service_settings("audit"))).start()
    await eventually(lambda: _consuming(app.url), timeout=15)
    try:
        yield app
    finally:
        await app.stop()


async def _consuming(url: str) -> bool:
    # Healthy means the broker setup ran to the end: the queue is bound and consumed.
    async with httpx.AsyncClient(base_url=url) as client:
        response = await client.get("/health")
    backlog = response.json().get("consumers", {}).get("audit.activity", {}).get("backlog")
    return response.status_code == 200 and backlog is not None


@pytest.fixture(scope="session")
async def audit_db(database) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(database.service_url("audit"), "audit", pool_size=3)
    try:
        yield create_sessionmaker(engine)
    finally:
        await engine.dispose()


@pytest.fixture
def admin_client(audit_service, keys) -> Callable[[], httpx.AsyncClient]:
    """A global admin calling the audit service as the gateway would sign it."""
    return lambda: signed_client(audit_service.url, keys, "audit", user_id=uuid.uuid4(), global_role="admin")


@pytest.fixture
async def producer(database) -> AsyncIterator[OutboxSchema]:
    """A producing service's schema with the shared outbox."""
    async with outbox_schema(database.admin_url, "producer") as schema:
        yield schema
