"""Server-side requests: a space owner cannot make the server call loopback or the deployment's own parts.

Each deployment here is the session's system with an integrations service of its own (and a gateway
in front of it) started with the operator's outbound settings under test. The provider fakes listen
on loopback, so an allowlist decides whether they are reached.
"""

import importlib
import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from urllib.parse import urlsplit

import pytest

from tests.fakes.plex import FakePlex
from tests.fakes.tmdb import FakeTmdb
from tests.support.fixtures import gateway_over, own_parts
from tests.support.identity import Account, open_registration, register
from tests.support.servers import RunningApp, free_port

TMDB_KEY = "0123456789abcdef0123456789abcdef"
PLEX_TOKEN = "plex-token-of-the-outbound-suite"
# The operator settings under test: nothing allowed, the fakes' addresses, and all of loopback.
NOTHING, FAKES, LOOPBACK = "", "127.0.0.1/32,::1/128", "127.0.0.0/8,::1/128"
# A part of each deployment that is down (listed as the deployment's, nothing listens there).
STOPPED_PORT = free_port()
Deploy = Callable[[str], Awaitable[str]]


@pytest.fixture(scope="module")
async def deploy(system, service_settings, keys, amqp_url) -> AsyncIterator[Deploy]:
    """`await deploy(FAKES)`: the gateway URL of a deployment with that OUTBOUND_ALLOWED_NETWORKS."""
    from gateway.main import create_app as create_gateway
    from integrations.main import create_app as create_integrations

    started: dict[str, RunningApp] = {}
    apps: list[RunningApp] = []

    async def start(allowed: str) -> str:
        if allowed not in started:
            ports = {name: app.port for name, app in system.services.items()} | {"gateway": system.gateway.port}
            ports |= {"integrations": free_port(), "gateway-under-test": free_port(), "stopped": STOPPED_PORT}
            settings = service_settings(
                "integrations",
                port=ports["integrations"],
                outbound_allowed_networks=allowed,
                db_pool_size=2,  # Postgres' connections are shared with every other suite
                **own_parts("integrations", ports),
            )
            integrations = RunningApp(lambda: create_integrations(settings), ports["integrations"])
            apps.append(await integrations.start())
            urls = {name: app.url for name, app in system.services.items()} | {"integrations": integrations.url}
            gateway_settings = gateway_over(urls, keys, amqp_url)
            gateway = RunningApp(lambda: create_gateway(gateway_settings), ports["gateway-under-test"])
            started[allowed] = await gateway.start()
            apps.append(gateway)
        return started[allowed].url

    yield start
    for app in reversed(apps):
        await app.stop()


async def owner_at(system, gateway_url: str) -> tuple[Account, uuid.UUID]:
    """A new user signed in through `gateway_url`, and the personal space they own."""
    await open_registration(system)
    owner = await register(gateway_url)
    return owner, uuid.UUID((await owner.me())["active_space"]["id"])


async def connection_test(owner: Account, space: uuid.UUID, provider: str, **settings) -> dict:
    """Save the provider's settings and run its connection test; the test's answer."""
    saved = await owner.client.put(f"/api/spaces/{space}/integrations/{provider}", json=settings)
    assert saved.status_code == 200, saved.text
    tested = await owner.client.post(f"/api/spaces/{space}/integrations/{provider}/test")
    assert tested.status_code == 200, tested.text
    return tested.json()


@pytest.fixture(params=["127.0.0.1", "::1"], ids=["ipv4", "ipv6"])
async def tmdb(request) -> AsyncIterator[FakeTmdb]:
    fake = FakeTmdb(api_key=TMDB_KEY)
    await fake.start(request.param)
    try:
        yield fake
    finally:
        await fake.stop()


async def test_a_space_owner_reaches_a_loopback_provider_only_when_the_operator_allows_it(system, deploy, tmdb):
    owner, space = await owner_at(system, await deploy(NOTHING))
    allowed, allowed_space = await owner_at(system, await deploy(FAKES))

    refused = await connection_test(owner, space, "tmdb", base_url=tmdb.base_url, token=TMDB_KEY)
    search = await owner.client.post("/api/media/search-tmdb", json={"query": "matrix"})
    assert tmdb.requests == []
    reached = await connection_test(allowed, allowed_space, "tmdb", base_url=tmdb.base_url, token=TMDB_KEY)

    assert refused["ok"] is False
    assert refused["reason"] == "outbound_refused"
    assert "loopback" in refused["detail"]
    assert "OUTBOUND_ALLOWED_NETWORKS" in refused["detail"]
    assert search.status_code == 422
    assert search.json()["error"]["code"] == "outbound_refused"
    assert reached["ok"] is True, reached
    assert tmdb.requests_to("/3/configuration")


async def test_a_host_name_that_resolves_to_loopback_is_refused(system, deploy):
    owner, space = await owner_at(system, await deploy(NOTHING))
    async with FakeTmdb(api_key=TMDB_KEY) as tmdb:
        result = await connection_test(
            owner, space, "tmdb", base_url=f"http://localhost:{urlsplit(tmdb.url).port}/3", token=TMDB_KEY
        )

        assert tmdb.requests == []
    assert result["reason"] == "outbound_refused"
    assert "localhost is a loopback address" in result["detail"]


async def test_a_base_url_carrying_a_user_name_and_password_is_refused(system, deploy):
    owner, space = await owner_at(system, await deploy(FAKES))
    async with FakeTmdb(api_key=TMDB_KEY) as tmdb:
        host = urlsplit(tmdb.url).netloc
        result = await connection_test(owner, space, "barcode", base_url=f"http://someone:secret@{host}/prod")

        assert tmdb.requests == []
    assert result["reason"] == "outbound_refused"


def deployment_ports(system, postgres, amqp_url: str) -> list[tuple[str, int]]:
    """This deployment's own listeners: a service, the gateway, Postgres, RabbitMQ and its management port."""
    broker = urlsplit(amqp_url)
    return [
        ("127.0.0.1", system.services["library"].port),
        ("127.0.0.1", system.services["identity"].port),
        ("127.0.0.1", system.gateway.port),
        (postgres.host, postgres.port),
        (broker.hostname or "127.0.0.1", broker.port or 5672),
        (broker.hostname or "127.0.0.1", 15672),
        # Another loopback address reaches the same listeners.
        ("127.0.0.2", system.services["library"].port),
    ]


async def test_the_deployments_own_ports_are_refused_even_with_all_of_loopback_allowed(
    system, deploy, postgres, amqp_url
):
    owner, space = await owner_at(system, await deploy(LOOPBACK))

    for host, port in deployment_ports(system, postgres, amqp_url):
        result = await connection_test(owner, space, "tmdb", base_url=f"http://{host}:{port}/3", token=TMDB_KEY)

        assert result["ok"] is False, (host, port)
        assert result["reason"] == "outbound_refused", (host, port, result)
        assert "part of this Shelfspace deployment" in result["detail"]


@pytest.mark.parametrize("allowed", [NOTHING, LOOPBACK], ids=["default", "loopback-allowed"])
async def test_an_open_and_a_closed_internal_port_give_the_same_answer(system, deploy, allowed):
    owner, space = await owner_at(system, await deploy(allowed))
    open_port, closed_port = system.services["library"].port, STOPPED_PORT

    async def answer(port: int) -> dict:
        result = await connection_test(owner, space, "vision", base_url=f"http://127.0.0.1:{port}/v1", model="m")
        return {**result, "detail": re.sub(rf"\b{port}\b", "PORT", result["detail"])}

    closed = await answer(closed_port)
    opened = await answer(open_port)

    assert opened == closed
    assert opened["ok"] is False


async def test_a_plex_artwork_redirect_to_another_host_is_not_followed_and_never_gets_the_token(system, deploy):
    owner, space = await owner_at(system, await deploy(FAKES))
    async with FakePlex(token=PLEX_TOKEN) as plex, FakeTmdb() as elsewhere:
        plex.add_section("1", "Movies", "movie")
        movie = plex.add_movie("1", "Ran", year=1985)
        saved = await owner.client.put(
            f"/api/spaces/{space}/integrations/plex", json={"base_url": plex.url, "token": PLEX_TOKEN}
        )
        assert saved.status_code == 200, saved.text
        away = f"http://localhost:{urlsplit(elsewhere.url).port}/steal"
        plex.fail_next(302, headers={"location": away}, path="/library/metadata")

        response = await owner.client.get(
            f"/api/spaces/{space}/integrations/plex/artwork", params={"path": movie.thumb}
        )

        assert elsewhere.requests == []
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "outbound_refused"
    assert "redirected to another address" in response.json()["error"]["message"]


def test_integrations_settings_refuse_a_malformed_network():
    settings = importlib.import_module("integrations.settings")

    with pytest.raises(ValueError, match="CIDR"):
        settings.IntegrationsSettings(database_url="postgresql://x@h/db", outbound_allowed_networks="127.0.0.1/40")
