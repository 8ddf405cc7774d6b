"""Saved views through the gateway: a member saves the library's filter and sort under a name, private
or shared with the space; a private view is its owner's alone, a shared one every member's; the owner
or an admin deletes it; the query is checked against the list's filters; other spaces never see it;
events reach the audit log; bad input is refused with nothing written."""

import uuid

import pytest
from sqlalchemy import text

from tests.support.audit import eventually
from tests.support.identity import make_space_with_roles
from tests.system.checks import assert_error_shape


def _name(base: str) -> str:
    return f"{base} {uuid.uuid4().hex[:6]}"


async def _save(account, name: str, query: str, shared: bool = False) -> dict:
    response = await account.client.post("/api/views", json={"name": name, "query": query, "shared": shared})
    assert response.status_code == 201, response.text
    return response.json()


async def _names(account) -> set[str]:
    response = await account.client.get("/api/views")
    assert response.status_code == 200, response.text
    return {item["name"] for item in response.json()["items"]}


async def _views_named(library_db, name: str) -> int:
    async with library_db.connect() as conn:
        return int(await conn.scalar(text("SELECT count(*) FROM saved_views WHERE name = :n"), {"n": name}))


async def test_a_saved_view_keeps_the_list_s_filter_and_sort(space):
    tag = f"weekend-{uuid.uuid4().hex[:6]}"
    for title, year in (("Early", 1950), ("Late", 1990)):
        created = await space.member.client.post(
            "/api/media", json={"title": title, "media_type": "movie", "year": year, "tags": [tag]}
        )
        assert created.status_code == 201, created.text
    view = await _save(space.member, _name("Weekend"), f"?tag={tag}&sort=year&order=desc")

    listed = await space.member.client.get(f"/api/media?{view['query']}")

    assert view["query"] == f"tag={tag}&sort=year&order=desc"
    assert view["shared"] is False
    assert view["can_delete"] is True
    assert [item["year"] for item in listed.json()["items"]] == [1990, 1950]


async def test_a_private_view_is_its_owner_s_and_a_shared_one_the_space_s(space):
    private = await _save(space.member, _name("Mine"), "media_type=movie")
    shared = await _save(space.member, _name("Ours"), "genre=Drama&sort=rating&order=desc", shared=True)

    owner_sees = await _names(space.member)
    admin_sees = await _names(space.admin)
    admin_deletes_private = await space.admin.client.delete(f"/api/views/{private['id']}")
    admin_listing = (await space.admin.client.get("/api/views")).json()["items"]

    assert {private["name"], shared["name"]} <= owner_sees
    assert shared["name"] in admin_sees
    assert private["name"] not in admin_sees
    assert_error_shape(admin_deletes_private, 404)  # never revealed
    assert next(item for item in admin_listing if item["id"] == shared["id"])["can_delete"] is True
    assert private["name"] in await _names(space.member)


async def test_a_shared_view_is_deleted_by_its_owner_or_an_admin_only(system, library_db):
    space = await make_space_with_roles(system)
    try:
        by_member = await _save(space.member, _name("Member's"), "year_min=1980", shared=True)
        by_admin = await _save(space.admin, _name("Admin's"), "year_max=1980", shared=True)
        owner_member = await space.owner.client.get("/api/views")
        other_member_delete = await space.member.client.delete(f"/api/views/{by_admin['id']}")
        listed_by_member = (await space.member.client.get("/api/views")).json()["items"]
        own_delete = await space.member.client.delete(f"/api/views/{by_member['id']}")
        admin_delete = await space.owner.client.delete(f"/api/views/{by_admin['id']}")
        again = await space.owner.client.delete(f"/api/views/{by_admin['id']}")
        left = await _names(space.owner)
    finally:
        await space.aclose()

    assert owner_member.status_code == 200
    assert_error_shape(other_member_delete, 403)
    assert next(item for item in listed_by_member if item["id"] == by_admin["id"])["can_delete"] is False
    assert own_delete.status_code == 204
    assert admin_delete.status_code == 204
    assert_error_shape(again, 404)
    assert left == set()
    assert await _views_named(library_db, by_member["name"]) == 0


@pytest.mark.parametrize(
    "body",
    [
        {"name": "Unknown filter", "query": "shelf=top"},
        {"name": "Bad value", "query": "media_type=opera"},
        {"name": "Bad sort", "query": "sort=colour"},
        {"name": "Paging", "query": "cursor=abc"},
        {"name": "Twice", "query": "genre=Drama&genre=Comedy"},
        {"name": "Not a query", "query": "just words"},
        {"name": "Year", "query": "year_min=1700"},
        {"name": "", "query": "genre=Drama"},
        {"name": "x" * 101, "query": "genre=Drama"},
        {"name": "Too long", "query": "q=" + "a" * 2000},
        {"name": "Extra", "query": "genre=Drama", "owner_id": str(uuid.uuid4())},
        {"name": "Shared?", "query": "genre=Drama", "shared": "perhaps"},
        {"query": "genre=Drama"},
    ],
)
async def test_bad_views_are_refused_and_nothing_is_written(space, library_db, body):
    body = {**body, "name": f"{body['name']} {uuid.uuid4().hex[:6]}"} if body.get("name") else body

    response = await space.member.client.post("/api/views", json=body)

    error = assert_error_shape(response, 422)
    assert error["details"]
    if body.get("name"):
        assert await _views_named(library_db, body["name"]) == 0


async def test_an_empty_query_is_the_whole_library(space):
    view = await _save(space.member, _name("Everything"), "")

    assert view["query"] == ""


async def test_roles_and_other_spaces(system, space):
    shared = await _save(space.admin, _name("Shared here"), "on_loan=true", shared=True)
    other = await make_space_with_roles(system)
    try:
        viewer_list = await space.viewer.client.get("/api/views")
        viewer_save = await space.viewer.client.post("/api/views", json={"name": "No", "query": ""})
        elsewhere = await _names(other.owner)
        elsewhere_delete = await other.owner.client.delete(f"/api/views/{shared['id']}")
    finally:
        await other.aclose()

    assert_error_shape(viewer_list, 403)
    assert_error_shape(viewer_save, 403)
    assert shared["name"] not in elsewhere
    assert_error_shape(elsewhere_delete, 404)
    assert shared["name"] in await _names(space.member)


async def test_view_events_reach_the_audit_log(space):
    view = await _save(space.member, _name("Evented"), "sort=added&order=desc", shared=True)
    deleted = await space.member.client.delete(f"/api/views/{view['id']}")
    assert deleted.status_code == 204

    async def actions():
        response = await space.owner.client.get(
            f"/api/spaces/{space.space_id}/activity", params={"entity_id": view["id"], "limit": 200}
        )
        assert response.status_code == 200, response.text
        rows = response.json()["items"]
        return rows if {row["action"] for row in rows} >= {"library.view.created", "library.view.deleted"} else None

    rows = await eventually(actions, timeout=30, every=0.2)
    assert all(row["details"]["name"] == view["name"] for row in rows)
    assert all("query" not in row["details"] for row in rows)
