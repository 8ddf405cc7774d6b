"""A scratch schema with the shared outbox and inbox, and a connected broker, for kernel tests."""

from collections.abc import AsyncIterator

import aio_pika
import pytest
from sqlalchemy import text

from shelfspace_kernel.broker import Broker
from tests.support.outbox_schema import OutboxSchema, outbox_schema

EXCHANGE = "shelfspace.events"


@pytest.fixture
async def scratch(database) -> AsyncIterator[OutboxSchema]:
    async with outbox_schema(database.admin_url, "kernel") as schema:
        async with schema.engine.begin() as conn:
            await conn.execute(text("CREATE TABLE effects (event_id uuid NOT NULL)"))
        yield schema


@pytest.fixture
async def broker(amqp_url) -> AsyncIterator[Broker]:
    broker = Broker(amqp_url, EXCHANGE, service="kernel-test")
    await broker.start()
    await broker.wait_ready(30)
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
