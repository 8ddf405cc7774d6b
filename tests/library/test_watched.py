"""Watched state per user through the gateway: mark a title watched (now or on a date), clear it, each
user sees only their own state in the title and the list, the `watched=` list filter, the annotation's
`watched` read from the same state, events in the audit log, roles, and bad input refused with
nothing written."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from tests.support.audit import eventually
from tests.support.identity import make_space_with_roles
from tests.system.checks import assert_error_shape


async def _title(account, title: str) -> dict:
    response = await account.client.post("/api/media", json={"title": title, "media_type": "movie"})
    assert response.status_code == 201, response.text
    return response.json()


async def _watched_rows(library_db, media_id: str) -> list[tuple]:
    sql = text("SELECT user_id, watched, watched_at FROM annotations WHERE media_id = :m AND watched_at IS NOT NULL")
    async with library_db.connect() as conn:
        return [tuple(row) for row in await conn.execute(sql, {"m": uuid.UUID(media_id)})]


def _ids(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


async def test_a_viewer_marks_a_title_watched_on_a_date_and_clears_it(space, library_db):
    title = await _title(space.member, f"Solaris {uuid.uuid4().hex[:6]}")
    when = datetime(2024, 3, 9, 20, 30, tzinfo=UTC)

    marked = await space.viewer.client.put(f"/api/media/{title['id']}/watched", json={"watched_at": when.isoformat()})
    detail = (await space.viewer.client.get(f"/api/media/{title['id']}")).json()
    listed = (await space.viewer.client.get("/api/media", params={"q": title["title"]})).json()["items"]
    cleared = await space.viewer.client.delete(f"/api/media/{title['id']}/watched")
    cleared_again = await space.viewer.client.delete(f"/api/media/{title['id']}/watched")
    after = (await space.viewer.client.get(f"/api/media/{title['id']}")).json()

    assert marked.status_code == 200, marked.text
    assert marked.json() == {
        "media_id": title["id"],
        "watched_at": "2024-03-09T20:30:00Z",
        "play_count": 1,
        "source": "manual",
    }
    assert detail["watched_at"] == "2024-03-09T20:30:00Z"
    assert detail["annotation"]["watched"] is True
    assert detail["annotation"]["watched_at"] == "2024-03-09T20:30:00Z"
    assert listed[0]["watched_at"] == "2024-03-09T20:30:00Z"
    assert cleared.status_code == 204
    assert cleared_again.status_code == 204
    assert after["watched_at"] is None
    assert after["annotation"]["watched"] is False
    assert await _watched_rows(library_db, title["id"]) == []


async def test_marking_without_a_date_means_now(space):
    title = await _title(space.member, f"Stalker {uuid.uuid4().hex[:6]}")
    before = datetime.now(UTC) - timedelta(seconds=5)

    marked = await space.member.client.put(f"/api/media/{title['id']}/watched", json={})

    assert marked.status_code == 200, marked.text
    assert before <= _at(marked.json()["watched_at"]) <= datetime.now(UTC) + timedelta(seconds=5)


async def test_two_users_of_one_space_see_only_their_own_watched_state(space):
    title = await _title(space.member, f"Mirror {uuid.uuid4().hex[:6]}")

    await space.viewer.client.put(f"/api/media/{title['id']}/watched", json={"watched_at": "2023-01-02T03:04:05Z"})
    for_viewer = (await space.viewer.client.get(f"/api/media/{title['id']}")).json()
    for_member = (await space.member.client.get(f"/api/media/{title['id']}")).json()
    member_list = (await space.member.client.get("/api/media", params={"q": title["title"]})).json()["items"]
    member_watched = await space.member.client.get("/api/media", params={"q": title["title"], "watched": "true"})
    viewer_watched = await space.viewer.client.get("/api/media", params={"q": title["title"], "watched": "true"})

    assert for_viewer["watched_at"] == "2023-01-02T03:04:05Z"
    assert for_member["watched_at"] is None
    assert for_member["annotation"] is None
    assert member_list[0]["watched_at"] is None
    assert _ids(member_watched) == []
    assert _ids(viewer_watched) == [title["id"]]


async def test_a_shared_annotation_says_watched_but_never_when(space):
    title = await _title(space.member, f"Shared {uuid.uuid4().hex[:6]}")
    url = f"/api/media/{title['id']}"
    await space.viewer.client.put(f"{url}/watched", json={"watched_at": "2021-07-08T09:10:11Z"})
    await space.viewer.client.put(f"{url}/annotation", json={"rating": 9, "visibility": "shared"})

    seen = (await space.member.client.get(url)).json()

    shared = [note for note in seen["shared_annotations"] if note["user_id"] == str(space.viewer.id)]
    assert len(shared) == 1
    assert shared[0]["watched"] is True
    assert shared[0]["watched_at"] is None
    assert seen["watched_at"] is None
    assert "2021-07-08" not in str(seen)


async def test_the_watched_filter_lists_watched_or_unwatched_titles_with_exact_totals(space):
    tag = uuid.uuid4().hex[:6]
    seen = [await _title(space.member, f"Seen {tag} {n}") for n in range(3)]
    unseen = [await _title(space.member, f"Seen {tag} later {n}") for n in range(2)]
    for title in seen:
        marked = await space.owner.client.put(f"/api/media/{title['id']}/watched", json={})
        assert marked.status_code == 200, marked.text

    watched = await space.owner.client.get("/api/media", params={"q": tag, "watched": "true"})
    unwatched = await space.owner.client.get("/api/media", params={"q": tag, "watched": "false"})
    paged = await space.owner.client.get("/api/media", params={"q": tag, "watched": "true", "limit": 2})
    rest = await space.owner.client.get(
        "/api/media", params={"q": tag, "watched": "true", "limit": 2, "cursor": paged.json()["next_cursor"]}
    )
    all_watched = await space.owner.client.get("/api/media", params={"watched": "true"})

    assert sorted(_ids(watched)) == sorted(t["id"] for t in seen)
    assert watched.json()["total"] == 3
    assert sorted(_ids(unwatched)) == sorted(t["id"] for t in unseen)
    assert unwatched.json()["total"] == 2
    assert len(_ids(paged)) + len(_ids(rest)) == 3
    assert set(_ids(paged)) | set(_ids(rest)) == {t["id"] for t in seen}
    assert all(item["watched_at"] is not None for item in all_watched.json()["items"])
    assert all_watched.json()["total"] == len(_ids(all_watched))


async def test_the_annotation_and_the_watched_state_are_one_state(space):
    title = await _title(space.member, f"Annotated {uuid.uuid4().hex[:6]}")
    url = f"/api/media/{title['id']}"

    await space.viewer.client.put(f"{url}/watched", json={"watched_at": "2022-05-06T07:08:09Z"})
    rated = await space.viewer.client.put(f"{url}/annotation", json={"rating": 8, "visibility": "private"})
    still = (await space.viewer.client.get(url)).json()
    said_watched = await space.viewer.client.put(f"{url}/annotation", json={"rating": 8, "watched": True})
    kept = (await space.viewer.client.get(url)).json()
    said_unwatched = await space.viewer.client.put(f"{url}/annotation", json={"rating": 8, "watched": False})
    gone = (await space.viewer.client.get(url)).json()
    by_annotation = await space.viewer.client.put(f"{url}/annotation", json={"watched": True})
    listed = await space.viewer.client.get("/api/media", params={"q": title["title"], "watched": "true"})

    assert rated.status_code == 200, rated.text
    assert rated.json()["watched"] is True
    assert still["watched_at"] == "2022-05-06T07:08:09Z"
    assert still["annotation"]["rating"] == 8
    assert said_watched.status_code == 200
    assert kept["watched_at"] == "2022-05-06T07:08:09Z"
    assert said_unwatched.json()["watched"] is False
    assert gone["watched_at"] is None
    assert gone["annotation"]["rating"] == 8
    assert by_annotation.json()["watched"] is True
    assert by_annotation.json()["watched_at"] is not None
    assert _ids(listed) == [title["id"]]


@pytest.mark.parametrize(
    "body",
    [
        {"watched_at": "tomorrow"},
        {"watched_at": "{future}"},
        {"watched_at": "2024-01-01T10:00:00"},
        {"watched_at": "1800-01-01T00:00:00Z"},
        {"watched_at": 12},
        {"watched_at": "2024-01-01T10:00:00Z", "play_count": 3},
    ],
    ids=["not-a-date", "future", "naive", "too-early", "number", "extra-field"],
)
async def test_bad_watched_input_is_refused_and_nothing_is_written(space, library_db, body):
    title = await _title(space.member, f"Bad watch {uuid.uuid4().hex[:6]}")
    future = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    body = {key: future if value == "{future}" else value for key, value in body.items()}

    response = await space.viewer.client.put(f"/api/media/{title['id']}/watched", json=body)

    assert_error_shape(response, 422)
    assert await _watched_rows(library_db, title["id"]) == []


async def test_a_bad_watched_filter_is_refused(space):
    response = await space.viewer.client.get("/api/media", params={"watched": "maybe"})

    assert_error_shape(response, 422)


async def test_another_space_s_title_is_not_found_and_unknown_ids_too(system, space, library_db):
    title = await _title(space.member, f"Elsewhere {uuid.uuid4().hex[:6]}")
    other = await make_space_with_roles(system)
    try:
        marked = await other.viewer.client.put(f"/api/media/{title['id']}/watched", json={})
        cleared = await other.owner.client.delete(f"/api/media/{title['id']}/watched")
        unknown = await space.viewer.client.put(f"/api/media/{uuid.uuid4()}/watched", json={})
        not_an_id = await space.viewer.client.put("/api/media/nope/watched", json={})
    finally:
        await other.aclose()

    assert_error_shape(marked, 404)
    assert_error_shape(cleared, 404)
    assert_error_shape(unknown, 404)
    assert_error_shape(not_an_id, 404)
    assert await _watched_rows(library_db, title["id"]) == []


async def test_a_trashed_title_cannot_be_marked(space):
    title = await _title(space.member, f"Trashed {uuid.uuid4().hex[:6]}")
    await space.member.client.delete(f"/api/media/{title['id']}")

    response = await space.viewer.client.put(f"/api/media/{title['id']}/watched", json={})

    assert_error_shape(response, 404)


async def test_watched_events_reach_the_audit_log(space):
    title = await _title(space.member, f"Watched event {uuid.uuid4().hex[:6]}")
    await space.viewer.client.put(f"/api/media/{title['id']}/watched", json={})
    await space.viewer.client.delete(f"/api/media/{title['id']}/watched")

    async def both() -> list[dict] | None:
        response = await space.owner.client.get(
            f"/api/spaces/{space.space_id}/activity", params={"entity_id": title["id"], "limit": 200}
        )
        assert response.status_code == 200, response.text
        items = [
            i for i in response.json()["items"] if i["action"].startswith("library.media.") and "watched" in i["action"]
        ]
        return items if {i["action"] for i in items} >= {"library.media.watched", "library.media.unwatched"} else None

    items = await eventually(both, timeout=30, every=0.2)
    assert {item["user_id"] for item in items} == {str(space.viewer.id)}
    watched = next(item for item in items if item["action"] == "library.media.watched")
    assert watched["details"]["title"] == title["title"]
    assert watched["details"]["source"] == "manual"
