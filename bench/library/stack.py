"""The processes under test: identity, library and the gateway, each `python -m <name>` on loopback.

A child process per service is what production runs (one uvicorn process each), so the RSS and
the latencies measured here are those of the real entry points.
"""

import asyncio
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from shelfspace_kernel.migrations import migrate
from tests.support.fixtures import Keys
from tests.support.servers import free_port

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Process:
    name: str
    port: int
    popen: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def rss_mb(self) -> dict[str, float]:
        """Resident memory now and at its peak (VmHWM), from /proc."""
        values: dict[str, float] = {}
        for line in Path(f"/proc/{self.popen.pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = round(int(rest.split()[0]) / 1024, 1)
        return {"rss_mb": values.get("VmRSS", 0.0), "peak_rss_mb": values.get("VmHWM", 0.0)}

    def tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


@dataclass
class Stack:
    processes: dict[str, Process] = field(default_factory=dict)
    logs: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="shelfspace-bench-")))

    async def start(self, name: str, env: dict[str, str], health: str = "/health", label: str = "") -> Process:
        """`python -m name`, known in `processes` by `label` (default: the name; a second gateway needs its own)."""
        label = label or name
        port = free_port()
        log = self.logs / f"{label}.log"
        full_env = {
            **os.environ,
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "LOG_FORMAT": "json",
            "LOG_LEVEL": "WARNING",
            "ENVIRONMENT": "production",
            # Plain http on loopback: identity and the gateway agree on unprefixed, non-Secure cookies.
            "SESSION_COOKIE_SECURE": "false",
            # Metrics stay on, on a port of each run's own (benches may run side by side).
            "GATEWAY_METRICS_PORT": str(free_port()),
            **env,
        }
        with log.open("wb") as out:
            popen = subprocess.Popen(  # noqa: ASYNC220 - a long-lived child, not awaited
                [sys.executable, "-m", name], env=full_env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT
            )
        process = Process(label, port, popen, log)
        self.processes[label] = process
        await _wait_healthy(process, health)
        return process

    async def stop(self) -> None:
        for process in reversed(list(self.processes.values())):
            if process.popen.poll() is None:
                process.popen.terminate()
        for process in self.processes.values():
            for _ in range(150):
                if process.popen.poll() is not None:
                    break
                await asyncio.sleep(0.1)
            else:
                process.popen.kill()


async def start_services(stack: Stack, pg, database: str, amqp_url: str) -> tuple[Keys, Process, Process]:
    """identity and library migrated and started, and the gateway in front of them (the library stands
    in for the other services); (keys, library, gateway)."""
    for service in ("identity", "library"):
        module = __import__(f"{service}.migrate", fromlist=["MIGRATIONS"])
        await migrate(pg.service_url(database, service), module.MIGRATIONS, service)
    keys = Keys.generate()
    common = {"AMQP_URL": amqp_url, "INTERNAL_AUTH_PUBLIC_KEYS": keys.public_keys}
    identity = await stack.start("identity", {**common, "DATABASE_URL": pg.service_url(database, "identity")})
    library = await stack.start("library", {**common, "DATABASE_URL": pg.service_url(database, "library")})
    gateway = await _start_gateway(stack, keys, amqp_url, identity, library)
    return keys, library, gateway


async def start_traced(stack: Stack, pg, database: str, amqp_url: str, keys: Keys) -> tuple[Process, Process]:
    """A second library and gateway on the same database and identity, with tracing on: each exports
    its spans to the bench's own OTLP sink. (library, gateway), known as `*_traced` in `processes`."""
    sink = await stack.start("bench.library.otlp_sink", {}, label="otlp_sink")
    tracing = {"OTEL_EXPORTER_OTLP_ENDPOINT": sink.url}
    common = {"AMQP_URL": amqp_url, "INTERNAL_AUTH_PUBLIC_KEYS": keys.public_keys, **tracing}
    library_env = {**common, "DATABASE_URL": pg.service_url(database, "library")}
    library = await stack.start("library", library_env, label="library_traced")
    gateway = await _start_gateway(stack, keys, amqp_url, stack.processes["identity"], library, tracing)
    return library, gateway


async def _start_gateway(
    stack: Stack, keys: Keys, amqp_url: str, identity: Process, library: Process, extra: dict | None = None
) -> Process:
    """The gateway in front of identity and the library (the library stands in for the other services)."""
    env = {"AMQP_URL": amqp_url, "INTERNAL_AUTH_PRIVATE_KEY": keys.private("gateway"), **(extra or {})}
    env |= {f"{name.upper()}_URL": library.url for name in ("integrations", "sync", "audit")}
    env |= {"IDENTITY_URL": identity.url, "LIBRARY_URL": library.url}
    label = "gateway_traced" if extra else "gateway"
    return await stack.start("gateway", env, health="/api/health/live", label=label)


async def _wait_healthy(process: Process, path: str, timeout: float = 60) -> None:
    async with httpx.AsyncClient(base_url=process.url, timeout=2) as client:
        for _ in range(int(timeout * 10)):
            if process.popen.poll() is not None:
                raise RuntimeError(f"{process.name} exited:\n{process.tail()}")
            try:
                if (await client.get(path)).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise TimeoutError(f"{process.name} did not become healthy:\n{process.tail()}")
