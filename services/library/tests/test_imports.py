"""The import upsert behind sync: outcomes, dedupe order, races, and a cheap unchanged path."""

import asyncio
import uuid

from sqlalchemy import text

from services.library.tests.conftest import create_title


def item(external_id: str, title: str, **fields) -> dict:
    return {"provider": "plex", "external_id": external_id, "title": title, "media_type": "movie", **fields}


async def run_import(space, *items: dict) -> list[dict]:
    response = await space.service.post("/internal/media/import", json={"items": list(items)})
    assert response.status_code == 200, response.text
    return response.json()["results"]


def outcomes(results: list[dict]) -> list[str]:
    return [result["outcome"] for result in results]


async def live_titles(space) -> list[dict]:
    return (await space.viewer.get("/api/media", params={"limit": 200})).json()["items"]


async def test_a_new_item_is_created_with_its_copy_and_a_repeat_is_unchanged(new_space):
    space = new_space()
    matrix = item("p1", "The Matrix", year=1999, identities={"tmdb_id": 603}, copy={"resolution": "1080p"})

    first = await run_import(space, matrix)
    again = await run_import(space, matrix)

    assert outcomes(first) == ["created"]
    assert outcomes(again) == ["unchanged"]
    assert first[0]["media_id"] == again[0]["media_id"]
    [title] = await live_titles(space)
    assert title["tmdb_media_type"] == "movie"
    assert [(c["format"], c["resolution"], c["source_provider"]) for c in title["copies"]] == [
        ("Digital", "1080p", "plex")
    ]


async def test_only_service_callers_may_import(new_space):
    space = new_space()

    response = await space.owner.post("/internal/media/import", json={"items": [item("x", "X")]})

    assert response.status_code == 403


async def test_a_bad_batch_is_refused_whole(new_space):
    space = new_space()

    response = await space.service.post("/internal/media/import", json={"items": [item("x", "", year=1500)]})

    assert response.status_code == 422


async def test_new_provider_data_fills_gaps_but_never_overwrites_what_a_person_entered(new_space):
    space = new_space()
    await run_import(space, item("p1", "Heat", year=1995))
    [title] = await live_titles(space)
    await space.owner.patch(f"/api/media/{title['id']}", json={"notes": "ours", "runtime_minutes": 170})

    results = await run_import(space, item("p1", "Heat (Remastered)", year=1995, runtime_minutes=171, overview="LA."))

    assert outcomes(results) == ["updated"]
    [title] = await live_titles(space)
    assert (title["title"], title["runtime_minutes"], title["overview"]) == ("Heat", 170, "LA.")


async def test_dedupe_matches_by_tmdb_id_then_imdb_id(new_space):
    space = new_space()
    manual = await create_title(space.member, "Alien", year=1979, tmdb_id=348)
    other = await create_title(space.member, "Aliens", year=1986, imdb_id="tt0090605")

    results = await run_import(
        space,
        item("a1", "Alien (Director's Cut)", year=1979, identities={"tmdb_id": 348, "tmdb_media_type": "movie"}),
        item("a2", "Aliens: Special Edition", year=1986, identities={"imdb_id": "tt0090605"}),
        item("a3", "Alien", year=1979, media_type="tv_series", identities={"tmdb_id": 348, "tmdb_media_type": "tv"}),
    )

    assert outcomes(results) == ["updated", "updated", "created"]
    assert [results[0]["media_id"], results[1]["media_id"]] == [manual["id"], other["id"]]


async def test_title_year_and_type_match_only_without_a_conflicting_strong_id(new_space):
    space = new_space()
    plain = await create_title(space.member, "The Thing", year=1982)
    await create_title(space.member, "Solaris", year=2002, tmdb_id=2103)

    results = await run_import(
        space,
        item("t1", "Thing, The", year=1982),
        item("t2", "the thing", year=1982),
        item("s1", "Solaris", year=2002, identities={"tmdb_id": 9999}),
    )

    assert outcomes(results)[1:] == ["updated", "created"]
    assert results[1]["media_id"] == plain["id"]


async def test_two_films_with_one_title_and_different_years_stay_two(new_space):
    space = new_space()

    results = await run_import(space, item("h1", "Hamlet", year=1948), item("h2", "Hamlet", year=1996))

    assert outcomes(results) == ["created", "created"]
    assert len({result["media_id"] for result in results}) == 2


async def test_a_second_provider_item_of_a_known_title_adds_a_copy(new_space):
    space = new_space()
    await run_import(space, item("k1", "Kagemusha", year=1980, identities={"tmdb_id": 11953}))

    results = await run_import(
        space, item("k2", "Kagemusha", year=1980, identities={"tmdb_id": 11953}, copy={"format": "Blu-ray"})
    )

    assert outcomes(results) == ["updated"]
    [title] = await live_titles(space)
    assert sorted(copy["format"] for copy in title["copies"]) == ["Blu-ray", "Digital"]


async def test_an_item_of_a_title_in_the_trash_leaves_it_there(new_space):
    space = new_space()
    [created] = await run_import(space, item("d1", "Dune", year=1984))
    await space.admin.delete(f"/api/media/{created['media_id']}")

    [result] = await run_import(space, item("d1", "Dune", year=1984, overview="Spice."))

    assert result["outcome"] == "unchanged"
    assert result["reason"]
    assert await live_titles(space) == []


async def test_two_batches_racing_with_the_same_items_create_each_title_once(new_space, library_db):
    space = new_space()
    items = [
        item(f"r{n}", f"Race {n}", year=1950 + n, identities={"tmdb_id": 50000 + n} if n % 2 else {}) for n in range(40)
    ]
    reversed_half = items[20:][::-1] + items[:20]

    first, second = await asyncio.gather(run_import(space, *items), run_import(space, *reversed_half))

    assert outcomes(first).count("created") + outcomes(second).count("created") == 40
    assert "failed" not in outcomes(first) + outcomes(second)
    async with library_db.connect() as conn:
        count = await conn.scalar(text("SELECT count(*) FROM media WHERE space_id = :s"), {"s": space.id})
    assert count == 40
    assert (await space.viewer.get("/api/media")).json()["total"] == 40


async def test_reimporting_unchanged_items_writes_nothing(new_space, library_db):
    space = new_space()
    items = [item(f"u{n}", f"Unchanged {n}", year=2000, copy={"location": "NAS"}) for n in range(50)]
    await run_import(space, *items)
    versions = text(
        "SELECT (SELECT string_agg(xmin::text, ',' ORDER BY id) FROM media WHERE space_id = :s)"
        " || (SELECT string_agg(xmin::text, ',' ORDER BY id) FROM copies WHERE space_id = :s)"
        " || (SELECT string_agg(xmin::text, ',' ORDER BY value) FROM media_identities WHERE space_id = :s)"
        " || (SELECT count(*) FROM outbox)"
    )
    async with library_db.connect() as conn:
        before = await conn.scalar(versions, {"s": space.id})

    results = await run_import(space, *items)

    async with library_db.connect() as conn:
        after = await conn.scalar(versions, {"s": space.id})
    assert set(outcomes(results)) == {"unchanged"}
    assert after == before


async def test_an_import_results_in_the_order_of_the_batch(new_space):
    space = new_space()
    names = ["zeta", "alpha", "mu"]

    results = await run_import(space, *[item(name, name.title(), year=2001) for name in names])

    assert [result["external_id"] for result in results] == names


async def test_an_import_without_a_space_is_refused(library, keys):
    from tests.support.clients import signed_client

    async with signed_client(library.url, keys, "library", caller="sync") as client:
        response = await client.post("/internal/media/import", json={"items": [item("n", "N")]})

    assert response.status_code == 403


async def test_imported_titles_are_added_by_the_user_who_started_the_import(library, keys):
    from tests.support.clients import signed_client

    space_id, user_id = uuid.uuid4(), uuid.uuid4()
    async with signed_client(library.url, keys, "library", caller="sync", space_id=space_id, user_id=user_id) as client:
        response = await client.post("/internal/media/import", json={"items": [item("w", "Wings", year=1927)]})

    assert response.json()["results"][0]["outcome"] == "created"


async def test_items_of_one_title_in_one_batch_make_one_title_with_a_copy_each(new_space):
    # given one batch with a film twice (two sections: same TMDB id), a film without ids twice and a repeat
    space = new_space()
    batch = [
        item("s1-ran", "Ran", year=1985, identities={"tmdb_id": 11645}),
        item("s2-ran", "Ran", year=1985, identities={"tmdb_id": 11645}, copy={"format": "Blu-ray"}),
        item("s1-ikiru", "Ikiru", year=1952),
        item("s2-ikiru", "Ikiru", year=1952, runtime_minutes=143, copy={"format": "DVD"}),
        item("s1-ran", "Ran", year=1985, identities={"tmdb_id": 11645}),
    ]

    # when it is imported
    results = await run_import(space, *batch)

    # then each title is created once and the later items add their copies to it
    assert outcomes(results) == ["created", "updated", "created", "updated", "unchanged"]
    assert results[0]["media_id"] == results[1]["media_id"] == results[4]["media_id"]
    assert results[2]["media_id"] == results[3]["media_id"]
    titles = {title["title"]: title for title in await live_titles(space)}
    assert sorted(copy["format"] for copy in titles["Ran"]["copies"]) == ["Blu-ray", "Digital"]
    assert sorted(copy["format"] for copy in titles["Ikiru"]["copies"]) == ["DVD", "Digital"]
    assert titles["Ikiru"]["runtime_minutes"] == 143
    assert (await space.viewer.get("/api/media")).json()["total"] == 2


async def test_an_item_that_cannot_be_stored_fails_alone(new_space):
    space = new_space()
    batch = [
        item("f1", "Faust", year=1926),
        item("f2", "Nosferatu", year=1922, identities={"tmdb_id": 2**31}),  # beyond what the column stores
        item("f3", "Sunrise", year=1927),
    ]

    results = await run_import(space, *batch)

    assert outcomes(results) == ["created", "failed", "created"]
    assert results[1]["reason"]
    assert sorted(title["title"] for title in await live_titles(space)) == ["Faust", "Sunrise"]
    assert (await space.viewer.get("/api/media")).json()["total"] == 2


async def test_each_created_or_updated_title_leaves_one_import_event(new_space, library_db):
    # given a stored title the batch will add a copy to
    space = new_space()
    [first] = await run_import(space, item("e1", "Metropolis", year=1927))

    # when a batch creates two titles, updates that one and leaves a repeat unchanged
    results = await run_import(
        space,
        item("e2", "M", year=1931),
        item("e3", "Metropolis", year=1927, copy={"format": "Blu-ray"}),
        item("e4", "Spione", year=1928),
        item("e1", "Metropolis", year=1927),
    )

    # then the outbox holds one event per created or updated title, marked as an import from plex
    assert outcomes(results) == ["created", "updated", "created", "unchanged"]
    async with library_db.connect() as conn:
        rows = await conn.execute(
            text("SELECT payload FROM outbox WHERE payload->>'space_id' = :s ORDER BY created_at, id"),
            {"s": str(space.id)},
        )
        events = [row.payload for row in rows]
    seen = sorted((event["type"], event["entity_id"]) for event in events)
    assert seen == sorted(
        [
            ("library.media.created", first["media_id"]),
            ("library.media.created", results[0]["media_id"]),
            ("library.media.created", results[2]["media_id"]),
            ("library.media.updated", first["media_id"]),
        ]
    )
    assert {(event["data"]["source"], event["data"]["provider"]) for event in events} == {("import", "plex")}
    [updated] = [event for event in events if event["type"] == "library.media.updated"]
    assert updated["data"]["fields"] == ["copies"]


async def test_new_provider_data_that_changes_nothing_the_import_may_change_is_unchanged(new_space):
    space = new_space()
    [first] = await run_import(space, item("c1", "Chinatown", year=1974, overview="Water."))

    [again] = await run_import(space, item("c1", "Chinatown (Restored)", year=1974, overview="Water and power."))

    assert again["outcome"] == "unchanged"
    assert again["media_id"] == first["media_id"]
    [title] = await live_titles(space)
    assert (title["title"], title["overview"]) == ("Chinatown", "Water.")


async def test_two_sections_racing_with_the_same_films_create_each_title_once(new_space, library_db):
    # given two sections' batches that share 20 films (same TMDB ids, other provider items)
    space = new_space()

    def film(section: str, n: int) -> dict:
        return item(f"{section}-{n}", f"Film {n}", year=1960 + n, identities={"tmdb_id": 70000 + n})

    movies = [film("movies", n) for n in range(30)]
    uhd = [film("uhd", n) for n in range(10, 40)]

    # when both are imported at once
    first, second = await asyncio.gather(run_import(space, *movies), run_import(space, *uhd))

    # then each film is one title, the shared ones with a copy from each section
    assert "failed" not in outcomes(first) + outcomes(second)
    assert outcomes(first).count("created") + outcomes(second).count("created") == 40
    async with library_db.connect() as conn:
        titles = await conn.scalar(text("SELECT count(*) FROM media WHERE space_id = :s"), {"s": space.id})
        copies = await conn.scalar(text("SELECT count(*) FROM copies WHERE space_id = :s"), {"s": space.id})
    assert (titles, copies) == (40, 60)
    assert (await space.viewer.get("/api/media")).json()["total"] == 40
