"""Plex: the settings test, paged and normalized section items for sync, errors, and artwork."""

import uuid

import pytest

from services.integrations.tests.helpers import configure
from tests.fakes.plex import PNG

TOKEN = "plex-token-0123456789"


@pytest.fixture
async def plex_space(admin, space, plex):
    await configure(admin, space, "plex", base_url=plex.url, token=TOKEN)
    return space


def library(plex):
    plex.add_section("1", "Films", "movie")
    plex.add_section("2", "Séries", "show")
    plex.add_section("3", "Music", "artist")


async def test_the_plex_test_names_the_server_and_its_sections(admin, plex_space, plex):
    library(plex)

    result = (await admin.post(f"/api/spaces/{plex_space}/integrations/plex/test")).json()

    assert result["ok"] is True
    assert result["server_name"] == "Fake Plex"
    assert result["version"] == plex.version
    assert result["sections"] == [
        {"key": "1", "title": "Films", "type": "movie"},
        {"key": "2", "title": "Séries", "type": "show"},
    ]
    listed = {i["provider"]: i for i in (await admin.get(f"/api/spaces/{plex_space}/integrations")).json()["items"]}
    assert listed["plex"]["status"] == "ok"


async def test_a_rejected_token_is_an_actionable_failed_test(admin, space, plex, events):
    await configure(admin, space, "plex", base_url=plex.url, token="wrong-token-000000")

    result = (await admin.post(f"/api/spaces/{space}/integrations/plex/test")).json()

    assert result["ok"] is False
    assert "Plex rejected the token" in result["detail"]
    listed = {i["provider"]: i for i in (await admin.get(f"/api/spaces/{space}/integrations")).json()["items"]}
    assert listed["plex"]["status"] == "failing"
    event = await events.next("integrations.settings.tested", space)
    assert event["data"] == {"provider": "plex", "ok": False, "outcome": "failing"}


async def test_an_unreachable_server_is_an_actionable_failed_test(admin, space):
    await configure(admin, space, "plex", base_url="http://127.0.0.1:9", token=TOKEN)

    result = (await admin.post(f"/api/spaces/{space}/integrations/plex/test")).json()

    assert result["ok"] is False
    assert "Could not reach Plex" in result["detail"]


async def test_a_test_without_a_token_says_what_is_missing(admin, space):
    result = (await admin.post(f"/api/spaces/{space}/integrations/plex/test")).json()
    assert result["ok"] is False
    assert "not set up" in result["detail"]


async def test_sync_reads_a_section_page_by_page(sync_caller, plex_space, plex):
    library(plex)
    for n in range(5):
        plex.add_movie("1", f"Film {n}", year=2000 + n)

    pages, start = [], 0
    while start is not None:
        response = await sync_caller.get("/internal/plex/sections/1/items", params={"start": start, "size": 2})
        assert response.status_code == 200, response.text
        pages.append(response.json())
        start = pages[-1]["next_start"]

    assert [[i["title"] for i in p["items"]] for p in pages] == [["Film 0", "Film 1"], ["Film 2", "Film 3"], ["Film 4"]]
    assert {p["total"] for p in pages} == {5}
    assert plex.page_requests("1") == [(0, 2), (2, 2), (4, 2)]
    assert all(r.query.get("includeGuids") == "1" for r in plex.requests_to("/library/sections/1/all"))


async def test_sync_lists_only_movie_and_show_sections(sync_caller, plex_space, plex):
    library(plex)

    body = (await sync_caller.get("/internal/plex/sections")).json()

    assert body["server_name"] == "Fake Plex"
    assert [s["key"] for s in body["sections"]] == ["1", "2"]


async def test_without_chosen_sections_every_video_section_is_selected(sync_caller, plex_space, plex):
    library(plex)

    body = (await sync_caller.get("/internal/plex/sections")).json()

    assert [(s["key"], s["selected"]) for s in body["sections"]] == [("1", True), ("2", True)]


async def test_the_sections_the_space_chose_are_marked_selected(admin, sync_caller, plex_space, plex):
    library(plex)
    await configure(admin, plex_space, "plex", library_sections=[{"key": "2", "title": "Séries", "type": "show"}])

    body = (await sync_caller.get("/internal/plex/sections")).json()

    assert [(s["key"], s["title"], s["selected"]) for s in body["sections"]] == [
        ("1", "Films", False),
        ("2", "Séries", True),
    ]


async def test_chosen_sections_the_server_no_longer_has_select_nothing(admin, sync_caller, plex_space, plex):
    library(plex)
    await configure(admin, plex_space, "plex", library_sections=[{"key": "7", "title": "Gone", "type": "movie"}])

    body = (await sync_caller.get("/internal/plex/sections")).json()

    assert [s["selected"] for s in body["sections"]] == [False, False]


async def test_items_are_normalized_with_identities_from_guid_children(sync_caller, plex_space, plex):
    library(plex)
    matrix = plex.add_movie(
        "1",
        "The Matrix",
        year=1999,
        guids=["imdb://tt0133093", "tmdb://603", "tvdb://169"],
        resolution="4k",
        duration_ms=8160000,
        summary="A hacker learns the truth.",
        genres=["Action", "Science Fiction"],
        directors=["Lana Wachowski", "Lilly Wachowski"],
        roles=["Keanu Reeves", "Laurence Fishburne"],
        audience_rating=8.7,
    )

    item = (await sync_caller.get("/internal/plex/sections/1/items")).json()["items"][0]

    assert item["provider"] == "plex"
    assert item["external_id"] == str(matrix.rating_key)
    assert item["media_type"] == "movie"
    assert (item["title"], item["year"], item["runtime_minutes"]) == ("The Matrix", 1999, 136)
    assert item["identities"] == {"tmdb_id": 603, "tmdb_media_type": "movie", "imdb_id": "tt0133093", "tvdb_id": 169}
    assert item["copy"]["format"] == "Digital"
    assert item["copy"]["resolution"] == "4k"
    assert item["genres"] == ["Action", "Science Fiction"]
    assert item["directors"] == ["Lana Wachowski", "Lilly Wachowski"]
    assert item["cast"] == ["Keanu Reeves", "Laurence Fishburne"]
    assert item["rating"] == 8.7
    assert item["overview"] == "A hacker learns the truth."


@pytest.mark.parametrize(
    ("legacy", "identities"),
    [
        ("com.plexapp.agents.imdb://tt0078748?lang=en", {"imdb_id": "tt0078748"}),
        ("com.plexapp.agents.themoviedb://348?lang=en", {"tmdb_id": 348, "tmdb_media_type": "movie"}),
        ("com.plexapp.agents.none://abc", {}),
    ],
)
async def test_legacy_agent_guids_give_identities(sync_caller, plex_space, plex, legacy, identities):
    library(plex)
    plex.add_movie("1", "Alien", year=1979, legacy_guid=legacy)

    item = (await sync_caller.get("/internal/plex/sections/1/items")).json()["items"][0]

    expected = {"tmdb_id": None, "tmdb_media_type": None, "imdb_id": None, "tvdb_id": None} | identities
    assert item["identities"] == expected


async def test_shows_are_read_at_series_level_with_counts(sync_caller, plex_space, plex):
    library(plex)
    plex.add_show(
        "2",
        "Dark",
        year=2017,
        legacy_guid="com.plexapp.agents.thetvdb://334824?lang=de",
        season_count=3,
        episode_count=26,
        duration_ms=3300000,
    )

    item = (await sync_caller.get("/internal/plex/sections/2/items")).json()["items"][0]

    assert item["media_type"] == "tv_series"
    assert (item["season_count"], item["episode_count"], item["runtime_minutes"]) == (3, 26, 55)
    assert item["identities"]["tvdb_id"] == 334824
    assert item["copy"]["resolution"] is None


async def test_the_token_account_s_plays_come_beside_the_items(sync_caller, plex_space, plex):
    library(plex)
    heat = plex.add_movie("1", "Heat", year=1995, view_count=3, last_viewed_at=1_700_000_000)
    plex.add_movie("1", "Ronin", year=1998)
    plex.add_movie("1", "Thief", year=1981, view_count=1)  # played, but Plex gives no date: not known
    dark = plex.add_show(
        "2", "Dark", season_count=3, episode_count=26, viewed_episode_count=26, last_viewed_at=1_710_000_000
    )
    plex.add_show(
        "2", "Halfway", season_count=1, episode_count=10, viewed_episode_count=4, last_viewed_at=1_710_000_000
    )

    films = (await sync_caller.get("/internal/plex/sections/1/items")).json()
    shows = await sync_caller.get("/internal/plex/sections/2/items")
    assert shows.status_code == 200, shows.text
    shows = shows.json()

    assert len(films["items"]) == 3
    assert films["watched"] == [
        {"external_id": str(heat.rating_key), "play_count": 3, "last_viewed_at": "2023-11-14T22:13:20Z"}
    ]
    assert shows["watched"] == [
        {"external_id": str(dark.rating_key), "play_count": 1, "last_viewed_at": "2024-03-09T16:00:00Z"}
    ]


async def test_edge_cases_no_year_unicode_titles_missing_thumbs(sync_caller, plex_space, plex):
    library(plex)
    plex.add_movie("1", "Le Fabuleux Destin d'Amélie Poulain", original_title="アメリ", resolution="sd")
    plex.add_movie("1", "千と千尋の神隠し", year=2001, thumb=None, resolution="720")
    plex.add_movie("1", "Untitled Home Video", year=None, resolution="1080")

    items = (await sync_caller.get("/internal/plex/sections/1/items")).json()["items"]

    amelie, spirited, home = items
    assert amelie["year"] is None
    assert amelie["original_title"] == "アメリ"
    assert amelie["copy"]["resolution"] == "sd"
    assert spirited["title"] == "千と千尋の神隠し"
    assert spirited["poster_url"] is None
    assert spirited["copy"]["resolution"] == "720p"
    assert home["copy"]["resolution"] == "1080p"


async def test_posters_go_through_the_service_and_never_carry_the_token(sync_caller, as_role, plex_space, plex):
    library(plex)
    movie = plex.add_movie("1", "Heat", year=1995)
    item = (await sync_caller.get("/internal/plex/sections/1/items")).json()["items"][0]

    # the poster is a relative path through the service, without the token
    assert item["poster_url"].startswith(f"/api/spaces/{plex_space}/integrations/plex/artwork?path=")
    assert TOKEN not in item["poster_url"]

    # and a viewer of the space gets the image, while Plex got the token in a header
    async with as_role("viewer") as viewer:
        response = await viewer.get(item["poster_url"])
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.content == PNG
    assert TOKEN not in str(response.headers)
    thumb_request = plex.requests_to(f"/library/metadata/{movie.rating_key}/thumb")[-1]
    assert thumb_request.headers["x-plex-token"] == TOKEN
    assert "X-Plex-Token" not in thumb_request.query


async def test_artwork_only_serves_plex_image_paths(as_role, plex_space):
    async with as_role("viewer") as viewer:
        response = await viewer.get(
            f"/api/spaces/{plex_space}/integrations/plex/artwork", params={"path": "/library/sections"}
        )
    assert response.status_code == 404


async def test_artwork_of_another_space_is_not_found(as_role, plex_space):
    async with as_role("viewer", space_id=uuid.uuid4()) as stranger:
        response = await stranger.get(
            f"/api/spaces/{plex_space}/integrations/plex/artwork", params={"path": "/library/metadata/1/thumb/1"}
        )
    assert response.status_code == 404


async def test_a_rejected_token_is_a_clear_error_for_sync(sync_caller, admin, plex_space, plex):
    library(plex)
    await configure(admin, plex_space, "plex", token="revoked-token-000000")

    response = await sync_caller.get("/internal/plex/sections/1/items")

    assert response.status_code == 502
    error = response.json()["error"]
    assert error["code"] == "provider_unauthorized"
    assert "Plex rejected the token" in error["message"]


async def test_a_slow_plex_times_out_with_a_clear_error(sync_caller, plex_space, plex):
    library(plex)
    plex.slow_down(2.0)

    response = await sync_caller.get("/internal/plex/sections")

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "provider_unreachable"


async def test_plex_server_errors_are_retried(sync_caller, plex_space, plex):
    library(plex)
    plex.add_movie("1", "Ran", year=1985)
    plex.fail_next(503, times=2, path="/library/sections/1/all")

    response = await sync_caller.get("/internal/plex/sections/1/items")

    assert response.status_code == 200
    assert [i["title"] for i in response.json()["items"]] == ["Ran"]


async def test_plex_errors_that_persist_are_reported(sync_caller, plex_space, plex):
    library(plex)
    plex.fail_next(500, times=5, path="/library/sections/1/all")

    response = await sync_caller.get("/internal/plex/sections/1/items")

    assert response.status_code == 502
    assert response.json()["error"]["code"] == "provider_error"


async def test_an_unknown_or_non_video_section_is_not_found(sync_caller, plex_space, plex):
    library(plex)
    assert (await sync_caller.get("/internal/plex/sections/3/items")).status_code == 404
    assert (await sync_caller.get("/internal/plex/sections/99/items")).status_code == 404


async def test_sync_without_plex_settings_gets_not_configured(sync_caller):
    response = await sync_caller.get("/internal/plex/sections")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "provider_not_configured"


async def test_the_internal_api_refuses_gateway_callers(admin, plex_space):
    response = await admin.get("/internal/plex/sections")
    assert response.status_code == 403
