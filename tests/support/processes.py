"""A service as the real OS process `python -m <service>`, for what only a process can show (its memory)."""

import signal
import subprocess
import tempfile
from pathlib import Path

from pydantic_settings import BaseSettings

from tests.support.fixtures import until_healthy
from tests.support.servers import free_port
from tests.support.sync_worker import spawn_worker, worker_environment


class ServiceProcess:
    """`await ServiceProcess("identity", settings).start()`: serves on a free loopback port until `stop()`.

    The gateway runs the same way (`ServiceProcess("gateway", settings, "/api/health/live")`)."""

    def __init__(self, service: str, settings: BaseSettings, health_path: str = "/health") -> None:
        self.service = service
        self.health_path = health_path
        self.port = free_port()
        self.env = worker_environment(settings, HOST="127.0.0.1", PORT=str(self.port))  # type: ignore[arg-type]
        self.log_path = Path(tempfile.mkstemp(prefix=f"{service}-", suffix=".log")[1])
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self, timeout: float = 60.0) -> "ServiceProcess":
        with self.log_path.open("a") as log:
            self.process = spawn_worker(self.env, stderr=log, module=self.service)
        try:
            await until_healthy(self.url, timeout, self.health_path)
        except BaseException:
            await self.stop()
            raise
        return self

    def kill(self) -> None:
        """SIGKILL, as an OOM or a lost node would: no shutdown code runs. `start()` serves again on the same port."""
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()
            self.process = None

    def peak_memory_mb(self) -> float:
        """The process's peak resident set size so far (VmHWM), in MB."""
        assert self.process is not None
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        kib = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
        return kib * 1024 / 1_000_000

    async def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
        self.log_path.unlink(missing_ok=True)

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
