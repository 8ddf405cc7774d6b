"""Through the gateway: the activity log names people, spaces and titles, and keeps the names after
they are deleted; its facets list who acted and which kinds of action, for the same callers as the log."""

import uuid

import pytest

from tests.support.audit import eventually
from tests.support.identity import admin_account, invite, join_with_invite, make_space_with_roles


@pytest.fixture(scope="module")
async def neighbours(system):
    space = await make_space_with_roles(system)
    yield space
    await space.aclose()


async def _rows(client, path: str, count: int, **params: str) -> dict[str, dict]:
    """The newest row of each action once `count` rows match; keyed by action."""

    async def check() -> dict[str, dict] | None:
        response = await client.get(path, params={"limit": "200", **params})
        assert response.status_code == 200, response.text
        items = response.json()["items"]
        return {row["action"]: row for row in reversed(items)} if len(items) >= count else None

    return await eventually(check)


async def test_names_are_written_with_each_action_and_survive_deleting_the_user_title_and_space(system):
    admin = await admin_account(system)
    household = await make_space_with_roles(system, name=f"Den {uuid.uuid4().hex[:6]}")
    carol_name = f"Carol {uuid.uuid4().hex[:6]}"
    carol = await join_with_invite(system, household.owner, household.space_id, "member", carol_name)
    log = f"/api/spaces/{household.space_id}/activity"
    try:
        added = await carol.client.post("/api/media", json={"title": "Alien", "media_type": "movie", "year": 1979})
        assert added.status_code == 201, added.text
        media_id = added.json()["id"]
        created = (await _rows(household.admin.client, log, 1, entity_id=media_id))["library.media.created"]

        assert (created["actor_name"], created["space_name"]) == (carol_name, household.name)
        assert (created["details"]["title"], created["details"]["year"]) == ("Alien", 1979)

        assert (await carol.client.delete(f"/api/media/{media_id}")).status_code in (200, 204)
        assert (await admin.client.delete(f"/api/admin/users/{carol.id}")).status_code in (200, 204)
        gone = await household.owner.client.request(
            "DELETE", f"/api/spaces/{household.space_id}", json={"confirm_name": household.name}
        )
        assert gone.status_code in (200, 204), gone.text

        rows = await _rows(
            admin.client, "/api/admin/activity", 1, space_id=str(household.space_id), action="identity.space.deleted"
        )
        everything = await _rows(admin.client, "/api/admin/activity", 2, space_id=str(household.space_id))
        deleted_user = await _rows(admin.client, "/api/admin/activity", 1, entity_id=str(carol.id))
    finally:
        await carol.aclose()
        await household.aclose()

    assert rows["identity.space.deleted"]["space_name"] == household.name
    for action in ("library.media.created", "library.media.deleted"):
        row = everything[action]
        assert (row["actor_name"], row["space_name"], row["details"]["title"]) == (carol_name, household.name, "Alien")
    assert everything["identity.invite.claimed"]["subject_name"] == carol_name
    assert deleted_user["identity.user.deleted"]["subject_name"] == carol_name


async def test_facets_list_the_people_and_kinds_of_a_space_for_its_admins_only(system, neighbours):
    household = await make_space_with_roles(system)
    try:
        await invite(household.owner, household.space_id, f"dave-{uuid.uuid4().hex[:8]}@example.com", "member")
        added = await household.member.client.post("/api/media", json={"title": "Ran", "media_type": "movie"})
        assert added.status_code == 201, added.text
        path = f"/api/spaces/{household.space_id}/activity/facets"

        async def facets_with_the_title() -> dict | None:
            response = await household.admin.client.get(path)
            assert response.status_code == 200, response.text
            return response.json() if "library.media.created" in response.json()["actions"] else None

        facets = await eventually(facets_with_the_title)
        by_member = await household.member.client.get(path)
        by_neighbour = await neighbours.owner.client.get(path)
        neighbours_facets = (
            await neighbours.owner.client.get(f"/api/spaces/{neighbours.space_id}/activity/facets")
        ).json()
        by_space_admin_globally = await household.owner.client.get("/api/admin/activity/facets")
        globally = await (await admin_account(system)).client.get("/api/admin/activity/facets")
    finally:
        await household.aclose()

    people = {person["id"]: person["name"] for person in facets["people"]}
    assert people[str(household.owner.id)] == "Owner"
    assert people[str(household.member.id)] == "Member"
    assert {"identity.invite.created", "library.media.created"} <= set(facets["actions"])
    assert facets["actions"] == sorted(facets["actions"])
    assert str(household.member.id) not in {person["id"] for person in neighbours_facets["people"]}
    assert facets["spaces"] == []  # a space's own facets: its people and kinds
    assert by_member.status_code == 403
    assert by_neighbour.status_code == 404
    assert by_space_admin_globally.status_code == 403
    assert globally.status_code == 200
    assert str(household.member.id) in {person["id"] for person in globally.json()["people"]}
    assert {"id": str(household.space_id), "name": household.name} in globally.json()["spaces"]
