"""A scratch schema with the shared outbox and inbox, and a connected broker, for kernel tests."""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aio_pika
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from shelfspace_kernel.broker import Broker
from shelfspace_kernel.db import create_engine, create_sessionmaker
from shelfspace_kernel.migrations import migrate

EXCHANGE = "shelfspace.events"


@dataclass
class Scratch:
    schema: str
    url: str
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]


@pytest.fixture
async def scratch(database) -> AsyncIterator[Scratch]:
    schema = f"kernel_{uuid.uuid4().hex[:8]}"
    engine = create_engine(database.admin_url, schema, pool_size=4)
    async with engine.begin() as conn:
        await conn.execute(text(f"CREATE SCHEMA {schema}"))
    await migrate(database.admin_url, Path(__file__).parent / "scratch_migrations", schema)
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE effects (event_id uuid NOT NULL)"))
    try:
        yield Scratch(schema, database.admin_url, engine, create_sessionmaker(engine))
    finally:
        async with engine.begin() as conn:
            await conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        await engine.dispose()


@pytest.fixture
async def broker(amqp_url) -> AsyncIterator[Broker]:
    broker = Broker(amqp_url, EXCHANGE, service="kernel-test")
    await broker.start()
    await broker.wait_ready(10)
    try:
        yield broker
    finally:
        await broker.stop()


@pytest.fixture
async def listener(amqp_url) -> AsyncIterator[aio_pika.abc.AbstractQueue]:
    """An exclusive queue bound to every `kerneltest.*` event, to observe what was published."""
    connection = await aio_pika.connect_robust(amqp_url)
    channel = await connection.channel()
    exchange = await channel.declare_exchange(EXCHANGE, aio_pika.ExchangeType.TOPIC, durable=True)
    queue = await channel.declare_queue(exclusive=True)
    await queue.bind(exchange, routing_key="kerneltest.#")
    try:
        yield queue
    finally:
        await connection.close()
