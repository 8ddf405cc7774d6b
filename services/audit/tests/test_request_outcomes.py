"""The gateway's request outcomes in the activity log, per AUDIT_LOG_MODE; best-effort, never in the way."""

import asyncio
import time
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from starlette.requests import Request

from gateway.access import Principal
from gateway.main import create_app as create_gateway
from gateway.request_log import OutcomePublisher
from gateway.routes import Access, Route
from gateway.settings import GatewaySettings
from shelfspace_contracts.roles import GlobalRole, SpaceRole
from tests.support.audit import an_event, eventually, landed, publish
from tests.support.servers import RunningApp, free_port

THING_ROUTES = [
    Route("GET", "/api/things/{thing_id}", "library", Access.SPACE_MEMBER),
    Route("POST", "/api/things", "library", Access.SPACE_MEMBER),
    Route("POST", "/api/things/{thing_id}/fail", "library", Access.SPACE_MEMBER),
]


class HeaderSessions:
    """Stands in for identity: `x-test-user` / `x-test-space` name who calls and their one space."""

    def __init__(self, role: SpaceRole = SpaceRole.MEMBER) -> None:
        self.role = role

    async def resolve(self, request: Request) -> Principal | None:
        user, space = request.headers.get("x-test-user"), request.headers.get("x-test-space")
        if not user or not space:
            return None
        return Principal(uuid.UUID(user), GlobalRole.USER, uuid.UUID(space), {uuid.UUID(space): self.role})


def things_app() -> FastAPI:
    app = FastAPI()

    @app.get("/api/things/{thing_id}")
    async def read(thing_id: str) -> dict:
        return {"id": thing_id}

    @app.post("/api/things", status_code=201)
    async def create() -> dict:
        return {"id": "new"}

    @app.post("/api/things/{thing_id}/fail")
    async def fail(thing_id: str) -> JSONResponse:
        body = {"error": {"code": "thing_conflict", "message": "Busy.", "details": [], "request_id": None}}
        return JSONResponse(body, status_code=409)

    return app


@pytest.fixture(scope="module")
async def things() -> AsyncIterator[RunningApp]:
    app = await RunningApp(things_app).start()
    yield app
    await app.stop()


def gateway_settings(keys, **overrides) -> GatewaySettings:
    return GatewaySettings(
        environment="test",
        log_format="console",
        log_level="WARNING",
        internal_auth_private_key=keys.private("gateway"),
        **overrides,
    )


async def run_gateway(settings: GatewaySettings, **kwargs) -> RunningApp:
    return await RunningApp(lambda: create_gateway(settings, **kwargs)).start()


@pytest.mark.parametrize(
    ("mode", "recorded"),
    [
        ("off", set()),
        ("failures", {"conflict", "anonymous", "unrouted"}),
        ("mutations", {"created", "conflict", "anonymous", "unrouted"}),
        ("all", {"read", "created", "conflict", "anonymous", "unrouted"}),
    ],
)
async def test_request_outcomes_are_recorded_according_to_the_mode(
    mode, recorded, things, keys, amqp_url, audit_service, admin_client, event_broker
):
    settings = gateway_settings(keys, audit_log_mode=mode, amqp_url=amqp_url, library_url=things.url)
    gateway = await run_gateway(settings, routes=THING_ROUTES, resolver=HeaderSessions())
    user, space = uuid.uuid4(), uuid.uuid4()
    member = {"x-test-user": str(user), "x-test-space": str(space)}
    requests = {
        "read": ("GET", "/api/things/1", member, 200),
        "created": ("POST", "/api/things", member, 201),
        "conflict": ("POST", "/api/things/1/fail", member, 409),
        "anonymous": ("GET", "/api/things/1", {}, 401),
        "unrouted": ("GET", "/api/nowhere", member, 404),
    }
    ids = {name: f"outcome-{mode}-{name}-{uuid.uuid4().hex[:8]}" for name in requests}
    try:
        async with httpx.AsyncClient(base_url=gateway.url) as client:
            for name, (method, path, headers, status) in requests.items():
                response = await client.request(method, path, headers={**headers, "x-request-id": ids[name]})
                assert response.status_code == status
    finally:
        await gateway.stop()

    async def row_of(name: str) -> dict | None:
        async with admin_client() as client:
            params = {"entity_type": "http_request", "entity_id": ids[name]}
            items = (await client.get("/api/admin/activity", params=params)).json()["items"]
        return items[0] if items else None

    rows = {name: await eventually(lambda name=name: row_of(name)) for name in recorded}
    if not recorded:
        sentinel = an_event()
        await publish(event_broker, sentinel)
        await landed(admin_client, 1, space_id=sentinel.space_id)
    for name in set(requests) - recorded:
        assert await row_of(name) is None, name

    if "conflict" in rows:
        conflict = rows["conflict"]
        assert conflict["action"] == "gateway.request.failed"
        assert (conflict["user_id"], conflict["space_id"], conflict["request_id"]) == (
            str(user),
            str(space),
            ids["conflict"],
        )
        details = conflict["details"]
        assert (details["method"], details["path"], details["status"]) == ("POST", "/api/things/{thing_id}/fail", 409)
        assert details["error_code"] == "thing_conflict"
        assert details["duration_ms"] >= 0
        assert rows["anonymous"]["user_id"] is None
        assert rows["anonymous"]["details"]["error_code"] == "unauthenticated"
        assert rows["unrouted"]["details"]["path"] is None
    if "created" in rows:
        assert rows["created"]["action"] == "gateway.request.completed"
        assert rows["created"]["details"]["path"] == "/api/things"
        assert rows["created"]["details"]["error_code"] is None


async def test_requests_stay_fast_and_successful_when_the_broker_is_unreachable(things, keys):
    dead_broker = f"amqp://guest:guest@127.0.0.1:{free_port()}/"
    settings = gateway_settings(keys, audit_log_mode="all", amqp_url=dead_broker, library_url=things.url)
    gateway = await run_gateway(settings, routes=THING_ROUTES, resolver=HeaderSessions())
    headers = {"x-test-user": str(uuid.uuid4()), "x-test-space": str(uuid.uuid4())}
    try:
        async with httpx.AsyncClient(base_url=gateway.url) as client:
            started = time.perf_counter()
            statuses = [(await client.get(f"/api/things/{n}", headers=headers)).status_code for n in range(30)]
            elapsed = time.perf_counter() - started
    finally:
        await gateway.stop()

    assert statuses == [200] * 30
    assert elapsed < 3.0


class StuckBroker:
    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.published: list[str] = []

    async def publish_event(self, payload: dict, routing_key: str) -> None:
        await self.release.wait()
        self.published.append(payload["id"])


async def test_the_outcome_queue_is_bounded_and_counts_what_it_drops():
    broker = StuckBroker()
    publisher = OutcomePublisher(broker, capacity=3, batch_size=2)
    events = [an_event("gateway.request.failed") for _ in range(5)]

    accepted = [publisher.offer(event) for event in events]
    task = asyncio.create_task(publisher.run())
    broker.release.set()
    await eventually(lambda: asyncio.sleep(0, result=len(broker.published) == 3))
    task.cancel()

    assert accepted == [True, True, True, False, False]
    assert publisher.dropped == 2
    assert broker.published == [str(event.id) for event in events[:3]]


async def test_a_space_admin_reads_their_spaces_log_through_the_gateway_but_not_another_spaces(
    keys, audit_service, event_broker, admin_client
):
    user, space, elsewhere = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await publish(event_broker, an_event(space_id=space), an_event(space_id=elsewhere))
    await landed(admin_client, 1, space_id=space)
    settings = gateway_settings(keys, audit_log_mode="off", audit_url=audit_service.url)
    gateway = await run_gateway(settings, resolver=HeaderSessions(SpaceRole.ADMIN))
    headers = {"x-test-user": str(user), "x-test-space": str(space)}
    try:
        async with httpx.AsyncClient(base_url=gateway.url, headers=headers) as client:
            own = await client.get(f"/api/spaces/{space}/activity")
            other = await client.get(f"/api/spaces/{elsewhere}/activity")
            admin_only = await client.get("/api/admin/activity")
    finally:
        await gateway.stop()

    assert own.status_code == 200
    assert [row["space_id"] for row in own.json()["items"]] == [str(space)]
    assert other.status_code == 404
    assert admin_only.status_code == 403
