"""Session fixtures shared by every test suite: database, broker vhost, keys, running services."""

import asyncio
import importlib
import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from shelfspace_kernel.internal_auth import TokenSigner
from shelfspace_kernel.internal_keys import generate_keypair, public_key_entry
from shelfspace_kernel.migrations import migrate
from tests.support import infra
from tests.support.servers import RunningApp, free_port

# base64 of 32 bytes: a valid INTEGRATION_ENCRYPTION_KEY for test runs only.
TEST_INTEGRATION_KEY = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA="
# base64 of 32 bytes: a valid IDENTITY_ENCRYPTION_KEY (TOTP secrets) for test runs only.
TEST_IDENTITY_KEY = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8="
# A system shared by a whole test session sees every suite's refused registrations and invite claims
# from one loopback address: its per-address limits are out of the way (tests/security checks them).
SHARED_SYSTEM_IDENTITY = {
    "identity_encryption_key": TEST_IDENTITY_KEY,
    "registration_max_failures_per_address": 100_000,
    "invite_claim_max_failures_per_address": 100_000,
}
# The provider fakes listen on loopback, which production refuses unless an operator allows it.
TEST_INTEGRATIONS = {"integration_encryption_key": TEST_INTEGRATION_KEY, "outbound_allowed_networks": "127.0.0.1/32"}


@dataclass(frozen=True)
class TestDatabase:
    pg: infra.Postgres
    name: str

    def service_url(self, service: str) -> str:
        return self.pg.service_url(self.name, service)

    @property
    def admin_url(self) -> str:
        return self.pg.url(self.name, driver="asyncpg")


# Every process that signs internal tokens, by the caller name its key is bound to.
SIGNERS = ("gateway", "sync")


@dataclass(frozen=True)
class Keys:
    """One internal-auth key per signer, as in production, and the list every service trusts."""

    private_pems: dict[str, str]

    @classmethod
    def generate(cls) -> "Keys":
        return cls({caller: generate_keypair()[0] for caller in SIGNERS})

    def private(self, caller: str) -> str:
        return self.private_pems[caller]

    @property
    def public_keys(self) -> str:
        """The INTERNAL_AUTH_PUBLIC_KEYS value."""
        return " ".join(public_key_entry(caller, pem) for caller, pem in self.private_pems.items())

    def signer(self, caller: str) -> TokenSigner:
        return TokenSigner(self.private(caller))


@pytest.fixture(scope="session")
def postgres() -> Iterator[infra.Postgres]:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        yield infra.postgres_from_url(url)
        return
    from testcontainers.community.postgres import PostgresContainer

    with PostgresContainer("postgres:15", driver=None) as container:
        yield infra.postgres_from_url(container.get_connection_url())


@pytest.fixture(scope="session")
def amqp_url() -> Iterator[str]:
    url = os.environ.get("TEST_AMQP_URL")
    if not url:
        from testcontainers.community.rabbitmq import RabbitMqContainer

        with RabbitMqContainer("rabbitmq:3.13") as container:
            params = container.get_connection_params()
            yield f"amqp://guest:guest@{params.host}:{params.port}/"
        return
    vhost = infra.new_name("shelfspace_test")
    infra.create_vhost(vhost, "guest")
    try:
        yield infra.with_vhost(url, vhost)
    finally:
        infra.delete_vhost(vhost)


def service_migrations(service: str) -> Path:
    return Path(importlib.import_module(f"{service}.migrate").MIGRATIONS)


@pytest.fixture(scope="session")
async def database(postgres: infra.Postgres) -> AsyncIterator[TestDatabase]:
    db = TestDatabase(postgres, infra.new_name("shelfspace_test"))
    infra.bootstrap_database(postgres, db.name)
    try:
        for service in infra.SERVICES:
            await migrate(db.service_url(service), service_migrations(service), service)
        yield db
    finally:
        infra.drop_database(postgres, db.name)


@pytest.fixture(scope="session")
def keys() -> Keys:
    return Keys.generate()


@pytest.fixture(scope="session")
def service_settings(database: TestDatabase, amqp_url: str, keys: Keys, tmp_path_factory):
    """Build a service's settings for this test run: `service_settings("library", port=...)`."""

    def build(service: str, **overrides):
        # Each library gets a cover directory of its own (never the working directory's data/covers).
        covers = {"cover_storage_dir": tmp_path_factory.mktemp("covers")} if service == "library" else {}
        settings_module = importlib.import_module(f"{service}.settings")
        settings_class = getattr(settings_module, f"{service.capitalize()}Settings")
        values = {
            "environment": "test",
            "log_format": "console",
            "log_level": "WARNING",
            "database_url": database.service_url(service),
            "amqp_url": amqp_url,
            "internal_auth_public_keys": keys.public_keys,
            "internal_auth_private_key": keys.private(service) if service in SIGNERS else "",
            "db_pool_size": 4,  # five services and the test suites share one server's connections
            "outbox_poll_seconds": 0.5,
            "consumer_retry_delay_ms": 200,
            # The integrations service refuses to start without a strong secrets key outside development.
            **(TEST_INTEGRATIONS if service == "integrations" else {}),
            **(SHARED_SYSTEM_IDENTITY if service == "identity" else {}),
            **covers,
            **overrides,
        }
        return settings_class(**values)

    return build


@dataclass
class System:
    """Every service and the gateway, running on loopback against the test database and vhost."""

    services: dict[str, RunningApp]
    gateway: RunningApp
    extra: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.gateway.url


async def until_healthy(url: str, timeout: float = 60.0, path: str = "/health") -> None:
    """Wait for a service's `/health` to say `ok`: its broker is then connected and its consumers are
    bound, so no event is missed (readiness alone, 200, also covers `degraded`: no broker yet). A
    health answer without a status (the gateway's `/api/health/live`) counts once it is 200."""
    async with httpx.AsyncClient(base_url=url, timeout=5) as client, asyncio.timeout(timeout):
        while True:
            try:
                response = await client.get(path)
                if response.status_code == 200 and response.json().get("status", "ok") == "ok":
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)


def gateway_over(service_urls: dict[str, str], keys: Keys, amqp_url: str, **overrides):
    """The settings of a gateway in front of the services at `service_urls` (name → URL)."""
    from gateway.settings import GatewaySettings

    return GatewaySettings(
        environment="test",
        amqp_url=amqp_url,
        log_format="console",
        log_level="WARNING",
        internal_auth_private_key=keys.private("gateway"),
        health_timeout=1.0,
        **{f"{name}_url": url for name, url in service_urls.items()},
        # Tests that stop a service read /api/health at once; tests/gateway/test_health.py checks the cache.
        **{"health_cache_seconds": 0.0, **overrides},
    )


def own_parts(service: str, ports: dict[str, int]) -> dict[str, str]:
    """The integrations service's list of this deployment's endpoints (its own database and broker it knows)."""
    if service != "integrations":
        return {}
    return {"outbound_internal_endpoints": ",".join(f"127.0.0.1:{port}" for port in ports.values())}


@pytest.fixture(scope="session")
async def system(service_settings, keys: Keys, amqp_url: str) -> AsyncIterator[System]:
    from gateway.main import create_app as create_gateway

    # Ports chosen up front, so the integrations service knows every part of this deployment as its own.
    ports = {name: free_port() for name in (*infra.SERVICES, "gateway")}
    services: dict[str, RunningApp] = {}
    for service in infra.SERVICES:
        create_app = importlib.import_module(f"{service}.main").create_app
        settings = service_settings(service, **infra.upstream_urls(service, services), **own_parts(service, ports))
        services[service] = await RunningApp(lambda c=create_app, s=settings: c(s), ports[service]).start()
    for app in services.values():
        await until_healthy(app.url)
    gateway_settings = gateway_over({name: app.url for name, app in services.items()}, keys, amqp_url)
    gateway = await RunningApp(lambda: create_gateway(gateway_settings), ports["gateway"]).start()
    try:
        yield System(services, gateway)
    finally:
        await gateway.stop()
        for app in services.values():
            await app.stop()
