"""Real Postgres and RabbitMQ for tests: from TEST_DATABASE_URL / TEST_AMQP_URL, else testcontainers.

Each test run gets its own database (bootstrapped like production) and its own vhost, so tests
can run beside `make run` and beside each other.
"""

import os
import shutil
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[2]
SERVICES = ("identity", "library", "integrations", "sync", "audit")
ROLE_PASSWORD = "shelfspace-test"


@dataclass(frozen=True)
class Postgres:
    host: str
    port: int
    user: str
    password: str

    def url(self, database: str, user: str | None = None, password: str | None = None, driver: str = "") -> str:
        scheme = f"postgresql+{driver}" if driver else "postgresql"
        auth = quote(user or self.user) + (
            f":{quote(password or self.password)}" if (password or self.password) else ""
        )
        return f"{scheme}://{auth}@{self.host}:{self.port}/{database}"

    def service_url(self, database: str, service: str) -> str:
        return self.url(database, f"shelfspace_{service}", ROLE_PASSWORD, driver="asyncpg")

    def psql_env(self, database: str) -> dict[str, str]:
        env = {**os.environ, "PGHOST": self.host, "PGPORT": str(self.port), "PGUSER": self.user}
        env["PGPASSWORD"] = self.password
        env["SHELFSPACE_DB"] = database
        env.update({f"{service.upper()}_DB_PASSWORD": ROLE_PASSWORD for service in SERVICES})
        return env


def upstream_urls(service: str, started: dict) -> dict[str, str]:
    """The settings naming the services `service` calls: sync calls library, integrations and identity,
    which start before it (SERVICES order). `started`: name → a running app with a `url`."""
    if service != "sync":
        return {}
    return {
        "library_url": started["library"].url,
        "integrations_url": started["integrations"].url,
        "identity_url": started["identity"].url,
    }


def postgres_from_url(url: str) -> Postgres:
    parts = urlsplit(url.replace("postgresql+asyncpg://", "postgresql://"))
    return Postgres(
        parts.hostname or "127.0.0.1", parts.port or 5432, parts.username or "postgres", parts.password or ""
    )


def bootstrap_database(pg: Postgres, database: str) -> None:
    subprocess.run(
        ["bash", str(REPO / "deploy/postgres/bootstrap.sh")],
        env=pg.psql_env(database),
        check=True,
        capture_output=True,
    )


def drop_database(pg: Postgres, database: str) -> None:
    subprocess.run(
        ["psql", "-X", "-q", "-d", "postgres", "-c", f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'],
        env=pg.psql_env(database),
        check=False,
        capture_output=True,
    )


def new_name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


def with_vhost(amqp_url: str, vhost: str) -> str:
    parts = urlsplit(amqp_url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + quote(vhost, safe=""), parts.query, ""))


def rabbitmqctl(*args: str) -> None:
    if shutil.which("rabbitmqctl") is None:
        raise RuntimeError("TEST_AMQP_URL is set but rabbitmqctl is not available to create a test vhost")
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True)


def create_vhost(vhost: str, user: str) -> None:
    rabbitmqctl("add_vhost", vhost)
    rabbitmqctl("set_permissions", "-p", vhost, user, ".*", ".*", ".*")


def delete_vhost(vhost: str) -> None:
    rabbitmqctl("delete_vhost", vhost)
