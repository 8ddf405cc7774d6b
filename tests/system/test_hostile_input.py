"""Hostile input through the gateway: generated cases per role, oversized bodies, bombs, bad JSON.

Never a 5xx, every error in the API.md shape, and nothing written by a rejected request.
"""

import asyncio

import httpx

from tests.support.identity import features, make_space_with_roles, new_user, signed_in
from tests.support.images import png_bomb
from tests.system.checks import assert_error_shape, changed, snapshot
from tests.system.fuzz import fuzz
from tests.system.stack import MAX_BODY_BYTES

# Calls that end or change the caller's own session would stop the run from exercising anything.
SESSION_ENDING = {"POST /api/auth/logout", "PATCH /api/auth/me"}
# Calls an owner makes to outside providers (none is reachable from the test machine) or that wait
# for a job: covered by the integrations and sync suites with fake providers, not generated here.
OUTBOUND = {
    "POST /api/media/search-tmdb", "GET /api/media/tmdb/{tmdb_id}", "POST /api/media/lookup-upc",
    "POST /api/media/recognize-cover", "POST /api/spaces/{space_id}/integrations/{provider}/test",
    "PUT /api/spaces/{space_id}/integrations/{provider}", "PUT /api/admin/settings/integrations",
    "GET /api/spaces/{space_id}/integrations/plex/artwork", "POST /api/media/import-plex",
    "POST /api/media/{media_id}/match", "POST /api/media/{media_id}/refresh",
    "POST /api/integrations/trakt/link", "POST /api/integrations/trakt/link/poll", "POST /api/watchlist/sync",
    "POST /api/admin/settings/integrations/test-{provider}",
}  # fmt: skip
# What an anonymous caller may legitimately write (open registration is on; a started single
# sign-on keeps its state until the callback; the audit and library services learn the new user's
# name and membership from identity's events) ...
LEARNT_FROM_EVENTS = {"audit.known_names", "library.space_members"}
ANONYMOUS_WRITES = {"identity.users", "identity.spaces", "identity.memberships", "identity.sso_logins"}
ANONYMOUS_WRITES |= LEARNT_FROM_EVENTS
# ... and what a viewer may: their annotations, spaces of their own, choosing the active space, and
# personal API tokens (read-only ones for the space they view), and setting up their own second factor.
VIEWER_WRITES = {
    "library.annotations",
    "identity.spaces",
    "identity.memberships",
    "identity.users",
    "identity.api_tokens",
    "identity.two_factor",
    "identity.sso_logins",
    *LEARNT_FROM_EVENTS,
}


async def _document(system) -> dict:
    async with httpx.AsyncClient(base_url=system.url, timeout=30) as client:
        response = await client.get("/api/openapi.json")
    assert response.status_code == 200, response.text
    return response.json()


def _session_of(account) -> tuple[dict, dict]:
    return dict(account.client.cookies), dict(account.client.headers)


async def test_generated_requests_as_anonymous_never_fail_and_write_nothing(healthy_system):
    system = healthy_system
    await new_user(system)  # the instance has its admin and open registration
    document = await _document(system)
    before = await snapshot(system.admin_dsn, ignore=ANONYMOUS_WRITES)
    report = await asyncio.to_thread(fuzz, document, system.url, skip=set())
    assert report.failures == [], "\n".join(report.failures)
    assert report.cases > 100
    assert changed(before, await snapshot(system.admin_dsn, ignore=ANONYMOUS_WRITES)) == []


async def test_generated_requests_as_a_viewer_never_fail_and_write_nothing_they_may_not(healthy_system):
    system = healthy_system
    space = await make_space_with_roles(system)
    try:
        cookies, headers = _session_of(space.viewer)
        document = await _document(system)
        before = await snapshot(system.admin_dsn, ignore=VIEWER_WRITES)
        report = await asyncio.to_thread(
            fuzz, document, system.url, cookies=cookies, headers=headers, skip=SESSION_ENDING
        )
        assert report.failures == [], "\n".join(report.failures)
        assert changed(before, await snapshot(system.admin_dsn, ignore=VIEWER_WRITES)) == []
    finally:
        await space.aclose()


async def test_generated_requests_as_an_owner_never_fail(healthy_system):
    system = healthy_system
    async with signed_in(system) as owner:
        for i in range(3):
            created = await owner.client.post("/api/media", json={"title": f"Seed {i}", "media_type": "movie"})
            assert created.status_code == 201, created.text
        cookies, headers = _session_of(owner)
        document = await _document(system)
        report = await asyncio.to_thread(
            fuzz, document, system.url, cookies=cookies, headers=headers, skip=SESSION_ENDING | OUTBOUND
        )
        assert report.failures == [], "\n".join(report.failures)
        assert (await owner.client.get("/api/auth/me")).status_code == 200


async def test_an_oversized_body_is_refused_with_413_before_reaching_a_service(healthy_system):
    system = healthy_system
    async with signed_in(system) as owner:
        size = MAX_BODY_BYTES + 1024
        before = await snapshot(system.admin_dsn)
        huge = '{"title": "' + "x" * size + '", "media_type": "movie"}'
        declared = await owner.client.post("/api/media", content=huge, headers={"content-type": "application/json"})
        assert_error_shape(declared, 413)

        async def chunks():
            for start in range(0, len(huge), 65536):
                yield huge[start : start + 65536].encode()

        streamed = await owner.client.post("/api/media", content=chunks(), headers={"content-type": "application/json"})
        assert_error_shape(streamed, 413)
        # (what other services learn of the new owner from identity's events may land meanwhile)
        assert set(changed(before, await snapshot(system.admin_dsn))) <= LEARNT_FROM_EVENTS


async def test_a_non_image_or_a_decompression_bomb_as_a_cover_is_refused(healthy_system):
    system = healthy_system
    async with features(system, cover_recognition=True), signed_in(system) as owner:
        title = (await owner.client.post("/api/media", json={"title": "Bomb", "media_type": "movie"})).json()
        bomb = await asyncio.to_thread(png_bomb)
        for name, content, mime in [
            ("notes.txt", b"this is not an image at all\n" * 50, "text/plain"),
            ("cover.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 100, "image/png"),
            ("cover.png", bomb, "image/png"),
        ]:
            response = await owner.client.post("/api/media/recognize-cover", files={"image": (name, content, mime)})
            error = assert_error_shape(response)
            assert 400 <= response.status_code < 500, f"{name}: {response.status_code} {error}"
            as_own_cover = await owner.client.put(
                f"/api/media/{title['id']}/cover", files={"image": (name, content, mime)}
            )
            assert_error_shape(as_own_cover, 422)


async def test_malformed_json_is_a_422_and_writes_nothing(healthy_system):
    system = healthy_system
    async with signed_in(system) as owner:
        space_id = (await owner.me())["active_space"]["id"]
        before = await snapshot(system.admin_dsn)
        json_headers = {"content-type": "application/json"}
        for method, path in [
            ("POST", "/api/media"),
            ("POST", "/api/spaces"),
            ("PATCH", f"/api/spaces/{space_id}"),
            ("POST", f"/api/spaces/{space_id}/invites"),
            ("PUT", f"/api/spaces/{space_id}/integrations/tmdb"),
            ("POST", "/api/media/search-tmdb"),
        ]:
            for body in ('{"title": "Alien", ', "[1, 2", "\x00\xff", '{"title": NaN}'):
                response = await owner.client.request(method, path, content=body, headers=json_headers)
                error = assert_error_shape(response)
                assert response.status_code == 422, f"{method} {path} {body!r}: {response.status_code} {error}"
        assert changed(before, await snapshot(system.admin_dsn)) == []


async def test_a_path_with_a_control_character_is_refused_not_a_500(healthy_system):
    # No such id can exist: the owning service refuses it (404, or 422 naming the path parameter);
    # the gateway must not fail while forwarding it.
    system = healthy_system
    async with signed_in(system) as owner:
        for path in ("/api/media/%13", "/api/media/%C3%88%C3%84%05", "/api/sync-jobs/%00"):
            response = await owner.client.get(path)
            assert_error_shape(response)
            assert response.status_code in (404, 422), f"GET {path}: {response.status_code} {response.text[:120]}"


async def test_a_nul_character_in_a_text_field_is_a_422_and_writes_nothing(healthy_system):
    # Postgres cannot store U+0000 in text: the request must be refused as invalid, not fail as a 500.
    system = healthy_system
    async with signed_in(system) as owner:
        before = await snapshot(system.admin_dsn)
        for body in (
            {"title": "Nul\u0000title", "media_type": "movie"},
            {"title": "Fine", "media_type": "movie", "copies": [{"format": "DVD", "location": "Shelf\u00001"}]},
        ):
            response = await owner.client.post("/api/media", json=body)
            error = assert_error_shape(response)
            assert response.status_code == 422, f"POST /api/media {body}: {response.status_code} {error}"
        assert changed(before, await snapshot(system.admin_dsn)) == []
