"""Request smuggling and response mixing through the gateway: whatever a client sends, however a
service answers, no client ever receives an answer meant for another.

Each request carries a unique marker, and each answer must carry its own. Clients are raw sockets
where a well-behaved library would not send what the test needs (Expect, CL+TE, pipelining).
"""

import asyncio
import uuid

import httpx
import pytest
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse

from gateway.main import create_app
from gateway.routes import Access, Route
from shelfspace_kernel.errors import install_error_handlers
from shelfspace_kernel.middleware import RequestContextMiddleware
from tests.support.fixtures import gateway_over
from tests.support.identity import new_user
from tests.support.raw_http import RawConnection, request
from tests.support.scripted_service import ScriptedService
from tests.support.servers import RunningApp

ROUTES = [
    *(Route(method, "/api/marker/{marker}", "library", Access.PUBLIC) for method in ("GET", "POST", "PUT")),
    Route("GET", "/api/marker/{marker}/stream", "library", Access.PUBLIC),
    Route("GET", "/api/raw/{what}", "integrations", Access.PUBLIC),
]


def marker(prefix: str = "m") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def marker_service(seen: list[str], streams: dict[str, int]) -> FastAPI:
    """A service on uvicorn, as ours run: it answers with the marker it was asked for."""
    app = FastAPI()
    install_error_handlers(app)
    app.add_middleware(RequestContextMiddleware)

    @app.get("/api/marker/{marker}")
    async def read(marker: str, request: Request) -> dict:
        seen.append(marker)
        return {"marker": marker, "headers": sorted(request.headers.keys())}

    @app.api_route("/api/marker/{marker}", methods=["POST", "PUT"])
    async def write(marker: str, request: Request) -> Response:
        seen.append(marker)
        body = await request.body()
        await asyncio.sleep(0.03)  # long enough for a pooled connection to be lent to someone else
        answer = JSONResponse({"marker": marker, "length": len(body)})
        answer.set_cookie("session", f"secret-of-{marker}")
        return answer

    @app.get("/api/marker/{marker}/stream")
    async def stream(marker: str) -> StreamingResponse:
        async def pieces():
            streams["open"] += 1
            try:
                while True:
                    yield f"{marker};".encode() * 100
                    await asyncio.sleep(0.005)
            finally:
                streams["open"] -= 1

        return StreamingResponse(pieces())

    return app


class Bench:
    def __init__(self, gateway: RunningApp, scripted: ScriptedService, seen: list[str], streams: dict) -> None:
        self.gateway, self.scripted, self.seen, self.streams = gateway, scripted, seen, streams
        self.url = gateway.url

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.url, timeout=10)

    async def read_marker(self, client: httpx.AsyncClient) -> None:
        """One GET that must come back with its own marker and no one's cookie."""
        mine = marker("read")
        answer = await client.get(f"/api/marker/{mine}")
        assert answer.status_code == 200, answer.text
        assert answer.json()["marker"] == mine
        assert "set-cookie" not in answer.headers


@pytest.fixture(scope="module")
async def bench(keys, amqp_url):
    seen: list[str] = []
    streams = {"open": 0}
    service = await RunningApp(lambda: marker_service(seen, streams)).start()
    scripted = await ScriptedService().start()
    urls = {"library": service.url, "integrations": scripted.url}
    settings = gateway_over(urls, keys, amqp_url, upstream_read_timeout=2.0)
    gateway = await RunningApp(lambda: create_app(settings, routes=ROUTES)).start()
    yield Bench(gateway, scripted, seen, streams)
    await gateway.stop()
    await service.stop()
    scripted.close()


async def expect_continue_write(url: str, mine: str, method: str = "POST") -> None:
    """A write sent as curl sends a large body: headers, wait for 100 Continue, then the body."""
    body = b'{"title": "x"}'
    connection = await RawConnection.open(url)
    try:
        await connection.send(
            request(method, f"/api/marker/{mine}", {"expect": "100-continue", "content-length": str(len(body))})
        )
        status, _ = await connection.read_head()
        assert status == 100
        await connection.send(body)
        answer = await connection.read_answer()
    finally:
        await connection.aclose()
    assert answer.status == 200, answer.body
    assert answer.json()["marker"] == mine
    assert answer.all("set-cookie") == [f"session=secret-of-{mine}; Path=/; SameSite=lax"]


async def test_an_expect_100_continue_write_never_hands_its_answer_to_other_clients(bench):
    async with bench.client() as client:
        for _ in range(8):
            others = []
            writes = [asyncio.create_task(expect_continue_write(bench.url, marker("write"))) for _ in range(2)]
            for _ in range(8):
                await asyncio.sleep(0.01)
                others.append(asyncio.create_task(bench.read_marker(client)))
            await asyncio.gather(*writes, *others)


async def test_a_login_with_expect_100_continue_never_hands_its_session_to_an_anonymous_caller(system):
    user = await new_user(system)
    await user.aclose()
    body = f'{{"email": "{user.email}", "password": "{user.password}"}}'.encode()

    async def login() -> None:
        connection = await RawConnection.open(system.url)
        try:
            headers = {"content-type": "application/json", "expect": "100-continue", "content-length": str(len(body))}
            await connection.send(request("POST", "/api/auth/login", headers))
            assert (await connection.read_head())[0] == 100
            await connection.send(body)
            answer = await connection.read_answer()
        finally:
            await connection.aclose()
        assert answer.status == 200, answer.body
        assert answer.json()["user"]["email"] == user.email
        assert any(cookie.startswith("session") for cookie in answer.all("set-cookie"))

    async with httpx.AsyncClient(base_url=system.url, timeout=30) as anonymous:
        for _ in range(4):
            signing_in = asyncio.create_task(login())
            readers = []
            for _ in range(10):
                await asyncio.sleep(0.01)
                readers.append(asyncio.create_task(anonymous.get("/api/auth/config")))
            answers = await asyncio.gather(*readers)

            for answer in answers:
                assert not [cookie for cookie in answer.headers.get_list("set-cookie") if "session" in cookie]
                assert answer.status_code == 200, answer.text
                assert "first_run" in answer.json()
                assert "user" not in answer.json()
            await signing_in


SMUGGLED = b"GET /api/marker/smuggled HTTP/1.1\r\nhost: gateway\r\n\r\n"
CHUNKED_SMUGGLE = b"0\r\n\r\n" + SMUGGLED


@pytest.mark.parametrize(
    ("framing", "body", "in_error_shape"),
    [
        ({"content-length": "4", "transfer-encoding": "chunked"}, CHUNKED_SMUGGLE, False),
        ({"transfer-encoding": "chunked", "content-length": "60"}, CHUNKED_SMUGGLE, False),
        ({"content-length": "5", "Content-Length": "60"}, b"hello" + SMUGGLED, False),
        ({"content-length": "5, 60"}, b"hello" + SMUGGLED, False),
        ({"content-length": "+5"}, b"hello" + SMUGGLED, False),
        ({"transfer-encoding": "xchunked"}, CHUNKED_SMUGGLE, False),
        ({"transfer-encoding": "chunked, identity"}, CHUNKED_SMUGGLE, False),
        ({"transfer-encoding": "gzip, chunked"}, CHUNKED_SMUGGLE, True),
    ],
    ids=["cl-te", "te-cl", "two-lengths", "length-list", "signed-length", "xchunked", "chunked-then", "gzip-chunked"],
)
async def test_a_request_with_ambiguous_framing_is_refused_with_400_and_nothing_is_smuggled(
    bench, framing, body, in_error_shape
):
    connection = await RawConnection.open(bench.url)
    try:
        head = "".join(f"{name}: {value}\r\n" for name, value in framing.items())
        await connection.send(f"POST /api/marker/{marker()} HTTP/1.1\r\nhost: gateway\r\n{head}\r\n".encode() + body)
        answer = await connection.read_answer()
        assert await connection.closed_by_peer()
    finally:
        await connection.aclose()

    assert answer.status == 400
    if in_error_shape:
        assert answer.json()["error"]["code"] == "bad_request"
    assert "smuggled" not in bench.seen


async def test_chunked_coding_on_an_http_1_0_request_is_refused_in_the_error_shape(bench):
    connection = await RawConnection.open(bench.url)
    try:
        await connection.send(
            b"POST /api/marker/old HTTP/1.0\r\nhost: gateway\r\ntransfer-encoding: chunked\r\n\r\n" + CHUNKED_SMUGGLE
        )
        answer = await connection.read_answer()
    finally:
        await connection.aclose()

    assert answer.status == 400
    assert answer.json()["error"]["code"] == "bad_request"
    assert "smuggled" not in bench.seen
    assert "old" not in bench.seen


async def test_pipelined_requests_on_one_connection_each_get_their_own_answer_in_order(bench):
    for _ in range(5):
        mine = [marker(f"pipe{i}") for i in range(12)]
        data = b"".join(
            request("POST", f"/api/marker/{m}", {"content-length": "2"}, b"{}")
            if i % 3 == 0
            else request("GET", f"/api/marker/{m}")
            for i, m in enumerate(mine)
        )
        connection = await RawConnection.open(bench.url)
        try:
            await connection.send(data)
            answers = [await connection.read_answer() for _ in mine]
        finally:
            await connection.aclose()

        assert [answer.json()["marker"] for answer in answers] == mine


async def test_headers_named_in_connection_and_other_hop_by_hop_headers_never_reach_the_service(bench):
    mine = marker()
    hop = {
        "connection": "keep-alive, x-secret, X-Other",
        "x-secret": "1",
        "x-other": "2",
        "keep-alive": "timeout=5",
        "te": "trailers",
        "trailer": "x-checksum",
        "upgrade": "h2c",
        "proxy-authorization": "Basic Zm9vOmJhcg==",
        "proxy-connection": "keep-alive",
        "x-kept": "yes",
    }
    connection = await RawConnection.open(bench.url)
    try:
        await connection.send(request("GET", f"/api/marker/{mine}", hop))
        answer = await connection.read_answer()
    finally:
        await connection.aclose()

    received = answer.json()["headers"]
    assert answer.json()["marker"] == mine
    assert "x-kept" in received
    assert not set(received) & {name.lower() for name in hop if name != "x-kept"}


async def test_hop_by_hop_headers_of_an_answer_never_reach_the_caller(bench):
    async with bench.client() as client:
        answer = await client.get("/api/raw/hop")

    assert answer.status_code == 200
    assert answer.headers["x-kept"] == "yes"
    for name in ("x-internal", "keep-alive", "proxy-authenticate", "trailer"):
        assert name not in answer.headers
    assert "x-internal" not in answer.headers.get("connection", "")


async def test_a_head_request_leaves_the_connection_in_step(bench):
    mine = marker()
    connection = await RawConnection.open(bench.url)
    try:
        await connection.send(request("HEAD", f"/api/marker/{marker()}") + request("GET", f"/api/marker/{mine}"))
        head = await connection.read_answer(head_request=True)
        after = await connection.read_answer()
    finally:
        await connection.aclose()

    assert head.status == 405
    assert after.json()["marker"] == mine


async def test_a_client_that_disconnects_early_frees_its_connection_and_nobody_gets_the_rest(bench):
    async def watch_a_little() -> None:
        mine = marker("stream")
        async with bench.client() as client, client.stream("GET", f"/api/marker/{mine}/stream") as answer:
            async for piece in answer.aiter_raw():
                assert set(piece.split(b";")) <= {mine.encode(), b""} or mine.encode() in piece
                break

    async with bench.client() as client:
        for _ in range(5):
            await asyncio.gather(*(watch_a_little() for _ in range(3)), *(bench.read_marker(client) for _ in range(6)))

    async with asyncio.timeout(5):
        while bench.streams["open"]:
            await asyncio.sleep(0.05)


async def test_a_service_that_closes_mid_answer_gives_a_503_or_a_cut_answer_and_never_anothers(bench):
    async with bench.client() as client:
        small = await client.get("/api/raw/cut")
        with pytest.raises(httpx.RemoteProtocolError):
            await client.get("/api/raw/cutlarge")
        after = await client.get("/api/raw/ok?mine=after-cut")

    assert small.status_code == 503
    assert small.json()["error"]["code"] == "unavailable"
    assert after.json()["target"] == "/api/raw/ok?mine=after-cut"


async def test_interim_1xx_answers_are_skipped_and_the_connection_is_reused_only_after_the_final_one(bench):
    async with bench.client() as client:
        answers = []
        for i in range(6):
            answers.append(await client.get(f"/api/raw/interim?mine={i}"))
            answers.append(await client.get(f"/api/raw/ok?mine={i}"))

    targets = [answer.json()["target"] for answer in answers]
    assert targets == [f"/api/raw/{what}?mine={i}" for i in range(6) for what in ("interim", "ok")]
    assert len({answer.json()["connection"] for answer in answers}) == 1


async def test_an_answer_a_service_sends_unasked_never_reaches_the_next_caller(bench):
    refused = 0

    async def own_answer_or_refusal(client: httpx.AsyncClient, target: str) -> None:
        nonlocal refused
        answer = await client.get(target)
        if answer.status_code == 200:
            assert answer.json()["target"] == target
        else:
            assert answer.json()["error"]["code"] == "unavailable"
            refused += 1

    async with bench.client() as client:
        for i in range(3):
            await own_answer_or_refusal(client, f"/api/raw/stray?mine={i}")
            await asyncio.sleep(0.1)  # the unasked answer arrives while the connection is idle
            for k in range(4):
                await own_answer_or_refusal(client, f"/api/raw/ok?mine={i}-{k}")

    assert refused == 0  # a read that met an out-of-step connection went again on a new one


async def test_a_cookie_a_service_set_for_one_caller_is_never_sent_with_anothers_request(bench):
    async with bench.client() as first, bench.client() as second:
        await first.post(f"/api/marker/{marker()}", json={})
        answer = await second.get(f"/api/marker/{marker()}")

    assert "cookie" not in answer.json()["headers"]


async def test_many_concurrent_clients_mixing_every_shape_only_ever_receive_their_own_answers(bench):
    async def pipelined_pair() -> None:
        mine = [marker("pair"), marker("pair")]
        connection = await RawConnection.open(bench.url)
        try:
            await connection.send(b"".join(request("GET", f"/api/marker/{m}") for m in mine))
            assert [(await connection.read_answer()).json()["marker"] for _ in mine] == mine
        finally:
            await connection.aclose()

    async def client_session(number: int) -> None:
        async with bench.client() as client:
            for round_number in range(4):
                shape = (number + round_number) % 4
                if shape == 0:
                    await expect_continue_write(bench.url, marker("write"), "PUT")
                elif shape == 1:
                    await pipelined_pair()
                else:
                    await bench.read_marker(client)

    await asyncio.gather(*(client_session(number) for number in range(16)))


@pytest.mark.parametrize(
    "raw",
    [
        b"GET /api/marker/latin HTTP/1.1\r\nhost: gateway\r\nx-name: caf\xe9\r\n\r\n",
        b"GET /api/marker/caf\xe9 HTTP/1.1\r\nhost: gateway\r\n\r\n",
    ],
    ids=["header", "path"],
)
async def test_bytes_that_would_change_on_the_way_are_refused_with_400_not_altered(bench, raw):
    # The client library writes header text as UTF-8: a Latin-1 byte would reach the service changed.
    connection = await RawConnection.open(bench.url)
    try:
        await connection.send(raw)
        answer = await connection.read_answer()
    finally:
        await connection.aclose()

    assert answer.status == 400
    assert "latin" not in bench.seen
