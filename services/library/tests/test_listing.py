"""Finding titles: every filter and sort on a hand-built set, keyset pages, and the total."""

import base64
import json
import uuid

import pytest
from sqlalchemy import text

from library.api.schemas import MediaOut, MediaPage
from services.library.tests.conftest import create_title

# (title, year, extra fields); sort order by title ignores articles, accents, case and punctuation.
TRICKY = [
    ("The Matrix", 1999, {"genres": ["Science Fiction"], "cast": ["Keanu Reeves"], "rating": 8.7}),
    ("A Beautiful Mind", 2001, {"genres": ["Drama"], "directors": ["Ron Howard"], "rating": 7.9}),
    ("An American Werewolf in London", 1981, {"genres": ["Horror", "Comedy"]}),
    ("Le Samouraï", 1967, {"genres": ["Crime"], "directors": ["Jean-Pierre Melville"]}),
    ("L'Avventura", 1960, {"genres": ["Drama"], "directors": ["Michelangelo Antonioni"]}),
    ("Das Boot", 1981, {"genres": ["War", "Drama"], "rating": 8.3}),
    ("El laberinto del fauno", 2006, {"genres": ["Fantasy"], "directors": ["Guillermo del Toro"]}),
    ("Los olvidados", 1950, {"genres": ["Drama"]}),
    ("Amélie", 2001, {"genres": ["Comedy"], "original_title": "Le Fabuleux Destin d'Amélie Poulain"}),
    ("!Women Art Revolution", 2010, {"media_type": "other"}),
    ("(500) Days of Summer", 2009, {"genres": ["Comedy"], "rating": 7.7}),
    ("M*A*S*H", 1970, {"genres": ["Comedy", "War"]}),
    ("zero dark thirty", 2012, {"rating": 7.4}),
    ("Zodiac", 2007, {"directors": ["David Fincher"], "rating": 7.7}),
    ("千と千尋の神隠し", 2001, {"original_title": "Spirited Away", "genres": ["Animation"], "rating": 8.6}),
    ("七人の侍", 1954, {"original_title": "Seven Samurai", "rating": 8.6}),
    ("Batman", None, {"media_type": "tv_series"}),
]
TITLE_ORDER = [
    "(500) Days of Summer",
    "Amélie",
    "An American Werewolf in London",
    "L'Avventura",
    "Batman",
    "A Beautiful Mind",
    "Das Boot",
    "El laberinto del fauno",
    "M*A*S*H",
    "The Matrix",
    "Los olvidados",
    "Le Samouraï",
    "!Women Art Revolution",
    "zero dark thirty",
    "Zodiac",
    "七人の侍",
    "千と千尋の神隠し",
]
COPIES = {
    "The Matrix": [{"format": "4K UHD", "resolution": "4k", "barcode": "883929535953"}],
    "Zodiac": [{"format": "Digital", "resolution": "1080p", "source_provider": "plex", "source_external_id": "z1"}],
    "Das Boot": [{"format": "DVD", "resolution": "sd"}],
}


@pytest.fixture
async def shelf(new_space):
    space = new_space()
    ids = {}
    for title, year, fields in TRICKY:
        fields = {"media_type": "movie", **fields}
        ids[title] = (await create_title(space.member, title, year=year, copies=COPIES.get(title, []), **fields))["id"]
    await space.viewer.put(f"/api/media/{ids['Zodiac']}/annotation", json={"rating": 9})
    await space.viewer.put(f"/api/media/{ids['Amélie']}/annotation", json={"rating": 6})
    return space, ids


async def titles_of(client, **params) -> list[str]:
    response = await client.get("/api/media", params={"limit": 200, **params})
    assert response.status_code == 200, response.text
    return [item["title"] for item in response.json()["items"]]


async def walk(client, page_size: int, **params) -> list[dict]:
    """Every item, page by page through the cursor."""
    items, cursor = [], None
    while True:
        query = {"limit": page_size, **params, **({"cursor": cursor} if cursor else {})}
        body = (await client.get("/api/media", params=query)).json()
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items


async def test_title_sort_ignores_articles_accents_case_and_punctuation(shelf):
    space, _ = shelf

    assert await titles_of(space.viewer) == TITLE_ORDER
    assert await titles_of(space.viewer, order="desc") == TITLE_ORDER[::-1]


@pytest.mark.parametrize("sort", ["title", "year", "added", "rating", "user_rating", "runtime"])
@pytest.mark.parametrize("order", ["asc", "desc"])
async def test_walking_every_sort_by_small_pages_gives_the_same_list_as_one_page(shelf, sort, order):
    space, _ = shelf

    walked = [item["title"] for item in await walk(space.viewer, 3, sort=sort, order=order)]

    assert walked == await titles_of(space.viewer, sort=sort, order=order)
    assert sorted(walked) == sorted(TITLE_ORDER)


@pytest.mark.parametrize("sort", ["title", "year", "added", "rating", "user_rating", "runtime"])
@pytest.mark.parametrize("order", ["asc", "desc"])
async def test_a_search_walked_by_small_pages_keeps_the_order_of_the_whole_list(shelf, sort, order):
    """A search sorts its matches apart from the list; both must give the same order."""
    space, _ = shelf

    walked = [item["title"] for item in await walk(space.viewer, 2, sort=sort, order=order, q="a")]
    everything = await titles_of(space.viewer, sort=sort, order=order)

    assert len(walked) >= 8
    assert walked == [title for title in everything if title in set(walked)]


async def test_nullable_sorts_put_titles_without_a_value_last_in_both_orders(shelf):
    space, _ = shelf

    by_year = await titles_of(space.viewer, sort="year")
    by_year_desc = await titles_of(space.viewer, sort="year", order="desc")
    by_user_rating = await titles_of(space.viewer, sort="user_rating", order="desc")

    assert by_year[:2] == ["Los olvidados", "七人の侍"]
    assert by_year[-1] == "Batman"
    assert by_year_desc[:2] == ["zero dark thirty", "!Women Art Revolution"]
    assert by_year_desc[-1] == "Batman"
    assert by_user_rating[:2] == ["Zodiac", "Amélie"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "amelie"}, {"Amélie"}),
        ({"q": "matrx"}, {"The Matrix"}),
        ({"q": "fincher"}, {"Zodiac"}),
        ({"q": "keanu"}, {"The Matrix"}),
        ({"q": "883929535953"}, {"The Matrix"}),
        ({"q": "spirited"}, {"千と千尋の神隠し"}),
        ({"q": "千尋"}, {"千と千尋の神隠し"}),
        ({"q": "seven samurai"}, {"七人の侍"}),
        ({"genre": "drama"}, {"A Beautiful Mind", "L'Avventura", "Das Boot", "Los olvidados"}),
        ({"genre": "Drama", "year_min": 1960, "year_max": 1990}, {"L'Avventura", "Das Boot"}),
        ({"director": "Ron Howard"}, {"A Beautiful Mind"}),
        ({"cast": "keanu reeves"}, {"The Matrix"}),
        ({"media_type": "tv_series"}, {"Batman"}),
        ({"format": "4K UHD"}, {"The Matrix"}),
        ({"resolution": "1080p"}, {"Zodiac"}),
        ({"source": "plex"}, {"Zodiac"}),
        ({"source": "manual", "format": "DVD"}, {"Das Boot"}),
        ({"rating_min": 8.5}, {"The Matrix", "千と千尋の神隠し", "七人の侍"}),
        ({"rating_max": 7.5}, {"zero dark thirty"}),
        ({"user_rating_min": 8}, {"Zodiac"}),
        ({"user_rating_max": 7}, {"Amélie"}),
        ({"q": "no such words anywhere"}, set()),
    ],
)
async def test_filters_find_exactly_the_matching_titles(shelf, params, expected):
    space, _ = shelf

    response = (await space.viewer.get("/api/media", params=params)).json()

    assert {item["title"] for item in response["items"]} == expected
    assert response["total"] == len(expected)
    assert response["total_is_lower_bound"] is False


async def test_similar_words_are_matched_only_when_nothing_matches_as_typed(new_space):
    space = new_space()
    await create_title(space.member, "Zephyr Rising", year=2001)
    await create_title(space.member, "Zephir Falls", year=2002)  # similar to "zephy" too

    as_typed = (await space.viewer.get("/api/media", params={"q": "zephy"})).json()
    typo = (await space.viewer.get("/api/media", params={"q": "zephyrr"})).json()
    typo_in_genre = (await space.viewer.get("/api/media", params={"q": "zephyrr", "genre": "Drama"})).json()

    assert [item["title"] for item in as_typed["items"]] == ["Zephyr Rising"]
    assert as_typed["total"] == 1
    assert [item["title"] for item in typo["items"]] == ["Zephyr Rising"]
    assert typo["total"] == 1
    assert (typo_in_genre["items"], typo_in_genre["total"]) == ([], 0)


async def test_a_search_on_similar_words_keeps_matching_them_page_after_page(new_space):
    space = new_space()
    for n in range(5):
        await create_title(space.member, f"Zephir {n}", year=2000 + n)

    walked = await walk(space.viewer, 2, q="zephirr", sort="year")

    assert [item["title"] for item in walked] == [f"Zephir {n}" for n in range(5)]


async def test_a_cursor_handed_out_before_the_search_mode_existed_still_pages(shelf):
    space, _ = shelf
    body = (await space.viewer.get("/api/media", params={"limit": 2})).json()
    fields = json.loads(base64.urlsafe_b64decode(body["next_cursor"] + "=" * (-len(body["next_cursor"]) % 4)))
    five_fields = base64.urlsafe_b64encode(json.dumps(fields[:5]).encode()).decode().rstrip("=")

    old = await space.viewer.get("/api/media", params={"limit": 2, "cursor": five_fields})
    new = await space.viewer.get("/api/media", params={"limit": 2, "cursor": body["next_cursor"]})

    assert old.status_code == 200
    assert old.json()["items"] == new.json()["items"]


async def test_added_by_filters_on_who_added_the_title(shelf):
    space, _ = shelf
    await create_title(space.admin, "Added by the admin")

    found = await titles_of(space.viewer, added_by=str(space.users["admin"]))

    assert found == ["Added by the admin"]


async def test_each_viewer_sees_their_own_rating_in_the_list(shelf):
    space, _ids = shelf

    items = (await space.viewer.get("/api/media", params={"q": "zodiac"})).json()["items"]
    others = (await space.member.get("/api/media", params={"q": "zodiac"})).json()["items"]

    assert items[0]["user_rating"] == 9
    assert others[0]["user_rating"] is None


async def test_a_cursor_from_another_sort_or_a_forged_one_is_refused(shelf):
    space, _ = shelf
    cursor = (await space.viewer.get("/api/media", params={"limit": 2})).json()["next_cursor"]

    other_sort = await space.viewer.get("/api/media", params={"cursor": cursor, "sort": "year"})
    forged = await space.viewer.get("/api/media", params={"cursor": "bm9wZQ"})

    assert other_sort.status_code == 422
    assert forged.status_code == 422
    assert forged.json()["error"]["details"][0]["field"] == "cursor"


async def test_paging_never_repeats_or_skips_a_title_while_titles_are_added(new_space):
    space = new_space()
    originals = {(await create_title(space.member, f"Title {n:02d}", year=1990 + n))["id"] for n in range(30)}
    for sort in ("title", "added", "year"):
        seen: list[str] = []
        cursor = None
        while True:
            params = {"limit": 7, "sort": sort, **({"cursor": cursor} if cursor else {})}
            body = (await space.viewer.get("/api/media", params=params)).json()
            seen += [item["id"] for item in body["items"]]
            # Someone adds titles that sort before, between and after the page boundary.
            for name in ("A new one", f"Title {len(seen):02d}b", "Zz new one"):
                await create_title(space.member, f"{name} {uuid.uuid4().hex[:4]}", year=2000)
            cursor = body["next_cursor"]
            if cursor is None:
                break
        assert len(seen) == len(set(seen))
        assert originals <= set(seen)


async def test_the_total_is_exact_unfiltered_and_stops_counting_at_ten_thousand(new_space, library_db):
    space = new_space()
    async with library_db.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO media (id, space_id, title, sort_title, sort_key, media_type, facets, search_text)"
                " SELECT gen_random_uuid(), :s, 'Bulk ' || n, 'Bulk ' || n, 'bulk ' || n, 'movie', '{t:movie}', 'bulk ' || n"
                " FROM generate_series(1, 10050) n"
            ),
            {"s": space.id},
        )
        await conn.execute(text("INSERT INTO space_counts VALUES (:s, 10050)"), {"s": space.id})

    unfiltered = (await space.viewer.get("/api/media", params={"limit": 1})).json()
    filtered = (await space.viewer.get("/api/media", params={"limit": 1, "media_type": "movie"})).json()
    small = (await space.viewer.get("/api/media", params={"limit": 1, "q": "bulk 10049"})).json()

    assert (unfiltered["total"], unfiltered["total_is_lower_bound"]) == (10050, False)
    assert (filtered["total"], filtered["total_is_lower_bound"]) == (10000, True)
    assert (small["total"], small["total_is_lower_bound"]) == (1, False)


async def test_the_unfiltered_total_follows_creates_deletes_and_restores(new_space):
    space = new_space()
    first = await create_title(space.member, "One")
    await create_title(space.member, "Two")
    await space.member.delete(f"/api/media/{first['id']}")

    after_delete = (await space.viewer.get("/api/media")).json()["total"]
    await space.member.post(f"/api/media/{first['id']}/restore")
    after_restore = (await space.viewer.get("/api/media")).json()["total"]

    assert (after_delete, after_restore) == (1, 2)


async def test_stats_summarise_the_active_space(shelf):
    space, _ = shelf

    stats = (await space.viewer.get("/api/media/stats")).json()

    assert stats["total"] == len(TRICKY)
    assert stats["by_media_type"] == {"movie": 15, "tv_series": 1, "other": 1}
    assert stats["by_format"] == {"4K UHD": 1, "Digital": 1, "DVD": 1}
    assert stats["by_source"] == {"manual": 2, "plex": 1}
    assert stats["by_genre"]["Drama"] == 4
    assert stats["by_decade"]["1980s"] == 2
    assert sum(stats["added_by_month"].values()) == len(TRICKY)
    assert stats["attention"] == {"no_poster": 17, "no_copies": 14, "duplicate_groups": 0}


# Text that JSON must escape, a whole-number rating, arrays and two copies with gaps.
AWKWARD_TITLE = {
    "title": 'Ça « tourne » "quoted" \\ back\nline 😀',
    "media_type": "movie",
    "year": 1999,
    "rating": 7.0,
    "runtime_minutes": 121,
    "genres": ["Drama", "Crime"],
    "cast": ["Zoë Ü", "Ōta"],
    "imdb_id": "tt0133093",
    "copies": [
        {"format": "Blu-ray", "barcode": "0123", "notes": "tab\there", "resolution": "1080p"},
        {"format": "DVD", "region": "2", "location": "Shelf 3", "edition": "Director's Cut"},
    ],
}


@pytest.mark.parametrize("whole_seconds", [False, True])
async def test_a_title_reads_the_same_in_the_list_as_everywhere_else(new_space, library_db, whole_seconds):
    """The list's items are written by Postgres; they must match the response models field for field
    (timestamps too: the response models drop the fraction of a whole second)."""
    space = new_space()
    made = (await space.member.post("/api/media", json=AWKWARD_TITLE)).json()
    await space.member.put(f"/api/media/{made['id']}/annotation", json={"rating": 8.5})
    for copy in ({"format": "VHS"}, {"format": "Digital", "notes": "added later"}):  # later created_at
        added = await space.member.post(f"/api/media/{made['id']}/copies", json=copy)
        assert added.status_code == 201
    if whole_seconds:
        async with library_db.begin() as conn:
            await conn.execute(
                text(
                    "UPDATE media SET created_at = date_trunc('second', created_at),"
                    " updated_at = date_trunc('second', updated_at) WHERE id = :id"
                ),
                {"id": made["id"]},
            )
    listed = (await space.member.get("/api/media")).json()
    MediaPage.model_validate(listed)
    [item] = listed["items"]
    detail = (await space.member.get(f"/api/media/{made['id']}")).json()
    assert item["user_rating"] == 8.5
    assert ("." not in item["created_at"]) is whole_seconds
    assert {key: item[key] for key in MediaOut.model_fields} == {key: detail[key] for key in MediaOut.model_fields}
    assert [copy["format"] for copy in item["copies"]][2:] == ["VHS", "Digital"]


async def test_filtered_totals_follow_every_change_that_moves_a_title_in_or_out_of_the_filter(new_space):
    """Filtered totals are remembered per space revision: each kind of write must advance it."""
    space = new_space()

    async def totals() -> tuple[int, int, int]:
        views = ({"genre": "Drama"}, {"format": "DVD"}, {"user_rating_min": 8})
        return tuple([(await space.member.get("/api/media", params=view)).json()["total"] for view in views])

    drama = await create_title(space.member, "Drama One", genres=["Drama"])
    assert await totals() == (1, 0, 0)
    await create_title(space.member, "Drama Two", genres=["Drama"])
    assert await totals() == (2, 0, 0)
    await space.member.patch(f"/api/media/{drama['id']}", json={"genres": ["Comedy"]})
    assert await totals() == (1, 0, 0)
    copy = (await space.member.post(f"/api/media/{drama['id']}/copies", json={"format": "DVD"})).json()
    assert await totals() == (1, 1, 0)
    await space.member.patch(f"/api/media/{drama['id']}/copies/{copy['id']}", json={"format": "Blu-ray"})
    assert await totals() == (1, 0, 0)
    await space.member.put(f"/api/media/{drama['id']}/annotation", json={"rating": 9})
    assert await totals() == (1, 0, 1)
    await space.member.put(f"/api/media/{drama['id']}/annotation", json={"rating": 3})
    assert await totals() == (1, 0, 0)
    await space.member.delete(f"/api/media/{drama['id']}")
    await space.member.post("/api/media", json={"title": "Third", "media_type": "movie", "genres": ["Drama"]})
    assert await totals() == (2, 0, 0)
    await space.member.post(f"/api/media/{drama['id']}/restore")
    assert await totals() == (2, 0, 0)
    await space.member.patch(f"/api/media/{drama['id']}", json={"genres": ["Drama"]})
    assert await totals() == (3, 0, 0)


async def test_the_search_column_keeps_a_small_statistics_sample(library_db):
    # Planning the typo-tolerant match runs it once per sampled value (migration 0005).
    async with library_db.connect() as conn:
        target = await conn.scalar(
            text(
                "SELECT attstattarget FROM pg_attribute WHERE attrelid = 'media'::regclass AND attname = 'search_text'"
            )
        )
    assert target == 10
