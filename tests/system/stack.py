"""The whole system on loopback, with Postgres and RabbitMQ reached through proxies a test can cut.

It has a database and a vhost of its own (so the first user registered here is this system's
admin, whatever other suites did), and every process (five services, the gateway and a sync worker)
talks to Postgres and RabbitMQ through one `TcpProxy` each: cutting a proxy takes the dependency
"down" for this system only, never for the machine's real servers. The sync worker is a real
`python -m sync.worker` process that a test can SIGKILL and start again; Plex is a fake server.
"""

import importlib
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

from shelfspace_kernel.migrations import migrate
from tests.fakes.plex import FakePlex
from tests.support import infra
from tests.support.audit import eventually
from tests.support.fixtures import SHARED_SYSTEM_IDENTITY, SIGNERS, TEST_INTEGRATIONS, gateway_over
from tests.support.servers import RunningApp
from tests.support.sync_worker import WorkerProcess
from tests.support.tcp_proxy import TcpProxy

# The gateway's body limit here: small enough that the oversized-body cases stay cheap.
MAX_BODY_BYTES = 1024 * 1024
PLEX_TOKEN = "plex-token-of-the-system-suite"
# Short leases and sweeps, so a killed worker's step is taken over in seconds rather than minutes.
WORKER_TIMINGS = {"lease_seconds": 3.0, "requeue_after_seconds": 3.0, "sweep_seconds": 0.5}


def through(url: str, proxy: TcpProxy) -> str:
    """`url` with its host and port replaced by the proxy's."""
    parts = urlsplit(url)
    auth, _, _ = parts.netloc.rpartition("@")
    netloc = f"{auth}@127.0.0.1:{proxy.port}" if auth else f"127.0.0.1:{proxy.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _host_port(url: str, default_port: int) -> tuple[str, int]:
    parts = urlsplit(url.replace("postgresql+asyncpg://", "postgresql://"))
    return parts.hostname or "127.0.0.1", parts.port or default_port


@dataclass
class ProxiedSystem:
    services: dict[str, RunningApp]
    gateway: RunningApp
    pg: TcpProxy
    amqp: TcpProxy
    worker: WorkerProcess
    plex: FakePlex
    database: str
    postgres: infra.Postgres
    extra: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.gateway.url

    @property
    def admin_dsn(self) -> str:
        """A superuser DSN straight to the real server (for assertions on stored rows)."""
        return self.postgres.url(self.database)

    async def health(self) -> httpx.Response:
        async with httpx.AsyncClient(base_url=self.url, timeout=10) as client:
            return await client.get("/api/health")

    async def wait_healthy(self, timeout: float = 30.0) -> None:
        async def ok() -> bool:
            response = await self.health()
            return response.status_code == 200 and response.json()["status"] == "ok"

        await eventually(ok, timeout=timeout, every=0.2)

    async def restore(self) -> None:
        """Dependencies back up, every service running, and the whole system healthy again."""
        if self.pg._server is None:
            await self.pg.open()
        if self.amqp._server is None:
            await self.amqp.open()
        for app in self.services.values():
            if app._server is None:
                await app.start()
        if not self.worker.running:
            self.worker.start()
        await self.wait_healthy()


def service_settings(service: str, keys, **values):
    """A service's settings for this system (as tests.support.fixtures builds them for `system`)."""
    module = importlib.import_module(f"{service}.settings")
    settings_class = getattr(module, f"{service.capitalize()}Settings")
    return settings_class(
        environment="test",
        log_format="console",
        log_level="ERROR",
        internal_auth_public_keys=keys.public_keys,
        internal_auth_private_key=keys.private(service) if service in SIGNERS else "",
        db_pool_size=4,
        outbox_poll_seconds=0.5,
        consumer_retry_delay_ms=200,
        **(TEST_INTEGRATIONS if service == "integrations" else {}),
        **(SHARED_SYSTEM_IDENTITY if service == "identity" else {}),
        # Own covers in a directory of this system's (never the working directory's data/covers).
        **({"cover_storage_dir": Path(tempfile.mkdtemp(prefix="shelfspace-covers-"))} if service == "library" else {}),
        **values,
    )


async def new_storage(postgres: infra.Postgres, prefix: str) -> tuple[str, str]:
    """A database bootstrapped and migrated for every service, and a vhost: their names."""
    database, vhost = infra.new_name(prefix), infra.new_name(prefix)
    infra.bootstrap_database(postgres, database)
    infra.create_vhost(vhost, "guest")
    for service in infra.SERVICES:
        module = importlib.import_module(f"{service}.migrate")
        await migrate(postgres.service_url(database, service), module.MIGRATIONS, service)
    return database, vhost


async def start_proxied_system(postgres: infra.Postgres, amqp_url: str, keys) -> ProxiedSystem:
    """Bootstrap a database and a vhost, migrate every service, start them all behind the proxies."""
    from gateway.main import create_app as create_gateway

    started = time.monotonic()
    database, vhost = await new_storage(postgres, "shelfspace_system")
    pg = await TcpProxy(postgres.host, postgres.port).open()
    amqp = await TcpProxy(*_host_port(amqp_url, 5672)).open()
    broker_url = through(infra.with_vhost(amqp_url, vhost), amqp)
    services: dict[str, RunningApp] = {}
    for service in infra.SERVICES:
        create_app = importlib.import_module(f"{service}.main").create_app
        settings = service_settings(
            service,
            keys,
            database_url=through(postgres.service_url(database, service), pg),
            amqp_url=broker_url,
            **infra.upstream_urls(service, services),
        )
        services[service] = await RunningApp(lambda c=create_app, s=settings: c(s)).start()
    plex = FakePlex(token=PLEX_TOKEN)
    await plex.start()
    urls = {name: app.url for name, app in services.items()}
    gateway_settings = gateway_over(urls, keys, broker_url, max_body_bytes=MAX_BODY_BYTES)
    gateway = await RunningApp(lambda: create_gateway(gateway_settings)).start()
    worker = WorkerProcess(services["sync"].app.state.settings.model_copy(update=WORKER_TIMINGS)).start()
    system = ProxiedSystem(services, gateway, pg, amqp, worker, plex, database, postgres)
    system.extra["vhost"] = vhost
    system.extra["startup_seconds"] = round(time.monotonic() - started, 1)
    try:
        await system.wait_healthy(60)
    except BaseException:
        worker.stop()  # the one process that would outlive a failed start
        raise
    return system


async def stop_proxied_system(system: ProxiedSystem) -> None:
    system.worker.stop()
    await system.plex.stop()
    await system.gateway.stop()
    for app in reversed(list(system.services.values())):
        await app.stop()
    await system.pg.cut()
    await system.amqp.cut()
    infra.drop_database(system.postgres, system.database)
    infra.delete_vhost(system.extra["vhost"])
