"""`make run`: the whole system on localhost against the local Postgres and RabbitMQ.

Bootstraps the database (SHELFSPACE_DB, default shelfspace) and the RabbitMQ vhost
(SHELFSPACE_AMQP_VHOST, default /), creates development keys under .run/<db>/ (an internal-auth
key for each signer: the gateway and sync), runs every service's migrations, then starts the
services, the sync worker and the gateway (SHELFSPACE_PORT, default 8080; services on the next five
ports) serving the built web app. Ctrl-C stops everything.

Each process writes to its own log under .run/<db>/logs/; the terminal shows only where they are,
"ready at …", and the end of a log when its process fails.
"""

import base64
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
SERVICES = ("identity", "library", "integrations", "sync", "audit")
# The processes that call other services, each with a signing key of its own (sync's API and worker share one).
SIGNERS = ("gateway", "sync")

DB = os.environ.get("SHELFSPACE_DB", "shelfspace")
PORT = int(os.environ.get("SHELFSPACE_PORT", "8080"))
VHOST = os.environ.get("SHELFSPACE_AMQP_VHOST", "/")
PGHOST = os.environ.get("PGHOST", "127.0.0.1")
PGPORT = os.environ.get("PGPORT", "5432")
PGUSER = os.environ.get("PGUSER", "postgres")
AMQP_HOST = os.environ.get("SHELFSPACE_AMQP_HOST", "127.0.0.1:5672")
AMQP_USER = os.environ.get("SHELFSPACE_AMQP_USER", "guest")
AMQP_PASSWORD = os.environ.get("SHELFSPACE_AMQP_PASSWORD", "guest")


LOGS = REPO / ".run" / DB / "logs"


def say(message: str) -> None:
    print(f"shelfspace: {message}", flush=True)


def log_file(name: str) -> Path:
    return LOGS / f"{name}.log"


def show_tail(name: str, lines: int = 30) -> None:
    """The end of a process's log, so a failure is explained where the user is looking."""
    tail = log_file(name).read_text(errors="replace").splitlines()[-lines:]
    print("\n".join(f"  {line}" for line in tail), file=sys.stderr, flush=True)


def run_logged(name: str, command: list[str], env: dict[str, str]) -> None:
    """Run a setup step with its output in its log; on failure show the log's end and stop."""
    with log_file(name).open("w") as log:
        done = subprocess.run(command, env=env, stdout=log, stderr=subprocess.STDOUT, check=False)
    if done.returncode != 0:
        say(f"{name} failed (exit {done.returncode}); end of {log_file(name)}:")
        show_tail(name)
        sys.exit(done.returncode)


def start_logged(name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen:
    with log_file(name).open("w") as log:
        return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)


def bootstrap_database() -> None:
    env = {**os.environ, "PGHOST": PGHOST, "PGPORT": PGPORT, "PGUSER": PGUSER, "SHELFSPACE_DB": DB}
    run_logged("bootstrap", ["bash", str(REPO / "deploy/postgres/bootstrap.sh")], env)


def ensure_vhost() -> None:
    if VHOST == "/":
        return
    if shutil.which("rabbitmqctl") is None:
        say(f"rabbitmqctl not found: make sure the vhost {VHOST!r} exists")
        return
    listed = subprocess.run(["rabbitmqctl", "-q", "list_vhosts"], capture_output=True, text=True, check=True)
    if VHOST not in listed.stdout.split():
        subprocess.run(["rabbitmqctl", "-q", "add_vhost", VHOST], check=True)
        subprocess.run(["rabbitmqctl", "-q", "set_permissions", "-p", VHOST, AMQP_USER, ".*", ".*", ".*"], check=True)


def development_keys(state: Path) -> dict[str, str]:
    """Keys that survive restarts of this instance; generated once, never committed."""
    from shelfspace_kernel.internal_keys import generate_keypair, public_key_entry

    state.mkdir(parents=True, exist_ok=True)
    entries = []
    for signer in SIGNERS:
        private = state / f"internal_auth_{signer}.key"
        if not private.exists():
            private.write_text(generate_keypair()[0])
            private.chmod(0o600)
        entries.append(public_key_entry(signer, private.read_text()))
    public = state / "internal_auth_public_keys"
    public.write_text("\n".join(entries) + "\n")
    sealing = {}
    for name in ("integration", "identity"):
        encryption = state / f"{name}_encryption.key"
        if not encryption.exists():
            encryption.write_text(base64.b64encode(secrets.token_bytes(32)).decode())
            encryption.chmod(0o600)
        sealing[f"{name.upper()}_ENCRYPTION_KEY"] = encryption.read_text().strip()
    return {"INTERNAL_AUTH_PUBLIC_KEYS": str(public), **sealing}


def signing_key(state: Path, signer: str) -> dict[str, str]:
    """The environment that lets one process sign internal tokens with its own key."""
    return {"INTERNAL_AUTH_PRIVATE_KEY": str(state / f"internal_auth_{signer}.key")}


def service_env(common: dict[str, str], service: str, port: int) -> dict[str, str]:
    state = REPO / ".run" / DB
    return {
        **common,
        **(signing_key(state, service) if service in SIGNERS else {}),
        "DATABASE_URL": f"postgresql+asyncpg://shelfspace_{service}@{PGHOST}:{PGPORT}/{DB}",
        "PORT": str(port),
    }


def wait_healthy(url: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own localhost URL
                if response.status == 200 and b'"status":"ok"' in response.read().replace(b" ", b""):
                    return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def main() -> int:
    started = time.monotonic()
    LOGS.mkdir(parents=True, exist_ok=True)
    say(f"logs of every process: {LOGS.relative_to(REPO)}/")
    bootstrap_database()
    ensure_vhost()
    ports = {service: PORT + index + 1 for index, service in enumerate(SERVICES)}
    common = {
        # A signing key only reaches the process it belongs to.
        **{name: value for name, value in os.environ.items() if name != "INTERNAL_AUTH_PRIVATE_KEY"},
        **development_keys(REPO / ".run" / DB),
        "ENVIRONMENT": "development",
        "LOG_FORMAT": os.environ.get("LOG_FORMAT", "console"),
        "HOST": "127.0.0.1",
        "AMQP_URL": f"amqp://{AMQP_USER}:{AMQP_PASSWORD}@{AMQP_HOST}/{quote(VHOST, safe='')}",
        "GIT_SHA": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO
        ).stdout.strip()
        or "unknown",
        **{f"{service.upper()}_URL": f"http://127.0.0.1:{port}" for service, port in ports.items()},
    }
    for service in SERVICES:
        run_logged(
            f"{service}-migrate", [PYTHON, "-m", f"{service}.migrate"], service_env(common, service, ports[service])
        )

    commands = {
        service: ([PYTHON, "-m", service], service_env(common, service, port)) for service, port in ports.items()
    }
    commands["sync-worker"] = ([PYTHON, "-m", "sync.worker"], service_env(common, "sync", ports["sync"]))
    gateway_env = {
        **common,
        **signing_key(REPO / ".run" / DB, "gateway"),
        "PORT": str(PORT),
        "FRONTEND_DIST": str(REPO / "frontend" / "dist"),
    }
    commands["gateway"] = ([PYTHON, "-m", "gateway"], gateway_env)
    processes = {name: start_logged(name, command, env) for name, (command, env) in commands.items()}

    def stop(*_: object) -> None:
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
        for process in processes.values():
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        sys.exit(0)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    url = f"http://localhost:{PORT}"
    if wait_healthy(f"http://127.0.0.1:{PORT}/api/health", 60):
        say(f"ready at {url} (started in {time.monotonic() - started:.1f}s); Ctrl-C stops everything")
    else:
        say(f"started, but {url}/api/health is not ok yet; see the logs in {LOGS.relative_to(REPO)}/")
    while True:
        for name, process in processes.items():
            if process.poll() is not None:
                say(f"{name} exited with {process.returncode}; stopping. End of {log_file(name)}:")
                show_tail(name)
                stop()
        time.sleep(1)


if __name__ == "__main__":
    sys.exit(main())
