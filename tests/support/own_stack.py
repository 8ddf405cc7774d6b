"""Services and a gateway on a database and a vhost of their own, for tests that count what the
session's shared services would disturb (their relays and consumers would take the events)."""

import contextlib
import importlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from shelfspace_kernel.migrations import migrate
from tests.support import infra
from tests.support.fixtures import gateway_over, service_migrations, until_healthy
from tests.support.servers import RunningApp


@dataclass
class OwnStack:
    apps: dict[str, RunningApp]  # by service name, and "gateway"
    settings: dict[str, Any] = field(default_factory=dict)  # each service's settings, by name
    database: str = ""
    postgres: infra.Postgres | None = None

    @property
    def url(self) -> str:
        return self.apps["gateway"].url

    @property
    def admin_dsn(self) -> str:
        assert self.postgres is not None
        return self.postgres.url(self.database)


@contextlib.asynccontextmanager
async def own_stack(
    postgres: infra.Postgres, service_settings, keys, amqp_url: str, names: tuple[str, ...], **settings: Any
) -> AsyncIterator[OwnStack]:
    """The services `names` (in infra.SERVICES order, each with `settings` too) and a gateway in front;
    a service not started is an address that refuses connections."""
    from gateway.main import create_app as gateway_app

    vhost = database = infra.new_name("shelfspace_own")
    infra.create_vhost(vhost, "guest")
    infra.bootstrap_database(postgres, database)
    amqp = infra.with_vhost(amqp_url, vhost)
    stack = OwnStack({}, database=database, postgres=postgres)
    try:
        for name in names:
            factory = importlib.import_module(f"{name}.main").create_app
            url = postgres.service_url(database, name)
            await migrate(url, service_migrations(name), name)
            stack.settings[name] = service_settings(
                name, database_url=url, amqp_url=amqp, **settings, **infra.upstream_urls(name, stack.apps)
            )
            stack.apps[name] = await RunningApp(lambda f=factory, s=stack.settings[name]: f(s)).start()
            await until_healthy(stack.apps[name].url)
        urls = {name: app.url for name, app in stack.apps.items()}
        urls |= {name: "http://127.0.0.1:9" for name in infra.SERVICES if name not in urls}
        gateway_settings = gateway_over(urls, keys, amqp, **settings)
        stack.apps["gateway"] = await RunningApp(lambda: gateway_app(gateway_settings)).start()
        yield stack
    finally:
        try:
            for app in reversed(stack.apps.values()):
                await app.stop()
        finally:  # also when a stop timed out on a busy machine: nothing of the stack is left behind
            infra.delete_vhost(vhost)
            infra.drop_database(postgres, database)
