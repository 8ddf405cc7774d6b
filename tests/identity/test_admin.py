"""Instance administration: users, roles, the last admin, feature flags."""

from tests.support.identity import admin_account, make_space_with_roles, new_user


async def test_an_admin_promotes_a_user_who_then_sees_the_admin_area(system):
    admin = await admin_account(system)
    user = await new_user(system)
    assert (await user.client.get("/api/admin/users")).status_code == 403

    promoted = await admin.client.patch(f"/api/admin/users/{user.id}", json={"role": "admin"})

    assert promoted.status_code == 200
    assert promoted.json()["role"] == "admin"
    assert (await user.client.get("/api/admin/users")).status_code == 200
    demoted = await admin.client.patch(f"/api/admin/users/{user.id}", json={"role": "user"})
    assert demoted.json()["role"] == "user"
    await user.aclose()


async def test_an_admin_can_change_neither_themselves_nor_the_last_admin(system):
    admin = await admin_account(system)

    self_demote = await admin.client.patch(f"/api/admin/users/{admin.id}", json={"role": "user"})
    self_delete = await admin.client.delete(f"/api/admin/users/{admin.id}")

    assert self_demote.status_code == self_delete.status_code == 409
    assert (await admin.me())["user"]["role"] == "admin"


async def test_deleting_a_user_signs_them_out_and_frees_their_email(system):
    admin = await admin_account(system)
    user = await new_user(system)
    space = (await user.client.get("/api/spaces")).json()["items"][0]
    await user.client.request("DELETE", f"/api/spaces/{space['id']}", json={"confirm_name": space["name"]})

    response = await admin.client.delete(f"/api/admin/users/{user.id}")

    assert response.status_code == 204
    assert (await user.client.get("/api/auth/me")).status_code == 401
    again = await new_user(system, email=user.email)
    assert again.id != user.id
    await user.aclose()
    await again.aclose()


async def test_the_only_owner_of_a_space_cannot_be_deleted(system):
    admin = await admin_account(system)
    space = await make_space_with_roles(system)

    response = await admin.client.delete(f"/api/admin/users/{space.owner.id}")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "sole_owner"
    await space.aclose()


async def test_feature_flags_have_descriptions_and_show_in_me(system):
    admin = await admin_account(system)
    user = await new_user(system)
    flags = (await admin.client.get("/api/admin/feature-flags")).json()["items"]
    key = flags[0]["key"]
    assert all(flag["description"] for flag in flags)

    on = await admin.client.patch(f"/api/admin/feature-flags/{key}", json={"enabled": True})
    seen_on = (await user.me())["features"][key]
    off = await admin.client.patch(f"/api/admin/feature-flags/{key}", json={"enabled": False})
    unknown = await admin.client.patch("/api/admin/feature-flags/no_such_flag", json={"enabled": True})
    not_bool = await admin.client.patch(f"/api/admin/feature-flags/{key}", json={"enabled": "maybe"})

    assert on.json()["enabled"] is True
    assert seen_on is True
    assert off.json()["enabled"] is False
    assert unknown.status_code == 404
    assert not_bool.status_code == 422
    await user.aclose()


async def test_the_user_list_is_paged_with_a_cursor(system):
    admin = await admin_account(system)
    for _ in range(2):
        await (await new_user(system)).aclose()

    first = (await admin.client.get("/api/admin/users", params={"limit": 1})).json()
    second = (await admin.client.get("/api/admin/users", params={"limit": 1, "cursor": first["next_cursor"]})).json()

    assert first["total"] >= 3
    assert first["items"][0]["id"] != second["items"][0]["id"]
    assert "password_hash" not in first["items"][0]
