"""`GET /api/media?missing=poster|copies`: the titles behind the stats' "needs attention" counts."""

import importlib
import uuid

from sqlalchemy import text

from services.library.tests.conftest import create_title

POSTER = "https://image.tmdb.org/t/p/w500/poster.jpg"


async def listed(client, **params) -> tuple[list[str], int]:
    response = await client.get("/api/media", params={"limit": 200, **params})
    assert response.status_code == 200, response.text
    body = response.json()
    return [item["title"] for item in body["items"]], body["total"]


async def attention(client) -> dict:
    return (await client.get("/api/media/stats")).json()["attention"]


async def test_missing_lists_exactly_the_titles_the_stats_count(new_space):
    space = new_space()
    await create_title(space.member, "Complete", year=2001, poster_url=POSTER, copies=[{"format": "DVD"}])
    await create_title(space.member, "No Poster", year=2002, copies=[{"format": "Blu-ray"}])
    await create_title(space.member, "No Copy", year=2003, poster_url=POSTER)
    await create_title(space.member, "Neither", year=2004)
    trashed = await create_title(space.member, "Trashed", year=2005)
    await space.member.delete(f"/api/media/{trashed['id']}")

    no_poster = await listed(space.viewer, missing="poster")
    no_copies = await listed(space.viewer, missing="copies", sort="year", order="desc")
    counts = await attention(space.viewer)

    assert no_poster == (["Neither", "No Poster"], 2)
    assert no_copies == (["Neither", "No Copy"], 2)
    assert (counts["no_poster"], counts["no_copies"]) == (2, 2)


async def test_missing_combines_with_the_other_filters(new_space):
    space = new_space()
    await create_title(space.member, "Heat", year=1995, genres=["Crime"])
    await create_title(space.member, "Ran", year=1985, genres=["Drama"])
    await create_title(space.member, "Heat Wave", year=1995, genres=["Crime"], copies=[{"format": "VHS"}])

    by_genre = await listed(space.viewer, missing="copies", genre="crime")
    by_search = await listed(space.viewer, missing="poster", q="heat", year_min=1990)

    assert by_genre == (["Heat"], 1)
    assert by_search == (["Heat", "Heat Wave"], 2)


async def test_a_title_leaves_the_list_when_it_gets_a_poster_or_a_copy_and_returns_without_its_last_copy(new_space):
    space = new_space()
    title = await create_title(space.member, "Alien", year=1979)

    await space.member.patch(f"/api/media/{title['id']}", json={"poster_url": POSTER})
    added = await space.member.post(f"/api/media/{title['id']}/copies", json={"format": "DVD"})
    assert added.status_code == 201, added.text
    with_both = (await listed(space.viewer, missing="poster"), await listed(space.viewer, missing="copies"))
    await space.member.delete(f"/api/media/{title['id']}/copies/{added.json()['id']}")
    without_copy = await listed(space.viewer, missing="copies")

    assert with_both == (([], 0), ([], 0))
    assert without_copy == (["Alien"], 1)
    assert (await attention(space.viewer))["no_copies"] == 1


async def test_an_imported_title_without_a_poster_needs_one_but_has_its_copy(new_space):
    space = new_space()
    item = {"provider": "plex", "external_id": "p1", "title": "Dune", "media_type": "movie", "year": 1984}
    response = await space.service.post("/internal/media/import", json={"items": [item]})
    assert response.status_code == 200, response.text

    assert await listed(space.viewer, missing="poster") == (["Dune"], 1)
    assert await listed(space.viewer, missing="copies") == ([], 0)


async def test_titles_stored_before_the_filter_existed_are_found_after_the_migration(new_space, library_db):
    space = new_space()
    migration = importlib.import_module("library.migrations.versions.0002_missing_facets")
    async with library_db.begin() as conn:
        for title, poster in (("Old Bare", None), ("Old Framed", POSTER)):
            await conn.execute(
                text(
                    "INSERT INTO media (id, space_id, title, sort_title, sort_key, media_type, poster_url, facets,"
                    " search_text) VALUES (:id, :s, :t, :t, :k, 'movie', :p, '{t:movie}', :k)"
                ),
                {"id": uuid.uuid4(), "s": space.id, "t": title, "k": title.lower(), "p": poster},
            )
        for statement in migration.BACKFILL:
            await conn.execute(text(statement))

    assert await listed(space.viewer, missing="poster") == (["Old Bare"], 1)
    assert await listed(space.viewer, missing="copies") == (["Old Bare", "Old Framed"], 2)


async def test_an_unknown_missing_value_is_refused(new_space):
    space = new_space()

    response = await space.viewer.get("/api/media", params={"missing": "overview"})

    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "query.missing"
