"""The gateway's health endpoints: build info and the state of every service behind it."""

import httpx

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
