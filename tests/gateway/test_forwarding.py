"""The gateway forwards routed requests with a signed context, streams, and fails cleanly."""

import asyncio

import httpx
import pytest
from fastapi import FastAPI, Request, Response
from fastapi.responses import StreamingResponse

from gateway.main import create_app
from gateway.proxy import BUFFERED_BODY_BYTES
from gateway.routes import Access, BodyLimit, Route
from gateway.settings import GatewaySettings
from shelfspace_kernel.errors import install_error_handlers
from shelfspace_kernel.internal_auth import TokenVerifier
from shelfspace_kernel.internal_keys import parse_public_keys
from shelfspace_kernel.middleware import InternalAuthMiddleware, RequestContextMiddleware
from tests.support.servers import RunningApp, free_port

ROUTES = [
    Route("GET", "/api/echo", "library", Access.PUBLIC),
    Route("POST", "/api/echo", "library", Access.PUBLIC),
    Route("POST", "/api/upload", "library", Access.PUBLIC, body_limit=BodyLimit.IMPORT),
    Route("GET", "/api/stream", "library", Access.PUBLIC),
    Route("GET", "/api/sized/{size}", "library", Access.PUBLIC),
    Route("GET", "/api/down", "audit", Access.PUBLIC),
    Route("GET", "/api/cut", "sync", Access.PUBLIC),
]


async def _answer_cut_short(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """An upstream that promises 1,000 bytes, sends 10 and hangs up."""
    await reader.readuntil(b"\r\n\r\n")
    writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n0123456789")
    await writer.drain()
    writer.close()


def an_upstream(public_keys: str, state: dict) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    app.add_middleware(
        InternalAuthMiddleware, verifier=TokenVerifier(parse_public_keys(public_keys), audience="library")
    )
    app.add_middleware(RequestContextMiddleware)

    @app.get("/api/echo")
    async def echo(request: Request) -> dict:
        caller = request.state.caller
        return {"caller": caller.caller, "request_id": caller.request_id, "headers": dict(request.headers)}

    @app.post("/api/echo")
    async def echo_body(request: Request) -> dict:
        return {"length": len(await request.body()), "query": dict(request.query_params)}

    @app.post("/api/upload")
    async def upload(request: Request) -> dict:
        return {"length": len(await request.body())}

    @app.get("/api/sized/{size}")
    async def sized(size: int) -> Response:
        response = Response(bytes(i % 251 for i in range(size)), media_type="application/octet-stream")
        response.headers.append("set-cookie", "a=1")
        response.headers.append("set-cookie", "b=2")
        return response

    @app.get("/api/stream")
    async def stream() -> StreamingResponse:
        async def chunks():
            try:
                while True:
                    yield b"x" * 1024
                    await asyncio.sleep(0.01)
            finally:
                state["stream_closed"] = True

        return StreamingResponse(chunks())

    return app


@pytest.fixture
async def gateway(keys):
    state: dict = {}
    upstream = await RunningApp(lambda: an_upstream(keys.public_keys, state)).start()
    cut_short = await asyncio.start_server(_answer_cut_short, "127.0.0.1", 0)
    settings = GatewaySettings(
        environment="test",
        log_format="console",
        log_level="WARNING",
        internal_auth_private_key=keys.private("gateway"),
        library_url=upstream.url,
        audit_url=f"http://127.0.0.1:{free_port()}",
        sync_url=f"http://127.0.0.1:{cut_short.sockets[0].getsockname()[1]}",
        max_body_bytes=1000,
        import_max_body_bytes=5000,
    )
    gateway = await RunningApp(lambda: create_app(settings, routes=ROUTES)).start()
    async with httpx.AsyncClient(base_url=gateway.url) as client:
        yield client, state
    await gateway.stop()
    await upstream.stop()
    cut_short.close()


async def test_a_routed_request_reaches_its_service_with_a_signed_context_and_no_cookie(gateway):
    client, _ = gateway

    response = await client.get(
        "/api/echo",
        # Credentials of another scheme are dropped (a bearer is a personal API token: tests/identity).
        headers={"x-request-id": "req-42", "cookie": "session=secret", "authorization": "Basic Zm9yZ2VkOnNlY3JldA=="},
    )

    body = response.json()
    assert response.status_code == 200
    assert body["caller"] == "gateway"
    assert body["request_id"] == "req-42"
    assert "cookie" not in body["headers"]
    assert response.headers["x-request-id"] == "req-42"


async def test_bodies_and_query_strings_are_forwarded(gateway):
    client, _ = gateway

    response = await client.post("/api/echo?a=1&b=two", content=b"y" * 999)

    assert response.json() == {"length": 999, "query": {"a": "1", "b": "two"}}


async def test_an_oversized_body_is_refused_with_413(gateway):
    client, _ = gateway

    response = await client.post("/api/echo", content=b"y" * 1001)

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


async def test_an_import_route_takes_bodies_up_to_its_own_larger_limit(gateway):
    client, _ = gateway

    within = await client.post("/api/upload", content=b"y" * 5000)
    beyond = await client.post("/api/upload", content=b"y" * 5001)
    elsewhere = await client.post("/api/echo", content=b"y" * 5000)

    assert within.json() == {"length": 5000}
    assert (beyond.status_code, elsewhere.status_code) == (413, 413)
    assert beyond.json()["error"]["code"] == "payload_too_large"


async def test_unrouted_paths_get_404_and_unrouted_methods_405(gateway):
    client, _ = gateway

    missing = await client.get("/api/nowhere")
    wrong_method = await client.delete("/api/echo")

    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    assert wrong_method.status_code == 405


async def test_a_stopped_service_answers_503_in_the_error_shape(gateway):
    client, _ = gateway

    response = await client.get("/api/down")

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "unavailable"
    assert response.json()["error"]["request_id"] == response.headers["x-request-id"]


async def test_the_upstream_stream_is_released_when_the_caller_disconnects_early(gateway):
    client, state = gateway

    async with client.stream("GET", "/api/stream") as response:
        async for _chunk in response.aiter_raw():
            break

    async with asyncio.timeout(5):
        while not state.get("stream_closed"):
            await asyncio.sleep(0.05)


@pytest.mark.parametrize("size", [0, 10_000, BUFFERED_BODY_BYTES + 1])
async def test_answers_small_and_large_arrive_whole_with_their_headers(gateway, size):
    client, _ = gateway
    response = await client.get(f"/api/sized/{size}")
    assert response.status_code == 200
    assert response.content == bytes(i % 251 for i in range(size))
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.headers.get_list("set-cookie") == ["a=1", "b=2"]
    assert len(response.headers.get_list("content-length")) == 1
    assert response.headers["x-request-id"]


async def test_an_answer_cut_short_by_the_service_is_a_503_in_the_error_shape(gateway):
    client, _ = gateway
    response = await client.get("/api/cut")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "unavailable"
