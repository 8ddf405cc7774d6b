"""The owned-title match behind the watchlist: which titles the caller's space has, matched like imports."""

import uuid

from services.library.tests.conftest import create_title


def candidate(key: str, title: str, media_type: str = "movie", **fields) -> dict:
    return {"key": key, "title": title, "media_type": media_type, **fields}


async def match(space, *candidates: dict) -> dict[str, str | None]:
    response = await space.service.post("/internal/media/match", json={"items": list(candidates)})
    assert response.status_code == 200, response.text
    matches = response.json()["matches"]
    assert [m["key"] for m in matches] == [c["key"] for c in candidates]
    return {m["key"]: m["media_id"] for m in matches}


async def test_owned_titles_are_matched_by_tmdb_id_and_type_then_imdb_id(new_space):
    space = new_space()
    alien = await create_title(space.member, "Alien", year=1979, tmdb_id=348, tmdb_media_type="movie")
    aliens = await create_title(space.member, "Aliens", year=1986, imdb_id="tt0090605")

    found = await match(
        space,
        candidate("a", "Alien (Director's Cut)", year=2003, tmdb_id=348),
        candidate("b", "Aliens: Special Edition", imdb_id="tt0090605"),
        candidate("c", "Some Series", "tv_series", tmdb_id=348),
        candidate("d", "Alien 3", year=1992, tmdb_id=8077),
    )

    assert found == {"a": alien["id"], "b": aliens["id"], "c": None, "d": None}


async def test_titles_without_ids_match_by_folded_title_year_and_type(new_space):
    space = new_space()
    amelie = await create_title(space.member, "Amélie", year=2001)
    dune = await create_title(space.member, "Dune", year=1984, tmdb_id=841, tmdb_media_type="movie")

    found = await match(
        space,
        candidate("amelie", "AMELIE", year=2001),
        candidate("amelie-series", "Amélie", "tv_series", year=2001),
        candidate("amelie-other-year", "Amélie", year=2002),
        candidate("amelie-no-year", "Amélie"),
        candidate("dune-2021", "Dune", year=1984, tmdb_id=438631),
        candidate("dune-1984", "Dune", year=1984),
    )

    assert found == {
        "amelie": amelie["id"],
        "amelie-series": None,
        "amelie-other-year": None,
        "amelie-no-year": None,
        "dune-2021": None,  # the stored TMDB id says it is another film
        "dune-1984": dune["id"],
    }


async def test_titles_in_the_trash_or_in_another_space_are_not_owned(new_space):
    space, other = new_space(), new_space()
    heat = await create_title(space.owner, "Heat", year=1995, tmdb_id=949)
    await create_title(other.owner, "Ran", year=1985, tmdb_id=11645)
    assert (await space.owner.delete(f"/api/media/{heat['id']}")).status_code == 204

    found = await match(space, candidate("heat", "Heat", year=1995, tmdb_id=949), candidate("ran", "Ran", year=1985))

    assert found == {"heat": None, "ran": None}


async def test_the_earliest_title_answers_when_several_match(new_space):
    space = new_space()
    first = await create_title(space.member, "Solaris", year=1972)
    await create_title(space.member, "Solaris", year=1972)

    found = await match(space, candidate("s", "Solaris", year=1972))

    assert found == {"s": first["id"]}


async def test_a_full_batch_is_answered_in_order_and_ids_out_of_range_match_nothing(new_space):
    space = new_space()
    kept = await create_title(space.member, "Kept", year=2000, tmdb_id=77)
    items = [candidate(str(n), f"Film {n}", year=2000, tmdb_id=1_000_000 + n) for n in range(498)]
    items += [candidate("huge", "Huge", tmdb_id=2**40), candidate("kept", "Kept", year=2000, tmdb_id=77)]

    found = await match(space, *items)

    assert found["kept"] == kept["id"]
    assert [key for key, media_id in found.items() if media_id] == ["kept"]


async def test_only_service_callers_may_match_and_a_batch_is_bounded(new_space):
    space = new_space()
    too_many = [candidate(str(n), "X") for n in range(501)]

    by_a_person = await space.owner.post("/internal/media/match", json={"items": [candidate("x", "X")]})
    too_large = await space.service.post("/internal/media/match", json={"items": too_many})
    unknown_field = await space.service.post("/internal/media/match", json={"items": [], "space_id": str(uuid.uuid4())})

    assert by_a_person.status_code == 403
    assert too_large.status_code == 422
    assert unknown_field.status_code == 422
