"""The transactional outbox: written with the business change, published after it commits."""

import asyncio
import contextlib
import json
from urllib.parse import urlsplit

from sqlalchemy import text

from shelfspace_contracts.events import EventEnvelope
from shelfspace_kernel.broker import Broker
from shelfspace_kernel.outbox import OutboxRelay, add_event
from tests.support.tcp_proxy import TcpProxy


def an_event(name: str) -> EventEnvelope:
    return EventEnvelope(type=f"kerneltest.thing.{name}", producer="kernel-test", data={"name": name})


async def received(queue, count: int, timeout: float = 30.0) -> list[dict]:
    bodies: list[dict] = []
    async with asyncio.timeout(timeout):
        while len(bodies) < count:
            message = await queue.get(fail=False)
            if message is None:
                await asyncio.sleep(0.05)
                continue
            await message.ack()
            bodies.append(json.loads(message.body))
    return bodies


async def unsent_count(scratch) -> int:
    async with scratch.engine.connect() as conn:
        return await conn.scalar(text("SELECT count(*) FROM outbox WHERE sent_at IS NULL"))


async def all_marked_sent(scratch) -> None:
    """The relay marks rows after the broker's confirm, so a consumer may see a message first."""
    async with asyncio.timeout(20):
        while await unsent_count(scratch):
            await asyncio.sleep(0.05)


async def test_an_event_written_in_a_rolled_back_transaction_is_never_published(scratch, broker, listener):
    async with scratch.sessionmaker() as session, session.begin():
        await add_event(session, an_event("rolled_back"), schema=scratch.schema)
        await session.rollback()
    async with scratch.sessionmaker.begin() as session:
        await add_event(session, an_event("committed"), schema=scratch.schema)

    relay = OutboxRelay(scratch.engine, broker, schema=scratch.schema, database_url=scratch.url)
    published = await relay.drain()

    bodies = await received(listener, 1)
    await asyncio.sleep(0.3)
    assert published == 1
    assert [body["type"] for body in bodies] == ["kerneltest.thing.committed"]
    assert await listener.get(fail=False) is None


async def test_a_committed_event_is_published_with_its_envelope_and_marked_sent(scratch, broker, listener):
    event = an_event("created")
    async with scratch.sessionmaker.begin() as session:
        await add_event(session, event, schema=scratch.schema)

    relay = OutboxRelay(scratch.engine, broker, schema=scratch.schema, database_url=scratch.url, poll_seconds=30)
    task = asyncio.create_task(relay.run())
    try:
        (body,) = await received(listener, 1)
        await all_marked_sent(scratch)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    assert EventEnvelope.model_validate(body) == event


async def test_an_event_written_while_the_broker_is_down_is_published_after_it_returns(scratch, amqp_url, listener):
    target = urlsplit(amqp_url)
    proxy = await TcpProxy(target.hostname, target.port).open()
    proxied_url = (
        amqp_url.replace(f"{target.hostname}:{target.port}", f"127.0.0.1:{proxy.port}") + "?reconnect_interval=0.5"
    )
    broker = Broker(proxied_url, "shelfspace.events", service="kernel-test", publish_timeout=1)
    await broker.start()
    await broker.wait_ready(30)
    relay = OutboxRelay(
        scratch.engine,
        broker,
        schema=scratch.schema,
        database_url=scratch.url,
        poll_seconds=0.2,
        retry_backoff_seconds=0.2,
    )
    task = asyncio.create_task(relay.run())
    try:
        await proxy.cut()
        async with scratch.sessionmaker.begin() as session:
            await add_event(session, an_event("during_outage"), schema=scratch.schema)
        await asyncio.sleep(1.5)
        assert await unsent_count(scratch) == 1

        await proxy.open()
        (body,) = await received(listener, 1, timeout=20)
        await all_marked_sent(scratch)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await broker.stop()
        await proxy.cut()

    assert body["type"] == "kerneltest.thing.during_outage"


async def test_two_relays_draining_together_publish_each_event_once(scratch, broker, listener):
    async with scratch.sessionmaker.begin() as session:
        for number in range(300):
            await add_event(session, an_event(f"n{number}"), schema=scratch.schema)

    relays = [
        OutboxRelay(scratch.engine, broker, schema=scratch.schema, database_url=scratch.url, batch_size=25)
        for _ in range(2)
    ]
    counts = await asyncio.gather(*(relay.drain() for relay in relays))

    bodies = await received(listener, 300)
    await asyncio.sleep(0.3)
    assert sum(counts) == 300
    assert len({body["id"] for body in bodies}) == 300
    assert await listener.get(fail=False) is None
