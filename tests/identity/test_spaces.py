"""Spaces and memberships: create, rename, delete, switch; roles owner > admin > member > viewer."""

import uuid

from tests.support.identity import admin_account, make_space_with_roles, new_user


async def test_a_user_creates_a_space_and_owns_it(system):
    account = await new_user(system)

    created = await account.client.post("/api/spaces", json={"name": "  Film club  "})
    listed = await account.client.get("/api/spaces")

    assert created.status_code == 201
    assert created.json()["name"] == "Film club"
    assert created.json()["role"] == "owner"
    assert created.json() in listed.json()["items"]
    await account.aclose()


async def test_switching_the_active_space_is_kept_in_the_session(system):
    account = await new_user(system)
    space = (await account.client.post("/api/spaces", json={"name": "Second"})).json()

    response = await account.client.post("/api/spaces/active", json={"space_id": space["id"]})

    assert response.status_code == 200
    assert (await account.me())["active_space"] == space
    await account.aclose()


async def test_a_stranger_cannot_make_another_users_space_active(system):
    space = await make_space_with_roles(system)
    stranger = await new_user(system)

    response = await stranger.client.post("/api/spaces/active", json={"space_id": str(space.space_id)})

    assert response.status_code == 404
    await stranger.aclose()
    await space.aclose()


async def test_renaming_needs_an_admin_and_deleting_needs_the_name_typed_again(system):
    space = await make_space_with_roles(system)

    renamed = await space.admin.client.patch(f"/api/spaces/{space.space_id}", json={"name": "Renamed"})
    by_member = await space.member.client.patch(f"/api/spaces/{space.space_id}", json={"name": "Nope"})
    wrong_name = await space.owner.client.request(
        "DELETE", f"/api/spaces/{space.space_id}", json={"confirm_name": "Not it"}
    )
    still_there = await space.owner.client.get(f"/api/spaces/{space.space_id}/members")
    deleted = await space.owner.client.request(
        "DELETE", f"/api/spaces/{space.space_id}", json={"confirm_name": "Renamed"}
    )

    assert renamed.status_code == 200
    assert by_member.status_code == 403
    assert wrong_name.status_code == 422
    assert wrong_name.json()["error"]["details"][0]["field"] == "confirm_name"
    assert still_there.status_code == 200
    assert deleted.status_code == 204
    assert (await space.member.client.get(f"/api/spaces/{space.space_id}/members")).status_code == 404
    assert (await space.member.me())["active_space"] is None
    await space.aclose()


async def test_members_see_each_other_with_their_roles(system):
    space = await make_space_with_roles(system)

    response = await space.viewer.client.get(f"/api/spaces/{space.space_id}/members")

    roles = {item["user_id"]: item["role"] for item in response.json()["items"]}
    assert roles == {str(account.id): role for role, account in space.by_role().items()}
    await space.aclose()


async def test_an_admin_cannot_grant_owner_nor_touch_an_owner(system):
    space = await make_space_with_roles(system)
    base = f"/api/spaces/{space.space_id}/members"

    grant = await space.admin.client.patch(f"{base}/{space.member.id}", json={"role": "owner"})
    demote_owner = await space.admin.client.patch(f"{base}/{space.owner.id}", json={"role": "member"})
    remove_owner = await space.admin.client.delete(f"{base}/{space.owner.id}")
    promote = await space.admin.client.patch(f"{base}/{space.viewer.id}", json={"role": "member"})

    assert grant.status_code == demote_owner.status_code == remove_owner.status_code == 403
    assert promote.status_code == 200
    assert promote.json()["role"] == "member"
    await space.aclose()


async def test_the_last_owner_can_neither_leave_nor_be_demoted(system):
    space = await make_space_with_roles(system)
    base = f"/api/spaces/{space.space_id}/members"

    leave = await space.owner.client.delete(f"{base}/{space.owner.id}")
    demote = await space.owner.client.patch(f"{base}/{space.owner.id}", json={"role": "admin"})
    second_owner = await space.owner.client.patch(f"{base}/{space.admin.id}", json={"role": "owner"})
    leave_now = await space.owner.client.delete(f"{base}/{space.owner.id}")

    assert leave.status_code == demote.status_code == 409
    assert leave.json()["error"]["code"] == "last_owner"
    assert second_owner.status_code == 200
    assert leave_now.status_code == 204
    await space.aclose()


async def test_any_member_may_leave_but_only_admins_remove_others(system):
    space = await make_space_with_roles(system)
    base = f"/api/spaces/{space.space_id}/members"

    kick = await space.member.client.delete(f"{base}/{space.viewer.id}")
    leave = await space.viewer.client.delete(f"{base}/{space.viewer.id}")

    assert kick.status_code == 403
    assert leave.status_code == 204
    assert (await space.viewer.client.get(base)).status_code == 404
    await space.aclose()


async def test_a_global_admin_lists_every_space_but_cannot_open_one_without_membership(system):
    admin = await admin_account(system)
    space = await make_space_with_roles(system)

    listed = await admin.client.get("/api/admin/spaces", params={"limit": 200})
    pages = [listed.json()]
    while pages[-1]["next_cursor"]:
        pages.append((await admin.client.get("/api/admin/spaces", params={"cursor": pages[-1]["next_cursor"]})).json())
    members = await admin.client.get(f"/api/spaces/{space.space_id}/members")

    counts = {item["id"]: item["member_count"] for page in pages for item in page["items"]}
    assert counts[str(space.space_id)] == 4
    assert members.status_code == 404
    await space.aclose()


async def test_unknown_roles_and_overlong_names_are_rejected_with_field_details(system):
    space = await make_space_with_roles(system)

    bad_role = await space.owner.client.patch(
        f"/api/spaces/{space.space_id}/members/{space.member.id}", json={"role": "emperor"}
    )
    long_name = await space.owner.client.post("/api/spaces", json={"name": "x" * 101})
    not_json = await space.owner.client.post(
        "/api/spaces", content=b"{not json", headers={"content-type": "application/json"}
    )

    assert bad_role.status_code == long_name.status_code == not_json.status_code == 422
    assert bad_role.json()["error"]["details"][0]["field"] == "role"
    assert long_name.json()["error"]["details"][0]["field"] == "name"
    members = (await space.owner.client.get(f"/api/spaces/{space.space_id}/members")).json()["items"]
    assert {m["user_id"]: m["role"] for m in members}[str(space.member.id)] == "member"
    assert len((await space.owner.client.get("/api/spaces")).json()["items"]) == 2
    await space.aclose()


async def test_another_spaces_member_list_answers_404_not_403(system):
    mine = await make_space_with_roles(system)

    response = await mine.owner.client.get(f"/api/spaces/{uuid.uuid4()}/members")

    assert response.status_code == 404
    await mine.aclose()
