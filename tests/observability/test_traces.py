"""Traces: with an OTLP endpoint set, one request's trace runs gateway → library → database and on
through its event to the audit consumer; without one, no trace context goes anywhere."""

import contextlib
from collections.abc import AsyncIterator

import asyncpg
import pytest

from shelfspace_kernel.tracing import TracingMiddleware
from tests.fakes.plex import FakePlex
from tests.support import infra
from tests.support.audit import eventually
from tests.support.identity import Account, make_space_with_roles, register
from tests.support.otlp import ReceivedSpan, receiver_app
from tests.support.own_stack import own_stack
from tests.support.servers import RunningApp
from tests.support.sync_worker import WorkerProcess

SERVER, CONSUMER = 2, 5  # OTLP span kinds
FORGED = "00-0123456789abcdef0123456789abcdef-0123456789abcdef-01"


@contextlib.asynccontextmanager
async def traced_stack(postgres, service_settings, keys, amqp_url, names: tuple[str, ...]) -> AsyncIterator:
    """The services `names` and a gateway on a stack of their own, exporting to a local receiver:
    (the stack, the received spans)."""
    spans: list[ReceivedSpan] = []
    receiver = await RunningApp(lambda: receiver_app(spans)).start()
    try:
        traced = {"otel_exporter_otlp_endpoint": receiver.url}
        async with own_stack(postgres, service_settings, keys, amqp_url, names, **traced) as stack:
            yield stack, spans
    finally:
        await receiver.stop()


@pytest.fixture
async def traced(postgres, service_settings, keys, amqp_url):
    """identity, library and audit behind a gateway, traced: (the gateway's URL, the received spans)."""
    names = ("identity", "library", "audit")
    async with traced_stack(postgres, service_settings, keys, amqp_url, names) as (stack, spans):
        yield stack.url, spans


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
        # each process exports its spans in its own batches: wait for the library's too
        answered = [span for span in by("library", "POST /api/media") if span.trace_id == trace]
        return found if found and answered else None

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


FILMS = 250  # two pages of the worker's batch of 200: a step queued by the request, one by a step


@pytest.fixture
async def traced_worker(postgres, service_settings, keys, amqp_url, tmp_path):
    """Every service, a gateway and a `python -m sync.worker` process, traced; a fake Plex with FILMS films."""
    plex = await FakePlex(token="traced-plex-token").start()
    plex.add_section("1", "Movies", "movie")
    for n in range(FILMS):
        plex.add_movie("1", f"Traced Film {n:03d}", year=1970 + n % 50, guids=[f"tmdb://{800_000 + n}"])
    try:
        async with traced_stack(postgres, service_settings, keys, amqp_url, infra.SERVICES) as (stack, spans):
            heartbeat = {"worker_heartbeat_file": str(tmp_path / "worker.alive")}
            worker = WorkerProcess(stack.settings["sync"].model_copy(update=heartbeat)).start()
            try:
                yield stack.url, spans, plex
            finally:
                worker.stop()
    finally:
        await plex.stop()


async def test_the_workers_steps_join_the_trace_of_the_request_that_queued_the_job(traced_worker):
    gateway_url, spans, plex = traced_worker
    owner = await owner_of_a_space(gateway_url)
    space_id = (await owner.me())["active_space"]["id"]
    plex_settings = {"base_url": plex.url, "token": plex.token}
    configured = await owner.client.put(f"/api/spaces/{space_id}/integrations/plex", json=plex_settings)
    assert configured.status_code == 200, configured.text

    started = await owner.client.post("/api/media/import-plex")
    await owner.aclose()
    assert started.status_code == 202, started.text

    def answers_to_the_worker() -> list[ReceivedSpan]:
        worker_spans = {span.span_id for span in spans if span.service == "sync-worker"}
        return [s for s in spans if s.service == "library" and s.kind == SERVER and s.parent_span_id in worker_spans]

    async def stepped() -> tuple[ReceivedSpan, list[ReceivedSpan]] | None:
        requests = [s for s in spans if s.service == "gateway" and s.name == "POST /api/media/import-plex"]
        steps = [s for s in spans if s.service == "sync-worker" and s.name == "sync step"]
        # the plan, then one step per page; each process exports its spans in its own batches, so the
        # library's answers to the worker's calls may arrive after the worker's steps
        ready = requests and len(steps) >= 3 and answers_to_the_worker()
        return (requests[0], steps) if ready else None

    request, steps = await eventually(stepped, timeout=60)
    assert {step.trace_id for step in steps} == {request.trace_id}
    assert {step.kind for step in steps} == {CONSUMER}
    batches = answers_to_the_worker()
    assert batches, "the library's answers to the worker's calls continue the worker's spans"
    assert {span.trace_id for span in batches} == {request.trace_id}
