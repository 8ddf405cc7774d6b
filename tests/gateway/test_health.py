"""The gateway's health endpoints: build info and the state of every service behind it."""

import asyncio

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from gateway.main import create_app as create_gateway
from tests.support.audit import eventually
from tests.support.fixtures import gateway_over
from tests.support.servers import RunningApp

SERVICES = {"identity", "library", "integrations", "sync", "audit"}


async def test_health_reports_every_service_ok_with_the_build(system):
    async with httpx.AsyncClient(base_url=system.url) as client:
        response = await client.get("/api/health")

    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert set(body["services"]) == SERVICES
    assert all(state["status"] == "ok" and state["version"] for state in body["services"].values())
    assert {"version", "git_sha", "build_date"} <= set(body)
    assert response.headers["x-request-id"]


async def test_health_turns_degraded_and_names_a_stopped_service(system):
    audit = system.services["audit"]
    await audit.stop()
    try:
        async with httpx.AsyncClient(base_url=system.url) as client:
            response = await client.get("/api/health")
    finally:
        await audit.start()

    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["services"]["audit"]["status"] == "down"
    assert body["services"]["library"]["status"] == "ok"


async def test_health_is_down_with_503_when_identity_is_stopped(system):
    identity = system.services["identity"]
    await identity.stop()
    try:
        async with httpx.AsyncClient(base_url=system.url) as client:
            response = await client.get("/api/health")
    finally:
        await identity.start()

    assert response.status_code == 503
    assert response.json()["status"] == "down"


async def test_liveness_answers_from_the_gateway_alone(system):
    async with httpx.AsyncClient(base_url=system.url) as client:
        response = await client.get("/api/health/live")

    assert response.status_code == 200
    assert response.json()["version"]


class CountedService:
    """A service's `/health` that answers `status` and counts how often it was asked."""

    def __init__(self, status: str = "ok") -> None:
        self.status = status
        self.asked = 0

    def app(self) -> Starlette:
        async def health(_request) -> JSONResponse:
            self.asked += 1
            code = 503 if self.status == "down" else 200
            return JSONResponse({"status": self.status, "version": "1.0.0"}, status_code=code)

        return Starlette(routes=[Route("/health", health)])


@pytest.fixture
async def counted_gateway(keys, amqp_url):
    """A gateway (ok answers reused for 0.5 s) in front of five counted services."""
    services = {name: CountedService() for name in SERVICES}
    running = {name: await RunningApp(service.app).start() for name, service in services.items()}
    settings = gateway_over({n: app.url for n, app in running.items()}, keys, amqp_url, health_cache_seconds=0.5)
    gateway = await RunningApp(lambda: create_gateway(settings, routes=[])).start()
    async with httpx.AsyncClient(base_url=gateway.url) as client:
        yield client, services
    await gateway.stop()
    for app in running.values():
        await app.stop()


def _rounds(services: dict[str, CountedService]) -> set[int]:
    return {service.asked for service in services.values()}


async def test_an_ok_answer_is_reused_then_refreshed_in_the_background(counted_gateway):
    client, services = counted_gateway

    # many callers at once and in a row within the period: one round of probes
    first = await asyncio.gather(*(client.get("/api/health") for _ in range(20)))
    again = [await client.get("/api/health") for _ in range(10)]
    assert {r.status_code for r in first + again} == {200}
    assert len({r.json()["checked_at"] for r in first + again}) == 1
    assert _rounds(services) == {1}

    # past the period, the next caller still gets the last answer and starts one new round
    await asyncio.sleep(0.6)
    stale = await client.get("/api/health")
    assert stale.json()["checked_at"] == first[0].json()["checked_at"]

    async def refreshed() -> bool:
        return (await client.get("/api/health")).json()["checked_at"] != first[0].json()["checked_at"]

    await eventually(refreshed, timeout=5, every=0.05)
    assert _rounds(services) == {2}


async def test_an_answer_that_is_not_ok_is_never_reused(counted_gateway):
    client, services = counted_gateway
    services["audit"].status = "down"

    answers = [await client.get("/api/health") for _ in range(3)]

    assert [r.json()["status"] for r in answers] == ["degraded"] * 3
    assert _rounds(services) == {3}
    # and once the service is back, the first answer says so
    services["audit"].status = "ok"
    assert (await client.get("/api/health")).json()["status"] == "ok"
