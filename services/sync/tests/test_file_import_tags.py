"""Tags survive a space's export and its import into another space, as JSON (`shelfspace_json`) and as
CSV (the `tags` column); a re-import adds no tag twice."""

import pytest

from services.sync.tests.file_uploads import imported, titles
from tests.support.identity import signed_in


async def _space_id(account) -> str:
    return (await account.me())["active_space"]["id"]


@pytest.mark.parametrize(("export_format", "preset"), [("json", "shelfspace_json"), ("csv", "csv")])
async def test_tags_survive_an_export_and_its_import_into_another_space(system, worker, export_format, preset):
    async with signed_in(system) as source, signed_in(system) as target:
        for title, year, tags in (
            ("Heat", 1995, ["Heist", "Los Angeles, 1995"]),
            ("Thief", 1981, ["Heist"]),
            ("Collateral", 2004, []),
        ):
            body = {"title": title, "media_type": "movie", "year": year, "tags": tags}
            response = await source.client.post("/api/media", json=body)
            assert response.status_code == 201, response.text
        exported = await source.client.get(
            f"/api/spaces/{await _space_id(source)}/export", params={"format": export_format}
        )
        assert exported.status_code == 200, exported.text
        name = f"export.{export_format}"

        first = await imported(target.client, exported.content, name=name, preset=preset)
        again = await imported(target.client, exported.content, name=name, preset=preset)
        found = {item["title"]: item["tags"] for item in await titles(target.client)}
        counts = (await target.client.get("/api/tags")).json()["items"]

    assert first["status"] == "succeeded", first
    assert first["summary"]["created"] == 3
    assert again["summary"]["created"] == 0
    assert found == {"Heat": ["Heist", "Los Angeles, 1995"], "Thief": ["Heist"], "Collateral": []}
    assert {item["name"]: item["count"] for item in counts} == {"Heist": 2, "Los Angeles, 1995": 1}
