"""The whole system scaled out on loopback: two replicas of every service, two gateways, two workers.

Every process is a real OS process (`python -m <service>`, `python -m gateway`, `python -m sync.worker`)
that a test can SIGKILL and start again on the same port. Each service's two replicas sit behind a
`Balancer` (the Kubernetes Service of a deployment), which the gateways and the sync processes call;
clients pick a gateway themselves. All of them share one database and one vhost of their own.
"""

import asyncio
import contextlib
import os
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

from sync.settings import SyncSettings
from tests.fakes.plex import FakePlex
from tests.support import infra
from tests.support.fixtures import gateway_over
from tests.support.processes import ServiceProcess
from tests.support.sync_worker import WorkerProcess
from tests.support.tcp_proxy import Balancer
from tests.system.stack import PLEX_TOKEN, WORKER_TIMINGS, new_storage, service_settings

REPLICAS = 2
# Fourteen Python processes starting at once on a busy two-core machine: each may take a while.
START_SECONDS = 240.0
# The scheduler runs every half second, so a schedule made due is taken within the test.
WORKER_SETTINGS = {**WORKER_TIMINGS, "schedule_seconds": 0.5}


@dataclass
class ReplicatedSystem:
    replicas: dict[str, list[ServiceProcess]]
    balancers: dict[str, Balancer]
    gateways: list[ServiceProcess]
    workers: list[WorkerProcess]
    plex: FakePlex
    database: str
    postgres: infra.Postgres
    vhost: str
    extra: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        """The first gateway (tests.support.identity's helpers sign in through it)."""
        return self.gateways[0].url

    @property
    def admin_dsn(self) -> str:
        return self.postgres.url(self.database)

    def log_tails(self) -> str:
        """The end of every process's log, to explain a failure."""
        processes = [*(p for ps in self.replicas.values() for p in ps), *self.gateways]
        tails = [f"--- {p.service}:{p.port}\n{p.log_tail(15)}" for p in processes]
        tails += [f"--- worker {n}\n{worker.log_tail(15)}" for n, worker in enumerate(self.workers)]
        return "\n".join(tails)


@contextlib.asynccontextmanager
async def replicated_system(postgres: infra.Postgres, amqp_url: str, keys) -> AsyncIterator[ReplicatedSystem]:
    """Started, yielded, and everything stopped and dropped afterwards (also after a failed start)."""
    database, vhost = await new_storage(postgres, "shelfspace_replicas")
    broker = infra.with_vhost(amqp_url, vhost)
    replicas: dict[str, list[ServiceProcess]] = {}
    balancers: dict[str, Balancer] = {}
    workers: list[WorkerProcess] = []
    for service in infra.SERVICES:
        settings = service_settings(
            service,
            keys,
            database_url=postgres.service_url(database, service),
            amqp_url=broker,
            **infra.upstream_urls(service, balancers),
        )
        replicas[service] = [ServiceProcess(service, settings) for _ in range(REPLICAS)]
        if service == "sync":
            workers = [_worker(settings) for _ in range(REPLICAS)]
        balancers[service] = await Balancer([p.port for p in replicas[service]]).open()
    gateway_settings = gateway_over(
        {name: balancer.url for name, balancer in balancers.items()}, keys, broker, gateway_metrics_port=0
    )
    gateways = [ServiceProcess("gateway", gateway_settings, "/api/health/live") for _ in range(REPLICAS)]
    plex = await FakePlex(token=PLEX_TOKEN).start()
    system = ReplicatedSystem(replicas, balancers, gateways, workers, plex, database, postgres, vhost)
    try:
        await asyncio.gather(*(p.start(START_SECONDS) for ps in replicas.values() for p in ps))
        await asyncio.gather(*(gateway.start(START_SECONDS) for gateway in gateways))
        for worker in workers:
            worker.start()
        yield system
    finally:
        await _stop(system)


def _worker(settings: SyncSettings) -> WorkerProcess:
    """A worker with the sync service's settings, the short test timings and a heartbeat file of its own."""
    heartbeat = Path(tempfile.mkstemp(prefix="sync-worker-", suffix=".alive")[1])
    return WorkerProcess(settings.model_copy(update={**WORKER_SETTINGS, "worker_heartbeat_file": str(heartbeat)}))


async def _stop(system: ReplicatedSystem) -> None:
    try:
        for worker in system.workers:
            worker.stop()
            with contextlib.suppress(FileNotFoundError):
                os.remove(worker.env["WORKER_HEARTBEAT_FILE"])
        for process in [*system.gateways, *(p for ps in system.replicas.values() for p in ps)]:
            await process.stop()
        for balancer in system.balancers.values():
            await balancer.cut()
        await system.plex.stop()
    finally:  # the database and vhost go whatever failed above
        infra.drop_database(system.postgres, system.database)
        infra.delete_vhost(system.vhost)
