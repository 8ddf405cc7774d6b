"""TV seasons through the gateway: a show's seasons recorded by hand, copies holding some of them,
"owned 3 of 5" on the list, the incomplete-shows filter, roles, and bad input refused with nothing
written. TMDB's seasons on match and refresh are in test_title_details.py."""

import uuid

from sqlalchemy import text

from tests.support.identity import make_space_with_roles
from tests.system.checks import assert_error_shape

FIVE = [{"number": n, "name": f"Season {n}", "year": 2007 + n, "episode_count": 10} for n in range(1, 6)]


async def _show(account, title: str, **fields) -> dict:
    body = {"title": title, "media_type": "tv_series", **fields}
    response = await account.client.post("/api/media", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def _unique(title: str) -> str:
    return f"{title} {uuid.uuid4().hex[:6]}"


async def _stored_seasons(library_db, media_id: str) -> int:
    async with library_db.connect() as conn:
        return int(
            await conn.scalar(text("SELECT count(*) FROM seasons WHERE media_id = :m"), {"m": uuid.UUID(media_id)})
        )


async def test_a_show_s_seasons_are_recorded_by_hand_and_read_in_order(space):
    show = await _show(space.member, _unique("Mad Men"))

    put = await space.member.client.put(
        f"/api/media/{show['id']}/seasons",
        json=[{"number": 2, "year": 2008, "episode_count": 13}, {"number": 0}, {"number": 1, "name": "The First"}],
    )
    read = await space.viewer.client.get(f"/api/media/{show['id']}/seasons")
    title = (await space.viewer.client.get(f"/api/media/{show['id']}")).json()

    assert put.status_code == 200, put.text
    assert (
        read.json()
        == put.json()
        == [
            {"number": 0, "name": "Specials", "year": None, "episode_count": None},
            {"number": 1, "name": "The First", "year": None, "episode_count": None},
            {"number": 2, "name": "Season 2", "year": 2008, "episode_count": 13},
        ]
    )
    assert (title["seasons_owned"], title["seasons_total"]) == (0, 2)  # specials are not counted


async def test_a_box_set_holding_three_of_five_seasons_shows_owned_3_of_5(space):
    show = await _show(space.member, _unique("The Wire"))
    await space.member.client.put(f"/api/media/{show['id']}/seasons", json=FIVE)

    added = await space.member.client.post(
        f"/api/media/{show['id']}/copies", json={"format": "Blu-ray", "season_numbers": [3, 1, 2, 2]}
    )
    single = await space.member.client.post(
        f"/api/media/{show['id']}/copies", json={"format": "DVD", "season_numbers": [3]}
    )
    listed = (await space.viewer.client.get("/api/media", params={"q": show["title"]})).json()["items"]
    detail = (await space.viewer.client.get(f"/api/media/{show['id']}")).json()

    assert added.status_code == 201, added.text
    assert added.json()["season_numbers"] == [1, 2, 3]
    assert single.json()["season_numbers"] == [3]
    assert (listed[0]["seasons_owned"], listed[0]["seasons_total"]) == (3, 5)
    assert (detail["seasons_owned"], detail["seasons_total"]) == (3, 5)
    assert [copy["season_numbers"] for copy in listed[0]["copies"]] == [[1, 2, 3], [3]]
    assert [copy["season_numbers"] for copy in detail["copies"]] == [[1, 2, 3], [3]]


async def test_the_incomplete_filter_lists_shows_missing_seasons(space):
    label = uuid.uuid4().hex[:6]
    complete = await _show(space.member, f"Complete {label}")
    partial = await _show(space.member, f"Partial {label}")
    unknown = await _show(space.member, f"Unknown {label}")
    for show in (complete, partial):
        await space.member.client.put(f"/api/media/{show['id']}/seasons", json=FIVE[:2])
    await space.member.client.post(
        f"/api/media/{complete['id']}/copies", json={"format": "DVD", "season_numbers": [1, 2]}
    )
    await space.member.client.post(f"/api/media/{partial['id']}/copies", json={"format": "DVD", "season_numbers": [2]})

    incomplete = await space.viewer.client.get("/api/media", params={"q": label, "incomplete": "true"})
    everything = await space.viewer.client.get("/api/media", params={"q": label})

    assert incomplete.status_code == 200, incomplete.text
    assert [item["title"] for item in incomplete.json()["items"]] == [partial["title"]]
    assert incomplete.json()["total"] == 1
    assert everything.json()["total"] == 3
    assert unknown["seasons_total"] == 0


async def test_changing_or_removing_a_copy_changes_what_is_owned(space):
    show = await _show(space.member, _unique("Deadwood"))
    await space.member.client.put(f"/api/media/{show['id']}/seasons", json=FIVE[:3])
    copy = (
        await space.member.client.post(f"/api/media/{show['id']}/copies", json={"format": "DVD", "season_numbers": [1]})
    ).json()

    patched = await space.member.client.patch(
        f"/api/media/{show['id']}/copies/{copy['id']}", json={"season_numbers": [1, 2, 3]}
    )
    after_patch = (await space.viewer.client.get(f"/api/media/{show['id']}")).json()
    await space.member.client.delete(f"/api/media/{show['id']}/copies/{copy['id']}")
    after_delete = (await space.viewer.client.get(f"/api/media/{show['id']}")).json()

    assert patched.status_code == 200, patched.text
    assert after_patch["seasons_owned"] == 3
    assert after_delete["seasons_owned"] == 0


async def test_a_copy_holds_only_recorded_seasons_of_a_show(space, library_db):
    show = await _show(space.member, _unique("Twin Peaks"))
    await space.member.client.put(f"/api/media/{show['id']}/seasons", json=FIVE[:2])
    movie = (
        await space.member.client.post("/api/media", json={"title": _unique("Heat"), "media_type": "movie"})
    ).json()

    unknown = await space.member.client.post(
        f"/api/media/{show['id']}/copies", json={"format": "DVD", "season_numbers": [1, 7]}
    )
    of_movie = await space.member.client.post(
        f"/api/media/{movie['id']}/copies", json={"format": "DVD", "season_numbers": [1]}
    )
    lost = _unique("Lost")
    new_title = await space.member.client.post(
        "/api/media",
        json={"title": lost, "media_type": "tv_series", "copies": [{"format": "DVD", "season_numbers": [1]}]},
    )

    assert assert_error_shape(unknown, 422)["details"][0]["field"] == "season_numbers"
    assert "7" in unknown.json()["error"]["details"][0]["message"]
    assert assert_error_shape(of_movie, 422)["details"][0]["field"] == "season_numbers"
    assert_error_shape(new_title, 422)
    detail = (await space.viewer.client.get(f"/api/media/{show['id']}")).json()
    assert detail["copies"] == []
    assert (await space.viewer.client.get("/api/media", params={"q": lost})).json()["total"] == 0


async def test_a_season_a_copy_holds_cannot_be_removed(space, library_db):
    show = await _show(space.member, _unique("Fargo"))
    await space.member.client.put(f"/api/media/{show['id']}/seasons", json=FIVE[:3])
    await space.member.client.post(f"/api/media/{show['id']}/copies", json={"format": "DVD", "season_numbers": [2]})

    refused = await space.member.client.put(f"/api/media/{show['id']}/seasons", json=[FIVE[0]])
    shrunk = await space.member.client.put(f"/api/media/{show['id']}/seasons", json=FIVE[1:2])

    error = assert_error_shape(refused, 422)
    assert "season 2" in error["details"][0]["message"]
    assert shrunk.status_code == 200, shrunk.text
    assert [season["number"] for season in shrunk.json()] == [2]
    assert await _stored_seasons(library_db, show["id"]) == 1
    detail = (await space.viewer.client.get(f"/api/media/{show['id']}")).json()
    assert (detail["seasons_owned"], detail["seasons_total"]) == (1, 1)


async def test_bad_seasons_are_refused_with_nothing_written(space, library_db):
    show = await _show(space.member, _unique("Oz"))
    movie = (await space.member.client.post("/api/media", json={"title": _unique("Ran"), "media_type": "movie"})).json()
    bad_bodies = [
        [{"number": -1}],
        [{"number": 1000}],
        [{"number": 1, "episode_count": -3}],
        [{"number": 1, "year": 1700}],
        [{"number": 1, "name": ""}],
        [{"number": 1, "colour": "red"}],
        [{"number": 1}, {"number": 1}],
        [{"name": "no number"}],
        {"number": 1},
        [{"number": "one"}],
    ]

    answers = [await space.member.client.put(f"/api/media/{show['id']}/seasons", json=body) for body in bad_bodies]
    for_movie = await space.member.client.put(f"/api/media/{movie['id']}/seasons", json=FIVE)

    for body, answer in zip(bad_bodies, answers, strict=True):
        assert answer.status_code == 422, (body, answer.text)
        assert_error_shape(answer, 422)
    assert assert_error_shape(for_movie, 422)["details"][0]["field"] == "media_type"
    assert await _stored_seasons(library_db, show["id"]) == 0
    assert await _stored_seasons(library_db, movie["id"]) == 0


async def test_bad_season_numbers_on_a_copy_are_refused(space):
    show = await _show(space.member, _unique("Rome"))
    await space.member.client.put(f"/api/media/{show['id']}/seasons", json=FIVE[:2])
    copy = (
        await space.member.client.post(f"/api/media/{show['id']}/copies", json={"format": "DVD", "season_numbers": [1]})
    ).json()

    answers = [
        await space.member.client.patch(f"/api/media/{show['id']}/copies/{copy['id']}", json={"season_numbers": body})
        for body in (None, [-1], ["x"], 3, [1, 9])
    ]

    for answer in answers:
        assert_error_shape(answer, 422)
    detail = (await space.viewer.client.get(f"/api/media/{show['id']}")).json()
    assert detail["copies"][0]["season_numbers"] == [1]


async def test_viewers_read_seasons_but_only_an_editor_changes_them(space):
    mine = await _show(space.member, _unique("Succession"))
    admins = await _show(space.admin, _unique("Veep"))

    by_viewer = await space.viewer.client.put(f"/api/media/{mine['id']}/seasons", json=FIVE)
    by_other_member = await space.member.client.put(f"/api/media/{admins['id']}/seasons", json=FIVE)
    by_admin = await space.admin.client.put(f"/api/media/{mine['id']}/seasons", json=FIVE)
    read = await space.viewer.client.get(f"/api/media/{mine['id']}/seasons")

    assert_error_shape(by_viewer, 403)
    assert_error_shape(by_other_member, 403)
    assert by_admin.status_code == 200, by_admin.text
    assert len(read.json()) == 5
    assert (await space.viewer.client.get(f"/api/media/{admins['id']}/seasons")).json() == []


async def test_another_space_s_show_is_not_found(space, system):
    show = await _show(space.member, _unique("Treme"))
    other = await make_space_with_roles(system)
    try:
        read = await other.owner.client.get(f"/api/media/{show['id']}/seasons")
        write = await other.owner.client.put(f"/api/media/{show['id']}/seasons", json=FIVE)
    finally:
        await other.aclose()

    assert_error_shape(read, 404)
    assert_error_shape(write, 404)


async def test_a_merge_keeps_the_seasons_copies_hold_and_a_revert_puts_them_back(space):
    kept = await _show(space.admin, _unique("The Sopranos"))
    duplicate = await _show(space.admin, _unique("Sopranos"))
    await space.admin.client.put(f"/api/media/{kept['id']}/seasons", json=FIVE[:2])
    await space.admin.client.put(f"/api/media/{duplicate['id']}/seasons", json=FIVE[:4])
    await space.admin.client.post(f"/api/media/{kept['id']}/copies", json={"format": "DVD", "season_numbers": [1]})
    await space.admin.client.post(f"/api/media/{duplicate['id']}/copies", json={"format": "DVD", "season_numbers": [4]})

    merged = await space.admin.client.post(
        "/api/media/merge", json={"survivor_id": kept["id"], "duplicate_ids": [duplicate["id"]]}
    )
    survivor = (await space.viewer.client.get(f"/api/media/{kept['id']}")).json()
    reverted = await space.admin.client.post(f"/api/media/merges/{merged.json()['merge_id']}/revert")
    kept_after = (await space.viewer.client.get(f"/api/media/{kept['id']}/seasons")).json()
    duplicate_after = (await space.viewer.client.get(f"/api/media/{duplicate['id']}")).json()

    assert merged.status_code == 200, merged.text
    assert (survivor["seasons_owned"], survivor["seasons_total"]) == (2, 4)
    assert reverted.status_code == 200, reverted.text
    assert [season["number"] for season in kept_after] == [1, 2]
    assert (duplicate_after["seasons_owned"], duplicate_after["seasons_total"]) == (1, 4)
    restored = {item["id"]: item for item in reverted.json()["media"]}
    assert (restored[kept["id"]]["seasons_owned"], restored[kept["id"]]["seasons_total"]) == (1, 2)
