"""Every event on the exchange becomes one activity row: with its space and actor, once, redacted."""

import asyncio
import uuid
from datetime import datetime

import httpx
from sqlalchemy import text

from shelfspace_kernel.broker import Broker
from shelfspace_kernel.events import EventRecorder
from shelfspace_kernel.internal_auth import CallerContext
from shelfspace_kernel.outbox import OutboxRelay
from tests.support.audit import an_event, landed, publish
from tests.support.tcp_proxy import TcpProxy

API_EVENT_TYPES = [
    *(f"identity.user.{v}" for v in ("registered", "logged_in", "login_failed", "logged_out", "updated")),
    *(f"identity.user.{v}" for v in ("role_changed", "deleted")),
    *(f"identity.space.{v}" for v in ("created", "updated", "deleted")),
    *(f"identity.membership.{v}" for v in ("added", "role_changed", "removed")),
    *(f"identity.invite.{v}" for v in ("created", "claimed", "revoked")),
    "identity.feature_flag.changed",
    *(f"library.media.{v}" for v in ("created", "updated", "deleted", "restored", "merged", "merge_reverted")),
    *(f"library.media.{v}" for v in ("cover_set", "cover_removed")),
    "integrations.settings.updated",
    "integrations.settings.tested",
    "integrations.secret.undecryptable",
    *(f"sync.job.{v}" for v in ("queued", "started", "succeeded", "failed", "cancelled")),
    "gateway.request.completed",
    "gateway.request.failed",
]


async def test_every_event_type_of_the_api_lands_with_its_space_and_actor(event_broker, admin_client):
    space_id = uuid.uuid4()
    events = {event_type: an_event(event_type, space_id=space_id) for event_type in API_EVENT_TYPES}

    await publish(event_broker, *events.values())

    rows = await landed(admin_client, len(events), space_id=space_id)
    by_action = {row["action"]: row for row in rows}
    assert set(by_action) == set(API_EVENT_TYPES)
    for event_type, event in events.items():
        row = by_action[event_type]
        assert row["space_id"] == str(space_id)
        assert row["user_id"] == str(event.actor_user_id)
        assert (row["entity_type"], row["entity_id"]) == (event.entity_type, event.entity_id)
        assert row["request_id"] == event.request_id
        assert row["details"] == {"title": "Alien"}
        assert datetime.fromisoformat(row["created_at"]) == event.occurred_at


async def test_an_event_type_nobody_declared_is_still_recorded(event_broker, admin_client):
    event = an_event("newcontext.gadget.polished", data={"shine": 11})

    await publish(event_broker, event)

    [row] = await landed(admin_client, 1, space_id=event.space_id)
    assert row["action"] == "newcontext.gadget.polished"
    assert row["details"] == {"shine": 11}


async def test_a_redelivered_event_is_written_once(event_broker, admin_client):
    space_id = uuid.uuid4()
    event = an_event(space_id=space_id)
    later = an_event("library.media.updated", space_id=space_id)

    await publish(event_broker, event, event, later, event)

    await landed(admin_client, 2, space_id=space_id)
    async with admin_client() as client:
        rows = (await client.get("/api/admin/activity", params={"space_id": str(space_id)})).json()["items"]
    assert sorted(row["action"] for row in rows) == ["library.media.created", "library.media.updated"]


async def test_a_secret_planted_in_an_events_details_never_reaches_the_table(event_broker, admin_client, audit_db):
    secrets = [
        "hunter2-correct-horse",
        "tmdb-read-token-0123456789abcdef",
        "plexTokenXyZ9876543210abc",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXBhcnQ",
        "s3cr3t-cookie-value",
        "sk_live_1234567890abcdefgh",
    ]
    event = an_event(
        "integrations.settings.updated",
        data={
            "provider": "plex",
            "password": secrets[0],
            "config": {"base_url": "http://plex.local:32400", "token": secrets[1], "secret_set": True},
            "headers": {"Authorization": f"Bearer {secrets[2]}", "Cookie": f"session={secrets[4]}"},
            "requests": [{"url": f"http://plex.local:32400/library?X-Plex-Token={secrets[2]}"}],
            "note": secrets[3],
            "apiKey": secrets[5],
            "proxy": f"http://admin:{secrets[0]}@proxy.local:3128",
        },
    )

    await publish(event_broker, event)

    [row] = await landed(admin_client, 1, space_id=event.space_id)
    async with audit_db() as session:
        stored = await session.scalar(
            text("SELECT details::text FROM activity_log WHERE event_id = :id"), {"id": event.id}
        )
    assert not [secret for secret in secrets if secret in stored]
    assert row["details"]["provider"] == "plex"
    assert row["details"]["config"]["base_url"] == "http://plex.local:32400"
    assert row["details"]["config"]["secret_set"] is True
    assert row["details"]["proxy"] == "http://admin:[REDACTED]@proxy.local:3128"


async def test_events_written_to_a_service_outbox_reach_the_log(producer, event_broker, admin_client):
    recorder = EventRecorder(producer.schema)
    space_id, user_id = uuid.uuid4(), uuid.uuid4()
    caller = CallerContext(request_id="req-outbox-1", caller="gateway", user_id=user_id, space_id=space_id)
    async with producer.sessionmaker.begin() as session:
        await recorder.record(session, "library.media.created", caller=caller, entity_type="media", entity_id=42)

    relay = OutboxRelay(producer.engine, event_broker, schema=producer.schema, database_url=producer.url)
    await relay.drain()

    [row] = await landed(admin_client, 1, space_id=space_id)
    assert (row["user_id"], row["entity_id"], row["request_id"]) == (str(user_id), "42", "req-outbox-1")


async def test_events_recorded_while_the_broker_is_down_are_all_in_the_log_after_it_returns(
    producer, amqp_url, admin_client
):
    # Given a producing service whose broker connection runs through a proxy we can cut
    target = httpx.URL(amqp_url)
    proxy = await TcpProxy(target.host, target.port or 5672).open()
    broker = Broker(str(target.copy_with(port=proxy.port)), "shelfspace.events", service=producer.schema)
    await broker.start()
    await broker.wait_ready(10)
    relay = OutboxRelay(producer.engine, broker, schema=producer.schema, database_url=producer.url, poll_seconds=0.2)
    relay_task = asyncio.create_task(relay.run())
    recorder = EventRecorder(producer.schema)
    space_id = uuid.uuid4()
    try:
        # When RabbitMQ goes away while users keep acting
        await proxy.cut()
        for index in range(20):
            async with producer.sessionmaker.begin() as session:
                await recorder.record(session, "library.media.updated", space_id=space_id, entity_id=index)
        # Then nothing is lost: once it is back, every action is in the log exactly once
        await proxy.open()
        rows = await landed(admin_client, 20, space_id=space_id)
    finally:
        relay_task.cancel()
        await broker.stop()
        await proxy.cut()
    assert sorted(int(row["entity_id"]) for row in rows) == list(range(20))


async def test_an_event_reaches_the_log_within_a_second_on_an_idle_system(event_broker, admin_client, audit_db):
    event = an_event()

    await publish(event_broker, event)

    await landed(admin_client, 1, space_id=event.space_id)
    async with audit_db() as session:
        lag = await session.scalar(
            text("SELECT extract(epoch FROM recorded_at - created_at) FROM activity_log WHERE event_id = :id"),
            {"id": event.id},
        )
    assert lag < 1.0


async def test_health_reports_the_consumers_backlog(audit_service):
    async with httpx.AsyncClient(base_url=audit_service.url) as client:
        response = await client.get("/health")

    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert isinstance(body["consumers"]["audit.activity"]["backlog"], int)
