"""Faults: the broker, the database or one service goes away while the system is in use.

Each test runs against the proxied system (tests/system/stack.py): Postgres and RabbitMQ are cut
at a proxy in front of them, for this system only. Every test leaves the system whole and healthy.
"""

import asyncio
import uuid

import httpx

from tests.support import infra
from tests.support.audit import eventually
from tests.support.clients import signed_client
from tests.support.identity import admin_account, new_user, signed_in
from tests.system.checks import (
    activity_counts,
    assert_error_shape,
    create_titles,
    created_or_clean_failure,
    fetch,
    logged_exactly_once,
    outbox_ids,
    queue_depth,
)

TITLES_PER_PHASE = 8


async def _titles_in_space(client: httpx.AsyncClient) -> set[str]:
    response = await client.get("/api/media", params={"limit": 200})
    assert response.status_code == 200, response.text
    return {item["id"] for item in response.json()["items"]}


async def _logged_titles(admin_client: httpx.AsyncClient, space_id: str) -> list[str]:
    params = {"space_id": space_id, "action": "library.media.created", "limit": 200}
    response = await admin_client.get("/api/admin/activity", params=params)
    assert response.status_code == 200, response.text
    return [row["entity_id"] for row in response.json()["items"]]


async def _ready_without_the_broker(system) -> bool:
    """Each service's readiness answers 200 `degraded` naming the broker, and so does /api/health."""
    async with httpx.AsyncClient(timeout=10) as client:
        readiness = [await client.get(f"{app.url}/health") for app in system.services.values()]
    health = await system.health()
    services_ready = all(
        answer.status_code == 200
        and answer.json()["status"] == "degraded"
        and answer.json()["checks"]["broker"] == "down"
        for answer in readiness
    )
    states = {state["status"] for state in health.json()["services"].values()}
    return (
        services_ready
        and health.status_code == 200
        and health.json()["status"] == "degraded"
        and states == {"degraded"}
    )


async def test_titles_created_while_the_broker_is_down_reach_the_activity_log_exactly_once(healthy_system):
    system = healthy_system
    admin = await admin_account(system)
    async with signed_in(system) as owner:
        space_id = (await owner.me())["active_space"]["id"]
        # given titles created while RabbitMQ is up
        before = await create_titles(owner.client, "Before", TITLES_PER_PHASE)
        # when RabbitMQ goes down while more titles are created, and comes back for the rest
        await system.amqp.cut()
        # then every service stays ready (its outbox rides the outage out) and health says degraded
        await eventually(lambda: _ready_without_the_broker(system), timeout=30, every=0.3)
        during = await create_titles(owner.client, "During", TITLES_PER_PHASE)
        await system.amqp.open()
        after = await create_titles(owner.client, "After", TITLES_PER_PHASE)

        # then every action succeeded or failed cleanly (the outbox makes creates independent of the broker)
        created = created_or_clean_failure(before + during + after)
        assert len(created) == 3 * TITLES_PER_PHASE
        assert await _titles_in_space(owner.client) == created
        # and once the broker is back, every event the library recorded is in the activity log once
        events = await outbox_ids(system.admin_dsn, "library", uuid.UUID(space_id))
        assert len(events) >= len(created)
        await eventually(lambda: logged_exactly_once(system.admin_dsn, events), timeout=60, every=0.5)
        logged = await _logged_titles(admin.client, space_id)
        assert sorted(logged) == sorted(created)


def _direct_clients(system, keys, user_id: uuid.UUID, space_id: uuid.UUID) -> dict[str, httpx.AsyncClient]:
    """One client per service, called as the gateway would sign for the space's owner."""
    return {
        name: signed_client(app.url, keys, name, user_id=user_id, space_id=space_id, space_role="owner")
        for name, app in system.services.items()
    }


def _reads(space_id: uuid.UUID) -> dict[str, str]:
    """A read route of every service."""
    return {
        "identity": "/api/spaces",
        "library": "/api/media",
        "integrations": f"/api/spaces/{space_id}/integrations",
        "sync": "/api/sync-jobs",
        "audit": f"/api/spaces/{space_id}/activity",
    }


async def _owner_ids(owner) -> tuple[uuid.UUID, uuid.UUID]:
    me = await owner.me()
    return uuid.UUID(me["user"]["id"]), uuid.UUID(me["active_space"]["id"])


def _outcome(response: httpx.Response) -> str:
    """`<status> <error code>` when the answer is a well-formed API.md error, else what is wrong with it."""
    try:
        code = assert_error_shape(response)["code"]
    except (AssertionError, ValueError) as exc:
        return f"{response.status_code} malformed: {str(exc)[:80]} {response.text[:80]!r}"
    return f"{response.status_code} {code}"


async def test_with_postgres_down_every_service_answers_503_in_the_error_shape(healthy_system, keys):
    system = healthy_system
    owner = await new_user(system)
    user_id, space_id = await _owner_ids(owner)
    direct = _direct_clients(system, keys, user_id, space_id)
    try:
        # when Postgres goes down
        await system.pg.cut()
        # then a request through the gateway, and every service called directly, answers 503 (not 500)
        answers = {"gateway /api/media": await owner.client.get("/api/media")}
        answers |= {name: await direct[name].get(path) for name, path in _reads(space_id).items()}
        observed = {name: _outcome(response) for name, response in answers.items()}
        assert observed == dict.fromkeys(answers, "503 unavailable"), f"while Postgres is down: {observed}"
    finally:
        for client in direct.values():
            await client.aclose()
        await owner.aclose()


async def test_with_postgres_down_health_says_down_and_the_system_recovers_by_itself(healthy_system, keys):
    system = healthy_system
    owner = await new_user(system)
    user_id, space_id = await _owner_ids(owner)
    direct = _direct_clients(system, keys, user_id, space_id)
    title = await owner.client.post("/api/media", json={"title": "Kept", "media_type": "movie"})
    assert title.status_code == 201, title.text
    try:
        # when Postgres goes down
        await system.pg.cut()
        # then /api/health reports every service down, and the system down (503)
        health = await system.health()
        assert health.status_code == 503
        assert health.json()["status"] == "down"
        assert {name: state["status"] for name, state in health.json()["services"].items()} == dict.fromkeys(
            _reads(space_id), "down"
        )
        for response in [await direct[name].get(path) for name, path in _reads(space_id).items()]:
            assert response.status_code >= 500

        # when Postgres comes back, with nothing restarted
        await system.pg.open()
        # then the system is healthy again by itself and serves what was written before the outage
        await system.wait_healthy(30)
        assert title.json()["id"] in await _titles_in_space(owner.client)
        for name, path in _reads(space_id).items():
            response = await direct[name].get(path)
            assert response.status_code == 200, f"{name}: {response.status_code} {response.text[:200]}"
    finally:
        for client in direct.values():
            await client.aclose()
        await owner.aclose()


async def test_a_stopped_service_degrades_health_the_rest_keeps_working_and_it_catches_up(healthy_system):
    system = healthy_system
    admin = await admin_account(system)
    async with signed_in(system) as owner:
        space_id = (await owner.me())["active_space"]["id"]
        # when the audit service stops
        await system.services["audit"].stop()
        # then /api/health says degraded (still 200) and names it
        health = await system.health()
        assert health.status_code == 200
        assert health.json()["status"] == "degraded"
        assert {n for n, s in health.json()["services"].items() if s["status"] == "down"} == {"audit"}
        # and its routes fail cleanly while the rest keeps working
        assert_error_shape(await admin.client.get("/api/admin/activity"), 503)
        created = created_or_clean_failure(await create_titles(owner.client, "Unaudited", TITLES_PER_PHASE))
        assert len(created) == TITLES_PER_PHASE
        assert (await owner.client.get("/api/spaces")).status_code == 200

        # when it starts again
        await system.services["audit"].start()
        await system.wait_healthy(30)
        # then it consumes the events it missed: every title created meanwhile is logged once
        events = await outbox_ids(system.admin_dsn, "library", uuid.UUID(space_id))
        await eventually(lambda: logged_exactly_once(system.admin_dsn, events), timeout=60, every=0.5)
        assert sorted(await _logged_titles(admin.client, space_id)) == sorted(created)


async def test_a_stopped_library_degrades_health_and_its_routes_answer_503(healthy_system):
    system = healthy_system
    async with signed_in(system) as owner:
        await system.services["library"].stop()
        health = await system.health()
        assert health.status_code == 200
        assert health.json()["status"] == "degraded"
        assert health.json()["services"]["library"]["status"] == "down"
        assert_error_shape(await owner.client.get("/api/media"), 503)
        assert (await owner.client.get("/api/auth/me")).status_code == 200

        await system.services["library"].start()
        await system.wait_healthy(30)
        response = await owner.client.post("/api/media", json={"title": "Back", "media_type": "movie"})
        assert response.status_code == 201, response.text


async def test_events_in_flight_during_a_postgres_outage_reach_the_activity_log_after_it(healthy_system, amqp_url):
    system = healthy_system
    broker = infra.with_vhost(amqp_url, system.extra["vhost"])
    dead_before = await queue_depth(broker, "audit.activity.dlq")
    async with signed_in(system) as owner:
        _, space_id = await _owner_ids(owner)
        # given title events waiting for the audit service (stopped) in its queue
        await system.services["audit"].stop()
        created = created_or_clean_failure(await create_titles(owner.client, "InFlight", TITLES_PER_PHASE))
        events = await outbox_ids(system.admin_dsn, "library", space_id)
        await eventually(lambda: _all_sent(system.admin_dsn, events), timeout=30, every=0.2)
        # when the audit service consumes them while Postgres is down (longer than its retry window)
        await system.pg.cut()
        await system.services["audit"].start()
        await _wait_at_most(lambda: _grew(broker, "audit.activity.dlq", dead_before, len(events)), seconds=6)
        await system.pg.open()
        await system.wait_healthy(30)

        # then every event still reaches the activity log exactly once (none is parked in the DLQ)
        await _wait_at_most(lambda: logged_exactly_once(system.admin_dsn, events), seconds=20)
        missing = events - set(await activity_counts(system.admin_dsn, events))
        parked = await queue_depth(broker, "audit.activity.dlq") - dead_before
        assert not missing, f"{len(missing)} of {len(events)} events never logged; {parked} dead-lettered"
        assert len(created) == TITLES_PER_PHASE


async def _all_sent(dsn: str, event_ids: set[uuid.UUID]) -> bool:
    rows = await fetch(
        dsn,
        "SELECT count(*) AS n FROM library.outbox WHERE id = ANY($1::uuid[]) AND sent_at IS NOT NULL",
        list(event_ids),
    )
    return rows[0]["n"] == len(event_ids)


async def _grew(amqp_url: str, queue: str, before: int, by: int) -> bool:
    return await queue_depth(amqp_url, queue) >= before + by


async def _wait_at_most(check, seconds: float) -> None:
    """Poll `check` until it holds or `seconds` passed (either outcome is fine for the caller)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not await check() and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.2)
