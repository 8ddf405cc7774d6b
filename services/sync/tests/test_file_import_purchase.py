"""Purchase details and condition of copies through the file import: a CLZ Movies export's purchase
columns, and a space's own JSON and CSV exports imported into an empty space."""

from services.sync.tests import file_samples as samples
from services.sync.tests.file_uploads import imported, titles
from tests.support.identity import signed_in

CLZ_WITH_PURCHASE = [*samples.CLZ_MOVIES, "Purchase Price", "Purchase Date", "Purchase Store", "Condition"]
PURCHASED = [
    {"price": 24.99, "currency": "EUR", "date": "2024-03-09", "store": "Fnac"},
    {"price": 12, "currency": "USD", "date": None, "store": "Amoeba"},
    None,
]


def _by_title(found: list[dict]) -> dict[str, dict]:
    return {title["title"]: title for title in found}


def _clz_row(index: int, title: str, year: int, *purchase: object) -> list[object]:
    return [
        index,
        title,
        title,
        year,
        "Blu-ray",
        "",
        "B",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "In Collection",
        "",
        *purchase,
    ]


async def test_a_clz_movies_export_brings_each_copys_purchase_and_condition(system, worker):
    rows = [
        _clz_row(1, "Heat", 1995, "€24,99", "2024/03/09", "Fnac", "Near Mint"),
        _clz_row(2, "Alien", 1979, "$1,299.00", "May 31, 2023", "", "Very Good"),
        _clz_row(3, "Dune", 2021, "15.00", "", "Amazon", "scratched"),
        _clz_row(4, "Brazil", 1985, "-3", "", "", ""),
        _clz_row(5, "Ran", 1985, "", "31/05/2023", "", ""),
    ]
    async with signed_in(system) as owner:
        job = await imported(owner.client, samples.table(CLZ_WITH_PURCHASE, rows), name="clz.csv")
        stored = _by_title(await titles(owner.client))

    assert job["summary"]["created"] == 3, job
    assert sorted(error["item"].split(": ")[1] for error in job["summary"]["errors"]) == ["Brazil (1985)", "Ran (1985)"]
    heat, alien, dune = (stored[name]["copies"][0] for name in ("Heat", "Alien", "Dune"))
    assert heat["purchase"] == {"price": 24.99, "currency": "EUR", "date": "2024-03-09", "store": "Fnac"}
    assert heat["condition"] == "near_mint"
    assert alien["purchase"] == {"price": 1299, "currency": "USD", "date": "2023-05-31", "store": None}
    assert alien["condition"] == "very_good"
    # No sign or code names the currency of "15.00": the price is left out, the store kept.
    assert dune["purchase"] == {"price": None, "currency": None, "date": None, "store": "Amazon"}
    assert dune["condition"] is None


async def _space_with_purchases(account) -> str:
    copies = [{"format": "Blu-ray", "purchase": PURCHASED[0], "condition": "mint"}]
    copies += [{"format": "DVD", "purchase": PURCHASED[1], "condition": "poor"}, {"format": "Digital"}]
    created = await account.client.post("/api/media", json={"title": "Heat", "media_type": "movie", "copies": copies})
    assert created.status_code == 201, created.text
    return (await account.me())["active_space"]["id"]


def _purchases(found: list[dict]) -> list[tuple]:
    copies = [copy for title in found for copy in title["copies"]]
    return sorted(((c["format"], c["purchase"], c["condition"]) for c in copies), key=lambda c: c[0])


async def test_a_json_export_imported_into_an_empty_space_keeps_every_purchase_and_condition(system, worker):
    async with signed_in(system) as old, signed_in(system) as new:
        space_id = await _space_with_purchases(old)
        exported = await old.client.get(f"/api/spaces/{space_id}/export", params={"format": "json"})
        job = await imported(new.client, exported.content, name="export.json")
        again = await imported(new.client, exported.content, name="export.json")
        before, after = await titles(old.client), await titles(new.client)

    assert (job["status"], job["summary"]["created"]) == ("succeeded", 1), job
    assert again["summary"]["created"] == 0
    assert _purchases(after) == _purchases(before)
    assert [purchase for _, purchase, _ in _purchases(after)] == PURCHASED


async def test_a_csv_export_imported_into_an_empty_space_keeps_each_copys_purchase_and_condition(system, worker):
    async with signed_in(system) as old, signed_in(system) as new:
        space_id = await _space_with_purchases(old)
        exported = await old.client.get(f"/api/spaces/{space_id}/export", params={"format": "csv"})
        job = await imported(new.client, exported.content, name="export.csv", preset="csv")
        after = await titles(new.client)

    assert job["status"] == "succeeded", job
    # One row per copy: each copy of the CSV becomes a copy (of one title, matched by title and year).
    assert _purchases(after) == [
        ("Blu-ray", PURCHASED[0], "mint"),
        ("DVD", PURCHASED[1], "poor"),
        ("Digital", None, None),
    ]
