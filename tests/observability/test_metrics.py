"""Metrics: every process serves Prometheus text on its own port, never through the public gateway,
and the numbers move with requests, events, failed logins and jobs."""

import asyncio
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from shelfspace_kernel.metrics import start_metrics_server
from tests.support.audit import eventually
from tests.support.identity import gateway_client, make_space_with_roles, new_user, register
from tests.support.metrics import scrape, value
from tests.support.own_stack import OwnStack, own_stack
from tests.support.servers import free_port
from tests.system.checks import fetch

SERVICES = ("identity", "library", "integrations", "sync", "audit")


async def test_every_service_serves_its_metrics_on_its_own_port_without_a_token(system):
    for name in SERVICES:
        samples = await scrape(f"{system.services[name].url}/metrics")

        assert value(samples, "shelfspace_build_info", process=name) == 1
        assert value(samples, "shelfspace_db_pool_size", pool="main") >= 1
        assert "shelfspace_db_pool_in_use" in samples
        assert "shelfspace_db_pool_waiters" in samples
        assert "shelfspace_outbox_backlog" in samples
        assert "shelfspace_outbox_oldest_unsent_age_seconds" in samples


async def test_metrics_are_not_reachable_through_the_public_gateway(system):
    async with gateway_client(system.url) as client:
        under_api = await client.get("/api/metrics")
        at_root = await client.get("/metrics")

    assert under_api.status_code == 404
    assert under_api.json()["error"]["code"] == "not_found"
    assert "shelfspace_http_requests_total" not in at_root.text


async def test_requests_are_counted_and_timed_by_route_template_not_by_path(system):
    space = await make_space_with_roles(system)
    library = f"{system.services['library'].url}/metrics"
    before = await scrape(library)

    created = await space.member.client.post("/api/media", json={"title": "Heat", "media_type": "movie"})
    read = await space.viewer.client.get(f"/api/media/{created.json()['id']}")
    missing = await space.viewer.client.get(f"/api/media/{uuid.uuid4()}")
    after = await scrape(library)

    assert [created.status_code, read.status_code, missing.status_code] == [201, 200, 404]
    count = "shelfspace_http_requests_total"
    assert value(after, count, method="POST", route="/api/media", status="201") == (
        value(before, count, method="POST", route="/api/media", status="201") + 1
    )
    assert value(after, count, method="GET", route="/api/media/{media_id}", status="200") >= 1
    assert value(after, "shelfspace_http_errors_total", route="/api/media/{media_id}", code="not_found") >= 1
    timed = "shelfspace_http_request_duration_seconds_count"
    assert (
        value(after, timed, method="POST", route="/api/media")
        == value(before, timed, method="POST", route="/api/media") + 1
    )
    routes = {labels["route"] for labels, _ in after[count]}
    assert not any(created.json()["id"] in route for route in routes)


async def test_the_gateway_serves_its_metrics_on_a_separate_listener_by_route_table_entry(system):
    port = free_port()
    server = start_metrics_server(system.gateway.app.state.metrics, port, "127.0.0.1")
    try:
        account = await new_user(system)
        await account.client.get("/api/spaces")
        await account.client.get(f"/api/media/{uuid.uuid4()}")
        samples = await scrape(f"http://127.0.0.1:{port}/metrics")
    finally:
        server.shutdown()

    assert value(samples, "shelfspace_build_info", process="gateway") == 1
    assert value(samples, "shelfspace_http_requests_total", method="GET", route="/api/spaces", status="200") >= 1
    assert value(samples, "shelfspace_http_request_duration_seconds_count", route="/api/media/{media_id}") >= 1
    assert all(uuid_free(labels["route"]) for labels, _ in samples["shelfspace_http_requests_total"])


def uuid_free(route: str) -> bool:
    return not any(len(part) == 36 and part.count("-") == 4 for part in route.split("/"))


async def test_events_drain_the_outbox_gauges_and_the_consumers_are_counted_by_outcome(system):
    space = await make_space_with_roles(system)
    library, audit = system.services["library"], system.services["audit"]
    consumed = "shelfspace_consumer_events_total"

    # The test session runs other instances of the library and audit services on the same schemas and
    # queues (replica-safe relays and consumers), so which instance's counters move is not fixed: the
    # gauges read the shared outbox, and every consumer reports each outcome from its start.
    for n in range(6):
        created = await space.member.client.post("/api/media", json={"title": f"Ran {n}", "media_type": "movie"})
        assert created.status_code == 201

    async def drained() -> dict | None:
        await library.app.state.metrics.refresh()
        samples = await scrape(f"{library.url}/metrics")
        return samples if value(samples, "shelfspace_outbox_backlog") == 0 else None

    library_samples = await eventually(drained)
    await audit.app.state.metrics.refresh()
    audit_samples = await scrape(f"{audit.url}/metrics")
    outcomes = {labels["outcome"] for labels, _ in audit_samples[consumed] if labels["queue"] == "audit.activity"}
    assert outcomes == {"processed", "duplicate", "retried", "deferred", "dead_lettered"}
    assert "shelfspace_outbox_published_total" in library_samples
    assert value(library_samples, "shelfspace_outbox_oldest_unsent_age_seconds") == 0
    assert [labels for labels, _ in audit_samples["shelfspace_consumer_queue_messages"]] == [
        {"queue": "audit.activity"}
    ]


async def test_failed_logins_are_counted_by_error_code(system):
    account = await new_user(system)
    identity = f"{system.services['identity'].url}/metrics"
    failures = {"route": "/api/auth/login", "code": "invalid_credentials"}
    before = value(await scrape(identity), "shelfspace_http_errors_total", **failures)

    async with gateway_client(system.url) as client:
        for _ in range(2):
            refused = await client.post(
                "/api/auth/login", json={"email": account.email, "password": "wrong-password-1"}
            )
            assert refused.status_code == 401

    assert value(await scrape(identity), "shelfspace_http_errors_total", **failures) == before + 2


async def test_periodic_jobs_are_counted(system):
    await asyncio.sleep(0.1)
    samples = await scrape(f"{system.services['audit'].url}/metrics")

    runs = [labels for labels, v in samples["shelfspace_periodic_job_runs_total"] if v > 0]
    assert any(labels["name"] == "audit.outbox.purge" for labels in runs)


async def test_a_metrics_scrape_needs_no_token_but_other_paths_still_do(system):
    async with httpx.AsyncClient(base_url=system.services["library"].url) as client:
        near_miss = await client.get("/metrics/../media")
        other = await client.get("/metricsx")

    assert near_miss.status_code == 401
    assert other.status_code == 401


COUNTED = ("identity", "library", "audit")
TITLES = 5


@pytest.fixture
async def own(postgres, service_settings, keys, amqp_url) -> AsyncIterator[OwnStack]:
    """identity, library and audit on a database and a vhost of their own: no other relay publishes
    their events and no other consumer takes them, so the counters must move by exact numbers."""
    async with own_stack(postgres, service_settings, keys, amqp_url, COUNTED) as stack:
        yield stack


async def test_the_relay_and_consumer_counters_move_by_exactly_the_events_published_and_consumed(own):
    owner = await register(own.url)  # the first user: events of identity to settle first
    before = await _settled(own)

    for n in range(TITLES):
        created = await owner.client.post("/api/media", json={"title": f"Counted {n}", "media_type": "movie"})
        assert created.status_code == 201, created.text
    after = await _settled(own)
    await owner.aclose()

    # each relay counted exactly the events it stored since, the library one per title
    stored = {name: after["outbox"][name] - before["outbox"][name] for name in ("identity", "library")}
    assert stored["library"] == TITLES
    published = "shelfspace_outbox_published_total"
    for name, count in stored.items():
        assert value(after[name], published) - value(before[name], published) == count
    # and the audit consumer counted each of them processed once, as the activity log holds them
    assert after["logged"] - before["logged"] == sum(stored.values())
    consumed = "shelfspace_consumer_events_total"
    processed = {"queue": "audit.activity", "outcome": "processed"}
    assert value(after["audit"], consumed, **processed) - value(before["audit"], consumed, **processed) == sum(
        stored.values()
    )
    for outcome in ("duplicate", "retried", "deferred", "dead_lettered"):
        assert value(after["audit"], consumed, queue="audit.activity", outcome=outcome) == 0


async def _settled(stack: OwnStack) -> dict:
    """Once every stored event is published and in the activity log: each service's samples, the
    outbox rows of identity and library, and the activity log's rows."""

    async def counts() -> dict | None:
        (row,) = await fetch(
            stack.admin_dsn,
            "SELECT (SELECT count(*) FROM identity.outbox) AS identity, (SELECT count(*) FROM library.outbox) AS library,"
            " (SELECT count(*) FROM identity.outbox WHERE sent_at IS NULL)"
            " + (SELECT count(*) FROM library.outbox WHERE sent_at IS NULL) AS unsent,"
            " (SELECT count(*) FROM audit.activity_log) AS logged",
        )
        done = row["unsent"] == 0 and row["logged"] == row["identity"] + row["library"]
        return dict(row) if done else None

    found = await eventually(counts, timeout=30)
    samples = {name: await scrape(f"{stack.apps[name].url}/metrics") for name in COUNTED}
    return {
        **samples,
        "outbox": {"identity": found["identity"], "library": found["library"]},
        "logged": found["logged"],
    }
