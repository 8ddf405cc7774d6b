"""The Plex import through the real integrations and library services, from a fake Plex server.

Plex → integrations (plexapi, paging, Guid children) → sync job → library import upsert.
"""

import asyncio

import pytest

from tests.fakes.plex import PlexSeason


async def test_importing_a_plex_library_twice_creates_its_titles_once(household):
    household.plex.add_section("1", "Movies", "movie")
    for n in range(120):
        household.plex.add_movie("1", f"Film {n:03d}", year=1980 + n % 40, guids=[f"tmdb://{10_000 + n}"])
    household.plex.add_section("2", "Music", "artist")

    first = await household.import_plex()
    second = await household.import_plex()

    assert first["status"] == "succeeded", first
    assert first["progress"] == {"total": 120, "processed": 120}
    assert first["summary"]["created"] == 120
    assert second["summary"]["created"] == second["summary"]["updated"] == 0
    assert second["summary"]["skipped"] == 120
    titles = await household.titles()
    assert len(titles) == 120
    assert all(len(title["copies"]) == 1 and title["copies"][0]["source_provider"] == "plex" for title in titles)


async def test_an_import_without_section_keys_takes_only_the_configured_sections(household):
    household.plex.add_section("1", "Movies", "movie")
    household.plex.add_section("2", "Home Videos", "movie")
    household.plex.add_section("3", "TV", "show")
    household.plex.add_movie("1", "Heat", year=1995, guids=["tmdb://949"])
    household.plex.add_movie("2", "Birthday 2019", year=2019)
    household.plex.add_show("3", "Dark", year=2017, guids=["tmdb://70523"], season_count=3, episode_count=26)
    chosen = [{"key": "1", "title": "Movies", "type": "movie"}, {"key": "3", "title": "TV", "type": "show"}]
    await household.configure_plex(library_sections=chosen)

    job = await household.import_plex()

    assert job["status"] == "succeeded", job["error"]
    assert job["progress"] == {"total": 2, "processed": 2}
    assert sorted(title["title"] for title in await household.titles()) == ["Dark", "Heat"]


async def test_a_film_in_two_sections_becomes_one_title_with_two_copies(household):
    household.plex.add_section("1", "Movies", "movie")
    household.plex.add_section("2", "4K Movies", "movie")
    household.plex.add_movie("1", "Heat", year=1995, guids=["tmdb://949", "imdb://tt0113277"], resolution="1080")
    household.plex.add_movie("2", "Heat", year=1995, guids=["tmdb://949", "imdb://tt0113277"], resolution="4k")

    job = await household.import_plex()

    assert job["summary"]["created"] == 1
    assert job["summary"]["updated"] == 1
    (title,) = await household.titles()
    assert sorted(copy["resolution"] for copy in title["copies"]) == ["1080p", "4k"]


async def test_a_title_added_by_hand_gets_a_digital_copy_instead_of_a_twin(household):
    async with household.client("library") as library:
        added = await library.post(
            "/api/media",
            json={
                "title": "Arrival",
                "media_type": "movie",
                "year": 2016,
                "tmdb_id": 329865,
                "tmdb_media_type": "movie",
                "copies": [{"format": "Blu-ray"}],
            },
        )
    assert added.status_code == 201, added.text
    household.plex.add_section("1", "Movies", "movie")
    household.plex.add_movie("1", "Arrival", year=2016, guids=["tmdb://329865"])

    job = await household.import_plex()

    assert job["summary"]["updated"] == 1
    (title,) = await household.titles()
    assert sorted(copy["format"] for copy in title["copies"]) == ["Blu-ray", "Digital"]


async def test_two_films_with_one_title_and_different_years_stay_two_titles(household):
    household.plex.add_section("1", "Movies", "movie")
    household.plex.add_movie("1", "Dune", year=1984)
    household.plex.add_movie("1", "Dune", year=2021)

    job = await household.import_plex()

    assert job["summary"]["created"] == 2
    assert sorted(title["year"] for title in await household.titles()) == [1984, 2021]


async def test_items_without_ids_or_year_are_imported_once(household):
    household.plex.add_section("1", "Movies", "movie")
    household.plex.add_movie("1", "Home Video")
    household.plex.add_movie("1", "Untitled Project", year=2003)

    first = await household.import_plex()
    second = await household.import_plex()

    assert first["summary"]["created"] == 2
    assert second["summary"]["skipped"] == 2
    assert len(await household.titles()) == 2


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (401, "Plex rejected the token: check the Plex token in integration settings."),
        (500, "Plex could not be read"),
    ],
)
async def test_plex_failing_mid_import_fails_the_job_clearly_without_partial_duplicates(household, status, reason):
    household.plex.add_section("1", "Movies", "movie")
    for n in range(200):
        household.plex.add_movie("1", f"Movie {n:03d}", year=2000, guids=[f"tmdb://{50_000 + n}"])
    household.plex.slow_down(0.2)
    async with household.client("sync") as sync:
        job = (await sync.post("/api/media/import-plex")).json()["job"]
        # when Plex starts failing once the first batch is in
        while (await sync.get(f"/api/sync-jobs/{job['id']}")).json()["progress"]["processed"] < 50:
            await asyncio.sleep(0.05)
        household.plex.fail_next(status, times=100, path="/library/sections")
        failed = await _finished(sync, job["id"])
    household.plex.reset()
    again = await household.import_plex()

    assert failed["status"] == "failed"
    assert reason in failed["error"]
    assert 50 <= failed["progress"]["processed"] < 200
    assert again["status"] == "succeeded"
    assert again["summary"]["created"] + again["summary"]["skipped"] == 200
    titles = [title["title"] for title in await household.titles()]
    assert len(titles) == len(set(titles)) == 200


async def _finished(sync, job_id: str) -> dict:
    for _ in range(600):
        job = (await sync.get(f"/api/sync-jobs/{job_id}")).json()
        if job["status"] in ("succeeded", "failed", "cancelled"):
            return job
        await asyncio.sleep(0.1)
    raise AssertionError(f"job {job_id} never finished")


async def test_a_show_s_seasons_on_plex_are_recorded_and_its_copy_holds_them_on_every_import(household):
    household.plex.add_section("3", "TV", "show")
    dark = household.plex.add_show(
        "3",
        "Dark",
        year=2017,
        guids=["tmdb://70523"],
        season_count=3,
        seasons=[PlexSeason(0, episodes=2), PlexSeason(1, year=2017), PlexSeason(3, title="Finale", year=2020)],
    )
    await household.configure_plex(library_sections=[{"key": "3", "title": "TV", "type": "show"}])
    async with household.client("library") as library:
        typed = await library.post("/api/media", json={"title": "Dark", "year": 2017, "media_type": "tv_series"})
        await library.put(
            f"/api/media/{typed.json()['id']}/seasons", json=[{"number": 2, "name": "Typed", "year": 2019}]
        )

    first = await household.import_plex()
    again = await household.import_plex()
    dark.seasons.append(PlexSeason(2, year=2019))
    gained = await household.import_plex()

    assert first["status"] == "succeeded", (first["error"], first["summary"])
    assert first["summary"]["updated"] == 1, first["summary"]
    assert again["summary"]["skipped"] == 1, again["summary"]
    assert gained["summary"]["updated"] == 1, gained["summary"]
    (title,) = await household.titles()
    async with household.client("library") as library:
        seasons = (await library.get(f"/api/media/{title['id']}/seasons")).json()
    assert [(s["number"], s["name"], s["year"]) for s in seasons] == [
        (0, "Specials", None),
        (1, "Season 1", 2017),
        (2, "Typed", 2019),  # what was typed stays
        (3, "Finale", 2020),
    ]
    assert [copy["season_numbers"] for copy in title["copies"]] == [[0, 1, 2, 3]]
    assert (title["seasons_owned"], title["seasons_total"]) == (3, 3)
    children = household.plex.requests_to(f"/library/metadata/{dark.rating_key}/children")
    assert children
    assert all(request.query.get("excludeAllLeaves") == "1" for request in children)
