"""The gateway's connections to its services: kept alive, replaced when a service drops one,
bounded in time, and safe for every way an answer can arrive."""

import asyncio

import httpx
import pytest

from gateway.main import create_app
from gateway.proxy import Upstream
from gateway.routes import Access, Route
from shelfspace_kernel.errors import Unavailable
from tests.support.fixtures import gateway_over
from tests.support.scripted_service import ScriptedService
from tests.support.servers import RunningApp

WRITES = ("POST", "PUT", "PATCH", "DELETE")
ROUTES = [Route(method, "/api/raw/{what}", "integrations", Access.PUBLIC) for method in ("GET", *WRITES)]


@pytest.fixture
async def scripted(keys, amqp_url):
    service = await ScriptedService().start()
    settings = gateway_over({"integrations": service.url}, keys, amqp_url, upstream_read_timeout=0.5)
    gateway = await RunningApp(lambda: create_app(settings, routes=ROUTES)).start()
    async with httpx.AsyncClient(base_url=gateway.url, timeout=10) as client:
        yield client, service
    await gateway.stop()
    service.close()


async def test_one_connection_carries_request_after_request(scripted):
    client, service = scripted

    answers = [(await client.get("/api/raw/ok")).json() for _ in range(20)]

    assert {answer["connection"] for answer in answers} == {1}
    assert service.connections == 1


async def test_a_read_is_retried_on_a_new_connection_when_the_service_dropped_the_kept_one(scripted):
    client, service = scripted
    assert (await client.get("/api/raw/last")).json()["connection"] == 1

    retried = await client.get("/api/raw/ok")

    assert retried.status_code == 200
    assert retried.json()["connection"] == 2
    assert [r["target"] for r in service.requests] == ["/api/raw/last", "/api/raw/ok", "/api/raw/ok"]


@pytest.mark.parametrize("method", WRITES)
async def test_a_write_is_never_sent_twice(scripted, method):
    client, service = scripted
    await client.get("/api/raw/last")

    refused = await client.request(method, "/api/raw/ok", json={"once": True})

    assert refused.status_code == 503
    assert refused.json()["error"]["code"] == "unavailable"
    assert [r["method"] for r in service.requests] == ["GET", method]
    assert (await client.request(method, "/api/raw/ok", json={})).status_code == 200


async def test_a_service_that_does_not_answer_in_time_is_a_503_and_its_connection_is_not_reused(scripted):
    client, _ = scripted

    started = asyncio.get_running_loop().time()
    silent = await client.get("/api/raw/silent")
    waited = asyncio.get_running_loop().time() - started
    after = await client.get("/api/raw/ok")

    assert silent.status_code == 503
    assert silent.json()["error"]["code"] == "unavailable"
    assert 0.5 <= waited < 3
    assert after.status_code == 200
    assert after.json()["connection"] == 2


async def test_bodies_go_with_their_length_whatever_way_the_caller_sent_them(scripted):
    client, service = scripted

    async def pieces():
        for piece in (b"abc", b"defg"):
            yield piece

    sized = await client.post("/api/raw/ok?x=1%202", content=b"y" * 300)
    streamed = await client.post("/api/raw/ok", content=pieces())
    empty = await client.post("/api/raw/ok")

    assert [sized.json()["length"], streamed.json()["length"], empty.json()["length"]] == [300, 7, 0]
    assert service.requests[0]["target"] == "/api/raw/ok?x=1%202"
    assert [r["headers"]["content-length"] for r in service.requests] == ["300", "7", "0"]
    assert all("transfer-encoding" not in r["headers"] for r in service.requests)


async def test_the_target_goes_as_it_arrived(scripted):
    client, service = scripted

    await client.get("/api/raw/o%6B?q=a+b%26c&q=%C3%A9")

    assert service.requests[0]["target"] == "/api/raw/o%6B?q=a+b%26c&q=%C3%A9"


async def test_the_callers_headers_go_unchanged_and_the_client_adds_none_of_its_own(scripted):
    client, service = scripted

    await client.post(
        "/api/raw/ok", content=b"{}", headers={"accept": "text/csv", "user-agent": "shelf/1", "content-type": "x/y"}
    )
    await client.get("/api/raw/ok", headers={"accept-encoding": "identity"})

    sent, bare = (request["headers"] for request in service.requests)
    assert (sent["accept"], sent["user-agent"], sent["content-type"]) == ("text/csv", "shelf/1", "x/y")
    assert bare["accept-encoding"] == "identity"
    assert "content-length" not in bare


async def test_a_chunked_answer_arrives_whole_and_its_connection_is_reused(scripted):
    client, _ = scripted

    chunked = await client.get("/api/raw/chunked")
    after = await client.get("/api/raw/ok")

    assert chunked.json() == {"connection": 1, "target": "/api/raw/chunked", "length": 0}
    assert after.json()["connection"] == 1


async def test_when_every_connection_is_busy_a_request_is_refused_in_time_and_a_cancelled_one_frees_its_own():
    service = await ScriptedService().start()
    upstream = Upstream(service.url, connect_timeout=0.3, read_timeout=30, max_connections=1)
    headers = [("x-request-id", "r1")]
    try:
        waiting = asyncio.create_task(upstream.send("GET", "/api/raw/silent", headers, None))
        while not service.requests:
            await asyncio.sleep(0.01)

        with pytest.raises(Unavailable):
            await upstream.send("GET", "/api/raw/ok", headers, None)

        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        answer = await upstream.send("GET", "/api/raw/ok", headers, None)
        assert answer.status == 200
        assert (await answer.json())["connection"] == 2
        answer.release()
    finally:
        await upstream.aclose()
        service.close()
