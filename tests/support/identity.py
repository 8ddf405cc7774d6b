"""Signed-in clients through the gateway, for every test suite.

`new_user(system)` gives a fresh user (with a personal space) whose client carries the session
cookie and the CSRF header; `make_space_with_roles(system)` gives a space with an owner, an admin,
a member and a viewer, each signed in with that space active. The first call on a fresh system
registers the instance's first user (the global admin, `admin_account(system)`) and turns on open
registration, so later users need no invite.
"""

import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx

from shelfspace_contracts.identity import CSRF_COOKIE, CSRF_HEADER

PASSWORD = "correct horse battery staple"
ADMIN_KEY = "identity.admin"
OPEN_KEY = "identity.open_registration"


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.com"


def gateway_client(base_url: str, **kwargs: Any) -> httpx.AsyncClient:
    # Idle connections are dropped before the server's 5 s keep-alive timeout, so a request never
    # goes out on a connection the server is closing at that moment.
    limits = httpx.Limits(keepalive_expiry=2.0)
    return httpx.AsyncClient(base_url=base_url, timeout=30, limits=limits, **kwargs)


def adopt_csrf(client: httpx.AsyncClient) -> None:
    """Echo the readable CSRF cookie in every later request, as the web app does."""
    token = client.cookies.get(CSRF_COOKIE)
    if token:
        client.headers[CSRF_HEADER] = token


@dataclass
class Account:
    """A signed-in user: their gateway client (cookies + CSRF header), profile and password."""

    client: httpx.AsyncClient
    user: dict
    password: str

    @property
    def id(self) -> uuid.UUID:
        return uuid.UUID(self.user["id"])

    @property
    def email(self) -> str:
        return self.user["email"]

    async def me(self) -> dict:
        response = await self.client.get("/api/auth/me")
        assert response.status_code == 200, response.text
        return response.json()

    async def aclose(self) -> None:
        await self.client.aclose()


async def register(
    base_url: str,
    *,
    email: str | None = None,
    password: str = PASSWORD,
    name: str | None = None,
    invite_token: str | None = None,
) -> Account:
    client = gateway_client(base_url)
    body = {"email": email or unique_email(), "password": password, "name": name or "Test User"}
    if invite_token:
        body["invite_token"] = invite_token
    response = await client.post("/api/auth/register", json=body)
    if response.status_code != 201:
        await client.aclose()
        raise AssertionError(f"registration failed: {response.status_code} {response.text}")
    adopt_csrf(client)
    return Account(client, response.json()["user"], password)


async def login(base_url: str, email: str, password: str = PASSWORD) -> Account:
    client = gateway_client(base_url)
    response = await client.post("/api/auth/login", json={"email": email, "password": password})
    if response.status_code != 200:
        await client.aclose()
        raise AssertionError(f"login failed: {response.status_code} {response.text}")
    adopt_csrf(client)
    return Account(client, response.json()["user"], password)


async def admin_account(system) -> Account:
    """The instance's first user (global admin), registered on first use."""
    if ADMIN_KEY not in system.extra:
        async with gateway_client(system.url) as client:
            first_run = (await client.get("/api/auth/config")).json()["first_run"]
        if not first_run:
            raise AssertionError("the system already has users: create accounts through tests.support.identity")
        system.extra[ADMIN_KEY] = await register(system.url, email=unique_email("admin"), name="Instance Admin")
    return system.extra[ADMIN_KEY]


async def open_registration(system) -> None:
    if not system.extra.get(OPEN_KEY):
        admin = await admin_account(system)
        response = await admin.client.patch("/api/admin/instance-settings", json={"registration": "open"})
        assert response.status_code == 200, response.text
        system.extra[OPEN_KEY] = True


async def set_features(system, flags: dict[str, bool]) -> dict[str, bool]:
    """Switch instance feature flags as the global admin; the values they had before."""
    admin = await admin_account(system)
    listed = await admin.client.get("/api/admin/feature-flags")
    assert listed.status_code == 200, listed.text
    before = {flag["key"]: flag["enabled"] for flag in listed.json()["items"]}
    for key, enabled in flags.items():
        response = await admin.client.patch(f"/api/admin/feature-flags/{key}", json={"enabled": enabled})
        assert response.status_code == 200, response.text
    return {key: before[key] for key in flags}


@contextlib.asynccontextmanager
async def features(system, **flags: bool) -> AsyncIterator[None]:
    """Feature flags switched for the block, then set back."""
    before = await set_features(system, flags)
    try:
        yield
    finally:
        await set_features(system, before)


async def new_user(system, *, name: str = "Test User", email: str | None = None) -> Account:
    """A new user, owner of their own personal space (which is their active space)."""
    await open_registration(system)
    return await register(system.url, name=name, email=email)


async def invite(inviter: Account, space_id: uuid.UUID | str, email: str, role: str) -> str:
    response = await inviter.client.post(f"/api/spaces/{space_id}/invites", json={"email": email, "role": role})
    assert response.status_code == 201, response.text
    return response.json()["token"]


async def join_with_invite(system, inviter: Account, space_id: uuid.UUID | str, role: str, name: str) -> Account:
    """A new user who registers with an invite to `space_id` (their only, active space)."""
    email = unique_email(role)
    token = await invite(inviter, space_id, email, role)
    return await register(system.url, email=email, name=name, invite_token=token)


@dataclass
class SpaceWithRoles:
    space_id: uuid.UUID
    name: str
    owner: Account
    admin: Account
    member: Account
    viewer: Account

    def by_role(self) -> dict[str, Account]:
        return {"owner": self.owner, "admin": self.admin, "member": self.member, "viewer": self.viewer}

    async def aclose(self) -> None:
        for account in self.by_role().values():
            await account.aclose()


async def make_space_with_roles(system, name: str | None = None) -> SpaceWithRoles:
    """A new space with one user per role; each user's active space is this one."""
    owner = await new_user(system, name="Owner")
    space = await owner.client.post("/api/spaces", json={"name": name or f"Space {uuid.uuid4().hex[:8]}"})
    assert space.status_code == 201, space.text
    space_id = uuid.UUID(space.json()["id"])
    chosen = await owner.client.post("/api/spaces/active", json={"space_id": str(space_id)})
    assert chosen.status_code == 200, chosen.text
    others = {
        role: await join_with_invite(system, owner, space_id, role, role.title())
        for role in ("admin", "member", "viewer")
    }
    return SpaceWithRoles(space_id, space.json()["name"], owner, others["admin"], others["member"], others["viewer"])


@contextlib.asynccontextmanager
async def signed_in(system, **kwargs: Any) -> AsyncIterator[Account]:
    account = await new_user(system, **kwargs)
    try:
        yield account
    finally:
        await account.aclose()


@dataclass
class IdentityStack:
    """An identity service and a gateway on a database of their own (e.g. an empty install)."""

    identity: Any
    gateway: Any

    @property
    def url(self) -> str:
        return self.gateway.url


@contextlib.asynccontextmanager
async def identity_stack(
    postgres,
    amqp_url: str,
    keys,
    *,
    identity: dict | None = None,
    gateway: dict | None = None,
    identity_as_process: bool = False,
    public_url: bool = False,
) -> AsyncIterator[IdentityStack]:
    """A fresh database (bootstrapped, identity migrated), its own vhost, identity and a gateway.

    With `identity_as_process`, identity runs as `python -m identity` (a `ServiceProcess`), e.g. to
    read its memory; otherwise in the test's event loop. With `public_url`, identity's PUBLIC_URL is
    the gateway's address (links and SSO redirects that must be absolute).
    """
    from gateway.main import create_app as create_gateway
    from gateway.settings import GatewaySettings
    from identity.main import create_app as create_identity
    from identity.migrate import MIGRATIONS
    from identity.settings import IdentitySettings
    from shelfspace_kernel.migrations import migrate
    from tests.support import infra
    from tests.support.fixtures import TEST_IDENTITY_KEY
    from tests.support.processes import ServiceProcess
    from tests.support.servers import RunningApp, free_port

    database, vhost = infra.new_name("shelfspace_identity"), infra.new_name("shelfspace_identity")
    infra.bootstrap_database(postgres, database)
    infra.create_vhost(vhost, "guest")
    running: list[RunningApp | ServiceProcess] = []
    gateway_port = free_port() if public_url else None
    if gateway_port is not None:
        identity = {"public_url": f"http://127.0.0.1:{gateway_port}", **(identity or {})}
    try:
        await migrate(postgres.service_url(database, "identity"), MIGRATIONS, "identity")
        settings = IdentitySettings(
            environment="test", log_format="console", log_level="WARNING",
            database_url=postgres.service_url(database, "identity"), amqp_url=infra.with_vhost(amqp_url, vhost),
            internal_auth_public_keys=keys.public_keys, outbox_poll_seconds=0.5,
            **{"identity_encryption_key": TEST_IDENTITY_KEY, **(identity or {})},
        )  # fmt: skip
        if identity_as_process:
            running.append(await ServiceProcess("identity", settings).start())
        else:
            running.append(await RunningApp(lambda: create_identity(settings)).start())
        gateway_settings = GatewaySettings(
            environment="test", log_format="console", log_level="WARNING", internal_auth_private_key=keys.private("gateway"),
            identity_url=running[0].url, amqp_url=infra.with_vhost(amqp_url, vhost), **(gateway or {}),
        )  # fmt: skip
        running.append(await RunningApp(lambda: create_gateway(gateway_settings), gateway_port).start())
        yield IdentityStack(*running)
    finally:
        for app in reversed(running):
            await app.stop()
        infra.drop_database(postgres, database)
        infra.delete_vhost(vhost)
