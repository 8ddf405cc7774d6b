"""Helpers of the audit tests: publish events, poll for a condition, read the activity log."""

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from shelfspace_contracts.events import EventEnvelope
from shelfspace_kernel.broker import Broker

EXCHANGE = "shelfspace.events"


async def eventually(check: Callable[[], Awaitable[Any]], timeout: float = 30.0, every: float = 0.05) -> Any:
    """Poll `check` until it returns something truthy; its last value otherwise fails the test."""
    deadline = time.monotonic() + timeout
    while True:
        value = await check()
        if value or time.monotonic() > deadline:
            assert value, f"condition not met within {timeout}s"
            return value
        await asyncio.sleep(every)


def an_event(event_type: str = "library.media.created", **fields: Any) -> EventEnvelope:
    defaults = {
        "producer": "library",
        "space_id": uuid.uuid4(),
        "actor_user_id": uuid.uuid4(),
        "entity_type": event_type.split(".")[1],
        "entity_id": str(uuid.uuid4()),
        "request_id": uuid.uuid4().hex,
        "data": {"title": "Alien"},
    }
    return EventEnvelope(type=event_type, **{**defaults, **fields})


async def publish(broker: Broker, *events: EventEnvelope) -> None:
    for event in events:
        await broker.publish_event(event.model_dump(mode="json"), event.type)


async def activity(client: httpx.AsyncClient, path: str = "/api/admin/activity", **params: Any) -> dict:
    response = await client.get(path, params={k: str(v) for k, v in params.items() if v is not None})
    assert response.status_code == 200, response.text
    return response.json()


async def landed(client_factory, count: int, **params: Any) -> list[dict]:
    """The rows matching `params` once there are `count` of them."""

    async def check() -> list[dict] | None:
        async with client_factory() as client:
            items = (await activity(client, limit=200, **params))["items"]
        return items if len(items) >= count else None

    return await eventually(check)
