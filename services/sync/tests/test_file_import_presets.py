"""Import from a file through the gateway, one preset at a time, with a real sync worker and library."""

import json
import uuid

from services.sync.tests import file_samples as samples
from services.sync.tests.file_uploads import errors_csv, imported, titles, upload
from tests.support.identity import make_space_with_roles, signed_in


def _by_title(found: list[dict]) -> dict[str, dict]:
    return {title["title"]: title for title in found}


async def test_a_letterboxd_ratings_export_brings_its_films_with_the_user_s_ratings_out_of_ten(system, worker):
    async with signed_in(system) as owner:
        job = await imported(owner.client, samples.letterboxd_ratings(), name="ratings.csv")
        stored = _by_title(await titles(owner.client))

    assert job["status"] == "succeeded", job
    assert job["summary"]["created"] == 3
    assert job["progress"] == {"total": 3, "processed": 3}
    assert sorted(stored) == ["Amélie", "Heat", "Paris, Texas"]
    assert stored["Heat"]["user_rating"] == 9.0
    assert stored["Paris, Texas"]["user_rating"] == 10.0
    assert stored["Heat"]["rating"] is None  # the user's rating is theirs, not the title's
    assert stored["Heat"]["year"] == 1995
    assert stored["Heat"]["copies"][0]["source_provider"] == "file"


async def test_a_letterboxd_diary_with_a_rewatch_makes_one_title(system, worker):
    async with signed_in(system) as owner:
        job = await imported(owner.client, samples.letterboxd_diary(), name="diary.csv")
        stored = await titles(owner.client)

    assert job["summary"] == {**job["summary"], "created": 2, "skipped": 1, "failed": 0}
    assert [error["item"] for error in job["summary"]["errors"]] == ["Row 3: Heat (1995)"]
    assert job["summary"]["errors"][0]["reason"] == "The same as row 2."
    assert sorted(title["title"] for title in stored) == ["Arrival", "Heat"]


async def test_an_imdb_ratings_export_brings_films_and_series_and_skips_episodes(system, worker):
    async with signed_in(system) as owner:
        job = await imported(owner.client, samples.imdb_ratings(), name="ratings.csv", preset="imdb")
        stored = _by_title(await titles(owner.client))

    assert (job["summary"]["created"], job["summary"]["skipped"]) == (2, 1)
    assert stored["Heat"]["imdb_id"] == "tt0113277"
    assert stored["Heat"]["runtime_minutes"] == 170
    assert stored["Heat"]["directors"] == ["Michael Mann"]
    assert (stored["Heat"]["user_rating"], stored["Heat"]["rating"]) == (9.0, 8.3)
    assert stored["Breaking Bad"]["media_type"] == "tv_series"
    assert "Pilot" not in stored
    assert "TV Episode" in job["summary"]["errors"][0]["reason"]


async def test_a_clz_movies_export_brings_formats_barcodes_and_locations_and_skips_the_wish_list(system, worker):
    async with signed_in(system) as owner:
        job = await imported(owner.client, samples.clz_movies(), name="clz.csv")
        stored = _by_title(await titles(owner.client))

    assert (job["summary"]["created"], job["summary"]["skipped"]) == (2, 1), job
    matrix = stored["The Matrix"]["copies"][0]
    assert (matrix["format"], matrix["edition"], matrix["barcode"]) == ("Blu-ray", "10th Anniversary", "883929087441")
    assert matrix["location"] == "Living room, shelf 2"
    assert stored["Alien"]["copies"][0]["format"] == "4K UHD"
    assert stored["The Matrix"]["imdb_id"] == "tt0133093"
    assert "Dune" not in stored


async def test_a_collectz_csv_export_brings_movies_and_series_but_no_books(system, worker):
    async with signed_in(system) as owner:
        job = await imported(owner.client, samples.collectz_csv(), name="collectz.csv")
        stored = _by_title(await titles(owner.client))

    assert (job["summary"]["created"], job["summary"]["skipped"]) == (2, 1), job
    assert stored["The Matrix"]["copies"][0]["format"] == "Blu-ray"
    assert stored["The Matrix"]["copies"][0]["barcode"] == "085391163545"
    assert stored["The Matrix"]["directors"] == ["Lana Wachowski", "Lilly Wachowski"]
    assert stored["Severance"]["media_type"] == "tv_series"


async def test_a_trakt_export_brings_movies_and_shows_with_their_ids(system, worker):
    async with signed_in(system) as owner:
        job = await imported(owner.client, samples.trakt_export(), name="ratings.json")
        stored = _by_title(await titles(owner.client))

    assert (job["summary"]["created"], job["summary"]["skipped"]) == (3, 1), job
    assert (stored["Heat"]["tmdb_id"], stored["Heat"]["imdb_id"]) == (949, "tt0113277")
    assert stored["Dark"]["media_type"] == "tv_series"
    assert stored["Dark"]["tvdb_id"] == 334824
    assert stored["Arrival"]["user_rating"] == 8.0


async def test_a_generic_csv_is_imported_with_the_mapping_the_user_confirmed(system, worker):
    content = samples.table(
        ["Titel", "Jahr", "Medium", "Regal", "Notiz"],
        [["Das Boot", 1981, "DVD", "Keller", "x"], ["Lola rennt", 1998, "Blu-ray", "Wohnzimmer", ""]],
        delimiter=";",
    )
    mapping = {"Titel": "title", "Jahr": "year", "Medium": "format", "Regal": "location"}
    async with signed_in(system) as owner:
        preview = await upload(owner.client, content, preview=True)
        job = await imported(owner.client, content, preset="csv", mapping=mapping)
        stored = _by_title(await titles(owner.client))

    assert preview.status_code == 200, preview.text
    assert preview.json()["preset"] == "csv"
    assert preview.json()["delimiter"] == ";"
    assert "unmapped_required" in [problem["code"] for problem in preview.json()["problems"]]
    assert job["summary"]["created"] == 2, job
    assert stored["Das Boot"]["copies"][0]["location"] == "Keller"
    assert stored["Lola rennt"]["copies"][0]["format"] == "Blu-ray"


async def test_bad_rows_fail_alone_and_the_errors_file_lists_every_one(system, worker):
    rows = [["Good One", 2001], ["", 2002], ["Bad Year", "soon"], ["Good Two", ""], ["=HYPERLINK(1)", "abc"]]
    async with signed_in(system) as owner:
        job = await imported(owner.client, samples.table(["Title", "Year"], rows))
        listed = await errors_csv(owner.client, job["id"])
        stored = await titles(owner.client)

    assert (job["summary"]["created"], job["summary"]["failed"]) == (2, 3), job
    assert sorted(title["title"] for title in stored) == ["Good One", "Good Two"]
    assert [row["row"] for row in listed] == ["3", "4", "6"]
    assert listed[0]["reason"] == "The row has no title."
    assert listed[1]["reason"] == "The year “soon” is not a year."
    assert listed[2]["item"].startswith("'=")  # a spreadsheet shows it, never runs it


def _export_document(author: str) -> str:
    titles = [
        {
            "id": str(uuid.uuid4()),
            "title": "Heat",
            "media_type": "movie",
            "year": 1995,
            "genres": ["Crime"],
            "identities": {"tmdb_id": 949, "tmdb_media_type": "movie", "imdb_id": "tt0113277"},
            "copies": [{"format": "Blu-ray", "edition": "Director's Definitive Edition", "location": "Shelf A"}],
            "annotations": [{"user_id": author, "rating": 9.5, "notes": "Best diner scene", "watched": True}],
        },
        {
            "id": str(uuid.uuid4()),
            "title": "Dark",
            "media_type": "tv_series",
            "year": 2017,
            "copies": [{"format": "Digital"}, {"format": "DVD", "barcode": "4006680091234"}],
        },
        {"id": "not-an-id", "title": "", "media_type": "movie"},
    ]
    document = {
        "format_version": 1,
        "exported_at": "2026-12-01T10:00:00Z",
        "exported_by": author,
        "space": {"id": str(uuid.uuid4()), "name": "Old home"},
        "titles": titles,
    }
    return json.dumps(document)


async def test_our_json_export_comes_back_with_copies_and_annotations_and_only_once(system, worker):
    async with signed_in(system) as owner:
        content = _export_document(str(uuid.uuid4()))
        first = await imported(owner.client, content, name="shelfspace.json")
        again = await imported(owner.client, content, name="shelfspace.json")
        stored = _by_title(await titles(owner.client))
        heat = (await owner.client.get(f"/api/media/{stored['Heat']['id']}")).json()

    assert first["status"] == "succeeded", first
    assert (first["summary"]["created"], first["summary"]["failed"]) == (2, 1), first
    assert again["summary"]["created"] == 0
    assert sorted(stored) == ["Dark", "Heat"]
    assert [copy["edition"] for copy in heat["copies"]] == ["Director's Definitive Edition"]
    assert sorted(copy["format"] for copy in stored["Dark"]["copies"]) == ["DVD", "Digital"]
    assert heat["tmdb_id"] == 949
    assert json.dumps(heat).count("Best diner scene") >= 1


async def test_a_diary_marks_films_watched_for_the_importing_user_only(system, worker):
    space = await make_space_with_roles(system)
    try:
        job = await imported(space.admin.client, samples.letterboxd_diary(), name="diary.csv")
        heat = _by_title(await titles(space.admin.client))["Heat"]
        as_admin = (await space.admin.client.get(f"/api/media/{heat['id']}")).json()
        as_member = (await space.member.client.get(f"/api/media/{heat['id']}")).json()
    finally:
        await space.aclose()

    assert job["status"] == "succeeded", job
    assert as_admin["annotation"]["watched"] is True
    assert as_admin["annotation"]["rating"] == 9.0
    assert as_member["annotation"] is None


async def test_a_space_exported_as_json_and_imported_into_an_empty_space_comes_back_field_by_field(system, worker):
    fields = ("title", "media_type", "year", "runtime_minutes", "genres", "directors", "tmdb_id", "imdb_id", "notes")
    copy_fields = ("format", "edition", "barcode", "region", "location", "notes")
    async with signed_in(system) as old, signed_in(system) as new:
        space_id = (await old.me())["active_space"]["id"]
        for n, (name, copies) in enumerate([("Heat", ["Blu-ray", "DVD"]), ("Dark", ["Digital"]), ("Alien", [])]):
            body = {
                "title": name,
                "media_type": "tv_series" if name == "Dark" else "movie",
                "year": 1990 + n,
                "runtime_minutes": 100 + n,
                "genres": ["Drama"],
                "directors": [f"Director {n}"],
                "tmdb_id": 1000 + n,
                "notes": f"Shelf note {n}",
                "copies": [{"format": f, "edition": f"Edition {f}", "location": "Shelf B"} for f in copies],
            }
            created = await old.client.post("/api/media", json=body)
            assert created.status_code == 201, created.text
            rated = await old.client.put(
                f"/api/media/{created.json()['id']}/annotation", json={"rating": 7 + n, "visibility": "private"}
            )
            assert rated.status_code == 200, rated.text
        exported = await old.client.get(f"/api/spaces/{space_id}/export", params={"format": "json"})
        assert exported.status_code == 200, exported.text
        job = await imported(new.client, exported.content, name="export.json")
        before = _by_title(await titles(old.client))
        after = _by_title(await titles(new.client))

    assert job["status"] == "succeeded", job
    assert job["summary"]["created"] == 3
    assert sorted(after) == sorted(before)
    for name, title in before.items():
        assert {f: after[name][f] for f in fields} == {f: title[f] for f in fields}, name
        copies = sorted(tuple(copy[f] for f in copy_fields) for copy in title["copies"])
        assert sorted(tuple(copy[f] for f in copy_fields) for copy in after[name]["copies"]) == copies, name
        assert after[name]["user_rating"] == title["user_rating"], name
