"""The wishlist through the gateway: add, list by priority, edit, remove, "Got it" (matching the
library's titles or creating one, in one transaction, once under a race), conflicts with the wishlist
and the library, roles and other spaces, events in the audit log, bad input refused with nothing
written."""

import asyncio
import uuid

import pytest
from sqlalchemy import text

from tests.support.audit import eventually
from tests.support.identity import make_space_with_roles
from tests.system.checks import assert_error_shape


def _tmdb_id() -> int:
    return 10_000_000 + uuid.uuid4().int % 10_000_000


def _name(base: str) -> str:
    return f"{base} {uuid.uuid4().hex[:6]}"


async def _wish(account, **body) -> dict:
    response = await account.client.post("/api/wishlist", json={"media_type": "movie", **body})
    assert response.status_code == 201, response.text
    return response.json()


async def _got_it(account, wish_id: str, copy: dict | None = None):
    body = {"copy": copy or {"format": "Blu-ray", "location": "Shelf A"}}
    return await account.client.post(f"/api/wishlist/{wish_id}/got-it", json=body)


async def _count(library_db, sql: str, **params) -> int:
    async with library_db.connect() as conn:
        return int(await conn.scalar(text(sql), params))


async def _wishes_of(library_db, space_id) -> int:
    return await _count(library_db, "SELECT count(*) FROM wishes WHERE space_id = :s", s=space_id)


async def _titles_named(library_db, space_id, title: str) -> int:
    sql = "SELECT count(*) FROM media WHERE space_id = :s AND title = :t"
    return await _count(library_db, sql, s=space_id, t=title)


async def test_wishes_are_listed_by_priority_edited_and_removed(system):
    space = await make_space_with_roles(system)
    try:
        later = await _wish(space.member, title=_name("Solaris"), priority=4, notes="the Criterion one")
        first = await _wish(
            space.member, title=_name("Stalker"), year=1979, priority=1, tmdb_id=_tmdb_id(), format_wanted="4K UHD"
        )
        middle = await _wish(space.admin, title=_name("Mirror"), media_type="movie")
        listed = await space.viewer.client.get("/api/wishlist")
        paged = await space.viewer.client.get("/api/wishlist", params={"limit": 2})
        rest = await space.viewer.client.get(
            "/api/wishlist", params={"limit": 2, "cursor": paged.json()["next_cursor"]}
        )
        patched = await space.member.client.patch(
            f"/api/wishlist/{later['id']}", json={"priority": 2, "notes": None, "format_wanted": "Blu-ray"}
        )
        reordered = (await space.viewer.client.get("/api/wishlist")).json()
        removed = await space.member.client.delete(f"/api/wishlist/{first['id']}")
        after = (await space.viewer.client.get("/api/wishlist")).json()
    finally:
        await space.aclose()

    assert listed.status_code == 200, listed.text
    assert [item["id"] for item in listed.json()["items"]] == [first["id"], middle["id"], later["id"]]
    assert listed.json()["total"] == 3
    assert middle["priority"] == 3  # the default
    assert first["format_wanted"] == "4K UHD"
    assert first["year"] == 1979
    assert [item["id"] for item in paged.json()["items"] + rest.json()["items"]] == [
        first["id"],
        middle["id"],
        later["id"],
    ]
    assert rest.json()["next_cursor"] is None
    assert listed.json()["items"][0]["can_edit"] is False  # the viewer reads only
    assert patched.status_code == 200, patched.text
    assert patched.json()["priority"] == 2
    assert patched.json()["notes"] is None
    assert patched.json()["format_wanted"] == "Blu-ray"
    assert [item["id"] for item in reordered["items"]] == [first["id"], later["id"], middle["id"]]
    assert removed.status_code == 204
    assert [item["id"] for item in after["items"]] == [later["id"], middle["id"]]


@pytest.mark.parametrize(
    "body",
    [
        {"title": "Too keen", "media_type": "movie", "priority": 0},
        {"title": "Too keen", "media_type": "movie", "priority": 6},
        {"title": "Odd", "media_type": "podcast"},
        {"title": "   ", "media_type": "movie"},
        {"media_type": "movie"},
        {"title": "Tmdb", "media_type": "movie", "tmdb_id": -3},
        {"title": "Format", "media_type": "movie", "format_wanted": "Wax cylinder"},
        {"title": "Extra", "media_type": "movie", "surprise": 1},
    ],
    ids=["priority-0", "priority-6", "media-type", "blank-title", "no-title", "tmdb-id", "format", "extra-field"],
)
async def test_bad_wishes_are_refused_and_nothing_is_written(space, library_db, body):
    before = await _wishes_of(library_db, space.space_id)

    response = await space.member.client.post("/api/wishlist", json=body)

    assert_error_shape(response, 422)
    assert await _wishes_of(library_db, space.space_id) == before


async def test_a_bad_edit_or_copy_is_refused_and_nothing_changes(space, library_db):
    wish = await _wish(space.member, title=_name("Ran"), priority=2)

    patched = await space.member.client.patch(f"/api/wishlist/{wish['id']}", json={"priority": 9})
    nulled = await space.member.client.patch(f"/api/wishlist/{wish['id']}", json={"title": None})
    no_format = await space.member.client.post(f"/api/wishlist/{wish['id']}/got-it", json={"copy": {}})
    no_copy = await space.member.client.post(f"/api/wishlist/{wish['id']}/got-it", json={})
    listed = (await space.viewer.client.get("/api/wishlist")).json()["items"]

    for response in (patched, nulled, no_format, no_copy):
        assert_error_shape(response, 422)
    assert next(item for item in listed if item["id"] == wish["id"])["priority"] == 2
    assert await _titles_named(library_db, space.space_id, wish["title"]) == 0


async def test_a_title_wished_twice_or_already_owned_is_a_conflict(space):
    tmdb_id = _tmdb_id()
    await _wish(space.member, title=_name("Ikiru"), tmdb_id=tmdb_id)
    owned = await space.member.client.post(
        "/api/media", json={"title": _name("Harakiri"), "media_type": "movie", "year": 1962}
    )
    other = await _wish(space.member, title=_name("Yojimbo"))

    again = await space.admin.client.post(
        "/api/wishlist", json={"title": "Ikiru (again)", "media_type": "movie", "tmdb_id": tmdb_id}
    )
    as_tv = await space.admin.client.post(
        "/api/wishlist", json={"title": "Ikiru the series", "media_type": "tv_series", "tmdb_id": tmdb_id}
    )
    already = await space.member.client.post(
        "/api/wishlist", json={"title": owned.json()["title"], "media_type": "movie", "year": 1962}
    )
    renamed = await space.member.client.patch(
        f"/api/wishlist/{other['id']}", json={"title": owned.json()["title"], "year": 1962}
    )
    retargeted = await space.member.client.patch(f"/api/wishlist/{other['id']}", json={"tmdb_id": tmdb_id})

    assert_error_shape(again, 409)
    assert again.json()["error"]["code"] == "already_wished"
    assert as_tv.status_code == 201, as_tv.text  # TMDB ids are per type
    for response in (already, renamed):
        assert_error_shape(response, 409)
        error = response.json()["error"]
        assert error["code"] == "already_owned"
        assert owned.json()["title"] in error["message"]
        assert error["details"][0]["media_id"] == owned.json()["id"]
    assert_error_shape(retargeted, 409)


async def test_two_people_wishing_the_same_tmdb_title_at_once_get_one_wish(space, library_db):
    tmdb_id = _tmdb_id()
    answers = await asyncio.gather(
        *(
            account.client.post("/api/wishlist", json={"title": "Kagemusha", "media_type": "movie", "tmdb_id": tmdb_id})
            for account in [space.member, space.admin] * 3
        )
    )

    assert sorted(answer.status_code for answer in answers) == [201, 409, 409, 409, 409, 409]
    sql = "SELECT count(*) FROM wishes WHERE space_id = :s AND tmdb_id = :t"
    assert await _count(library_db, sql, s=space.space_id, t=tmdb_id) == 1


async def test_got_it_turns_the_wish_into_an_owned_title_with_its_copy(space, library_db):
    tmdb_id = _tmdb_id()
    wish = await _wish(space.member, title=_name("Paprika"), year=2006, tmdb_id=tmdb_id, priority=1)

    got = await _got_it(space.member, wish["id"], {"format": "4K UHD", "location": "Living room"})
    title = await space.viewer.client.get(f"/api/media/{got.json()['media']['id']}")
    listed = (await space.viewer.client.get("/api/wishlist")).json()["items"]
    again = await _got_it(space.member, wish["id"])
    wished_again = await space.member.client.post(
        "/api/wishlist", json={"title": "Paprika", "media_type": "movie", "tmdb_id": tmdb_id}
    )

    assert got.status_code == 200, got.text
    media = got.json()["media"]
    assert media["title"] == wish["title"]
    assert media["year"] == 2006
    assert media["tmdb_id"] == tmdb_id
    assert [(c["format"], c["location"]) for c in media["copies"]] == [("4K UHD", "Living room")]
    assert title.status_code == 200, title.text
    assert len(title.json()["copies"]) == 1
    assert wish["id"] not in [item["id"] for item in listed]
    assert_error_shape(again, 404)
    assert_error_shape(wished_again, 409)
    assert wished_again.json()["error"]["code"] == "already_owned"


async def test_got_it_adds_the_copy_to_the_title_the_library_already_has(space, library_db):
    tmdb_id = _tmdb_id()
    wish = await _wish(space.member, title=_name("Akira"), year=1988, tmdb_id=tmdb_id)
    # Added to the library after the wish, under another name (the TMDB id decides).
    existing = await space.member.client.post(
        "/api/media",
        json={"title": "AKIRA (1988)", "media_type": "movie", "tmdb_id": tmdb_id, "copies": [{"format": "DVD"}]},
    )

    got = await _got_it(space.member, wish["id"])

    assert got.status_code == 200, got.text
    assert got.json()["media"]["id"] == existing.json()["id"]
    assert sorted(c["format"] for c in got.json()["media"]["copies"]) == ["Blu-ray", "DVD"]
    assert await _titles_named(library_db, space.space_id, wish["title"]) == 0


async def test_racing_got_it_calls_make_one_title_and_one_copy(space, library_db):
    wish = await _wish(space.member, title=_name("Perfect Blue"), year=1997, tmdb_id=_tmdb_id())

    answers = await asyncio.gather(*(_got_it(account, wish["id"]) for account in [space.member, space.admin] * 3))

    codes = sorted(answer.status_code for answer in answers)
    assert codes == [200, 404, 404, 404, 404, 404], [answer.text for answer in answers]
    for answer in answers:
        if answer.status_code != 200:
            assert_error_shape(answer, 404)
    sql = "SELECT count(*) FROM copies c JOIN media m ON m.id = c.media_id WHERE m.space_id = :s AND m.title = :t"
    assert await _titles_named(library_db, space.space_id, wish["title"]) == 1
    assert await _count(library_db, sql, s=space.space_id, t=wish["title"]) == 1


async def test_roles_and_other_spaces(system, space, library_db):
    wish = await _wish(space.member, title=_name("Tampopo"))
    other = await make_space_with_roles(system)
    try:
        by_viewer = await space.viewer.client.post("/api/wishlist", json={"title": "Nope", "media_type": "movie"})
        edited_by_viewer = await space.viewer.client.patch(f"/api/wishlist/{wish['id']}", json={"priority": 1})
        got_by_viewer = await _got_it(space.viewer, wish["id"])
        removed_by_viewer = await space.viewer.client.delete(f"/api/wishlist/{wish['id']}")
        by_other_member = await space.owner.client.get("/api/wishlist")
        edited_elsewhere = await other.owner.client.patch(f"/api/wishlist/{wish['id']}", json={"priority": 1})
        got_elsewhere = await _got_it(other.owner, wish["id"])
        removed_elsewhere = await other.owner.client.delete(f"/api/wishlist/{wish['id']}")
        listed_elsewhere = (await other.owner.client.get("/api/wishlist")).json()
        admin_wish = await _wish(space.admin, title=_name("The Funeral"))
        member_edits_admins = await space.member.client.patch(f"/api/wishlist/{admin_wish['id']}", json={"priority": 1})
        admin_edits_members = await space.admin.client.patch(f"/api/wishlist/{wish['id']}", json={"priority": 5})
        member_gets_admins = await _got_it(space.member, admin_wish["id"])
    finally:
        await other.aclose()

    for response in (
        by_viewer,
        edited_by_viewer,
        got_by_viewer,
        removed_by_viewer,
        member_edits_admins,
        member_gets_admins,
    ):
        assert_error_shape(response, 403)
    for response in (edited_elsewhere, got_elsewhere, removed_elsewhere):
        assert_error_shape(response, 404)
    assert wish["id"] in [item["id"] for item in by_other_member.json()["items"]]
    assert listed_elsewhere["items"] == []
    assert admin_edits_members.status_code == 200, admin_edits_members.text
    assert await _titles_named(library_db, space.space_id, wish["title"]) == 0


async def test_wish_events_reach_the_audit_log(space):
    kept = await _wish(space.member, title=_name("Sansho"))
    await space.member.client.patch(f"/api/wishlist/{kept['id']}", json={"priority": 1})
    got = await _got_it(space.member, kept["id"])
    dropped = await _wish(space.member, title=_name("Ugetsu"))
    await space.member.client.delete(f"/api/wishlist/{dropped['id']}")

    async def actions(entity_id: str, wanted: set[str]):
        response = await space.owner.client.get(
            f"/api/spaces/{space.space_id}/activity", params={"entity_id": entity_id, "limit": 200}
        )
        assert response.status_code == 200, response.text
        found = {item["action"] for item in response.json()["items"]}
        return found if found >= wanted else None

    assert await eventually(
        lambda: actions(kept["id"], {"library.wish.created", "library.wish.updated", "library.wish.fulfilled"}),
        timeout=30,
        every=0.2,
    )
    assert await eventually(
        lambda: actions(dropped["id"], {"library.wish.created", "library.wish.deleted"}), timeout=30, every=0.2
    )
    assert await eventually(
        lambda: actions(got.json()["media"]["id"], {"library.media.created"}), timeout=30, every=0.2
    )


async def test_got_it_leaves_a_title_in_the_trash_alone_and_matches_it_once_restored(space, library_db):
    tmdb_id = _tmdb_id()
    wish = await _wish(space.member, title=_name("Brazil"), year=1985, tmdb_id=tmdb_id)
    added = await space.member.client.post(
        "/api/media", json={"title": "Brazil", "media_type": "movie", "year": 1985, "tmdb_id": tmdb_id}
    )
    media_id = added.json()["id"]
    await space.member.client.delete(f"/api/media/{media_id}")

    trashed = await _got_it(space.member, wish["id"])
    still_wished = [item["id"] for item in (await space.viewer.client.get("/api/wishlist")).json()["items"]]
    await space.member.client.post(f"/api/media/{media_id}/restore")
    got = await _got_it(space.member, wish["id"])

    assert_error_shape(trashed, 409)
    assert trashed.json()["error"]["code"] == "title_in_trash"
    assert trashed.json()["error"]["details"][0]["media_id"] == media_id
    assert wish["id"] in still_wished
    assert got.status_code == 200, got.text
    assert got.json()["media"]["id"] == media_id
    assert [c["format"] for c in got.json()["media"]["copies"]] == ["Blu-ray"]
    assert await _titles_named(library_db, space.space_id, wish["title"]) == 0


async def test_got_it_matches_a_title_without_ids_by_title_year_and_type(space, library_db):
    name = _name("Time Bandits")
    wish = await _wish(space.member, title=name, year=1981)
    added = await space.admin.client.post("/api/media", json={"title": name, "media_type": "movie", "year": 1981})

    got = await _got_it(space.member, wish["id"])

    assert got.status_code == 200, got.text
    assert got.json()["media"]["id"] == added.json()["id"]
    assert await _titles_named(library_db, space.space_id, name) == 1
