"""Watchlist pages for the sync service: the space's Plex account and the user's Trakt link."""

import pytest

from services.integrations.tests.helpers import configure, link_trakt

TOKEN = "plex-token-0123456789"


def trakt_watchlist(trakt) -> None:
    trakt.add_watchlist_movie(
        1,
        "The Matrix",
        1999,
        tmdb=603,
        imdb="tt0133093",
        details={"overview": "A hacker learns the truth.", "runtime": 136, "genres": ["action", "science-fiction"]},
    )
    trakt.add_watchlist_season(2, "Dark", 1)
    trakt.add_watchlist_show(3, "Dark", 2017, tmdb=70523, tvdb=334824, imdb="tt5753856")
    trakt.add_watchlist_movie(4, "Amélie", None, imdb="not-an-imdb-id")


async def test_the_trakt_watchlist_comes_in_normalized_pages(admin, member, sync_for_user, space, trakt):
    await link_trakt(admin, member, space, trakt)
    trakt_watchlist(trakt)

    first = (await sync_for_user.get("/internal/trakt/watchlist", params={"start": 0, "size": 2})).json()
    second = (await sync_for_user.get("/internal/trakt/watchlist", params={"start": 2, "size": 2})).json()

    assert (first["start"], first["total"], first["next_start"]) == (0, 4, 2)
    matrix = first["items"][0]
    assert matrix["provider"] == "trakt"
    assert matrix["external_id"] == "movie:1"
    assert (matrix["title"], matrix["year"], matrix["media_type"]) == ("The Matrix", 1999, "movie")
    assert (matrix["runtime_minutes"], matrix["overview"]) == (136, "A hacker learns the truth.")
    assert matrix["genres"] == ["action", "science-fiction"]
    assert matrix["identities"] == {"tmdb_id": 603, "tmdb_media_type": "movie", "imdb_id": "tt0133093", "tvdb_id": None}
    assert len(first["items"]) == 1  # the season entry is passed over, not read again
    assert (second["start"], second["next_start"]) == (2, None)
    dark, amelie = second["items"]
    assert (dark["external_id"], dark["media_type"]) == ("show:3", "tv_series")
    assert dark["identities"] == {"tmdb_id": 70523, "tmdb_media_type": "tv", "imdb_id": "tt5753856", "tvdb_id": 334824}
    assert (amelie["title"], amelie["year"], amelie["identities"]["imdb_id"]) == ("Amélie", None, None)


async def test_a_rejected_access_token_is_refreshed_once(admin, member, sync_for_user, space, trakt, db_rows):
    await link_trakt(admin, member, space, trakt)
    trakt_watchlist(trakt)
    trakt.expire_access_token()

    page = await sync_for_user.get("/internal/trakt/watchlist", params={"size": 100})
    again = await sync_for_user.get("/internal/trakt/watchlist", params={"size": 100})

    assert page.status_code == 200
    assert again.status_code == 200
    assert len(page.json()["items"]) == 3
    assert len(trakt.requests_to("/oauth/token")) == 1
    assert trakt.requests_to("/sync/watchlist")[-1].headers["authorization"] == f"Bearer {trakt.access_token}"
    assert trakt.access_token not in await db_rows()


async def test_a_link_trakt_no_longer_accepts_asks_to_link_again(admin, member, sync_for_user, space, trakt):
    await link_trakt(admin, member, space, trakt)
    trakt.expire_access_token()
    trakt.refresh_token = "revoked-at-trakt"

    response = await sync_for_user.get("/internal/trakt/watchlist")

    assert response.status_code == 502
    error = response.json()["error"]
    assert error["code"] == "provider_unauthorized"
    assert "link it again" in error["message"]
    assert len(trakt.requests_to("/oauth/token")) == 1


async def test_a_user_without_a_link_has_no_watchlist(admin, sync_for_user, space, trakt):
    await configure(admin, space, "trakt", base_url=trakt.url, client_id="trakt-client-id", token="secret-0123456789")

    trakt_page = await sync_for_user.get("/internal/trakt/watchlist")
    plex_page = await sync_for_user.get("/internal/plex/watchlist")

    for response in (trakt_page, plex_page):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "provider_not_linked"


@pytest.fixture
async def plex_watchlist_space(admin, space, discover):
    await configure(admin, space, "plex", base_url="http://127.0.0.1:9", watchlist_base_url=discover.url, token=TOKEN)
    discover.add("movie", "The Matrix", year=1999, guids=["imdb://tt0133093", "tmdb://603", "tvdb://169"])
    discover.add(
        "show",
        "Das Boot — Die Serie",
        year=2018,
        guids=["tmdb://82792"],
        season_count=4,
        summary="U-612.",
        genres=["Drama", "War"],
    )
    discover.add("movie", "Untitled Project", guids=[], thumb=None, duration_ms=5400000)
    return space


async def test_the_plex_watchlist_comes_from_plex_tv_in_normalized_pages(sync_for_user, plex_watchlist_space, discover):
    first = (await sync_for_user.get("/internal/plex/watchlist", params={"start": 0, "size": 2})).json()
    second = (await sync_for_user.get("/internal/plex/watchlist", params={"start": 2, "size": 2})).json()

    assert (first["total"], first["next_start"], second["next_start"]) == (3, 2, None)
    assert discover.page_requests() == [(0, 2), (2, 2)]
    matrix, boot = first["items"]
    assert matrix["provider"] == "plex_watchlist"
    assert matrix["external_id"] == discover.items[0].rating_key
    assert matrix["identities"] == {"tmdb_id": 603, "tmdb_media_type": "movie", "imdb_id": "tt0133093", "tvdb_id": 169}
    assert matrix["poster_url"] == discover.items[0].thumb
    assert (boot["title"], boot["media_type"], boot["season_count"]) == ("Das Boot — Die Serie", "tv_series", 4)
    assert boot["identities"]["tmdb_media_type"] == "tv"
    assert boot["genres"] == ["Drama", "War"]
    untitled = second["items"][0]
    assert (untitled["year"], untitled["poster_url"], untitled["runtime_minutes"]) == (None, None, 90)
    assert untitled["identities"] == {"tmdb_id": None, "tmdb_media_type": None, "imdb_id": None, "tvdb_id": None}
    sent = discover.requests_to("/library/sections/watchlist")[0]
    assert sent.headers["x-plex-token"] == TOKEN
    assert "X-Plex-Token" not in sent.query


async def test_plex_items_listed_without_guids_get_them_from_their_metadata(
    sync_for_user, plex_watchlist_space, discover
):
    discover.listing_guids = False

    page = (await sync_for_user.get("/internal/plex/watchlist", params={"size": 10})).json()

    assert page["items"][0]["identities"]["imdb_id"] == "tt0133093"
    assert page["items"][1]["identities"]["tmdb_id"] == 82792
    assert len(discover.requests_to("/library/metadata/")) == 3


async def test_a_rejected_plex_token_is_reported_for_the_watchlist(admin, sync_for_user, space, discover):
    await configure(admin, space, "plex", watchlist_base_url=discover.url, token="wrong-token-000000")

    response = await sync_for_user.get("/internal/plex/watchlist")

    assert response.status_code == 502
    assert response.json()["error"]["code"] == "provider_unauthorized"
    assert "plex.tv rejected the Plex token" in response.json()["error"]["message"]


async def test_watchlists_are_for_services_only(member):
    assert (await member.get("/internal/trakt/watchlist")).status_code == 403
