"""The RBAC matrix, generated from the gateway's route table: every route x every kind of caller x
{own space, other space} gets exactly the gateway decision its policy promises.

Personal API tokens are callers too: `token_<role>` holds a token of that role for the own space
(its only space), sent as `Authorization: Bearer` with no cookie.

"pass" means the gateway forwarded the request (whatever the service then answered); a refusal is
recognised by the gateway's `X-Gateway-Refusal` mark. Adding a route with no policy, or with a
policy this test does not know, fails here. Every feature flag is on while the matrix runs: flags
are checked after the policy (tests/security/test_edge.py covers them).
"""

import asyncio
import uuid
from dataclasses import dataclass

import pytest

from gateway.access import REFUSAL_HEADER
from gateway.route_table import ROUTES
from gateway.routes import Access, Route
from shelfspace_contracts.features import Feature
from shelfspace_contracts.roles import SpaceRole
from tests.support.identity import (
    Account,
    admin_account,
    features,
    gateway_client,
    make_space_with_roles,
    new_user,
)

SPACE_ROLES = ("viewer", "member", "admin", "owner")
PERSONAS = ("anonymous", *SPACE_ROLES, "global_admin", *(f"token_{role}" for role in SPACE_ROLES))
SCOPES = ("own", "other")
PASS = "pass"
CHUNK = 8
# Routes that end the caller's session run with a throwaway session of the same persona.
SESSION_ENDING = {("POST", "/api/auth/logout")}


def expected(route: Route, persona: str, scope: str) -> int | str:
    """The gateway's decision, written from the policy table in docs/security.md."""
    access = route.access
    if access is Access.PUBLIC:
        return PASS
    if persona == "anonymous":
        return 401
    if persona.startswith("token_"):
        if route.session_only or access is Access.GLOBAL_ADMIN:
            return 403
        persona = persona.removeprefix("token_")
    if access is Access.SIGNED_IN:
        return PASS
    if access is Access.GLOBAL_ADMIN:
        return PASS if persona == "global_admin" else 403
    required = access.space_role
    if required is None:
        raise AssertionError(f"{route.method} {route.path}: unknown access policy {access!r}")
    if route.space_param:
        if scope == "other" or persona == "global_admin":
            return 404
    elif scope == "other" or persona == "global_admin":
        return 403  # X-Space-Id names a space the caller is not in (or no active space at all)
    return PASS if SpaceRole(persona).at_least(required) else 403


def test_every_route_has_a_known_policy_and_names_its_space_parameter():
    for route in ROUTES:
        assert isinstance(route.access, Access), route
        if route.space_param:
            assert f"{{{route.space_param}}}" in route.path, route
            assert route.access.space_role is not None, route
        if "{space_id}" in route.path:
            assert route.space_param == "space_id", f"{route.path} must act on the space in its path"
        if route.feature is not None:
            assert isinstance(route.feature, Feature), route
            assert route.access is not Access.PUBLIC, route


@dataclass
class Case:
    route: Route
    persona: str
    scope: str


def concrete_path(route: Route, space_id: uuid.UUID) -> str:
    path = route.path
    for name in route.regex.groupindex:
        value = str(space_id) if name == route.space_param else str(uuid.uuid4())
        path = path.replace(f"{{{name}}}", value)
    return path


@pytest.fixture(scope="module")
async def cast(system):
    """One space with a user per role, a second space nobody here belongs to, and a global admin
    who is a member of no space at all."""
    space = await make_space_with_roles(system)
    other = await make_space_with_roles(system)
    root = await admin_account(system)
    global_admin = await new_user(system, name="Global")
    own_space = (await global_admin.client.get("/api/spaces")).json()["items"][0]
    await global_admin.client.request(
        "DELETE", f"/api/spaces/{own_space['id']}", json={"confirm_name": own_space["name"]}
    )
    promoted = await root.client.patch(f"/api/admin/users/{global_admin.id}", json={"role": "admin"})
    assert promoted.status_code == 200
    accounts: dict[str, Account | None] = {**space.by_role(), "global_admin": global_admin, "anonymous": None}
    for role, account in space.by_role().items():
        accounts[f"token_{role}"] = await bearer_of(system, account, space.space_id, role)
    async with features(system, **dict.fromkeys(Feature, True)):
        yield space, other, accounts
    for role in SPACE_ROLES:
        await accounts[f"token_{role}"].aclose()
    await space.aclose()
    await other.aclose()
    await global_admin.aclose()


async def bearer_of(system, account: Account, space_id: uuid.UUID, role: str) -> Account:
    """The account acting through a personal API token of `role` in the space (no cookies)."""
    created = await account.client.post(
        "/api/auth/tokens", json={"name": f"matrix {role}", "space_id": str(space_id), "role": role}
    )
    assert created.status_code == 201, created.text
    client = gateway_client(system.url, headers={"authorization": f"Bearer {created.json()['secret']}"})
    return Account(client, account.user, account.password)


async def run_case(system, case: Case, space_id, other_id, accounts) -> tuple[Case, int, str | None]:
    route = case.route
    target = space_id if case.scope == "own" else other_id
    path = concrete_path(route, target)
    headers = {"x-space-id": str(other_id)} if case.scope == "other" and not route.space_param else {}
    account = accounts[case.persona]
    if account is None:
        async with gateway_client(system.url) as client:
            response = await client.request(route.method, path, headers=headers)
    elif (route.method, route.path) in SESSION_ENDING and not case.persona.startswith("token_"):
        from tests.support.identity import login

        throwaway = await login(system.url, account.email, account.password)
        response = await throwaway.client.request(route.method, path, headers=headers)
        await throwaway.aclose()
    else:
        response = await account.client.request(route.method, path, headers=headers)
    return case, response.status_code, response.headers.get(REFUSAL_HEADER)


async def test_every_route_for_every_caller_gets_the_policy_decision(system, cast):
    space, other, accounts = cast
    cases = [Case(route, persona, scope) for route in ROUTES for persona in PERSONAS for scope in SCOPES]
    results = []
    for start in range(0, len(cases), CHUNK):
        chunk = cases[start : start + CHUNK]
        results += await asyncio.gather(
            *(run_case(system, case, space.space_id, other.space_id, accounts) for case in chunk)
        )

    wrong = []
    for case, status, refusal in results:
        want = expected(case.route, case.persona, case.scope)
        got = PASS if refusal is None else status
        if got != want:
            wrong.append(f"{case.route.method} {case.route.path} as {case.persona} ({case.scope}): {got}, want {want}")
    assert not wrong, "\n".join(wrong)
