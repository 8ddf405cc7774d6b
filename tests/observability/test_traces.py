"""Traces: with an OTLP endpoint set, one request's trace runs gateway → library → database and on
through its event to the audit consumer; without one, no trace context goes anywhere."""

import asyncpg
import pytest

from shelfspace_kernel.migrations import migrate
from shelfspace_kernel.tracing import TracingMiddleware
from tests.support import infra
from tests.support.audit import eventually
from tests.support.fixtures import gateway_over, service_migrations, until_healthy
from tests.support.identity import Account, make_space_with_roles, register
from tests.support.otlp import ReceivedSpan, receiver_app
from tests.support.servers import RunningApp

SERVER, CONSUMER = 2, 5  # OTLP span kinds
FORGED = "00-0123456789abcdef0123456789abcdef-0123456789abcdef-01"


@pytest.fixture
async def traced(postgres, service_settings, keys, amqp_url):
    """identity, library and audit and a gateway, exporting to a local receiver, on a database and a
    vhost of their own (the shared system's relays and consumers must not take their events)."""
    from audit.main import create_app as audit_app
    from gateway.main import create_app as gateway_app
    from identity.main import create_app as identity_app
    from library.main import create_app as library_app

    spans: list[ReceivedSpan] = []
    receiver = await RunningApp(lambda: receiver_app(spans)).start()
    vhost = database = infra.new_name("shelfspace_traced")
    infra.create_vhost(vhost, "guest")
    infra.bootstrap_database(postgres, database)
    amqp = infra.with_vhost(amqp_url, vhost)
    traced_settings = {"otel_exporter_otlp_endpoint": receiver.url, "amqp_url": amqp}
    apps: dict[str, RunningApp] = {}
    try:
        for name, factory in (("identity", identity_app), ("library", library_app), ("audit", audit_app)):
            url = postgres.service_url(database, name)
            await migrate(url, service_migrations(name), name)
            settings = service_settings(name, database_url=url, **traced_settings, **infra.upstream_urls(name, apps))
            apps[name] = await RunningApp(lambda f=factory, s=settings: f(s)).start()
            await until_healthy(apps[name].url)
        urls = {name: app.url for name, app in apps.items()}
        urls |= {"integrations": "http://127.0.0.1:9", "sync": "http://127.0.0.1:9"}
        settings = gateway_over(urls, keys, amqp, otel_exporter_otlp_endpoint=receiver.url)
        apps["gateway"] = await RunningApp(lambda: gateway_app(settings)).start()
        yield apps["gateway"].url, spans
    finally:
        for app in reversed(apps.values()):
            await app.stop()
        await receiver.stop()
        infra.delete_vhost(vhost)
        infra.drop_database(postgres, database)


async def owner_of_a_space(base_url: str) -> Account:
    """The first user of the empty install (its admin), in a space of their own."""
    owner = await register(base_url)
    space = await owner.client.post("/api/spaces", json={"name": "Traced"})
    assert space.status_code == 201, space.text
    chosen = await owner.client.post("/api/spaces/active", json={"space_id": space.json()["id"]})
    assert chosen.status_code == 200, chosen.text
    return owner


async def test_a_request_and_the_event_it_causes_share_one_trace_to_the_audit_consumer(traced):
    gateway_url, spans = traced
    owner = await owner_of_a_space(gateway_url)

    created = await owner.client.post("/api/media", json={"title": "Stalker", "media_type": "movie"})
    await owner.aclose()
    assert created.status_code == 201, created.text

    def by(service: str, name: str) -> list[ReceivedSpan]:
        return [span for span in spans if span.service == service and span.name == name]

    async def consumed() -> list[ReceivedSpan] | None:
        entries = by("gateway", "POST /api/media")
        if not entries:
            return None
        trace = entries[0].trace_id
        found = [span for span in by("audit", "audit.activity process") if span.trace_id == trace]
        return found or None

    consumer = (await eventually(consumed, timeout=30))[0]
    gateway = by("gateway", "POST /api/media")[0]
    library = [span for span in by("library", "POST /api/media") if span.trace_id == gateway.trace_id]
    assert len(library) == 1
    assert [gateway.kind, library[0].kind, consumer.kind] == [SERVER, SERVER, CONSUMER]
    assert library[0].parent_span_id == gateway.span_id
    assert gateway.attributes["http.route"] == "/api/media"
    assert gateway.attributes["http.response.status_code"] == 201
    database = [s for s in spans if s.service == "library" and s.parent_span_id == library[0].span_id and s.kind == 3]
    assert any("INSERT INTO" in str(s.attributes.get("db.statement", s.name)) or "INSERT" in s.name for s in database)
    assert consumer.trace_id == gateway.trace_id
    assert all(span.parent_span_id for span in spans if span.service == "library" and span.kind == 3)


async def test_a_clients_own_trace_context_is_not_passed_on(traced):
    gateway_url, spans = traced
    owner = await owner_of_a_space(gateway_url)

    response = await owner.client.get("/api/media", headers={"traceparent": FORGED})
    await owner.aclose()
    assert response.status_code == 200

    listed = await eventually(lambda: _first(spans, "library", "GET /api/media"), timeout=30)
    assert listed.trace_id != "0123456789abcdef0123456789abcdef"


async def _first(spans: list[ReceivedSpan], service: str, name: str) -> ReceivedSpan | None:
    return next((span for span in spans if span.service == service and span.name == name), None)


async def test_with_tracing_off_nothing_is_installed_and_no_context_is_stored(system, database):
    space = await make_space_with_roles(system)

    created = await space.member.client.post(
        "/api/media", json={"title": "Solaris", "media_type": "movie"}, headers={"traceparent": FORGED}
    )
    assert created.status_code == 201
    conn = await asyncpg.connect(database.pg.url(database.name))
    try:
        stored = await conn.fetch(
            "SELECT trace_context FROM library.outbox WHERE payload->>'entity_id' = $1", created.json()["id"]
        )
    finally:
        await conn.close()

    assert [row["trace_context"] for row in stored] == [None]
    for running in (*system.services.values(), system.gateway):
        assert not [m for m in running.app.user_middleware if m.cls is TracingMiddleware]
