"""Purchase details and condition of copies through the gateway: every answer carries them, edits
replace or clear them, bad input is refused with nothing written, copy events carry them, the
Insights value never adds two currencies, and the export holds them (JSON and CSV) and restores them."""

import csv
import io
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from tests.support.audit import eventually
from tests.support.identity import make_space_with_roles
from tests.system.checks import assert_error_shape

BOUGHT = {"price": 24.99, "currency": "EUR", "date": "2024-03-09", "store": "Fnac Montparnasse"}


async def _title(account, name: str, *copies: dict) -> dict:
    body = {"title": name, "media_type": "movie", "copies": list(copies)}
    response = await account.client.post("/api/media", json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def _stored_copies(library_db, media_id: str) -> list[tuple]:
    sql = text(
        "SELECT format, purchase_price, purchase_currency, purchase_date, purchase_store, condition"
        " FROM copies WHERE media_id = :m ORDER BY created_at, id"
    )
    async with library_db.connect() as conn:
        return [tuple(row) for row in await conn.execute(sql, {"m": uuid.UUID(media_id)})]


async def test_a_copy_carries_its_purchase_and_condition_in_every_answer(space):
    name = f"Amélie {uuid.uuid4().hex[:6]}"

    created = await _title(
        space.member, name, {"format": "Blu-ray", "purchase": BOUGHT, "condition": "very_good"}, {"format": "DVD"}
    )
    detail = (await space.viewer.client.get(f"/api/media/{created['id']}")).json()
    listed = (await space.viewer.client.get("/api/media", params={"q": name})).json()["items"]
    added = await space.member.client.post(
        f"/api/media/{created['id']}/copies",
        json={"format": "4K UHD", "purchase": {"price": "30", "currency": "GBP"}, "condition": "mint"},
    )

    for title in (created, detail, listed[0]):
        # Copies given together are listed in the order of their ids: find them by format.
        bluray, dvd = sorted(title["copies"], key=lambda copy: copy["format"])
        assert bluray["purchase"] == BOUGHT
        assert bluray["condition"] == "very_good"
        assert (dvd["purchase"], dvd["condition"]) == (None, None)
    assert added.status_code == 201, added.text
    assert added.json()["purchase"] == {"price": 30, "currency": "GBP", "date": None, "store": None}
    assert added.json()["condition"] == "mint"


async def test_an_edit_replaces_the_purchase_keeps_it_when_left_out_and_null_clears_it(space, library_db):
    title = await _title(space.member, f"Heat {uuid.uuid4().hex[:6]}", {"format": "Blu-ray", "purchase": BOUGHT})
    path = f"/api/media/{title['id']}/copies/{title['copies'][0]['id']}"

    replaced = await space.member.client.patch(path, json={"purchase": {"price": 9.5, "currency": "USD"}})
    kept = await space.member.client.patch(path, json={"condition": "fair"})
    stored_before = await _stored_copies(library_db, title["id"])
    cleared = await space.member.client.patch(path, json={"purchase": None, "condition": None})
    listed = (await space.viewer.client.get("/api/media", params={"q": title["title"]})).json()["items"][0]

    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["purchase"] == {"price": 9.5, "currency": "USD", "date": None, "store": None}
    assert kept.json()["purchase"] == replaced.json()["purchase"]
    assert kept.json()["condition"] == "fair"
    assert stored_before == [("Blu-ray", pytest.approx(9.5), "USD", None, None, "fair")]
    assert (cleared.json()["purchase"], cleared.json()["condition"]) == (None, None)
    assert (listed["copies"][0]["purchase"], listed["copies"][0]["condition"]) == (None, None)


TOMORROW_AND_ONE = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()


@pytest.mark.parametrize(
    ("copy", "field"),
    [
        ({"purchase": {"price": -1, "currency": "EUR"}}, "price"),
        ({"purchase": {"price": 10, "currency": "eur"}}, "currency"),
        ({"purchase": {"price": 10, "currency": "EURO"}}, "currency"),
        ({"purchase": {"price": 10}}, "purchase"),
        ({"purchase": {"price": 10.999, "currency": "EUR"}}, "price"),
        ({"purchase": {"price": 1e12, "currency": "EUR"}}, "price"),
        ({"purchase": {"price": "ten", "currency": "EUR"}}, "price"),
        ({"purchase": {"date": TOMORROW_AND_ONE}}, "purchase"),
        ({"purchase": {"date": "2024-02-30"}}, "date"),
        ({"purchase": {"store": "x" * 201}}, "store"),
        ({"purchase": {"shop": "Fnac"}}, "shop"),
        ({"condition": "like new"}, "condition"),
    ],
)
async def test_a_bad_purchase_or_condition_is_refused_and_nothing_is_written(space, library_db, copy, field):
    name = f"Refused {uuid.uuid4().hex[:6]}"
    title = await _title(space.member, name, {"format": "DVD", "purchase": BOUGHT, "condition": "good"})
    before = await _stored_copies(library_db, title["id"])
    copy_path = f"/api/media/{title['id']}/copies"

    new_title = await space.member.client.post(
        "/api/media", json={"title": name + " 2", "media_type": "movie", "copies": [{"format": "DVD", **copy}]}
    )
    new_copy = await space.member.client.post(copy_path, json={"format": "DVD", **copy})
    edited = await space.member.client.patch(f"{copy_path}/{title['copies'][0]['id']}", json=copy)
    listed = (await space.viewer.client.get("/api/media", params={"q": name})).json()

    for response in (new_title, new_copy, edited):
        error = assert_error_shape(response, 422)
        assert any(field in str(detail) for detail in error["details"]), error
    assert await _stored_copies(library_db, title["id"]) == before
    assert listed["total"] == 1


async def test_a_purchase_date_up_to_a_day_ahead_is_taken(space):
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()

    title = await _title(
        space.member, f"Today {uuid.uuid4().hex[:6]}", {"format": "DVD", "purchase": {"date": tomorrow}}
    )

    assert title["copies"][0]["purchase"] == {"price": None, "currency": None, "date": tomorrow, "store": None}


async def test_a_viewer_cannot_set_a_purchase(space):
    title = await _title(space.member, f"Viewer {uuid.uuid4().hex[:6]}", {"format": "DVD"})

    response = await space.viewer.client.patch(
        f"/api/media/{title['id']}/copies/{title['copies'][0]['id']}", json={"purchase": BOUGHT}
    )

    assert_error_shape(response, 403)


async def test_copy_events_in_the_activity_log_carry_the_purchase_and_condition(space):
    title = await _title(space.member, f"Logged {uuid.uuid4().hex[:6]}")
    added = await space.member.client.post(
        f"/api/media/{title['id']}/copies", json={"format": "Blu-ray", "purchase": BOUGHT, "condition": "near_mint"}
    )
    copy_id = added.json()["id"]
    await space.member.client.patch(f"/api/media/{title['id']}/copies/{copy_id}", json={"condition": "good"})

    async def both():
        response = await space.owner.client.get(
            f"/api/spaces/{space.space_id}/activity", params={"entity_id": title["id"], "limit": 200}
        )
        assert response.status_code == 200, response.text
        found = [row["details"].get("copy_changed") for row in response.json()["items"]]
        changes = [change for change in found if change]
        return changes if len(changes) == 2 else None

    edited, added_change = await eventually(both, timeout=30, every=0.2)

    assert added_change == {
        "id": copy_id,
        "change": "added",
        "format": "Blu-ray",
        "condition": "near_mint",
        "purchase": BOUGHT,
    }
    assert (edited["change"], edited["condition"], edited["purchase"]) == ("edited", "good", BOUGHT)


@pytest.fixture(scope="module")
async def collection(system):
    """Priced copies in two currencies, bought in two years or on an unknown day; a title in the trash."""
    household = await make_space_with_roles(system)
    member = household.member
    await _title(
        member,
        "Volver",
        {"format": "Blu-ray", "purchase": {"price": 20, "currency": "EUR", "date": "2023-05-01"}},
        {"format": "DVD", "purchase": {"price": 5.5, "currency": "EUR", "date": "2024-01-02"}, "condition": "fair"},
    )
    await _title(
        member,
        "Heat",
        {"format": "Blu-ray", "purchase": {"price": 15.25, "currency": "EUR", "date": "2024-07-14"}},
        {"format": "Blu-ray", "purchase": {"price": 12, "currency": "USD", "store": "Amoeba"}},
        {"format": "DVD"},
    )
    await _title(member, "Dark", {"format": "Digital", "purchase": {"store": "iTunes", "date": "2022-01-01"}})
    gone = await _title(member, "Gone", {"format": "DVD", "purchase": {"price": 99, "currency": "EUR"}})
    assert (await member.client.delete(f"/api/media/{gone['id']}")).status_code == 204
    yield household
    await household.aclose()


async def test_the_collection_value_is_per_currency_by_format_and_by_year_bought(collection):
    response = await collection.viewer.client.get("/api/media/stats")

    assert response.status_code == 200, response.text
    value = response.json()["value"]
    assert value["by_currency"] == [
        {"currency": "EUR", "total": 40.75, "copies": 3},
        {"currency": "USD", "total": 12, "copies": 1},
    ]
    assert value["by_format"] == [
        {"format": "Blu-ray", "currency": "EUR", "total": 35.25, "copies": 2},
        {"format": "Blu-ray", "currency": "USD", "total": 12, "copies": 1},
        {"format": "DVD", "currency": "EUR", "total": 5.5, "copies": 1},
    ]
    assert value["by_year"] == [
        {"year": 2023, "currency": "EUR", "total": 20, "copies": 1},
        {"year": 2024, "currency": "EUR", "total": 20.75, "copies": 2},
        {"year": None, "currency": "USD", "total": 12, "copies": 1},
    ]


async def test_the_value_figures_add_up_to_the_priced_copies_the_titles_list(collection):
    """The value block counts the copies with a price that the list shows for the live titles."""
    stats = (await collection.viewer.client.get("/api/media/stats")).json()
    items = (await collection.viewer.client.get("/api/media", params={"limit": 200})).json()["items"]
    priced: dict[str, list[float]] = {}
    for item in items:
        for copy in item["copies"]:
            if copy["purchase"] and copy["purchase"]["price"] is not None:
                priced.setdefault(copy["purchase"]["currency"], []).append(copy["purchase"]["price"])

    for view in ("by_currency", "by_format", "by_year"):
        per_currency: dict[str, tuple[float, int]] = {}
        for row in stats["value"][view]:
            total, copies = per_currency.get(row["currency"], (0, 0))
            per_currency[row["currency"]] = (total + row["total"], copies + row["copies"])
        assert per_currency == {c: (pytest.approx(sum(p)), len(p)) for c, p in priced.items()}, view


async def _export(account, space_id, export_format: str):
    response = await account.client.get(f"/api/spaces/{space_id}/export", params={"format": export_format})
    assert response.status_code == 200, response.text
    return response


async def test_the_json_export_holds_each_copys_purchase_and_condition(collection):
    document = (await _export(collection.member, collection.space_id, "json")).json()

    copies = {t["title"]: t["copies"] for t in document["titles"]}
    volver_dvd = next(copy for copy in copies["Volver"] if copy["format"] == "DVD")
    assert volver_dvd["purchase"] == {"price": 5.5, "currency": "EUR", "date": "2024-01-02", "store": None}
    assert volver_dvd["condition"] == "fair"
    heat = sorted(copies["Heat"], key=lambda copy: (copy["purchase"] or {}).get("price") or 0)
    assert [copy["purchase"] for copy in heat] == [
        None,
        {"price": 12, "currency": "USD", "date": None, "store": "Amoeba"},
        {"price": 15.25, "currency": "EUR", "date": "2024-07-14", "store": None},
    ]
    assert copies["Dark"][0]["purchase"]["store"] == "iTunes"


async def test_the_csv_export_has_a_cell_for_each_part_of_the_purchase(collection):
    response = await _export(collection.member, collection.space_id, "csv")

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    heat = [row for row in rows if row["title"] == "Heat"]
    assert sorted(
        (r["copy_purchase_price"], r["copy_purchase_currency"], r["copy_purchase_date"], r["copy_purchase_store"])
        for r in heat
    ) == [("", "", "", ""), ("12.00", "USD", "", "Amoeba"), ("15.25", "EUR", "2024-07-14", "")]
    volver = [row for row in rows if row["title"] == "Volver"]
    assert sorted((row["copy_format"], row["copy_condition"]) for row in volver) == [("Blu-ray", ""), ("DVD", "fair")]
