"""Isolation, generated from the gateway's route table: another space's ids are never reachable.

For every route with a path parameter, every role of space A tries space B's real ids (a title, a
copy, a merge, an invite, a member, a job ...), both under A's own space and under B's: the answer
is 404 (403 only where the caller's role or global role is below the route's, which reveals
nothing), and nothing stored changes. A parameter this test cannot fill fails it, so a new route
gets covered when it is added.
"""

import re
import uuid

from gateway.route_table import ROUTES
from gateway.routes import Access, Route
from shelfspace_contracts.roles import SpaceRole
from tests.support.audit import eventually
from tests.support.identity import SpaceWithRoles, make_space_with_roles
from tests.support.images import picture
from tests.system.checks import assert_error_shape, changed, snapshot

# Parameters that are not ids of anything stored per space (nothing to leak): why, per name.
NOT_SPACE_IDS = {
    "tmdb_id": "a public TMDB id, looked up with the caller's own space settings",
    "provider": "a fixed provider name (tmdb, plex ...), scoped by the space in the same path",
    "key": "a feature-flag key of the whole instance (global admins only)",
    "provider_id": "a sign-in provider of the whole instance, listed to anyone on the login page",
    "cover_key": "an own cover's random key: itself the capability to fetch its images (docs/security.md)",
    "file": "the file name of a cover image's width (200.webp ...), beside its random key",
}
# A valid body per route, so a refusal can only come from the id (not from validation).
BODIES: dict[tuple[str, str], object] = {
    ("PATCH", "/api/spaces/{space_id}"): {"name": "Taken over"},
    ("PATCH", "/api/spaces/{space_id}/members/{user_id}"): {"role": "viewer"},
    ("PATCH", "/api/admin/users/{user_id}"): {"disabled": True},
    ("PATCH", "/api/admin/feature-flags/{key}"): {"enabled": True},
    ("PATCH", "/api/media/{media_id}"): {"title": "Taken over"},
    ("POST", "/api/media/{media_id}/copies"): {"format": "DVD", "purchase": {"price": 1, "currency": "EUR"}},
    ("PATCH", "/api/media/{media_id}/copies/{copy_id}"): {
        "notes": "taken over",
        "purchase": {"price": 0, "currency": "EUR", "store": "Intruder"},
        "condition": "poor",
    },
    ("POST", "/api/media/{media_id}/match"): {"tmdb_id": 603},
    ("PUT", "/api/media/{media_id}/annotation"): {"rating": 1, "notes": "taken over", "visibility": "shared"},
    ("PUT", "/api/media/{media_id}/seasons"): [{"number": 1, "name": "Taken over"}],
    ("PUT", "/api/media/{media_id}/watched"): {"watched_at": "2020-01-01T00:00:00Z"},
    ("POST", "/api/spaces/{space_id}/invites"): {"email": "intruder@example.com", "role": "admin"},
    ("PUT", "/api/spaces/{space_id}/integrations/{provider}"): {"token": "stolen-0123456789"},
    ("POST", "/api/spaces/{space_id}/integrations/{provider}/test"): {},
    ("PUT", "/api/spaces/{space_id}/sync-schedules"): [],
    ("POST", "/api/copies/{copy_id}/loans"): {"borrower_name": "Intruder"},
    ("PATCH", "/api/wishlist/{wish_id}"): {"priority": 1},
    ("POST", "/api/wishlist/{wish_id}/got-it"): {"copy": {"format": "DVD"}},
    ("PATCH", "/api/tags/{name}"): {"name": "Taken over"},
}
# Multipart bodies, sent as files.
FILES = {("PUT", "/api/media/{media_id}/cover"): {"image": ("cover.png", picture(kind="PNG"), "image/png")}}
RANK = {SpaceRole.VIEWER: 0, SpaceRole.MEMBER: 1, SpaceRole.ADMIN: 2, SpaceRole.OWNER: 3}


def id_routes() -> list[Route]:
    """Routes with at least one parameter naming something stored in a space."""
    return [route for route in ROUTES if set(params_of(route)) - set(NOT_SPACE_IDS)]


def params_of(route: Route) -> list[str]:
    return re.findall(r"{(\w+)}", route.path)


def _fill(route: Route, values: dict[str, str]) -> str:
    path = route.path
    for name in params_of(route):
        path = path.replace(f"{{{name}}}", values[name])
    return path


def _allowed_refusals(route: Route, role: SpaceRole, space_is_own: bool) -> set[int]:
    if route.access == Access.GLOBAL_ADMIN:
        return {403}
    needed = route.access.space_role
    if needed is not None and RANK[role] < RANK[needed]:
        # Below the route's role: 403 in the caller's own space; a stranger's space is 404 first.
        return {403, 404} if space_is_own else {404}
    return {404}


async def _space_b_ids(b: SpaceWithRoles) -> dict[str, str]:
    owner = b.owner.client
    titles = []
    for name, media_type in (("Secret", "movie"), ("Secret copy", "movie"), ("Kept", "tv_series")):
        body = {"title": name, "media_type": media_type, "year": 1999, "copies": [{"format": "Blu-ray"}]}
        body["tags"] = ["Secret tag"]
        response = await owner.post("/api/media", json=body)
        assert response.status_code == 201, response.text
        titles.append(response.json())
    seasons = await owner.put(f"/api/media/{titles[2]['id']}/seasons", json=[{"number": 1}, {"number": 2}])
    assert seasons.status_code == 200, seasons.text
    merge = await owner.post(
        "/api/media/merge", json={"survivor_id": titles[0]["id"], "duplicate_ids": [titles[1]["id"]]}
    )
    assert merge.status_code == 200, merge.text
    invite = await owner.post(
        f"/api/spaces/{b.space_id}/invites", json={"email": "b-guest@example.com", "role": "member"}
    )
    assert invite.status_code == 201, invite.text
    token = await owner.post(
        "/api/auth/tokens", json={"name": "B script", "space_id": str(b.space_id), "role": "member"}
    )
    assert token.status_code == 201, token.text
    loan = await owner.post(f"/api/copies/{titles[2]['copies'][0]['id']}/loans", json={"borrower_name": "Bea"})
    assert loan.status_code == 201, loan.text
    wish = await owner.post("/api/wishlist", json={"title": "Secret wish", "media_type": "movie"})
    assert wish.status_code == 201, wish.text
    view = await owner.post("/api/views", json={"name": "Secret view", "query": "tag=Secret tag", "shared": True})
    assert view.status_code == 201, view.text
    # Watched, so that clearing it from space A would change something.
    watched = await owner.put(f"/api/media/{titles[2]['id']}/watched", json={"watched_at": "2021-02-03T04:05:06Z"})
    assert watched.status_code == 200, watched.text
    cover = await owner.put(f"/api/media/{titles[2]['id']}/cover", files=FILES[("PUT", "/api/media/{media_id}/cover")])
    assert cover.status_code == 200, cover.text
    # Waited for: a job still running when the snapshot is taken would change it on its own.
    job = await owner.post("/api/media/import-plex?wait=30", json={})
    jobs = (await owner.get("/api/sync-jobs")).json()["items"]
    assert jobs, f"no sync job in space B (import-plex answered {job.status_code} {job.text[:200]})"

    async def job_ended() -> bool:  # before the snapshot: the worker must not change it during the probe
        found = (await owner.get(f"/api/sync-jobs/{jobs[0]['id']}")).json()
        return found["status"] in ("succeeded", "failed", "cancelled")

    await eventually(job_ended, timeout=60, every=0.2)
    return {
        "space_id": str(b.space_id),
        "media_id": titles[2]["id"],
        "copy_id": titles[2]["copies"][0]["id"],
        "merge_id": merge.json()["merge_id"],
        "invite_id": invite.json()["invite"]["id"],
        "user_id": str(b.member.id),
        "job_id": jobs[0]["id"],
        "token_id": token.json()["token"]["id"],
        "loan_id": loan.json()["id"],
        "wish_id": wish.json()["id"],
        "name": "Secret tag",
        "view_id": view.json()["id"],
        "tmdb_id": "603",
        "provider": "tmdb",
        "key": "isolation-probe",
    }


def test_every_path_parameter_of_the_route_table_is_known_to_this_test():
    names = {name for route in ROUTES for name in params_of(route)}
    fillable = {"space_id", "media_id", "copy_id", "merge_id", "invite_id", "user_id", "job_id", "token_id"}
    fillable |= {"loan_id", "wish_id", "name", "view_id"}
    unknown = names - fillable - set(NOT_SPACE_IDS)
    assert unknown == set(), f"add these parameters to tests/system/test_isolation.py: {sorted(unknown)}"


async def test_no_role_of_one_space_reaches_another_space_s_ids(healthy_system):
    system = healthy_system
    a = await make_space_with_roles(system)
    b = await make_space_with_roles(system)
    try:
        other = await _space_b_ids(b)
        before = await snapshot(system.admin_dsn)
        leaks = []
        for role_name, account in a.by_role().items():
            role = SpaceRole(role_name)
            for route in id_routes():
                for space_is_own in (False, True):
                    names = set(params_of(route))
                    if space_is_own and not names - {"space_id", *NOT_SPACE_IDS}:
                        continue  # only the space itself is named: the caller's own space is theirs
                    values = {**other, **({"space_id": str(a.space_id)} if space_is_own else {})}
                    path = _fill(route, values)
                    body = BODIES.get((route.method, route.path))
                    if route.method == "DELETE" and route.path == "/api/spaces/{space_id}":
                        body = {"confirm_name": b.name}
                    files = FILES.get((route.method, route.path))
                    sent = {"json": body} if body is not None else {"files": files} if files else {}
                    response = await account.client.request(route.method, path, **sent)
                    allowed = _allowed_refusals(route, role, space_is_own or "space_id" not in names)
                    if response.status_code not in allowed:
                        leaks.append(
                            f"{role_name}: {route.method} {path} → {response.status_code} {response.text[:150]}"
                        )
                    else:
                        assert_error_shape(response)
        assert leaks == [], "\n".join(leaks)
        assert changed(before, await snapshot(system.admin_dsn)) == []
    finally:
        await a.aclose()
        await b.aclose()


async def test_another_space_named_in_x_space_id_is_refused(healthy_system):
    system = healthy_system
    a = await make_space_with_roles(system)
    b = await make_space_with_roles(system)
    try:
        response = await a.owner.client.get("/api/media", headers={"X-Space-Id": str(b.space_id)})
        assert_error_shape(response, 403)
    finally:
        await a.aclose()
        await b.aclose()


async def test_a_private_annotation_is_seen_by_its_author_only(healthy_system):
    system = healthy_system
    a = await make_space_with_roles(system)
    try:
        title = await a.owner.client.post("/api/media", json={"title": "Diary", "media_type": "movie"})
        assert title.status_code == 201, title.text
        media_id = title.json()["id"]
        secret = f"private-{uuid.uuid4().hex}"
        put = await a.member.client.put(
            f"/api/media/{media_id}/annotation", json={"notes": secret, "rating": 7, "visibility": "private"}
        )
        assert put.status_code in (200, 201), put.text
        mine = await a.member.client.get(f"/api/media/{media_id}")
        assert secret in mine.text
        for role_name, account in a.by_role().items():
            if account is a.member:
                continue
            seen = await account.client.get(f"/api/media/{media_id}")
            assert seen.status_code == 200, seen.text
            assert secret not in seen.text, f"the {role_name} sees another user's private annotation"
    finally:
        await a.aclose()


async def test_a_watched_state_is_seen_by_its_own_user_only(healthy_system):
    system = healthy_system
    a = await make_space_with_roles(system)
    try:
        title = await a.owner.client.post("/api/media", json={"title": "Seen once", "media_type": "movie"})
        assert title.status_code == 201, title.text
        media_id = title.json()["id"]
        put = await a.viewer.client.put(f"/api/media/{media_id}/watched", json={"watched_at": "2020-02-02T02:02:02Z"})
        assert put.status_code == 200, put.text
        for role_name, account in a.by_role().items():
            seen = (await account.client.get(f"/api/media/{media_id}")).json()
            listed = (await account.client.get("/api/media", params={"watched": "true"})).json()["items"]
            expected = "2020-02-02T02:02:02Z" if account is a.viewer else None
            assert seen["watched_at"] == expected, f"the {role_name} sees another user's watched state"
            assert [item["id"] for item in listed] == ([media_id] if expected else [])
            shared = [note.get("watched_at") for note in seen["shared_annotations"]]
            assert "2020-02-02T02:02:02Z" not in shared
    finally:
        await a.aclose()
