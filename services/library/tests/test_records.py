"""The record import behind a Shelfspace JSON restore: full titles, their copies and annotations."""

import uuid

from sqlalchemy import text

from services.library.tests.conftest import create_title
from tests.support.clients import signed_client


def record(title: str, **fields) -> dict:
    return {"id": str(uuid.uuid4()), "title": title, "media_type": "movie", **fields}


async def send(client, *records: dict, **batch) -> list[dict]:
    response = await client.post("/internal/media/records", json={"records": list(records), **batch})
    assert response.status_code == 200, response.text
    return response.json()["results"]


def outcomes(results: list[dict]) -> list[str]:
    return [result["outcome"] for result in results]


async def detail(client, media_id: str) -> dict:
    response = await client.get(f"/api/media/{media_id}")
    assert response.status_code == 200, response.text
    return response.json()


async def counts(library_db, space_id) -> tuple[int, int, int]:
    async with library_db.connect() as conn:
        row = (
            await conn.execute(
                text(
                    "SELECT (SELECT count(*) FROM media WHERE space_id = :s), (SELECT count(*) FROM copies"
                    " WHERE space_id = :s), (SELECT count(*) FROM annotations WHERE space_id = :s)"
                ),
                {"s": space_id},
            )
        ).one()
    return tuple(row)


HEAT = record(
    "Heat",
    year=1995,
    runtime_minutes=170,
    genres=["Crime", "Drama"],
    directors=["Michael Mann"],
    cast=["Al Pacino", "Robert De Niro"],
    notes="the bank scene",
    identities={"tmdb_id": 949, "tmdb_media_type": "movie", "imdb_id": "tt0113277"},
    copies=[
        {"format": "Blu-ray", "edition": "Director's Definitive", "barcode": "5051892216760", "region": "B"},
        {"format": "Digital", "resolution": "1080p", "source_provider": "plex", "source_external_id": "heat-1"},
    ],
    added_at="2020-05-01T10:00:00Z",
)


async def test_a_record_creates_its_title_with_copies_and_annotations(new_space):
    space = new_space()
    mine = {"user_id": str(space.users["member"]), "rating": 9.0, "notes": "best", "watched": True}
    restore = {**HEAT, "annotations": [{**mine, "visibility": "shared"}]}

    [result] = await send(space.service, restore, member_ids=[str(space.users["member"])])

    assert result["outcome"] == "created"
    assert result["external_id"] == HEAT["id"]
    title = await detail(space.member, result["media_id"])
    assert (title["title"], title["year"], title["notes"], title["imdb_id"]) == (
        "Heat",
        1995,
        "the bank scene",
        "tt0113277",
    )
    assert title["cast"] == ["Al Pacino", "Robert De Niro"]
    assert title["created_at"] == "2020-05-01T10:00:00Z"
    assert sorted((c["format"], c["region"], c["source_external_id"]) for c in title["copies"]) == [
        ("Blu-ray", "B", None),
        ("Digital", None, "heat-1"),
    ]
    assert (title["annotation"]["rating"], title["annotation"]["visibility"]) == (9.0, "shared")


async def test_importing_the_same_records_twice_creates_nothing(new_space, library_db):
    space = new_space()
    alien = record("Alien", year=1979, copies=[{"format": "DVD"}, {"format": "DVD"}])

    first = await send(space.service, HEAT, alien)
    before = await counts(library_db, space.id)
    again = await send(space.service, HEAT, alien)
    # The same titles under other ids (another export of the same space) still match.
    other_ids = await send(space.service, {**HEAT, "id": str(uuid.uuid4())}, {**alien, "id": str(uuid.uuid4())})

    assert outcomes(first) == ["created", "created"]
    assert outcomes(again) == ["unchanged", "unchanged"]
    assert outcomes(other_ids) == ["unchanged", "unchanged"]
    assert [r["media_id"] for r in other_ids] == [r["media_id"] for r in first]
    assert before == (2, 4, 0)
    assert await counts(library_db, space.id) == before


async def test_a_record_of_a_known_title_fills_its_gaps_and_adds_only_the_copies_it_lacks(new_space):
    space = new_space()
    mine = await create_title(
        space.member,
        "Heat",
        year=1995,
        tmdb_id=949,
        notes="ours",
        copies=[{"format": "Blu-ray", "edition": "Director's Definitive", "barcode": "5051892216760", "region": "B"}],
    )

    [result] = await send(space.service, HEAT)

    assert (result["outcome"], result["media_id"]) == ("updated", mine["id"])
    title = await detail(space.member, mine["id"])
    assert (title["notes"], title["runtime_minutes"], title["imdb_id"]) == ("ours", 170, "tt0113277")
    assert sorted(c["format"] for c in title["copies"]) == ["Blu-ray", "Digital"]


async def test_a_record_whose_id_is_a_title_of_the_space_is_that_title(new_space):
    space = new_space()
    mine = await create_title(space.member, "Untitled home video")

    [result] = await send(space.service, {"id": mine["id"], "title": "Untitled home video", "media_type": "other"})

    assert (result["outcome"], result["media_id"]) == ("unchanged", mine["id"])


async def test_annotations_keep_members_and_the_exporter_becomes_the_importing_user(library, keys, new_space):
    space = new_space()
    importer, exporter, stranger = space.users["admin"], uuid.uuid4(), uuid.uuid4()
    member = space.users["member"]
    notes = [
        {"user_id": str(exporter), "rating": 7.0, "visibility": "private"},
        {"user_id": str(member), "rating": 8.0, "visibility": "shared"},
        {"user_id": str(stranger), "rating": 2.0, "visibility": "shared"},
    ]
    client = signed_client(library.url, keys, "library", user_id=importer, space_id=space.id, caller="sync")
    async with client:
        [result] = await send(
            client, {**HEAT, "annotations": notes}, exported_by=str(exporter), member_ids=[str(member)]
        )

    assert result["outcome"] == "created"
    assert result["reason"] == "1 annotation(s) of users who are not members of this space were left out"
    as_admin = await detail(space.admin, result["media_id"])
    assert (as_admin["annotation"]["rating"], as_admin["annotation"]["visibility"]) == (7.0, "private")
    assert [(n["user_id"], n["rating"]) for n in as_admin["shared_annotations"]] == [(str(member), 8.0)]


async def test_a_batch_key_is_applied_once(new_space):
    space = new_space()

    first = await send(space.service, HEAT, batch_key="restore-1")
    again = await send(space.service, HEAT, batch_key="restore-1")

    assert again == first


async def test_only_service_callers_may_import_records(new_space):
    space = new_space()

    response = await space.owner.post("/internal/media/records", json={"records": [HEAT]})

    assert response.status_code == 403


async def test_a_bad_record_refuses_the_batch_whole(new_space, library_db):
    space = new_space()
    bad = record("Broken", copies=[{"format": "Wax cylinder"}])

    response = await space.service.post("/internal/media/records", json={"records": [HEAT, bad]})

    assert response.status_code == 422
    assert response.json()["error"]["code"]
    assert await counts(library_db, space.id) == (0, 0, 0)
