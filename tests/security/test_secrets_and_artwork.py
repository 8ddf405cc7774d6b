"""Through the gateway: a provider's secret stays with the host it was entered for, and Plex artwork
reaches the browser only as a JPEG, PNG, WebP or GIF image that cannot run script, at a bounded rate.
"""

from collections.abc import AsyncIterator

import pytest

from tests.fakes.plex import HTML, JPEG, PNG, SVG, FakePlex
from tests.fakes.tmdb import FakeTmdb
from tests.support.identity import login, make_space_with_roles
from tests.support.servers import RunningApp

OWNER_PLEX_TOKEN = "owner-plex-token-0123456789"
OWNER_TMDB_KEY = "0123456789abcdef0123456789abcdef"
ADMIN_TOKEN = "admin-chosen-token-9876543210"
THUMB = "/library/metadata/{key}/thumb/1700000000"


@pytest.fixture(scope="module")
async def plex() -> AsyncIterator[FakePlex]:
    async with FakePlex(token=OWNER_PLEX_TOKEN) as server:
        yield server


@pytest.fixture(scope="module")
async def elsewhere() -> AsyncIterator[FakePlex]:
    """A host the space admin controls: it records every request and accepts the admin's own token."""
    async with FakePlex(token=ADMIN_TOKEN, name="Admin's server") as server:
        yield server


@pytest.fixture(scope="module")
async def tmdb() -> AsyncIterator[FakeTmdb]:
    async with FakeTmdb(api_key=OWNER_TMDB_KEY) as server:
        yield server


@pytest.fixture
async def household(system, plex, elsewhere, tmdb):
    """A space whose owner entered the Plex token and TMDB key for the real servers."""
    space = await make_space_with_roles(system)
    path = f"/api/spaces/{space.space_id}/integrations"
    for provider, body in (
        ("plex", {"base_url": plex.url, "token": OWNER_PLEX_TOKEN}),
        ("tmdb", {"base_url": tmdb.base_url, "token": OWNER_TMDB_KEY}),
    ):
        saved = await space.owner.client.put(f"{path}/{provider}", json=body)
        assert saved.status_code == 200, saved.text
    for server in (plex, elsewhere, tmdb):
        server.reset()
    plex.thumbs.clear()
    yield space
    await space.aclose()


def secrets_seen_by(server, *secrets: str) -> list[str]:
    """The secrets that reached `server` anywhere in a request (headers, query or body)."""
    seen = " ".join(f"{r.path} {r.query} {r.headers} {r.body!r}" for r in server.requests)
    return [secret for secret in secrets if secret in seen]


def artwork_path(space_id, key: int = 1001) -> str:
    return f"/api/spaces/{space_id}/integrations/plex/artwork?path={THUMB.format(key=key).replace('/', '%2F')}"


@pytest.mark.parametrize(
    ("provider", "field"),
    [("plex", "base_url"), ("plex", "watchlist_base_url"), ("tmdb", "base_url")],
)
async def test_an_admin_cannot_move_a_provider_to_another_host_without_entering_its_secret(
    household, elsewhere, provider, field
):
    path = f"/api/spaces/{household.space_id}/integrations"
    before = {s["provider"]: s for s in (await household.owner.client.get(path)).json()["items"]}

    moved = await household.admin.client.put(f"{path}/{provider}", json={field: elsewhere.url})
    tested = await household.admin.client.post(f"{path}/{provider}/test")
    after = {s["provider"]: s for s in (await household.owner.client.get(path)).json()["items"]}

    assert moved.status_code == 422, moved.text
    error = moved.json()["error"]
    assert error["code"] == "secret_required"
    assert [d["field"] for d in error["details"]] == ["token"]
    assert "new host" in error["message"]
    assert after[provider][field] == before[provider][field]
    assert after[provider]["secret_set"] is True
    assert tested.json()["ok"] is True, tested.text
    assert elsewhere.requests == []


async def test_the_1x_settings_path_refuses_the_move_and_writes_nothing_of_the_request(household, elsewhere):
    moved = await household.admin.client.put(
        "/api/admin/settings/integrations",
        json={"vision": {"model": "changed-model"}, "plex": {"base_url": elsewhere.url}},
    )
    listing = (await household.owner.client.get(f"/api/spaces/{household.space_id}/integrations")).json()
    by_provider = {s["provider"]: s for s in listing["items"]}

    assert moved.status_code == 422, moved.text
    assert moved.json()["error"]["code"] == "secret_required"
    assert by_provider["vision"]["model"] != "changed-model"
    assert by_provider["plex"]["base_url"] != elsewhere.url


async def test_the_owners_secret_never_reaches_the_admins_host(household, plex, elsewhere):
    path = f"/api/spaces/{household.space_id}/integrations/plex"
    attempts = [
        await household.admin.client.put(path, json={"base_url": elsewhere.url}),
        await household.admin.client.put(path, json={"base_url": f"{elsewhere.url}/", "library_sections": []}),
        await household.admin.client.put(path, json={"base_url": elsewhere.url, "token": "  "}),
    ]
    await household.admin.client.post(f"{path}/test")
    await household.member.client.get(artwork_path(household.space_id))

    assert [a.status_code for a in attempts] == [422, 422, 422]
    assert elsewhere.requests == []
    assert secrets_seen_by(plex, OWNER_PLEX_TOKEN) == [OWNER_PLEX_TOKEN]


@pytest.mark.parametrize("move", ["with a new token", "clearing the secret", "on the same host"])
async def test_a_provider_may_move_with_its_secret_entered_again_cleared_or_on_the_same_host(
    household, plex, elsewhere, move
):
    path = f"/api/spaces/{household.space_id}/integrations/plex"
    body = {
        "with a new token": {"base_url": elsewhere.url, "token": ADMIN_TOKEN},
        "clearing the secret": {"base_url": elsewhere.url, "clear_secret": True},
        "on the same host": {"base_url": plex.url.replace("http://", "HTTP://")},
    }[move]

    moved = await household.admin.client.put(path, json=body)
    tested = await household.admin.client.post(f"{path}/test")

    assert moved.status_code == 200, moved.text
    assert moved.json()["secret_set"] is (move != "clearing the secret")
    assert tested.json()["ok"] is (move != "clearing the secret"), tested.text
    assert secrets_seen_by(elsewhere, OWNER_PLEX_TOKEN) == []
    if move == "with a new token":
        assert secrets_seen_by(elsewhere, ADMIN_TOKEN) == [ADMIN_TOKEN]


@pytest.mark.parametrize(
    ("body", "claimed"),
    [(SVG, "image/svg+xml"), (SVG, "image/png"), (HTML, "image/jpeg"), (b"just text", "image/gif")],
    ids=["svg", "svg-claiming-png", "html-claiming-jpeg", "text-claiming-gif"],
)
async def test_artwork_that_is_not_a_raster_image_is_never_passed_through(household, plex, body, claimed):
    plex.set_thumb(1001, body, claimed)

    answer = await household.viewer.client.get(artwork_path(household.space_id))

    assert answer.status_code == 502, answer.text
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.json()["error"]["code"] == "unsupported_artwork"
    assert b"<script" not in answer.content


@pytest.mark.parametrize(("body", "served_as"), [(PNG, "image/png"), (JPEG, "image/jpeg")], ids=["png", "jpeg"])
async def test_artwork_is_served_as_what_its_bytes_are_with_nosniff_and_a_sandbox(household, plex, body, served_as):
    plex.set_thumb(1001, body, "image/webp")  # what Plex claims does not decide the type

    answer = await household.viewer.client.get(artwork_path(household.space_id))

    assert answer.status_code == 200, answer.text
    assert answer.content == body
    assert answer.headers["content-type"] == served_as
    assert answer.headers["x-content-type-options"] == "nosniff"
    csp = answer.headers["content-security-policy"]
    assert "default-src 'none'" in csp
    assert "sandbox" in csp
    assert answer.headers["content-disposition"].startswith("inline")


@pytest.fixture
async def tight_artwork_limit(system, service_settings, keys, amqp_url) -> AsyncIterator[str]:
    """A second integrations replica allowing 3 images per space per minute, and a gateway in front of it."""
    from gateway.main import create_app as create_gateway
    from gateway.settings import GatewaySettings
    from integrations.main import create_app as create_integrations

    settings = service_settings("integrations", artwork_rate_per_minute=3, db_pool_size=2)
    integrations = await RunningApp(lambda: create_integrations(settings)).start()
    urls = {f"{name}_url": app.url for name, app in system.services.items()} | {"integrations_url": integrations.url}
    gateway_settings = GatewaySettings(
        environment="test", amqp_url=amqp_url, log_format="console", log_level="WARNING",
        internal_auth_private_key=keys.private("gateway"), **urls,
    )  # fmt: skip
    gateway = await RunningApp(lambda: create_gateway(gateway_settings)).start()
    try:
        yield gateway.url
    finally:
        await gateway.stop()
        await integrations.stop()


async def test_artwork_beyond_the_spaces_rate_answers_429_with_retry_after(household, system, tight_artwork_limit):
    viewer = await login(tight_artwork_limit, household.viewer.email, household.viewer.password)
    other = await make_space_with_roles(system)
    other_viewer = await login(tight_artwork_limit, other.viewer.email, other.viewer.password)
    try:
        answers = [(await viewer.client.get(artwork_path(household.space_id))).status_code for _ in range(4)]
        limited = await viewer.client.get(artwork_path(household.space_id))
        next_door = await other_viewer.client.get(artwork_path(other.space_id))
    finally:
        for account in (viewer, other_viewer):
            await account.aclose()
        await other.aclose()

    assert answers == [200, 200, 200, 429]
    assert limited.status_code == 429
    assert limited.json()["error"]["code"] == "rate_limited"
    assert int(limited.headers["retry-after"]) >= 1
    # Another space has its own allowance (its Plex is not set up, so it answers 409, not 429).
    assert next_door.status_code == 409, next_door.text
