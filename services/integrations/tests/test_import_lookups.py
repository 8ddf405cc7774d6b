"""The TMDB look-ups import jobs make (`/internal/tmdb/*`): for the sync service only, the space from
the signed context, and a rate budget apart from the Add page's."""

import uuid

from services.integrations.tests.helpers import configure
from tests.support.clients import signed_client

TMDB_KEY = "0123456789abcdef0123456789abcdef"


async def test_sync_learns_whether_the_space_has_tmdb(admin, space, tmdb, sync_caller):
    before = (await sync_caller.get("/internal/tmdb/status")).json()
    await configure(admin, space, "tmdb", base_url=tmdb.base_url, token=TMDB_KEY)
    after = (await sync_caller.get("/internal/tmdb/status")).json()

    assert (before, after) == ({"configured": False}, {"configured": True})
    assert tmdb.requests == []


async def test_sync_searches_tmdb_for_its_space(admin, space, tmdb, sync_caller):
    tmdb.add_movie(949, "Heat", release_date="1995-12-15")
    await configure(admin, space, "tmdb", base_url=tmdb.base_url, token=TMDB_KEY)

    response = await sync_caller.post(
        "/internal/tmdb/search", json={"query": "Heat", "year": 1995, "media_type": "movie"}
    )

    assert response.status_code == 200, response.text
    [found] = response.json()["items"]
    assert (found["title"], found["year"], found["identities"]["tmdb_id"]) == ("Heat", 1995, 949)
    assert tmdb.requests_to("/3/search/movie")[-1].query["year"] == "1995"


async def test_without_tmdb_the_search_says_it_is_not_configured(sync_caller):
    response = await sync_caller.post("/internal/tmdb/search", json={"query": "Heat"})

    assert response.status_code == 409, response.text
    assert response.json()["error"]["code"] == "provider_not_configured"


async def test_a_user_cannot_call_the_internal_tmdb_routes(as_role):
    async with as_role("admin") as admin_user:
        status = await admin_user.get("/internal/tmdb/status")
        search = await admin_user.post("/internal/tmdb/search", json={"query": "Heat"})

    assert (status.status_code, search.status_code) == (403, 403)


async def test_import_lookups_have_their_own_budget(start_integrations, keys, space, tmdb):
    app = await start_integrations(provider_rate_per_minute=2, import_provider_rate_per_minute=5)
    tmdb.add_movie(949, "Heat", release_date="1995-12-15")
    async with signed_client(
        app.url, keys, "integrations", user_id=uuid.uuid4(), space_id=space, space_role="admin"
    ) as admin:
        await configure(admin, space, "tmdb", base_url=tmdb.base_url, token=TMDB_KEY)
    async with (
        signed_client(app.url, keys, "integrations", space_id=space, caller="sync") as sync,
        signed_client(
            app.url, keys, "integrations", user_id=uuid.uuid4(), space_id=space, space_role="member"
        ) as member,
    ):
        imports = [(await sync.post("/internal/tmdb/search", json={"query": "Heat"})).status_code for _ in range(6)]
        added = [(await member.post("/api/media/search-tmdb", json={"query": "Heat"})).status_code for _ in range(2)]

    assert imports == [200] * 5 + [429]
    assert added == [200, 200]
