"""Through the gateway, signed in: the space rules of library and integrations, and the activity log."""

import asyncio

import pytest

from tests.support.identity import make_space_with_roles


@pytest.fixture(scope="module")
async def household(system):
    space = await make_space_with_roles(system)
    yield space
    await space.aclose()


@pytest.fixture(scope="module")
async def neighbours(system):
    space = await make_space_with_roles(system)
    yield space
    await space.aclose()


async def test_a_member_adds_a_title_that_viewers_read_and_other_spaces_cannot_see(household, neighbours):
    created = await household.member.client.post(
        "/api/media",
        json={"title": "The Third Man", "media_type": "movie", "year": 1949, "copies": [{"format": "DVD"}]},
    )
    media_id = created.json()["id"]

    seen_by_viewer = await household.viewer.client.get(f"/api/media/{media_id}")
    listed = await household.viewer.client.get("/api/media", params={"q": "third man"})
    from_next_door = await neighbours.owner.client.get(f"/api/media/{media_id}")
    edit_next_door = await neighbours.owner.client.patch(f"/api/media/{media_id}", json={"title": "Mine now"})

    assert created.status_code == 201
    assert seen_by_viewer.json()["title"] == "The Third Man"
    assert media_id in [item["id"] for item in listed.json()["items"]]
    assert from_next_door.status_code == 404
    assert edit_next_door.status_code == 404
    assert (await household.viewer.client.get(f"/api/media/{media_id}")).json()["title"] == "The Third Man"


async def test_a_viewer_cannot_add_or_edit_titles(household):
    created = await household.admin.client.post("/api/media", json={"title": "Rashomon", "media_type": "movie"})

    add = await household.viewer.client.post("/api/media", json={"title": "Nope", "media_type": "movie"})
    edit = await household.viewer.client.patch(f"/api/media/{created.json()['id']}", json={"title": "Nope"})

    assert add.status_code == 403
    assert edit.status_code == 403


async def test_integration_secrets_are_for_space_admins_and_never_returned(household, neighbours):
    saved = await household.owner.client.put(
        f"/api/spaces/{household.space_id}/integrations/tmdb", json={"token": "tmdb-secret-value-1234"}
    )
    listing = await household.admin.client.get(f"/api/spaces/{household.space_id}/integrations")
    by_member = await household.member.client.get(f"/api/spaces/{household.space_id}/integrations")
    by_neighbour = await neighbours.owner.client.get(f"/api/spaces/{household.space_id}/integrations")

    assert saved.status_code == 200
    assert "tmdb-secret-value-1234" not in listing.text
    tmdb = next(item for item in listing.json()["items"] if item["provider"] == "tmdb")
    assert tmdb["secret_set"] is True
    assert tmdb["secret_hint"].endswith("1234")
    assert by_member.status_code == 403
    assert by_neighbour.status_code == 404


async def test_actions_reach_the_space_activity_log_with_their_actor(household, neighbours):
    created = await household.member.client.post("/api/media", json={"title": "Ikiru", "media_type": "movie"})
    media_id = created.json()["id"]

    async with asyncio.timeout(30):
        while True:
            activity = await household.admin.client.get(
                f"/api/spaces/{household.space_id}/activity", params={"entity_id": media_id}
            )
            rows = activity.json()["items"]
            if rows:
                break
            await asyncio.sleep(0.2)
    hidden = await neighbours.owner.client.get(f"/api/spaces/{household.space_id}/activity")

    assert rows[0]["action"] == "library.media.created"
    assert rows[0]["user_id"] == str(household.member.id)
    assert rows[0]["space_id"] == str(household.space_id)
    assert hidden.status_code == 404
