"""The watchlist through the real services: plex.tv (a fake discover API) → integrations → sync job,
and `owned` answered by the library's match of the active space's titles."""

from collections.abc import AsyncIterator

import pytest

from services.sync.tests.households import PLEX_TOKEN
from tests.fakes.plex_discover import FakePlexDiscover


@pytest.fixture
async def discover() -> AsyncIterator[FakePlexDiscover]:
    fake = await FakePlexDiscover(token=PLEX_TOKEN).start()
    try:
        yield fake
    finally:
        await fake.stop()


async def _add_title(household, **title) -> dict:
    async with household.client("library") as library:
        response = await library.post("/api/media", json={"media_type": "movie", **title})
    assert response.status_code == 201, response.text
    return response.json()


async def test_the_watchlist_marks_the_titles_the_space_owns(household, discover):
    # plex.tv is another host than the Plex server: the token goes with the new address.
    await household.configure_plex(watchlist_base_url=discover.url, token=PLEX_TOKEN)
    heat = await _add_title(household, title="Heat", year=1995, tmdb_id=949, tmdb_media_type="movie")
    amelie = await _add_title(household, title="Amélie", year=2001)
    gone = await _add_title(household, title="Ran", year=1985, imdb_id="tt0089881")
    async with household.client("library") as library:
        assert (await library.delete(f"/api/media/{gone['id']}")).status_code == 204
    discover.add("movie", "Heat", year=1995, guids=["tmdb://949", "imdb://tt0113277"])
    discover.add("movie", "Amelie", year=2001)
    discover.add("movie", "Ran", year=1985, guids=["imdb://tt0089881"])
    discover.add("movie", "Arrival", year=2016, guids=["tmdb://329865"])

    async with household.client("sync") as sync:
        synced = await sync.post("/api/watchlist/sync?wait=60")
        watchlist = (await sync.get("/api/watchlist")).json()

    assert synced.status_code == 200, synced.text
    assert synced.json()["job"]["status"] == "succeeded"
    owned = {item["title"]: (item["owned"], item["media_id"]) for item in watchlist["items"]}
    assert owned == {
        "Heat": (True, heat["id"]),
        "Amelie": (True, amelie["id"]),
        "Ran": (False, None),  # in the trash: not owned
        "Arrival": (False, None),
    }
