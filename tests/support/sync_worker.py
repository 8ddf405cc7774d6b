"""The sync worker as the real process `python -m sync.worker`, which a test can SIGKILL and start again."""

import ctypes
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from sync.settings import SyncSettings


def worker_environment(settings: SyncSettings, **extra: str) -> dict[str, str]:
    """The environment under which `python -m sync.worker` reads exactly these settings."""
    values = {name.upper(): str(value) for name, value in settings.model_dump().items() if value is not None}
    # Several workers may run at once here: a test that scrapes one gives it a port of its own.
    return {**os.environ, **values, "LOG_LEVEL": "WARNING", "WORKER_METRICS_PORT": "0", **extra}


PR_SET_PDEATHSIG = 1
# Looked up once here, so the forked child only makes the call (no library loading between fork and exec).
_prctl = ctypes.CDLL(None, use_errno=True).prctl


def _die_with_the_test() -> None:
    """Linux: the worker is SIGKILLed when the test process dies, so a crashed run leaves none behind."""
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def spawn_worker(env: dict[str, str], stderr=subprocess.PIPE, module: str = "sync.worker") -> subprocess.Popen:  # type: ignore[no-untyped-def]
    """`python -m <module>` (the sync worker unless told otherwise), killed if the test process dies."""
    return subprocess.Popen(
        [sys.executable, "-m", module],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=stderr,
        preexec_fn=_die_with_the_test,
    )


class WorkerProcess:
    """One worker process at a time: `start()`, `kill()` as an OOM or a lost node would, `start()` again.

    Its stderr goes to a file rather than a pipe, so a long run that nobody reads never blocks it.
    """

    def __init__(self, settings: SyncSettings) -> None:
        self.env = worker_environment(settings)
        self.log_path = Path(tempfile.mkstemp(prefix="sync-worker-", suffix=".log")[1])
        self.process: subprocess.Popen | None = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> "WorkerProcess":
        assert not self.running, "the worker is already running"
        with self.log_path.open("a") as log:
            self.process = spawn_worker(self.env, stderr=log)
        return self

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, its unacknowledged step message goes back to the queue."""
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()
            self.process = None

    def stop(self) -> None:
        """Killed, not terminated: a graceful stop would wait on services served by the blocked test loop."""
        self.kill()
        self.log_path.unlink(missing_ok=True)

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
