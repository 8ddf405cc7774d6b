"""A title page's "Match to TMDB" and "Refresh details" through the gateway, against a fake TMDB.

Match gives a title added by hand a TMDB id and TMDB's details; refresh reads them again. Neither
takes an id another title of the space has (409 pointing at the merge flow), neither works without the
space's TMDB settings (the integrations' message), and viewers and other spaces are refused.
"""

import asyncio

import pytest

from tests.fakes.tmdb import FakeTmdb, season
from tests.support.identity import make_space_with_roles

TMDB_KEY = "0123456789abcdef0123456789abcdef"


@pytest.fixture(scope="module")
async def tmdb():
    fake = await FakeTmdb(api_key=TMDB_KEY).start()
    fake.add_movie(
        603,
        "The Matrix",
        release_date="1999-03-30",
        directors=["Lana Wachowski", "Lilly Wachowski"],
        cast=[("Keanu Reeves", "Neo"), ("Carrie-Anne Moss", "Trinity"), ("Joe Pantoliano", "")],
        genres=["Action", "Science Fiction"],
        runtime=136,
        imdb_id="tt0133093",
        overview="A hacker learns what the Matrix is.",
    )
    fake.add_show(1396, "Breaking Bad", first_air_date="2008-01-20", number_of_seasons=5, number_of_episodes=62)
    fake.add_show(
        1399,
        "Game of Thrones",
        first_air_date="2011-04-17",
        number_of_seasons=2,
        seasons=[season(0, episode_count=3), season(1, air_date="2011-04-17"), season(2, air_date="2012-04-01")],
    )
    try:
        yield fake
    finally:
        await fake.stop()


@pytest.fixture
async def household(system, tmdb):
    space = await make_space_with_roles(system)
    configured = await space.owner.client.put(
        f"/api/spaces/{space.space_id}/integrations/tmdb", json={"base_url": tmdb.base_url, "token": TMDB_KEY}
    )
    assert configured.status_code == 200, configured.text
    try:
        yield space
    finally:
        await space.aclose()


async def _add(account, title: str, **fields) -> dict:
    response = await account.client.post("/api/media", json={"title": title, "media_type": "movie", **fields})
    assert response.status_code == 201, response.text
    return response.json()


async def _activity(account, space_id, media_id: str, action: str) -> list[dict]:
    async with asyncio.timeout(30):
        while True:
            found = await account.client.get(f"/api/spaces/{space_id}/activity", params={"entity_id": media_id})
            rows = [row for row in found.json()["items"] if row["action"] == action]
            if rows:
                return rows
            await asyncio.sleep(0.2)


async def test_a_member_matches_a_title_added_by_hand(household):
    title = await _add(household.member, "matrix", year=1999, notes="the boxed one", copies=[{"format": "DVD"}])

    matched = await household.member.client.post(f"/api/media/{title['id']}/match", json={"tmdb_id": 603})

    assert matched.status_code == 200, matched.text
    body = matched.json()
    assert (body["title"], body["tmdb_id"], body["tmdb_media_type"], body["imdb_id"]) == (
        "The Matrix",
        603,
        "movie",
        "tt0133093",
    )
    assert body["directors"] == ["Lana Wachowski", "Lilly Wachowski"]
    assert body["cast"] == ["Keanu Reeves", "Carrie-Anne Moss", "Joe Pantoliano"]
    assert body["runtime_minutes"] == 136
    assert body["poster_url"].endswith("/poster.jpg")
    assert body["backdrop_url"].endswith("/backdrop.jpg")
    assert body["notes"] == "the boxed one"  # what the member typed stays
    assert [copy["format"] for copy in body["copies"]] == ["DVD"]
    stored = (await household.viewer.client.get(f"/api/media/{title['id']}")).json()
    assert stored["title"] == "The Matrix"
    rows = await _activity(household.admin, household.space_id, title["id"], "library.media.updated")
    assert rows[0]["user_id"] == str(household.member.id)


async def test_a_show_gains_its_seasons_and_episodes(household):
    title = await _add(household.member, "breaking bad", media_type="movie")

    matched = await household.member.client.post(
        f"/api/media/{title['id']}/match", json={"tmdb_id": 1396, "media_type": "tv"}
    )

    assert matched.status_code == 200, matched.text
    body = matched.json()
    assert (body["media_type"], body["season_count"], body["episode_count"]) == ("tv_series", 5, 62)


async def test_a_show_matched_to_tmdb_takes_its_seasons_and_a_refresh_keeps_the_ones_copies_hold(household, tmdb):
    title = await _add(household.member, "got", media_type="tv_series")
    await household.member.client.put(
        f"/api/media/{title['id']}/seasons", json=[{"number": 1, "name": "typed"}, {"number": 9}]
    )
    copy = await household.member.client.post(
        f"/api/media/{title['id']}/copies", json={"format": "Blu-ray", "season_numbers": [9]}
    )

    matched = await household.member.client.post(
        f"/api/media/{title['id']}/match", json={"tmdb_id": 1399, "media_type": "tv"}
    )
    seasons = (await household.viewer.client.get(f"/api/media/{title['id']}/seasons")).json()
    tmdb.shows[1399]["seasons"].append(season(3, air_date="2013-03-31", episode_count=10))
    refreshed = await household.member.client.post(f"/api/media/{title['id']}/refresh")

    assert copy.status_code == 201, copy.text
    assert matched.status_code == 200, matched.text
    assert seasons == [
        {"number": 0, "name": "Specials", "year": None, "episode_count": 3},
        {"number": 1, "name": "Season 1", "year": 2011, "episode_count": 10},
        {"number": 2, "name": "Season 2", "year": 2012, "episode_count": 10},
        {"number": 9, "name": "Season 9", "year": None, "episode_count": None},  # a copy holds it
    ]
    assert (matched.json()["seasons_owned"], matched.json()["seasons_total"]) == (1, 3)
    assert refreshed.status_code == 200, refreshed.text
    assert (refreshed.json()["seasons_owned"], refreshed.json()["seasons_total"]) == (1, 4)
    rows = await _activity(household.admin, household.space_id, title["id"], "library.media.updated")
    assert any("seasons" in (row.get("details") or {}).get("fields", []) for row in rows), rows


async def test_an_id_another_title_has_is_a_conflict_that_points_at_merge(household):
    kept = await _add(household.admin, "The Matrix", tmdb_id=603)
    other = await _add(household.member, "Matrix (DVD)")

    refused = await household.member.client.post(f"/api/media/{other['id']}/match", json={"tmdb_id": 603})

    assert refused.status_code == 409, refused.text
    error = refused.json()["error"]
    assert error["code"] == "duplicate_title"
    assert "merge" in error["message"]
    assert "The Matrix" in error["message"]
    assert error["details"][0]["media_id"] == kept["id"]
    unchanged = (await household.member.client.get(f"/api/media/{other['id']}")).json()
    assert (unchanged["title"], unchanged["tmdb_id"]) == ("Matrix (DVD)", None)


async def test_two_titles_racing_for_one_id_leave_one_holder(household):
    first = await _add(household.admin, "first")
    second = await _add(household.admin, "second")

    answers = await asyncio.gather(
        *(household.admin.client.post(f"/api/media/{t['id']}/match", json={"tmdb_id": 603}) for t in (first, second))
    )

    assert sorted(answer.status_code for answer in answers) == [200, 409]
    listed = (await household.admin.client.get("/api/media", params={"q": "Matrix"})).json()["items"]
    assert [item["tmdb_id"] for item in listed] == [603]


async def test_without_tmdb_settings_the_answer_says_what_to_set_up(system):
    space = await make_space_with_roles(system)
    try:
        title = await _add(space.member, "Alien")
        refused = await space.member.client.post(f"/api/media/{title['id']}/match", json={"tmdb_id": 348})
        assert refused.status_code == 409
        error = refused.json()["error"]
        assert error["code"] == "provider_not_configured"
        assert "TMDB" in error["message"] or "integration" in error["message"]
    finally:
        await space.aclose()


async def test_viewers_and_other_spaces_are_refused(household, system):
    title = await _add(household.member, "matrix")
    neighbours = await make_space_with_roles(system)
    try:
        by_viewer = await household.viewer.client.post(f"/api/media/{title['id']}/match", json={"tmdb_id": 603})
        by_neighbour = await neighbours.owner.client.post(f"/api/media/{title['id']}/match", json={"tmdb_id": 603})
        refresh_by_neighbour = await neighbours.owner.client.post(f"/api/media/{title['id']}/refresh")
    finally:
        await neighbours.aclose()

    assert by_viewer.status_code == 403
    assert by_neighbour.status_code == 404
    assert refresh_by_neighbour.status_code == 404
    assert (await household.member.client.get(f"/api/media/{title['id']}")).json()["tmdb_id"] is None


async def test_a_member_may_not_match_a_title_someone_else_added(household):
    title = await _add(household.admin, "matrix")

    refused = await household.member.client.post(f"/api/media/{title['id']}/match", json={"tmdb_id": 603})

    assert refused.status_code == 403
    assert refused.json()["error"]["message"].startswith("Only the member who added this title")


async def test_refresh_reads_tmdb_again_and_keeps_what_tmdb_lacks(household, tmdb):
    title = await _add(household.member, "Heat", tmdb_id=949, overview="typed by hand", genres=["Crime"])
    tmdb.add_movie(949, "Heat", release_date="1995-12-15", directors=["Michael Mann"], runtime=170)

    refreshed = await household.member.client.post(f"/api/media/{title['id']}/refresh")

    assert refreshed.status_code == 200, refreshed.text
    body = refreshed.json()
    assert (body["year"], body["runtime_minutes"], body["directors"]) == (1995, 170, ["Michael Mann"])
    assert (body["overview"], body["genres"]) == ("typed by hand", ["Crime"])


async def test_the_title_page_answer_names_each_cast_members_character_and_the_list_does_not(household):
    title = await _add(household.member, "matrix", year=1999)
    matched = await household.member.client.post(f"/api/media/{title['id']}/match", json={"tmdb_id": 603})
    assert matched.status_code == 200, matched.text

    detail = (await household.viewer.client.get(f"/api/media/{title['id']}")).json()
    listed = (await household.viewer.client.get("/api/media", params={"q": "Matrix"})).json()["items"]

    assert detail["cast"] == ["Keanu Reeves", "Carrie-Anne Moss", "Joe Pantoliano"]
    assert detail["cast_characters"] == ["Neo", "Trinity", None]
    (item,) = [item for item in listed if item["id"] == title["id"]]
    assert "cast_characters" not in item
    assert item["cast"] == detail["cast"]


async def test_refresh_brings_the_characters_tmdb_has_now(household, tmdb):
    title = await _add(household.member, "Ronin", tmdb_id=8195, cast=["Robert De Niro"])
    tmdb.add_movie(8195, "Ronin", release_date="1998-09-25", cast=[("Robert De Niro", "Sam"), ("Jean Reno", "Vincent")])

    refreshed = await household.member.client.post(f"/api/media/{title['id']}/refresh")

    assert refreshed.status_code == 200, refreshed.text
    detail = (await household.member.client.get(f"/api/media/{title['id']}")).json()
    assert (detail["cast"], detail["cast_characters"]) == (["Robert De Niro", "Jean Reno"], ["Sam", "Vincent"])


async def test_characters_follow_their_names_when_the_cast_is_edited(household):
    cast = ["Al Pacino", "Robert De Niro", "Val Kilmer"]
    title = await _add(household.member, "Heat (edited)", cast=cast, cast_characters=["Hanna", "McCauley", ""])

    edited = await household.member.client.patch(
        f"/api/media/{title['id']}", json={"cast": ["Robert De Niro", "Ashley Judd", "Al Pacino"]}
    )

    assert edited.status_code == 200, edited.text
    detail = (await household.member.client.get(f"/api/media/{title['id']}")).json()
    assert detail["cast_characters"] == ["McCauley", None, "Hanna"]


@pytest.mark.parametrize(
    "body",
    [
        {"cast": ["Al Pacino", "Robert De Niro"], "cast_characters": ["Hanna"]},
        {"cast_characters": ["Hanna"]},
        {"cast": ["Al Pacino"], "cast_characters": ["x" * 201]},
    ],
    ids=["one-short", "without-the-cast", "too-long"],
)
async def test_characters_that_do_not_line_up_with_the_cast_are_refused(household, body):
    refused = await household.member.client.post(
        "/api/media", json={"title": "Misaligned cast", "media_type": "movie", **body}
    )

    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["details"][0]["field"].startswith("cast_characters")
    listed = (await household.member.client.get("/api/media", params={"q": "Misaligned cast"})).json()
    assert listed["total"] == 0


async def test_refresh_of_a_title_without_a_tmdb_id_asks_for_a_match(household):
    title = await _add(household.member, "By hand only")

    refused = await household.member.client.post(f"/api/media/{title['id']}/refresh")

    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "tmdb_id_missing"
    assert "Match to TMDB" in refused.json()["error"]["message"]


async def test_a_key_tmdb_refuses_is_said_as_integrations_say_it(system, tmdb):
    space = await make_space_with_roles(system)
    try:
        await space.owner.client.put(
            f"/api/spaces/{space.space_id}/integrations/tmdb",
            json={"base_url": tmdb.base_url, "token": "wrong-key-0000"},
        )
        title = await _add(space.member, "Alien")
        refused = await space.member.client.post(f"/api/media/{title['id']}/match", json={"tmdb_id": 603})
        assert refused.status_code == 502, refused.text
        assert refused.json()["error"]["code"] == "provider_unauthorized"
        assert (await space.member.client.get(f"/api/media/{title['id']}")).json()["tmdb_id"] is None
    finally:
        await space.aclose()
