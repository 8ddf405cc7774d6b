"""Tags through the gateway: titles carry them (list and detail), the list filters by one, the space's
tags are listed with counts, an admin renames one or merges it into another (one transaction, also
when two renames race), other spaces never see them, events reach the audit log, and bad input is
refused with nothing written."""

import asyncio
import uuid

import pytest
from sqlalchemy import text

from tests.support.audit import eventually
from tests.support.identity import make_space_with_roles
from tests.system.checks import assert_error_shape


def _tag(base: str) -> str:
    return f"{base}-{uuid.uuid4().hex[:6]}"


async def _title(account, title: str, tags: list[str], **body) -> dict:
    response = await account.client.post(
        "/api/media", json={"title": title, "media_type": "movie", "tags": tags, **body}
    )
    assert response.status_code == 201, response.text
    return response.json()


async def _count(library_db, sql: str, **params) -> int:
    async with library_db.connect() as conn:
        return int(await conn.scalar(text(sql), params))


async def _tags_named(library_db, space_id, name: str) -> int:
    sql = "SELECT count(*) FROM tags WHERE space_id = :s AND lower(name) = lower(:n)"
    return await _count(library_db, sql, s=space_id, n=name)


async def _listed(account, **params) -> dict:
    response = await account.client.get("/api/media", params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def _space_tags(account) -> dict[str, int]:
    response = await account.client.get("/api/tags")
    assert response.status_code == 200, response.text
    return {item["name"]: item["count"] for item in response.json()["items"]}


async def test_titles_carry_their_tags_and_the_list_filters_by_one(space):
    noir, rainy = _tag("Noir"), _tag("Rainy day")
    first = await _title(space.member, "Out of the Past", [noir, f"  {rainy}  ", noir.upper()])
    second = await _title(space.member, "Night and the City", [noir.upper()])
    await _title(space.member, "Untagged", [])

    detail = (await space.viewer.client.get(f"/api/media/{first['id']}")).json()
    tagged = await _listed(space.viewer, tag=noir)
    spelled_otherwise = await _listed(space.viewer, tag=noir.upper())
    rainy_only = await _listed(space.viewer, tag=rainy, sort="year", order="desc")
    unknown = await _listed(space.viewer, tag=_tag("Nothing"))
    counts = await _space_tags(space.viewer)

    assert sorted(first["tags"], key=str.lower) == sorted([noir, rainy], key=str.lower)  # trimmed, once each
    assert second["tags"] == [noir]  # the space's spelling wins
    assert detail["tags"] == first["tags"]
    assert {item["id"] for item in tagged["items"]} == {first["id"], second["id"]}
    assert tagged["total"] == 2
    assert all(item["tags"] for item in tagged["items"])
    assert spelled_otherwise["total"] == 2
    assert [item["id"] for item in rainy_only["items"]] == [first["id"]]
    assert unknown["items"] == []
    assert unknown["total"] == 0
    assert counts[noir] == 2
    assert counts[rainy] == 1


async def test_editing_a_title_s_tags_adds_and_removes_them(space, library_db):
    keep, drop, add = _tag("Keep"), _tag("Drop"), _tag("Add")
    title = await _title(space.member, "Tagged", [keep, drop])

    edited = await space.member.client.patch(f"/api/media/{title['id']}", json={"tags": [keep, add]})
    untouched = await space.member.client.patch(f"/api/media/{title['id']}", json={"notes": "tags stay"})
    filtered = await _listed(space.viewer, tag=drop)

    assert edited.status_code == 200, edited.text
    assert sorted(edited.json()["tags"]) == sorted([keep, add])
    assert sorted(untouched.json()["tags"]) == sorted([keep, add])
    assert filtered["total"] == 0
    assert await _tags_named(library_db, space.space_id, drop) == 0  # no title carries it: it goes


async def test_a_trashed_title_leaves_the_count_and_the_filter_and_keeps_its_tags(space):
    name = _tag("Trashy")
    kept = await _title(space.member, "Kept", [name])
    trashed = await _title(space.member, "Trashed", [name])
    await space.member.client.delete(f"/api/media/{trashed['id']}")

    listed = await _listed(space.viewer, tag=name)
    trash = (await space.member.client.get("/api/media/trash", params={"limit": 200})).json()["items"]
    counted = (await _space_tags(space.viewer))[name]
    restored = await space.member.client.post(f"/api/media/{trashed['id']}/restore")

    assert [item["id"] for item in listed["items"]] == [kept["id"]]
    assert next(item for item in trash if item["id"] == trashed["id"])["tags"] == [name]
    assert counted == 1
    assert restored.json()["tags"] == [name]


async def test_an_admin_renames_a_tag_and_a_rename_onto_another_tag_merges_them(space, library_db):
    old, new, other = _tag("Scifi"), _tag("Science fiction"), _tag("Space")
    a = await _title(space.member, "Alien", [old])
    b = await _title(space.member, "Solaris", [old, other])
    c = await _title(space.member, "Moon", [other])

    renamed = await space.admin.client.patch(f"/api/tags/{old}", json={"name": new})
    merged = await space.admin.client.patch(f"/api/tags/{other}", json={"name": new.upper()})
    detail = (await space.viewer.client.get(f"/api/media/{b['id']}")).json()
    tagged = await _listed(space.viewer, tag=new)
    gone = await space.admin.client.patch(f"/api/tags/{old}", json={"name": "whatever"})

    assert renamed.status_code == 200, renamed.text
    assert renamed.json() == {"name": new, "count": 2, "merged": False}
    assert merged.status_code == 200, merged.text
    assert merged.json() == {"name": new, "count": 3, "merged": True}
    assert detail["tags"] == [new]
    assert {item["id"] for item in tagged["items"]} == {a["id"], b["id"], c["id"]}
    assert await _tags_named(library_db, space.space_id, other) == 0
    assert_error_shape(gone, 404)


async def test_a_tag_s_case_can_be_changed(space):
    name = _tag("lowercase")
    await _title(space.member, "Cased", [name])

    answer = await space.admin.client.patch(f"/api/tags/{name}", json={"name": name.upper()})

    assert answer.status_code == 200, answer.text
    assert answer.json()["merged"] is False
    assert name.upper() in await _space_tags(space.viewer)


async def test_racing_renames_onto_one_name_end_in_one_tag_with_every_title(space, library_db):
    for _ in range(3):
        left, right, target = _tag("Left"), _tag("Right"), _tag("Target")
        one = await _title(space.member, "One", [left])
        two = await _title(space.member, "Two", [right])

        answers = await asyncio.gather(
            space.admin.client.patch(f"/api/tags/{left}", json={"name": target}),
            space.owner.client.patch(f"/api/tags/{right}", json={"name": target}),
        )

        assert [answer.status_code for answer in answers] == [200, 200], [a.text for a in answers]
        assert sorted(answer.json()["merged"] for answer in answers) == [False, True]
        assert await _tags_named(library_db, space.space_id, target) == 1
        assert await _tags_named(library_db, space.space_id, left) == 0
        assert await _tags_named(library_db, space.space_id, right) == 0
        tagged = await _listed(space.viewer, tag=target)
        assert {item["id"] for item in tagged["items"]} == {one["id"], two["id"]}


async def test_racing_merges_of_two_tags_into_each_other_end_in_one_tag(space, library_db):
    first, second = _tag("First"), _tag("Second")
    one = await _title(space.member, "One", [first])
    two = await _title(space.member, "Two", [second])

    answers = await asyncio.gather(
        space.admin.client.patch(f"/api/tags/{first}", json={"name": second}),
        space.owner.client.patch(f"/api/tags/{second}", json={"name": first}),
    )

    assert [answer.status_code for answer in answers] == [200, 200], [a.text for a in answers]
    left = await _tags_named(library_db, space.space_id, first) + await _tags_named(library_db, space.space_id, second)
    assert left == 1
    survivor = first if await _tags_named(library_db, space.space_id, first) else second
    assert survivor in {answer.json()["name"] for answer in answers}
    tagged = await _listed(space.viewer, tag=survivor)
    assert {item["id"] for item in tagged["items"]} == {one["id"], two["id"]}


@pytest.mark.parametrize(
    "tags",
    [
        [""],
        ["   "],
        ["x" * 51],
        [f"t{i}" for i in range(31)],
        "not a list",
        [7],
    ],
)
async def test_bad_tags_are_refused_and_nothing_is_written(space, library_db, tags):
    title = f"Refused {uuid.uuid4().hex[:6]}"
    created = await space.member.client.post("/api/media", json={"title": title, "media_type": "movie", "tags": tags})
    existing = await _title(space.member, f"Existing {uuid.uuid4().hex[:6]}", [])
    edited = await space.member.client.patch(f"/api/media/{existing['id']}", json={"tags": tags})

    assert_error_shape(created, 422)
    assert any("tags" in str(detail.get("field", "")) for detail in created.json()["error"]["details"])
    assert_error_shape(edited, 422)
    assert (
        await _count(
            library_db, "SELECT count(*) FROM media WHERE space_id = :s AND title = :t", s=space.space_id, t=title
        )
        == 0
    )
    assert await _count(library_db, "SELECT count(*) FROM media_tags WHERE media_id = :m", m=existing["id"]) == 0


async def test_a_bad_rename_is_refused_and_nothing_changes(space, library_db):
    name = _tag("Stays")
    await _title(space.member, "Stays", [name])

    answers = [
        await space.admin.client.patch(f"/api/tags/{name}", json=body)
        for body in ({}, {"name": ""}, {"name": "x" * 51}, {"name": None}, {"name": "ok", "extra": 1})
    ]
    null_tags = await space.member.client.post("/api/media", json={"title": "N", "media_type": "movie", "tags": None})

    for answer in answers:
        assert_error_shape(answer, 422)
    assert_error_shape(null_tags, 422)
    assert await _tags_named(library_db, space.space_id, name) == 1


async def test_roles_and_other_spaces(system, space):
    name = _tag("Private")
    await _title(space.member, "Ours", [name])
    other = await make_space_with_roles(system)
    try:
        as_member = await space.member.client.patch(f"/api/tags/{name}", json={"name": "taken"})
        as_viewer = await space.viewer.client.patch(f"/api/tags/{name}", json={"name": "taken"})
        viewer_reads = await space.viewer.client.get("/api/tags")
        elsewhere_tags = await _space_tags(other.owner)
        elsewhere_list = await _listed(other.owner, tag=name)
        elsewhere_rename = await other.owner.client.patch(f"/api/tags/{name}", json={"name": "taken"})
        same_name_elsewhere = await _title(other.owner, "Theirs", [name])
    finally:
        await other.aclose()

    assert_error_shape(as_member, 403)
    assert_error_shape(as_viewer, 403)
    assert viewer_reads.status_code == 200
    assert name not in elsewhere_tags
    assert elsewhere_list["total"] == 0
    assert_error_shape(elsewhere_rename, 404)
    assert same_name_elsewhere["tags"] == [name]  # the same name is another tag there
    assert (await _space_tags(space.viewer))[name] == 1


async def test_tag_events_reach_the_audit_log(space):
    old, new, into = _tag("Before"), _tag("After"), _tag("Into")
    await _title(space.member, "Evented", [old])
    await _title(space.member, "Other", [into])
    renamed = await space.admin.client.patch(f"/api/tags/{old}", json={"name": new})
    merged = await space.admin.client.patch(f"/api/tags/{new}", json={"name": into})
    assert renamed.status_code == merged.status_code == 200

    async def found(action: str, **details):
        response = await space.owner.client.get(
            f"/api/spaces/{space.space_id}/activity", params={"action": action, "limit": 200}
        )
        assert response.status_code == 200, response.text
        rows = [row for row in response.json()["items"] if all(row["details"].get(k) == v for k, v in details.items())]
        return rows or None

    renamed_rows = await eventually(
        lambda: found("library.tag.renamed", name=new, previous_name=old), timeout=30, every=0.2
    )
    merged_rows = await eventually(
        lambda: found("library.tag.merged", name=into, previous_name=new), timeout=30, every=0.2
    )
    assert renamed_rows[0]["entity_type"] == "tag"
    assert merged_rows[0]["details"]["titles"] == 2


async def test_a_merge_of_titles_keeps_every_tag_and_its_revert_puts_them_back(space):
    mine, theirs, both = _tag("Mine"), _tag("Theirs"), _tag("Both")
    survivor = await _title(space.member, "Survivor", [mine, both])
    duplicate = await _title(space.member, "Duplicate", [theirs, both])

    merged = await space.admin.client.post(
        "/api/media/merge", json={"survivor_id": survivor["id"], "duplicate_ids": [duplicate["id"]]}
    )
    after_merge = (await space.viewer.client.get(f"/api/media/{survivor['id']}")).json()
    reverted = await space.admin.client.post(f"/api/media/merges/{merged.json()['merge_id']}/revert")
    survivor_back = (await space.viewer.client.get(f"/api/media/{survivor['id']}")).json()
    duplicate_back = (await space.viewer.client.get(f"/api/media/{duplicate['id']}")).json()

    assert merged.status_code == 200, merged.text
    assert sorted(merged.json()["media"]["tags"]) == sorted([mine, theirs, both])
    assert sorted(after_merge["tags"]) == sorted([mine, theirs, both])
    assert reverted.status_code == 200, reverted.text
    assert sorted(survivor_back["tags"]) == sorted([mine, both])
    assert sorted(duplicate_back["tags"]) == sorted([theirs, both])
