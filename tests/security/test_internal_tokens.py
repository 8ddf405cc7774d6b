"""Internal tokens against the real services: good for one request, signed by the caller's own key.

A token the gateway sent for one route is captured on the wire between the gateway and the library
(a recording proxy), then replayed; tokens are also minted with the keys of the test's signers.
"""

import asyncio
import re
import time
import uuid
from urllib.parse import urlsplit

import httpx
import jwt
import pytest

from shelfspace_kernel.internal_auth import CallerContext
from shelfspace_kernel.internal_keys import load_private_key
from tests.support.identity import gateway_client, signed_in
from tests.support.infra import SERVICES
from tests.support.servers import RunningApp
from tests.support.tcp_proxy import TcpProxy

BEARER = re.compile(rb"authorization: Bearer ([A-Za-z0-9_.-]+)", re.IGNORECASE)


@pytest.fixture(scope="module")
async def tapped(system, keys):
    """A second gateway whose calls to the library pass a recording proxy; yields (gateway url, proxy)."""
    from gateway.main import create_app
    from gateway.settings import GatewaySettings

    library = urlsplit(system.services["library"].url)
    proxy = await TcpProxy(library.hostname, library.port, record=True).open()
    urls = {f"{name}_url": app.url for name, app in system.services.items()}
    settings = GatewaySettings(
        environment="test",
        log_format="console",
        log_level="WARNING",
        internal_auth_private_key=keys.private("gateway"),
        **(urls | {"library_url": f"http://127.0.0.1:{proxy.port}"}),
    )
    gateway = await RunningApp(lambda: create_app(settings)).start()
    yield gateway.url, proxy
    await gateway.stop()
    await proxy.cut()


async def captured_token(client: httpx.AsyncClient, proxy: TcpProxy, path: str) -> str:
    """Send GET `path` through the tapped gateway; the internal token it sent to the library."""
    proxy.sent.clear()
    response = await client.get(path)
    assert response.status_code == 200, response.text
    tokens = BEARER.findall(bytes(proxy.sent))
    assert len(tokens) == 1
    return tokens[0].decode()


async def test_a_token_captured_for_one_route_cannot_be_replayed_on_another_route_or_method(system, tapped):
    gateway_url, proxy = tapped
    async with signed_in(system) as account, gateway_client(gateway_url, cookies=account.client.cookies) as client:
        token = await captured_token(client, proxy, "/api/media?q=casablanca")
        library = httpx.AsyncClient(
            base_url=system.services["library"].url, headers={"authorization": f"Bearer {token}"}
        )
        async with library:
            same_route = await library.get("/api/media?q=casablanca")
            other_query = await library.get("/api/media?q=vertigo")
            other_path = await library.get("/api/media/stats")
            other_method = await library.post(
                "/api/media?q=casablanca", json={"title": "Replayed", "media_type": "movie"}
            )
            listed = await library.get("/api/media?q=casablanca")

    assert same_route.status_code == 200
    for replay in (other_query, other_path, other_method):
        assert replay.status_code == 401, replay.text
        assert replay.json()["error"]["code"] == "unauthenticated"
    assert "Replayed" not in listed.text


@pytest.mark.parametrize("service", SERVICES)
async def test_the_sync_key_cannot_sign_as_the_gateway(system, keys, service):
    async with signed_in(system) as account:
        me = await account.me()
    as_gateway = CallerContext(
        request_id="r1", caller="gateway", user_id=account.id, global_role=me.get("global_role") or "user"
    )
    url = system.services[service].url
    async with httpx.AsyncClient(base_url=url) as client:
        forged = await client.get(
            "/openapi.json", headers=bearer(keys.signer("sync").sign(service, as_gateway, "GET", "/openapi.json"))
        )
        genuine = await client.get(
            "/openapi.json", headers=bearer(keys.signer("gateway").sign(service, as_gateway, "GET", "/openapi.json"))
        )

    assert forged.status_code == 401
    assert forged.json()["error"]["code"] == "unauthenticated"
    assert genuine.status_code == 200


@pytest.mark.parametrize("service", SERVICES)
async def test_a_token_in_the_old_shared_key_format_is_refused(system, keys, service):
    """What every signer sent before: no key id, bound to no request, living 60 s."""
    now = int(time.time())
    claims = {"caller": "gateway", "sub": str(uuid.uuid4()), "role": "admin", "iss": "shelfspace", "aud": service}
    claims |= {"iat": now, "exp": now + 60}
    async with httpx.AsyncClient(base_url=system.services[service].url) as client:
        for signer in ("gateway", "sync"):
            token = jwt.encode(claims, load_private_key(keys.private(signer)), algorithm="EdDSA")
            response = await client.get("/openapi.json", headers=bearer(token))
            assert response.status_code == 401, signer
            assert response.json()["error"]["code"] == "unauthenticated"


NOT_HEALTH = [
    "/healthz",
    "/healthz-anything",
    "/health-check",
    "/health/live/x",
    "/health/../openapi.json",
    "/health/%2e%2e/openapi.json",
    "/health/..%2fopenapi.json",
    "/%68ealth",
    "/health/",
]


@pytest.mark.parametrize("service", SERVICES)
async def test_only_the_exact_health_paths_are_open(system, service):
    host, port = "127.0.0.1", urlsplit(system.services[service].url).port
    open_answers = [await raw_get(host, port, path) for path in ("/health", "/health/live")]
    closed_answers = {path: await raw_get(host, port, path) for path in NOT_HEALTH}

    assert [status for status, _ in open_answers] == [200, 200]
    for path, (status, body) in closed_answers.items():
        assert status == 401, (path, status)
        assert b'"unauthenticated"' in body


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


async def raw_get(host: str, port: int, target: str) -> tuple[int, bytes]:
    """GET `target` byte for byte (HTTP clients normalise `..` away before sending)."""
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(f"GET {target} HTTP/1.1\r\nhost: {host}\r\nconnection: close\r\n\r\n".encode())
    await writer.drain()
    answer = await reader.read()
    writer.close()
    status_line, _, rest = answer.partition(b"\r\n")
    return int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2]
