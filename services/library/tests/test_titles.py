"""Titles and copies: create, read, edit, trash and restore, with each role's rules."""

import uuid

from sqlalchemy import text

from services.library.tests.conftest import create_title


async def test_a_member_creates_a_title_with_copies_and_reads_it_back(new_space):
    space = new_space()

    created = await create_title(
        space.member,
        "The Matrix",
        year=1999,
        genres=["Science Fiction"],
        directors=["Lana Wachowski"],
        cast=["Keanu Reeves"],
        copies=[{"format": "Blu-ray", "edition": "10th anniversary", "barcode": "085391163220"}],
    )
    response = await space.viewer.get(f"/api/media/{created['id']}")

    body = response.json()
    assert response.status_code == 200
    assert body["title"] == "The Matrix"
    assert body["sort_title"] == "Matrix"
    assert body["space_id"] == str(space.id)
    assert body["added_by"] == str(space.users["member"])
    assert body["cast"] == ["Keanu Reeves"]
    assert [copy["format"] for copy in body["copies"]] == ["Blu-ray"]
    assert body["annotation"] is None
    assert body["can_edit"] is False


async def test_a_viewer_cannot_create_edit_or_delete_a_title(new_space):
    space = new_space()
    title = await create_title(space.member, "Heat", year=1995)

    created = await space.viewer.post("/api/media", json={"title": "Ran", "media_type": "movie"})
    edited = await space.viewer.patch(f"/api/media/{title['id']}", json={"year": 1996})
    deleted = await space.viewer.delete(f"/api/media/{title['id']}")
    copy = await space.viewer.post(f"/api/media/{title['id']}/copies", json={"format": "DVD"})

    assert [created.status_code, edited.status_code, deleted.status_code, copy.status_code] == [403, 403, 403, 403]


async def test_a_member_edits_and_deletes_only_what_they_added(new_space):
    space = new_space()
    mine = await create_title(space.member, "Alien", year=1979)
    theirs = await create_title(space.member2, "Aliens", year=1986)

    edit_mine = await space.member.patch(f"/api/media/{mine['id']}", json={"runtime_minutes": 117})
    edit_theirs = await space.member.patch(f"/api/media/{theirs['id']}", json={"runtime_minutes": 137})
    delete_theirs = await space.member.delete(f"/api/media/{theirs['id']}")
    delete_mine = await space.member.delete(f"/api/media/{mine['id']}")

    assert edit_mine.status_code == 200
    assert edit_mine.json()["runtime_minutes"] == 117
    assert edit_theirs.status_code == 403
    assert delete_theirs.status_code == 403
    assert delete_mine.status_code == 204


async def test_an_admin_and_an_owner_edit_everything_in_the_space(new_space):
    space = new_space()
    title = await create_title(space.member, "Solaris", year=1972)

    by_admin = await space.admin.patch(f"/api/media/{title['id']}", json={"original_title": "Солярис"})
    by_owner = await space.owner.post(f"/api/media/{title['id']}/copies", json={"format": "DVD", "region": "2"})
    deleted = await space.admin.delete(f"/api/media/{title['id']}")

    assert by_admin.status_code == 200
    assert by_owner.status_code == 201
    assert deleted.status_code == 204


async def test_another_spaces_title_is_not_found_for_every_verb(new_space):
    home, other = new_space(), new_space()
    title = await create_title(other.owner, "Stalker", year=1979)
    path = f"/api/media/{title['id']}"

    responses = [
        await home.owner.get(path),
        await home.owner.patch(path, json={"year": 1980}),
        await home.owner.delete(path),
        await home.owner.post(f"{path}/restore"),
        await home.owner.post(f"{path}/copies", json={"format": "DVD"}),
        await home.owner.put(f"{path}/annotation", json={"rating": 9}),
    ]

    assert [response.status_code for response in responses] == [404] * 6
    assert all(response.json()["error"]["code"] == "not_found" for response in responses)
    listed = (await home.owner.get("/api/media")).json()
    assert listed["items"] == []
    assert listed["total"] == 0


async def test_bad_input_is_refused_with_field_details_and_nothing_is_written(new_space, library_db):
    space = new_space()
    body = {
        "title": "Invalid",
        "media_type": "film",
        "year": 1700,
        "rating": 11,
        "copies": [{"format": "Betamax"}],
    }

    response = await space.member.post("/api/media", json=body)

    assert response.status_code == 422
    fields = {detail["field"] for detail in response.json()["error"]["details"]}
    assert {"media_type", "year", "rating", "copies.0.format"} <= fields
    async with library_db.connect() as conn:
        written = await conn.scalar(text("SELECT count(*) FROM media WHERE space_id = :s"), {"s": space.id})
    assert written == 0


async def test_a_title_cannot_be_blanked_by_an_edit(new_space):
    space = new_space()
    title = await create_title(space.member, "Brazil", year=1985)

    blank = await space.member.patch(f"/api/media/{title['id']}", json={"title": "  "})
    null = await space.member.patch(f"/api/media/{title['id']}", json={"media_type": None})

    assert blank.status_code == 422
    assert null.status_code == 422
    assert (await space.member.get(f"/api/media/{title['id']}")).json()["title"] == "Brazil"


async def test_a_deleted_title_goes_to_the_trash_and_can_be_restored(new_space):
    space = new_space()
    title = await create_title(space.member, "Paris, Texas", year=1984)

    await space.member.delete(f"/api/media/{title['id']}")
    gone = await space.member.get(f"/api/media/{title['id']}")
    trash = (await space.member.get("/api/media/trash")).json()
    restored = await space.member.post(f"/api/media/{title['id']}/restore")
    back = await space.member.get(f"/api/media/{title['id']}")

    assert gone.status_code == 404
    assert [item["id"] for item in trash["items"]] == [title["id"]]
    assert trash["items"][0]["purge_after"] > trash["items"][0]["deleted_at"]
    assert restored.status_code == 200
    assert back.status_code == 200


async def test_a_member_sees_and_restores_only_their_own_trash_while_an_admin_sees_all(new_space):
    space = new_space()
    mine = await create_title(space.member, "Mine", year=2001)
    theirs = await create_title(space.member2, "Theirs", year=2002)
    await space.admin.delete(f"/api/media/{mine['id']}")
    await space.admin.delete(f"/api/media/{theirs['id']}")

    member_trash = (await space.member.get("/api/media/trash")).json()
    admin_trash = (await space.admin.get("/api/media/trash")).json()
    restore_theirs = await space.member.post(f"/api/media/{theirs['id']}/restore")
    viewer_trash = await space.viewer.get("/api/media/trash")

    assert [item["title"] for item in member_trash["items"]] == ["Mine"]
    assert {item["title"] for item in admin_trash["items"]} == {"Mine", "Theirs"}
    assert admin_trash["total"] == 2
    assert restore_theirs.status_code == 403
    assert viewer_trash.status_code == 403


async def test_copies_are_added_edited_and_removed(new_space):
    space = new_space()
    title = await create_title(space.member, "Blade Runner", year=1982)
    path = f"/api/media/{title['id']}/copies"

    added = await space.member.post(path, json={"format": "4K UHD", "resolution": "4k", "edition": "Final Cut"})
    copy_id = added.json()["id"]
    edited = await space.member.patch(f"{path}/{copy_id}", json={"location": "Shelf B"})
    bad = await space.member.patch(f"{path}/{copy_id}", json={"format": "Betamax"})
    removed = await space.member.delete(f"{path}/{copy_id}")
    detail = (await space.member.get(f"/api/media/{title['id']}")).json()

    assert added.status_code == 201
    assert edited.json()["location"] == "Shelf B"
    assert edited.json()["edition"] == "Final Cut"
    assert bad.status_code == 422
    assert removed.status_code == 204
    assert detail["copies"] == []


async def test_two_copies_with_one_source_in_a_space_conflict(new_space):
    space = new_space()
    title = await create_title(space.member, "Akira", year=1988)
    copy = {"format": "Digital", "source_provider": "plex", "source_external_id": "abc"}

    first = await space.member.post(f"/api/media/{title['id']}/copies", json=copy)
    second = await space.member.post(f"/api/media/{title['id']}/copies", json=copy)

    assert first.status_code == 201
    assert second.status_code == 409


async def test_a_new_title_whose_copies_share_one_source_conflicts_and_writes_nothing(new_space):
    space = new_space()
    copy = {"format": "Digital", "source_provider": "plex", "source_external_id": "twice"}

    refused = await space.member.post(
        "/api/media", json={"title": "Twice", "media_type": "movie", "copies": [copy, copy]}
    )
    listed = (await space.member.get("/api/media", params={"q": "Twice"})).json()

    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "conflict"
    assert listed["items"] == []


async def test_annotations_are_one_per_user_and_others_see_only_shared_ones(new_space):
    space = new_space()
    title = await create_title(space.member, "Amélie", year=2001)
    path = f"/api/media/{title['id']}/annotation"

    await space.viewer.put(path, json={"rating": 7, "notes": "first", "visibility": "private"})
    again = await space.viewer.put(path, json={"rating": 8, "notes": "second thoughts", "visibility": "private"})
    await space.member.put(path, json={"rating": 9, "watched": True, "visibility": "shared"})
    seen_by_admin = (await space.admin.get(f"/api/media/{title['id']}")).json()
    seen_by_viewer = (await space.viewer.get(f"/api/media/{title['id']}")).json()
    bad = await space.viewer.put(path, json={"rating": 12, "visibility": "public"})

    assert again.status_code == 200
    assert again.json()["rating"] == 8
    assert seen_by_admin["annotation"] is None
    assert [(a["user_id"], a["rating"]) for a in seen_by_admin["shared_annotations"]] == [
        (str(space.users["member"]), 9)
    ]
    assert seen_by_viewer["annotation"]["notes"] == "second thoughts"
    assert [a["rating"] for a in seen_by_viewer["shared_annotations"]] == [9]
    assert bad.status_code == 422


async def test_a_non_uuid_id_is_simply_not_found(new_space):
    space = new_space()

    response = await space.viewer.get("/api/media/not-a-uuid")

    assert response.status_code == 404


async def test_a_caller_without_a_space_role_is_refused(library, keys):
    from tests.support.clients import signed_client

    async with signed_client(library.url, keys, "library", user_id=uuid.uuid4()) as client:
        response = await client.get("/api/media")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "no_active_space"
