"""Watchlists: each linked provider's list copied by a job, merged, owned titles marked."""

import uuid

from services.sync.tests.fakes import movie
from tests.support.clients import signed_client


def _trakt(external_id: str, title: str, year: int, tmdb_id: int | None = None) -> dict:
    return {**movie(external_id, title, year, tmdb_id), "provider": "trakt"}


def _client(sync_env, user_id: uuid.UUID, space_id: uuid.UUID, role: str = "member"):
    return signed_client(sync_env.api.url, sync_env.keys, "sync", user_id=user_id, space_id=space_id, space_role=role)


async def _sync(client) -> dict:
    response = await client.post("/api/watchlist/sync?wait=20")
    assert response.status_code == 200, response.text
    return response.json()["job"]


async def test_the_watchlist_merges_plex_and_trakt_and_marks_owned_titles(sync_env):
    user, space = uuid.uuid4(), uuid.uuid4()
    sync_env.library.add_by_hand(space, "Heat", 1995, tmdb_id=949)
    sync_env.plex.watchlists[(user, "plex")] = [movie("p1", "Heat", 1995, 949), movie("p2", "Arrival", 2016, 329865)]
    sync_env.plex.watchlists[(user, "trakt")] = [
        _trakt("t1", "Arrival", 2016, 329865),
        _trakt("t2", "Paris, Texas", 1984),
    ]
    await sync_env.start_worker()
    async with _client(sync_env, user, space) as client:
        job = await _sync(client)
        watchlist = (await client.get("/api/watchlist")).json()

    assert job["status"] == "succeeded"
    assert job["progress"] == {"total": 4, "processed": 4}
    assert job["summary"]["created"] == 4
    by_title = {item["title"]: item for item in watchlist["items"]}
    assert set(by_title) == {"Heat", "Arrival", "Paris, Texas"}
    assert [p["provider"] for p in by_title["Arrival"]["providers"]] == ["plex", "trakt"]
    assert by_title["Heat"]["owned"] is True
    assert by_title["Heat"]["media_id"]
    assert by_title["Arrival"]["owned"] is False
    assert watchlist["synced_at"]


async def test_a_second_sync_counts_changes_and_drops_titles_removed_at_the_provider(sync_env):
    user, space = uuid.uuid4(), uuid.uuid4()
    sync_env.plex.watchlists[(user, "plex")] = [movie("p1", "Heat", 1995, 949), movie("p2", "Alien", 1979, 348)]
    await sync_env.start_worker()
    async with _client(sync_env, user, space) as client:
        await _sync(client)
        sync_env.plex.watchlists[(user, "plex")] = [movie("p1", "Heat", 1995, 949, poster_url="http://x/heat.jpg")]
        second = await _sync(client)
        watchlist = (await client.get("/api/watchlist")).json()

    assert second["summary"]["updated"] == 1
    assert second["summary"]["created"] == second["summary"]["skipped"] == 0
    assert [item["title"] for item in watchlist["items"]] == ["Heat"]


async def test_providers_the_user_has_not_linked_are_passed_over(sync_env):
    user, space = uuid.uuid4(), uuid.uuid4()
    await sync_env.start_worker()
    async with _client(sync_env, user, space) as client:
        job = await _sync(client)
        watchlist = (await client.get("/api/watchlist")).json()

    assert job["status"] == "succeeded"
    assert job["progress"] == {"total": 0, "processed": 0}
    assert watchlist == {"items": [], "synced_at": None}


async def test_each_user_sees_only_their_own_watchlist(sync_env):
    alice, bob, space = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    sync_env.plex.watchlists[(alice, "plex")] = [movie("p1", "Heat", 1995, 949)]
    sync_env.plex.watchlists[(bob, "plex")] = [movie("p9", "Ran", 1985, 11645)]
    await sync_env.start_worker()
    async with _client(sync_env, alice, space) as as_alice, _client(sync_env, bob, space) as as_bob:
        await _sync(as_alice)
        await _sync(as_bob)
        alices = (await as_alice.get("/api/watchlist")).json()
        bobs = (await as_bob.get("/api/watchlist")).json()

    assert [item["title"] for item in alices["items"]] == ["Heat"]
    assert [item["title"] for item in bobs["items"]] == ["Ran"]


async def test_owned_titles_are_marked_in_a_watchlist_longer_than_one_match_call(sync_env):
    user, space = uuid.uuid4(), uuid.uuid4()
    sync_env.library.add_by_hand(space, "Film 550", 2000, tmdb_id=10_550)
    sync_env.plex.watchlists[(user, "plex")] = [movie(f"p{n}", f"Film {n}", 2000, 10_000 + n) for n in range(600)]
    await sync_env.start_worker()
    async with _client(sync_env, user, space) as client:
        await _sync(client)
        watchlist = (await client.get("/api/watchlist")).json()

    assert len(watchlist["items"]) == 600
    assert [item["title"] for item in watchlist["items"] if item["owned"]] == ["Film 550"]
    assert all(item["owned"] is False for item in watchlist["items"] if item["title"] != "Film 550")


async def test_a_provider_unlinked_since_the_last_sync_leaves_the_watchlist_at_the_next(sync_env):
    user, space = uuid.uuid4(), uuid.uuid4()
    sync_env.plex.watchlists[(user, "plex")] = [movie("p1", "Heat", 1995, 949)]
    sync_env.plex.watchlists[(user, "trakt")] = [_trakt("t1", "Heat", 1995, 949), _trakt("t2", "Dune", 2021)]
    await sync_env.start_worker()
    async with _client(sync_env, user, space) as client:
        await _sync(client)
        del sync_env.plex.watchlists[(user, "trakt")]  # the user unlinked Trakt
        second = await _sync(client)
        watchlist = (await client.get("/api/watchlist")).json()

    assert second["status"] == "succeeded"
    assert [(item["title"], [p["provider"] for p in item["providers"]]) for item in watchlist["items"]] == [
        ("Heat", ["plex"])
    ]
