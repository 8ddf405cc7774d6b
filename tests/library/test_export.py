"""Export of a space through the gateway: CSV and JSON contents (tags among them), who may export, audit, and the round
trip through the library's record import into an empty space."""

import asyncio
import csv
import io
import json
import uuid

import pytest

from shelfspace_contracts.exports import FORMAT_VERSION, SpaceExport
from tests.support.clients import signed_client
from tests.support.identity import make_space_with_roles

FORMULA = '=HYPERLINK("http://evil.example","click")'


async def _add(account, title: str, **fields) -> dict:
    response = await account.client.post("/api/media", json={"title": title, "media_type": "movie", **fields})
    assert response.status_code == 201, response.text
    return response.json()


async def _annotate(account, media_id: str, **fields) -> None:
    response = await account.client.put(f"/api/media/{media_id}/annotation", json=fields)
    assert response.status_code == 200, response.text


@pytest.fixture(scope="module")
async def household(system):
    """A space with a film of two copies and three annotations, a formula-looking title without
    copies, a French title, and a title in the trash."""
    space = await make_space_with_roles(system)
    heat = await _add(
        space.member,
        "Heat",
        year=1995,
        runtime_minutes=170,
        genres=["Crime", "Drama"],
        directors=["Michael Mann"],
        cast=["Al Pacino", "Robert De Niro"],
        tmdb_id=949,
        imdb_id="tt0113277",
        notes="the bank scene",
        tags=["Los Angeles", "Heist"],
        copies=[
            {"format": "Blu-ray", "edition": "Director's Definitive", "barcode": "5051892216760", "region": "B"},
            {"format": "Digital", "resolution": "1080p", "source_provider": "plex", "source_external_id": "heat-1"},
        ],
    )
    await _annotate(space.owner, heat["id"], rating=9, notes="owner's own", visibility="private", watched=True)
    await _annotate(space.member, heat["id"], rating=8, notes="for everyone", visibility="shared")
    await _annotate(space.admin, heat["id"], rating=3, notes="admin's secret", visibility="private")
    await _add(space.member, FORMULA, notes="+1 555 0100", cast=["@handle", "-dash"], media_type="other", tags=["=cmd"])
    await _add(
        space.admin,
        "Le Fabuleux Destin d'Amélie Poulain",
        media_type="movie",
        year=2001,
        notes="\t=SUM(A1)",
        copies=[{"format": "DVD", "location": "Salon, étagère 2", "edition": "\rEdition"}],
    )
    gone = await _add(space.member, "Gone Girl", year=2014)
    assert (await space.member.client.delete(f"/api/media/{gone['id']}")).status_code == 204
    space.heat = heat
    yield space
    await space.aclose()


async def export(account, space_id, export_format: str):
    response = await account.client.get(f"/api/spaces/{space_id}/export", params={"format": export_format})
    assert response.status_code == 200, response.text
    return response


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


async def test_a_csv_export_has_one_row_per_copy_with_the_title_repeated(household):
    response = await export(household.owner, household.space_id, "csv")

    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith(f'attachment; filename="shelfspace-{household.space_id}-')
    assert disposition.endswith('.csv"')
    rows = csv_rows(response)
    heat = [row for row in rows if row["title"] == "Heat"]
    assert sorted((row["copy_format"], row["copy_region"], row["copy_source_external_id"]) for row in heat) == [
        ("Blu-ray", "B", ""),
        ("Digital", "", "heat-1"),
    ]
    assert {row["genres"] for row in heat} == {"Crime; Drama"}
    assert {row["cast"] for row in heat} == {"Al Pacino; Robert De Niro"}
    assert {row["tags"] for row in heat} == {"Heist; Los Angeles"}
    assert {(row["year"], row["tmdb_id"], row["imdb_id"], row["title_id"]) for row in heat} == {
        ("1995", "949", "tt0113277", household.heat["id"])
    }
    amelie = next(row for row in rows if row["title"].startswith("Le Fabuleux"))
    assert amelie["copy_location"] == "Salon, étagère 2"


async def test_a_csv_export_holds_the_callers_annotation_and_the_shared_ones_only(household):
    rows = csv_rows(await export(household.owner, household.space_id, "csv"))

    heat = next(row for row in rows if row["title"] == "Heat")
    assert (heat["my_rating"], heat["my_watched"], heat["my_notes"], heat["my_visibility"]) == (
        "9",
        "true",
        "owner's own",
        "private",
    )
    shared = json.loads(heat["shared_annotations"])
    assert [(note["user_id"], note["rating"], note["notes"]) for note in shared] == [
        (str(household.member.id), 8.0, "for everyone")
    ]
    assert "admin's secret" not in json.dumps(rows)


async def test_formula_looking_cells_are_kept_as_text(household):
    rows = csv_rows(await export(household.owner, household.space_id, "csv"))

    [row] = [row for row in rows if "HYPERLINK" in row["title"]]
    assert row["title"] == "'" + FORMULA
    assert row["notes"] == "'+1 555 0100"
    assert row["cast"] == "'@handle; -dash"
    assert row["tags"] == "'=cmd"
    assert row["copy_format"] == ""  # a title without copies: one row, empty copy cells
    amelie = next(row for row in rows if row["title"].startswith("Le Fabuleux"))
    assert (amelie["notes"], amelie["copy_edition"]) == ("'\t=SUM(A1)", "'\rEdition")
    assert all(not value.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for value in row.values())


async def test_titles_in_the_trash_are_not_exported(household):
    csv_text = (await export(household.owner, household.space_id, "csv")).text
    document = (await export(household.owner, household.space_id, "json")).json()

    assert "Gone Girl" not in csv_text
    assert "Gone Girl" not in json.dumps(document)


async def test_a_json_export_is_the_documented_versioned_document(household):
    response = await export(household.member, household.space_id, "json")

    assert response.headers["content-type"] == "application/json"
    assert response.headers["content-disposition"].endswith('.json"')
    document = SpaceExport.model_validate_json(response.content)
    assert document.format_version == FORMAT_VERSION
    assert (document.space.id, document.exported_by) == (household.space_id, household.member.id)
    # In the library's title order: leading articles aside.
    assert [title.title for title in document.titles] == [
        "Le Fabuleux Destin d'Amélie Poulain",
        "Heat",
        FORMULA,
    ]
    assert (document.titles[0].notes, document.titles[0].copies[0].edition) == ("\t=SUM(A1)", "\rEdition")
    heat = document.titles[1]
    assert str(heat.id) == household.heat["id"]
    assert (heat.identities.tmdb_id, heat.identities.tmdb_media_type, heat.identities.imdb_id) == (
        949,
        "movie",
        "tt0113277",
    )
    assert (heat.runtime_minutes, heat.notes, heat.directors) == (170, "the bank scene", ["Michael Mann"])
    assert heat.tags == ["Heist", "Los Angeles"]
    assert sorted((copy.format, copy.edition or "", copy.barcode or "") for copy in heat.copies) == [
        ("Blu-ray", "Director's Definitive", "5051892216760"),
        ("Digital", "", ""),
    ]
    # The member's own annotation first; the owner's and the admin's are private to them.
    assert [(note.user_id, note.rating, note.visibility) for note in heat.annotations] == [
        (household.member.id, 8.0, "shared")
    ]
    assert heat.added_at is not None


@pytest.mark.parametrize(("role", "status"), [("owner", 200), ("admin", 200), ("member", 200), ("viewer", 403)])
async def test_members_and_above_may_export_and_a_viewer_may_not(household, role, status):
    account = household.by_role()[role]

    responses = [
        await account.client.get(f"/api/spaces/{household.space_id}/export", params={"format": export_format})
        for export_format in ("csv", "json")
    ]

    assert [response.status_code for response in responses] == [status, status]


async def test_another_spaces_export_is_not_found(system, household):
    neighbours = await make_space_with_roles(system)
    try:
        response = await neighbours.owner.client.get(f"/api/spaces/{household.space_id}/export?format=json")
        unknown = await neighbours.owner.client.get(f"/api/spaces/{uuid.uuid4()}/export?format=json")
    finally:
        await neighbours.aclose()

    assert response.status_code == 404
    assert unknown.status_code == 404
    assert "Heat" not in response.text


async def test_an_unknown_format_is_refused(household):
    response = await household.owner.client.get(f"/api/spaces/{household.space_id}/export", params={"format": "xls"})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_failed"


async def test_the_gateway_streams_the_export_as_it_comes(household):
    async with household.owner.client.stream(
        "GET", f"/api/spaces/{household.space_id}/export", params={"format": "json"}
    ) as response:
        body = b"".join([piece async for piece in response.aiter_raw()])

    assert response.status_code == 200
    assert "content-length" not in response.headers
    assert response.headers["transfer-encoding"] == "chunked"
    assert json.loads(body)["format_version"] == FORMAT_VERSION


async def _exports_logged(household) -> list[dict]:
    activity = await household.admin.client.get(
        f"/api/spaces/{household.space_id}/activity",
        params={"action": "library.space.exported", "user_id": str(household.member.id), "limit": 200},
    )
    assert activity.status_code == 200, activity.text
    return activity.json()["items"]


async def test_an_export_is_in_the_space_activity_log_with_who_and_which_format(household):
    before = len(await _exports_logged(household))

    await export(household.member, household.space_id, "csv")

    async with asyncio.timeout(30):
        while len(rows := await _exports_logged(household)) == before:
            await asyncio.sleep(0.2)
    row = rows[0]  # newest first
    assert (row["entity_type"], row["entity_id"], row["space_id"]) == (
        "space",
        str(household.space_id),
        str(household.space_id),
    )
    assert row["details"] == {"format": "csv", "titles": 3, "copies": 3, "annotations": 1, "complete": True}


def comparable(document: dict) -> list[dict]:
    """The titles without the ids the target space gave them, in title order."""
    return sorted(({k: v for k, v in title.items() if k != "id"} for title in document["titles"]), key=str)


async def _restore(system, keys, owner, space_id, member_ids, document) -> list[str]:
    client = signed_client(
        system.services["library"].url, keys, "library", user_id=owner.id, space_id=space_id, caller="sync"
    )
    async with client:
        response = await client.post(
            "/internal/media/records",
            json={
                "records": document["titles"],
                "exported_by": document["exported_by"],
                "member_ids": [str(member_id) for member_id in member_ids],
            },
        )
    assert response.status_code == 200, response.text
    return [result["outcome"] for result in response.json()["results"]]


async def test_an_export_restored_into_an_empty_space_exports_the_same_and_twice_creates_nothing(
    system, keys, household
):
    original = (await export(household.owner, household.space_id, "json")).json()
    created = await household.owner.client.post("/api/spaces", json={"name": f"Restored {uuid.uuid4().hex[:6]}"})
    target = uuid.UUID(created.json()["id"])

    first = await _restore(system, keys, household.owner, target, [household.member.id], original)
    restored = (await export(household.owner, target, "json")).json()
    again = await _restore(system, keys, household.owner, target, [household.member.id], original)
    once_more = (await export(household.owner, target, "json")).json()

    assert first == ["created", "created", "created"]
    assert again == ["unchanged", "unchanged", "unchanged"]
    assert restored["space"]["id"] == str(target)
    assert comparable(restored) == comparable(original)
    assert comparable(once_more) == comparable(original)
