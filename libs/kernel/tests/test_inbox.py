"""Idempotent consumers: each event takes effect once; poison messages end in the dead-letter queue."""

import asyncio
import uuid

import aio_pika
import pytest
from sqlalchemy import text

from shelfspace_contracts.events import EventEnvelope
from shelfspace_kernel.inbox import RETRY_HEADER, ConsumerSpec, EventConsumer


async def record_effect(session, envelope: EventEnvelope) -> None:
    if envelope.data.get("poison"):
        raise RuntimeError("this event cannot be handled")
    await session.execute(text("INSERT INTO effects (event_id) VALUES (:id)"), {"id": envelope.id})


async def publish(broker, envelope: EventEnvelope) -> None:
    await broker.publish_event(envelope.model_dump(mode="json"), envelope.routing_key)


async def effects(scratch) -> list[uuid.UUID]:
    async with scratch.engine.connect() as conn:
        return list((await conn.execute(text("SELECT event_id FROM effects"))).scalars())


async def eventually(condition, timeout: float = 30.0) -> None:
    async with asyncio.timeout(timeout):
        while not await condition():
            await asyncio.sleep(0.05)


@pytest.fixture
async def consumer(scratch, broker):
    spec = ConsumerSpec(f"kerneltest-{uuid.uuid4().hex[:8]}", ["kerneltest.thing.*"], record_effect)
    consumer = EventConsumer(spec, scratch.sessionmaker, broker, max_retries=2, retry_delay_ms=100)
    await consumer.start(broker)
    yield consumer
    channel = await broker.channel()
    for queue in (spec.name, consumer.retry_queue, consumer.dead_letter_queue):
        await channel.queue_delete(queue)
    await channel.close()


def an_event(**data) -> EventEnvelope:
    return EventEnvelope(type="kerneltest.thing.happened", producer="kernel-test", data=data)


async def test_a_redelivered_event_takes_effect_once(scratch, broker, consumer):
    event = an_event()

    await publish(broker, event)
    await publish(broker, event)
    marker = an_event()
    await publish(broker, marker)

    await eventually(lambda: _contains(scratch, marker.id))
    assert sorted(map(str, await effects(scratch))) == sorted([str(event.id), str(marker.id)])


async def _contains(scratch, event_id: uuid.UUID) -> bool:
    return event_id in await effects(scratch)


async def test_a_poison_message_is_dead_lettered_after_its_retries_while_later_messages_flow(scratch, broker, consumer):
    poison = an_event(poison=True)
    later = [an_event(number=n) for n in range(5)]

    await publish(broker, poison)
    for event in later:
        await publish(broker, event)

    await eventually(lambda: _all_applied(scratch, later))
    dead = await _dead_letters(broker, consumer, 1)
    assert EventEnvelope.model_validate_json(dead[0].body).id == poison.id
    assert dead[0].headers[RETRY_HEADER] == 2
    assert poison.id not in await effects(scratch)


async def _all_applied(scratch, events: list[EventEnvelope]) -> bool:
    return {event.id for event in events} <= set(await effects(scratch))


async def _dead_letters(broker, consumer, count: int) -> list[aio_pika.abc.AbstractIncomingMessage]:
    channel = await broker.channel()
    queue = await channel.declare_queue(consumer.dead_letter_queue, passive=True)
    messages: list = []
    async with asyncio.timeout(30):
        while len(messages) < count:
            message = await queue.get(fail=False)
            if message is None:
                await asyncio.sleep(0.05)
                continue
            await message.ack()
            messages.append(message)
    await channel.close()
    return messages


async def test_a_message_that_is_not_an_event_goes_straight_to_the_dead_letter_queue(scratch, broker, consumer):
    await broker.exchange.publish(aio_pika.Message(body=b"{not json"), routing_key="kerneltest.thing.broken")

    (dead,) = await _dead_letters(broker, consumer, 1)

    assert dead.body == b"{not json"
    assert "invalid envelope" in dead.headers["x-shelfspace-error"]
    assert await effects(scratch) == []
