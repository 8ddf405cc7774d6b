"""Events out through the outbox, identity events in, and the trash purge."""

import asyncio
import json
import uuid
from pathlib import Path

import aio_pika
import pytest
from sqlalchemy import text

from library.main import create_app
from services.library.tests.conftest import create_title
from shelfspace_contracts.events import EventEnvelope
from tests.support.images import picture
from tests.support.servers import RunningApp

EXCHANGE = "shelfspace.events"


async def eventually(check, timeout: float = 15.0):
    """Poll `check` until it returns a truthy value."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = await check()
        if value or asyncio.get_running_loop().time() > deadline:
            return value
        await asyncio.sleep(0.1)


@pytest.fixture
async def broker(amqp_url):
    connection = await aio_pika.connect_robust(amqp_url)
    channel = await connection.channel()
    exchange = await channel.declare_exchange(EXCHANGE, aio_pika.ExchangeType.TOPIC, durable=True)
    try:
        yield channel, exchange
    finally:
        await connection.close()


async def publish(exchange, envelope: EventEnvelope) -> None:
    message = aio_pika.Message(envelope.model_dump_json().encode(), content_type="application/json")
    await exchange.publish(message, routing_key=envelope.type)


async def test_changes_to_a_title_are_published_as_library_events(new_space, broker):
    channel, exchange = broker
    queue = await channel.declare_queue(exclusive=True)
    await queue.bind(exchange, routing_key="library.media.*")
    space = new_space()

    title = await create_title(space.member, "Playtime", year=1967)
    await space.member.patch(f"/api/media/{title['id']}", json={"runtime_minutes": 124})
    await space.member.delete(f"/api/media/{title['id']}")
    await space.member.post(f"/api/media/{title['id']}/restore")

    seen: list[dict] = []

    async def four_events():
        message = await queue.get(fail=False)
        if message:
            await message.ack()
            body = json.loads(message.body)
            if body["entity_id"] == title["id"]:
                seen.append(body)
        return len(seen) >= 4

    assert await eventually(four_events)
    assert [event["type"] for event in seen] == [
        "library.media.created",
        "library.media.updated",
        "library.media.deleted",
        "library.media.restored",
    ]
    assert seen[1]["data"]["fields"] == ["runtime_minutes"]
    assert all(event["space_id"] == str(space.id) for event in seen)
    assert seen[0]["actor_user_id"] == str(space.users["member"])


async def test_a_deleted_space_takes_its_library_with_it(new_space, broker, library_db, library):
    _, exchange = broker
    doomed, kept = new_space(), new_space()
    title = await create_title(doomed.member, "Gone", copies=[{"format": "DVD"}])
    await doomed.viewer.put(f"/api/media/{title['id']}/annotation", json={"rating": 5})
    covers = Path(library.app.state.covers.storage.root)
    gone_cover = await _cover_directory(doomed.member, title["id"], covers)
    kept_title = await create_title(kept.member, "Stays")
    kept_cover = await _cover_directory(kept.member, kept_title["id"], covers)

    await publish(
        exchange,
        EventEnvelope(
            type="identity.space.deleted",
            producer="identity",
            space_id=doomed.id,
            entity_type="space",
            entity_id=str(doomed.id),
        ),
    )

    async def rows_left():
        async with library_db.connect() as conn:
            return await conn.scalar(
                text(
                    "SELECT (SELECT count(*) FROM media WHERE space_id = :s) + (SELECT count(*) FROM copies"
                    " WHERE space_id = :s) + (SELECT count(*) FROM annotations WHERE space_id = :s)"
                ),
                {"s": doomed.id},
            )

    assert await eventually(lambda: _is_zero(rows_left))
    assert (await kept.viewer.get("/api/media")).json()["total"] == 1
    assert not gone_cover.exists()
    assert len(list(kept_cover.iterdir())) == 3


async def _cover_directory(client, media_id: str, root: Path) -> Path:
    """Give the title an own cover; the directory its images are in."""
    answer = await client.put(f"/api/media/{media_id}/cover", files={"image": ("c.jpg", picture(), "image/jpeg")})
    assert answer.status_code == 200, answer.text
    directory = root / answer.json()["cover_urls"]["500"].split("/")[3]
    assert len(list(directory.iterdir())) == 3
    return directory


async def _is_zero(count) -> bool:
    return (await count()) == 0


async def test_a_deleted_user_stays_the_named_adder_of_their_titles(new_space, broker):
    _, exchange = broker
    space = new_space()
    title = await create_title(space.member, "Tokyo Story", year=1953)
    await space.member.put(f"/api/media/{title['id']}/annotation", json={"rating": 8, "visibility": "private"})
    user_id = space.users["member"]

    await publish(
        exchange,
        EventEnvelope(
            type="identity.user.deleted",
            producer="identity",
            entity_type="user",
            entity_id=str(user_id),
            data={"name": "Noriko"},
        ),
    )

    async def renamed():
        body = (await space.viewer.get(f"/api/media/{title['id']}")).json()
        return body["added_by_name"] == "Noriko"

    assert await eventually(renamed)
    body = (await space.viewer.get(f"/api/media/{title['id']}")).json()
    assert body["added_by"] == str(user_id)


async def _purged_by_a_replica(service_settings, library_db, media_id: str, **settings) -> None:
    """Start a replica whose purge job runs at once on a zero retention; return once `media_id` is gone."""
    replica_settings = service_settings("library", trash_retention_days=0, trash_purge_interval_seconds=0.2, **settings)
    replica = await RunningApp(lambda: create_app(replica_settings)).start()

    async def purged():
        async with library_db.connect() as conn:
            left = await conn.scalar(text("SELECT count(*) FROM media WHERE id = :id"), {"id": uuid.UUID(media_id)})
        return left == 0

    try:
        assert await eventually(purged)
    finally:
        await replica.stop()


async def test_titles_left_in_the_trash_past_the_retention_are_purged(new_space, service_settings, library_db):
    space = new_space()
    title = await create_title(space.member, "Ephemeral")
    await space.member.delete(f"/api/media/{title['id']}")

    await _purged_by_a_replica(service_settings, library_db, title["id"])

    assert (await space.member.get("/api/media/trash")).json()["items"] == []


async def test_a_purged_title_takes_its_own_cover_images_with_it(new_space, library, service_settings, library_db):
    space = new_space()
    title = await create_title(space.member, "Ephemeral cover")
    root = Path(library.app.state.covers.storage.root)
    cover = await _cover_directory(space.member, title["id"], root)
    stored = sorted(path.name for path in cover.iterdir())
    await space.member.delete(f"/api/media/{title['id']}")

    await _purged_by_a_replica(service_settings, library_db, title["id"], cover_storage_dir=root)

    assert stored == ["1000.webp", "200.webp", "500.webp"]
    assert not cover.exists()


async def test_a_merge_event_names_the_surviving_title_for_the_history(new_space, broker):
    channel, exchange = broker
    queue = await channel.declare_queue(exclusive=True)
    await queue.bind(exchange, routing_key="library.media.merged")
    space = new_space()
    survivor = await create_title(space.admin, "Stalker", year=1979)
    twin = await create_title(space.admin, "Stalker", year=1979)

    merged = await space.admin.post(
        "/api/media/merge", json={"survivor_id": survivor["id"], "duplicate_ids": [twin["id"]]}
    )

    async def merged_event():
        message = await queue.get(fail=False)
        return json.loads(message.body) if message else None

    event = await eventually(merged_event)
    assert merged.status_code == 200
    assert event["data"]["title"] == "Stalker"
    assert event["data"]["merge_id"] == merged.json()["merge_id"]
