"""The edge: security headers, client addresses, feature flags and request ids, through the gateway.

A second gateway runs beside the system's own, over the same services, serving a tiny web app; one
more believes loopback as its reverse proxy. The login limits run on a private identity stack, so
the addresses they block are nobody else's.
"""

import functools
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from gateway.access import REFUSAL_HEADER
from gateway.route_table import ROUTES
from shelfspace_contracts.audit import REQUEST_ENTITY_TYPE
from tests.support.audit import activity, eventually
from tests.support.fixtures import gateway_over
from tests.support.identity import (
    PASSWORD,
    admin_account,
    features,
    gateway_client,
    identity_stack,
    register,
    set_features,
    signed_in,
)
from tests.support.servers import RunningApp

INDEX_HTML = '<!doctype html><html><head><script type="module" src="/assets/app.js"></script></head></html>'
# Few connections: the private identity runs beside the whole system on one Postgres.
LIMITS = {"login_max_failures_per_account": 100, "login_max_failures_per_address": 3, "db_pool_size": 2}
BEHIND_LOOPBACK = {"trusted_proxies": "127.0.0.1"}
# Every route a feature flag gates, and its flag.
FLAGGED = {
    ("GET", "/api/watchlist"): "watchlist",
    ("POST", "/api/watchlist/sync"): "watchlist",
    ("POST", "/api/integrations/trakt/link"): "watchlist",
    ("POST", "/api/integrations/trakt/link/poll"): "watchlist",
    ("GET", "/api/spaces/{space_id}/sync-schedules"): "scheduled_sync",
    ("PUT", "/api/spaces/{space_id}/sync-schedules"): "scheduled_sync",
    ("POST", "/api/media/recognize-cover"): "cover_recognition",
}
BODIES = {"PUT": [], "POST": {}}


@pytest.fixture(scope="module")
def web_dist(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    (dist / "index.html").write_text(INDEX_HTML)
    (dist / "assets").mkdir()
    (dist / "assets" / "app.js").write_text("console.log('shelfspace');\n")
    return dist


@pytest.fixture(scope="module")
async def edge(system, keys, amqp_url, web_dist) -> AsyncIterator[dict[str, str]]:
    """Two more gateways over the system's services: `direct` (no trusted proxy) and `proxied`
    (loopback is the trusted reverse proxy); both serve the web app."""
    from gateway.main import create_app as create_gateway

    running = {}
    for name, trusted in (("direct", ""), ("proxied", "127.0.0.1")):
        urls = {service: app.url for service, app in system.services.items()}
        settings = gateway_over(urls, keys, amqp_url, frontend_dist=web_dist, trusted_proxies=trusted)
        running[name] = await RunningApp(functools.partial(create_gateway, settings)).start()
    try:
        yield {name: app.url for name, app in running.items()}
    finally:
        for app in running.values():
            await app.stop()


def assert_common_headers(headers) -> None:
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"


def directives(headers) -> dict[str, str]:
    policy = headers["content-security-policy"]
    parts = [part.strip().split(" ", 1) for part in policy.split(";") if part.strip()]
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


# --- security headers ---------------------------------------------------------------------------------


async def test_api_answers_are_never_cached_sniffed_framed_or_run_as_a_page(edge):
    async with gateway_client(edge["direct"]) as client:
        answers = [
            await client.get("/api/auth/config"),
            await client.get("/api/media"),  # 401 from the gateway
            await client.get("/api/no-such-route"),  # 404
        ]
    for answer in answers:
        assert_common_headers(answer.headers)
        assert answer.headers["cache-control"] == "no-store"
        policy = directives(answer.headers)
        assert policy["default-src"] == "'none'"
        assert policy["frame-ancestors"] == "'none'"
        assert "strict-transport-security" not in answer.headers


class BrokenSessions:
    """A session resolver with a bug: every request that needs a session ends in an unexpected error."""

    async def resolve(self, request):
        raise RuntimeError("a bug in session resolution")


async def test_an_unexpected_error_in_the_gateway_is_answered_with_the_security_headers_too(system, keys, amqp_url):
    from gateway.main import create_app as create_gateway

    urls = {service: app.url for service, app in system.services.items()}
    settings = gateway_over(urls, keys, amqp_url)
    gateway = await RunningApp(functools.partial(create_gateway, settings, resolver=BrokenSessions())).start()
    try:
        async with gateway_client(gateway.url) as client:
            answer = await client.get("/api/media")
    finally:
        await gateway.stop()

    assert answer.status_code == 500
    assert answer.json()["error"]["code"] == "internal_error"
    assert "a bug" not in answer.text
    assert_common_headers(answer.headers)
    assert answer.headers["cache-control"] == "no-store"
    assert directives(answer.headers)["default-src"] == "'none'"


async def test_the_web_app_is_served_with_a_policy_that_runs_only_its_own_scripts(edge):
    async with gateway_client(edge["direct"]) as client:
        index = await client.get("/")
        deep_link = await client.get("/titles/123")
        script = await client.get("/assets/app.js")

    assert index.status_code == deep_link.status_code == script.status_code == 200
    for answer in (index, deep_link, script):
        assert_common_headers(answer.headers)
        policy = directives(answer.headers)
        assert policy["script-src"] == "'self'"
        assert policy["object-src"] == "'none'"
        assert policy["frame-ancestors"] == "'none'"
        assert policy["base-uri"] == "'self'"
        assert policy["default-src"] == "'self'"
        assert "https:" in policy["img-src"].split()  # posters from TMDB's image host
    assert index.headers["cache-control"] == "no-cache"


async def test_hsts_is_sent_only_when_a_trusted_proxy_says_the_request_came_over_https(edge):
    async with gateway_client(edge["direct"]) as direct, gateway_client(edge["proxied"]) as proxied:
        plain = await proxied.get("/api/auth/config")
        claimed_by_a_client = await direct.get("/api/auth/config", headers={"x-forwarded-proto": "https"})
        from_the_proxy = await proxied.get("/api/auth/config", headers={"x-forwarded-proto": "https"})
        page_from_the_proxy = await proxied.get("/", headers={"x-forwarded-proto": "https"})

    assert "strict-transport-security" not in plain.headers
    assert "strict-transport-security" not in claimed_by_a_client.headers
    for answer in (from_the_proxy, page_from_the_proxy):
        assert answer.headers["strict-transport-security"].startswith("max-age=")


# --- client addresses ---------------------------------------------------------------------------------


async def login(client, email: str, password: str, forwarded_for: str):
    return await client.post(
        "/api/auth/login", json={"email": email, "password": password}, headers={"x-forwarded-for": forwarded_for}
    )


async def sign_in_after_failures(stack, failures_from: list[str], *sign_in_from: str) -> list[int]:
    """Wrong passwords (for unknown emails) claiming the `failures_from` addresses, then a user's right
    password from each of `sign_in_from`: the sign-ins' status codes."""
    user = await register(stack.url)
    async with gateway_client(stack.url) as client:
        for number, address in enumerate(failures_from):
            failed = await login(client, f"guess{number}@example.com", "wrong guess", address)
            assert failed.status_code == 401, failed.text
        statuses = [(await login(client, user.email, PASSWORD, address)).status_code for address in sign_in_from]
    await user.aclose()
    return statuses


async def test_a_client_rotating_x_forwarded_for_cannot_reset_the_per_address_login_limit(postgres, amqp_url, keys):
    async with identity_stack(postgres, amqp_url, keys, identity=LIMITS) as stack:
        rotating = [f"198.51.100.{number}" for number in range(3)]
        assert await sign_in_after_failures(stack, rotating, "198.51.100.99") == [429]


async def test_behind_a_trusted_proxy_each_client_keeps_its_own_address(postgres, amqp_url, keys):
    async with identity_stack(postgres, amqp_url, keys, identity=LIMITS, gateway=BEHIND_LOOPBACK) as stack:
        statuses = await sign_in_after_failures(stack, ["203.0.113.7"] * 3, "203.0.113.7", "203.0.113.8")
        assert statuses == [429, 200]


async def test_a_forwarded_value_that_is_no_address_counts_against_the_proxy_itself(postgres, amqp_url, keys):
    async with identity_stack(postgres, amqp_url, keys, identity=LIMITS, gateway=BEHIND_LOOPBACK) as stack:
        junk = ["not-an-address", "999.1.1.1", "<script>"]
        assert await sign_in_after_failures(stack, junk, "also junk") == [429]


# --- feature flags ------------------------------------------------------------------------------------


async def call(account, method: str, path: str, space_id: str):
    body = BODIES.get(method)
    path = path.replace("{space_id}", space_id)
    return await account.client.request(method, path, **({"json": body} if body is not None else {}))


def test_the_route_table_names_the_flag_of_every_feature_route():
    flagged = {(route.method, route.path): route.feature for route in ROUTES if route.feature is not None}
    assert flagged == FLAGGED


@pytest.mark.parametrize(("method", "path", "flag"), [(*key, flag) for key, flag in FLAGGED.items()])
async def test_a_route_of_a_feature_that_is_off_is_refused_and_works_once_it_is_on(system, method, path, flag):
    async with signed_in(system) as owner:
        space_id = (await owner.me())["active_space"]["id"]
        async with features(system, **{flag: False}):
            refused = await call(owner, method, path, space_id)
            me_while_off = await owner.me()
        async with features(system, **{flag: True}):
            allowed = await call(owner, method, path, space_id)
            me_while_on = await owner.me()

    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "feature_disabled"
    assert refused.headers[REFUSAL_HEADER] == "feature_disabled"
    assert REFUSAL_HEADER not in allowed.headers, allowed.text
    if method == "GET":
        assert allowed.status_code == 200, allowed.text
    assert me_while_off["features"][flag] is False
    assert me_while_on["features"][flag] is True


async def test_a_flag_switched_through_the_gateway_applies_to_the_next_request_at_once(system):
    await set_features(system, {"watchlist": True})
    try:
        async with signed_in(system) as member:
            space_id = (await member.me())["active_space"]["id"]
            # The session, with the flag on, is now in the gateway's cache.
            assert (await call(member, "GET", "/api/watchlist", space_id)).status_code == 200
            await set_features(system, {"watchlist": False})
            refused = await call(member, "GET", "/api/watchlist", space_id)
    finally:
        await set_features(system, {"watchlist": False})

    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "feature_disabled"


async def test_a_caller_the_policy_refuses_learns_nothing_about_flags(system):
    async with gateway_client(system.url) as anonymous:
        for method, path in FLAGGED:
            answer = await anonymous.request(method, path.replace("{space_id}", str(uuid.uuid4())))
            assert answer.status_code == 401, f"{method} {path}: {answer.status_code}"


# --- request ids --------------------------------------------------------------------------------------

HOSTILE_REQUEST_IDS = ["<script>alert(1)</script>", "x" * 65, "a b", "id\u00e9", "../../etc/passwd;rm"]


async def test_a_hostile_request_id_is_replaced_and_never_reaches_the_activity_log(system):
    admin = await admin_account(system)
    fresh_ids = []
    async with gateway_client(system.url) as client:
        for hostile in HOSTILE_REQUEST_IDS:
            # A failed request is recorded in the activity log (AUDIT_LOG_MODE=failures).
            answer = await client.get("/api/media", headers={"x-request-id": hostile.encode("latin-1", "replace")})
            assert answer.status_code == 401
            given = answer.headers["x-request-id"]
            assert given != hostile
            assert answer.json()["error"]["request_id"] == given
            fresh_ids.append(given)

    for given in fresh_ids:

        async def recorded(request_id=given):
            return (await activity(admin.client, entity_type=REQUEST_ENTITY_TYPE, entity_id=request_id))["items"]

        rows = await eventually(recorded)
        assert [row["request_id"] for row in rows] == [given]
    for hostile in HOSTILE_REQUEST_IDS:
        stored = await activity(admin.client, entity_type=REQUEST_ENTITY_TYPE, entity_id=hostile)
        assert stored["items"] == []


async def test_a_request_id_in_the_safe_format_is_kept_for_tracing(system):
    async with gateway_client(system.url) as client:
        answer = await client.get("/api/media", headers={"x-request-id": "client-trace:42.7_a"})
    assert answer.headers["x-request-id"] == "client-trace:42.7_a"
    assert answer.json()["error"]["request_id"] == "client-trace:42.7_a"
