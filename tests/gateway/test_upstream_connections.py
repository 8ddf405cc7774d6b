"""The gateway's connections to its services: kept alive, replaced when a service drops one,
bounded in time, and safe for every way an answer can arrive."""

import asyncio
import json
from dataclasses import dataclass, field

import httpx
import pytest

from gateway.main import create_app
from gateway.routes import Access, Route
from gateway.settings import GatewaySettings
from gateway.upstream import Upstream, UpstreamUnavailable
from tests.support.servers import RunningApp

ROUTES = [Route(method, "/api/raw/{what}", "integrations", Access.PUBLIC) for method in ("GET", "POST")]


@dataclass
class ScriptedService:
    """An HTTP/1.1 service written by hand, so a test decides what each connection does:
    `ok` answers (naming the connection), `last` answers and then drops the connection at the next
    request without a word, `silent` never answers, `chunked` answers in chunked pieces."""

    connections: int = 0
    requests: list[dict] = field(default_factory=list)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        number = self.connections
        drop_next = False
        try:
            while True:
                head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
                method, target, _ = head[0].split(" ")
                headers = dict(line.lower().split(": ", 1) for line in head[1:] if line)
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                self.requests.append({"method": method, "target": target, "headers": headers, "body": body})
                if drop_next:
                    return
                what = target.split("?")[0].rsplit("/", 1)[-1]
                if what == "silent":
                    await reader.read()  # until the gateway gives up and hangs up
                    return
                drop_next = what == "last"
                content = json.dumps({"connection": number, "length": len(body)}).encode()
                writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n")
                if what == "chunked":
                    pieces = [content[:5], content[5:]]
                    writer.write(b"transfer-encoding: chunked\r\n\r\n")
                    writer.write(b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces) + b"0\r\n\r\n")
                else:
                    writer.write(b"content-length: %d\r\n\r\n%s" % (len(content), content))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


@pytest.fixture
async def scripted(keys):
    service = ScriptedService()
    server = await asyncio.start_server(service.handle, "127.0.0.1", 0)
    settings = GatewaySettings(
        environment="test",
        log_format="console",
        log_level="WARNING",
        internal_auth_private_key=keys.private("gateway"),
        integrations_url=f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}",
        upstream_read_timeout=0.5,
    )
    gateway = await RunningApp(lambda: create_app(settings, routes=ROUTES)).start()
    async with httpx.AsyncClient(base_url=gateway.url, timeout=10) as client:
        yield client, service
    await gateway.stop()
    server.close()


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


async def test_a_write_is_never_sent_twice(scripted):
    client, service = scripted
    await client.get("/api/raw/last")

    refused = await client.post("/api/raw/ok", json={"once": True})

    assert refused.status_code == 503
    assert refused.json()["error"]["code"] == "unavailable"
    assert [r["method"] for r in service.requests] == ["GET", "POST"]
    assert (await client.post("/api/raw/ok", json={})).status_code == 200


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


async def test_a_chunked_answer_arrives_whole_and_its_connection_is_reused(scripted):
    client, _ = scripted

    chunked = await client.get("/api/raw/chunked")
    after = await client.get("/api/raw/ok")

    assert chunked.json() == {"connection": 1, "length": 0}
    assert after.json()["connection"] == 1


async def test_when_every_connection_is_busy_a_request_is_refused_in_time_and_a_cancelled_one_frees_its_own():
    service = ScriptedService()
    server = await asyncio.start_server(service.handle, "127.0.0.1", 0)
    upstream = Upstream(
        f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}",
        connect_timeout=0.3,
        read_timeout=30,
        max_connections=1,
    )
    try:
        waiting = asyncio.create_task(upstream.send("GET", b"/api/raw/silent", []))
        while not service.requests:
            await asyncio.sleep(0.01)

        with pytest.raises(UpstreamUnavailable):
            await upstream.send("GET", b"/api/raw/ok", [])

        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        answer = await upstream.send("GET", b"/api/raw/ok", [])
        assert answer.status == 200
        assert json.loads(await answer.read())["connection"] == 2
        answer.release()
    finally:
        await upstream.aclose()
        server.close()
