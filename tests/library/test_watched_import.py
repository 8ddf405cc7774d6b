"""Watched state imported from Plex through the gateway: the plays of the account whose token the
space uses become the watched state of the user who runs the import; a re-import never duplicates
a state nor takes it back in time, and only that user's state changes."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from sync.worker import Worker
from tests.fakes.plex import FakePlex
from tests.support.identity import make_space_with_roles

PLEX_TOKEN = "plex-token-of-the-watched-suite"
MARCH = int(datetime(2024, 3, 9, 20, 0, tzinfo=UTC).timestamp())
APRIL = int(datetime(2024, 4, 1, 21, 0, tzinfo=UTC).timestamp())
JANUARY = int(datetime(2024, 1, 5, 19, 0, tzinfo=UTC).timestamp())


@pytest.fixture(scope="module")
async def sync_worker(system) -> AsyncIterator[Worker]:
    """A sync worker for the module's import jobs (the `system` fixture runs the sync API only)."""
    worker = await Worker(system.services["sync"].app.state.settings).start()
    try:
        await worker.broker.wait_ready(10)
        yield worker
    finally:
        await worker.stop(grace_seconds=2)


@pytest.fixture
async def plex() -> AsyncIterator[FakePlex]:
    server = FakePlex(token=PLEX_TOKEN)
    server.add_section("1", "Movies", "movie")
    server.add_section("2", "Shows", "show")
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


async def _import(account) -> dict:
    response = await account.client.post("/api/media/import-plex?wait=60", json={})
    assert response.status_code == 200, response.text
    job = response.json()["job"]
    assert job["status"] == "succeeded", job
    return job


async def _watched(account, tag: str) -> dict[str, str]:
    response = await account.client.get("/api/media", params={"q": tag, "watched": "true"})
    assert response.status_code == 200, response.text
    return {item["title"]: item["watched_at"] for item in response.json()["items"]}


async def _states(library_db, space_id: uuid.UUID) -> list[tuple]:
    sql = text(
        "SELECT m.title, a.user_id, a.play_count, a.watched_source FROM annotations a JOIN media m ON m.id = a.media_id"
        " WHERE a.space_id = :s AND a.watched_at IS NOT NULL ORDER BY m.title"
    )
    async with library_db.connect() as conn:
        return [tuple(row) for row in await conn.execute(sql, {"s": space_id})]


async def test_plex_plays_become_the_importer_s_watched_state_and_never_go_back(system, sync_worker, plex, library_db):
    tag = uuid.uuid4().hex[:6]
    team = await make_space_with_roles(system)
    try:
        settings = {"base_url": plex.url, "token": PLEX_TOKEN}
        configured = await team.owner.client.put(f"/api/spaces/{team.space_id}/integrations/plex", json=settings)
        assert configured.status_code == 200, configured.text
        heat = plex.add_movie("1", f"Heat {tag}", year=1995, guids=["tmdb://949"], view_count=2, last_viewed_at=MARCH)
        ronin = plex.add_movie("1", f"Ronin {tag}", year=1998, guids=["tmdb://8195"])
        plex.add_show(
            "2", f"Dark {tag}", season_count=3, episode_count=26, viewed_episode_count=26, last_viewed_at=APRIL
        )

        await _import(team.owner)
        first = await _watched(team.owner, tag)
        seen_by_member = await _watched(team.member, tag)

        # Plex now reports an older play of Heat (another device synced late) and a first play of Ronin.
        heat.last_viewed_at, heat.view_count = JANUARY, 1
        ronin.view_count, ronin.last_viewed_at = 1, APRIL
        await _import(team.owner)
        await _import(team.owner)
        again = await _watched(team.owner, tag)
        states = await _states(library_db, team.space_id)
    finally:
        await team.aclose()

    assert first == {f"Heat {tag}": "2024-03-09T20:00:00Z", f"Dark {tag}": "2024-04-01T21:00:00Z"}
    assert seen_by_member == {}
    assert again == {
        f"Heat {tag}": "2024-03-09T20:00:00Z",
        f"Dark {tag}": "2024-04-01T21:00:00Z",
        f"Ronin {tag}": "2024-04-01T21:00:00Z",
    }
    owner = team.owner.id
    assert states == [
        (f"Dark {tag}", owner, 1, "plex"),
        (f"Heat {tag}", owner, 2, "plex"),
        (f"Ronin {tag}", owner, 1, "plex"),
    ]


async def test_a_date_marked_by_hand_after_the_last_play_stays(system, sync_worker, plex):
    tag = uuid.uuid4().hex[:6]
    team = await make_space_with_roles(system)
    try:
        settings = {"base_url": plex.url, "token": PLEX_TOKEN}
        await team.owner.client.put(f"/api/spaces/{team.space_id}/integrations/plex", json=settings)
        plex.add_movie("1", f"Thief {tag}", year=1981, guids=["tmdb://11524"], view_count=1, last_viewed_at=JANUARY)
        await _import(team.owner)
        title_id = (await team.owner.client.get("/api/media", params={"q": tag})).json()["items"][0]["id"]
        marked = await team.owner.client.put(
            f"/api/media/{title_id}/watched", json={"watched_at": "2024-06-01T20:00:00Z"}
        )
        assert marked.status_code == 200, marked.text

        await _import(team.owner)
        state = (await team.owner.client.get(f"/api/media/{title_id}")).json()
    finally:
        await team.aclose()

    assert state["watched_at"] == "2024-06-01T20:00:00Z"
