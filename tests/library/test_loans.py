"""Loans through the gateway: lend a copy to a member or by name, return it, one open loan per copy
under a race, the history of a copy, the on_loan / overdue list filters, events in the audit log,
roles, and bad input refused with nothing written."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from tests.support.audit import eventually
from tests.support.identity import make_space_with_roles
from tests.system.checks import assert_error_shape


async def _title(account, title: str, copies: int = 1) -> dict:
    body = {"title": title, "media_type": "movie", "copies": [{"format": "Blu-ray"}] * copies}
    response = await account.client.post("/api/media", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def _iso(moment: datetime) -> str:
    return moment.isoformat()


async def _loans_of(library_db, copy_id: str) -> int:
    async with library_db.connect() as conn:
        return int(await conn.scalar(text("SELECT count(*) FROM loans WHERE copy_id = :c"), {"c": uuid.UUID(copy_id)}))


async def _lend(account, copy_id: str, **body):
    return await account.client.post(f"/api/copies/{copy_id}/loans", json=body)


async def _member_known(space, copy_id: str) -> dict:
    """Lend to the viewer (a member of the space) once the library has seen their membership."""

    async def lent():
        response = await _lend(space.member, copy_id, borrower_user_id=str(space.viewer.id))
        return response if response.status_code == 201 else None

    return (await eventually(lent, timeout=30, every=0.2)).json()


async def test_a_copy_lent_by_name_shows_on_loan_and_comes_back(space):
    title = await _title(space.member, f"Alien {uuid.uuid4().hex[:6]}")
    copy_id = title["copies"][0]["id"]
    due = datetime.now(UTC) + timedelta(days=14)

    lent = await _lend(space.member, copy_id, borrower_name="  Ripley ", due_at=_iso(due))
    detail = (await space.viewer.client.get(f"/api/media/{title['id']}")).json()
    listed = await space.viewer.client.get("/api/media", params={"on_loan": "true", "q": title["title"]})
    open_loans = (await space.member.client.get("/api/loans")).json()["items"]
    returned = await space.member.client.post(f"/api/loans/{lent.json()['id']}/return")
    again = await space.member.client.post(f"/api/loans/{lent.json()['id']}/return")
    after = (await space.viewer.client.get(f"/api/media/{title['id']}")).json()
    history = await space.member.client.get("/api/loans", params={"state": "all", "copy_id": copy_id})

    assert lent.status_code == 201, lent.text
    loan = lent.json()
    assert loan["borrower_name"] == "Ripley"
    assert loan["borrower_user_id"] is None
    assert loan["lent_by"] == str(space.member.id)
    assert loan["title"] == title["title"]
    assert loan["copy_id"] == copy_id
    assert loan["returned_at"] is None
    assert loan["overdue"] is False
    assert detail["copies"][0]["loan"]["id"] == loan["id"]
    assert detail["copies"][0]["loan"]["borrower_name"] == "Ripley"
    assert [item["id"] for item in listed.json()["items"]] == [title["id"]]
    assert listed.json()["items"][0]["copies"][0]["loan"]["id"] == loan["id"]
    assert loan["id"] in [item["id"] for item in open_loans]
    assert returned.status_code == 200, returned.text
    assert returned.json()["returned_at"] is not None
    assert_error_shape(again, 409)
    assert after["copies"][0]["loan"] is None
    assert [item["id"] for item in history.json()["items"]] == [loan["id"]]


async def test_two_people_lending_the_same_copy_at_once_get_one_loan(space, library_db):
    title = await _title(space.member, f"Aliens {uuid.uuid4().hex[:6]}")
    copy_id = title["copies"][0]["id"]

    answers = await asyncio.gather(
        *(
            _lend(account, copy_id, borrower_name=f"Borrower {n}")
            for n, account in enumerate([space.member, space.admin] * 3)
        )
    )

    codes = sorted(answer.status_code for answer in answers)
    assert codes == [201, 409, 409, 409, 409, 409], [answer.text for answer in answers]
    for answer in answers:
        if answer.status_code == 409:
            assert_error_shape(answer, 409)
            assert answer.json()["error"]["code"] == "copy_on_loan"
    assert await _loans_of(library_db, copy_id) == 1


async def test_a_member_borrows_by_account_and_the_history_keeps_every_loan(space):
    title = await _title(space.member, f"Alien 3 {uuid.uuid4().hex[:6]}")
    copy_id = title["copies"][0]["id"]

    first = await _member_known(space, copy_id)
    await space.member.client.post(f"/api/loans/{first['id']}/return")
    second = (await _lend(space.admin, copy_id, borrower_name="Bishop")).json()
    history = (await space.member.client.get("/api/loans", params={"state": "all", "copy_id": copy_id})).json()
    page = (await space.member.client.get("/api/loans", params={"state": "all", "copy_id": copy_id, "limit": 1})).json()
    rest = await space.member.client.get(
        "/api/loans", params={"state": "all", "copy_id": copy_id, "limit": 1, "cursor": page["next_cursor"]}
    )

    assert first["borrower_user_id"] == str(space.viewer.id)
    assert first["borrower_name"] is None
    assert [item["id"] for item in history["items"]] == [second["id"], first["id"]]
    assert history["items"][1]["returned_at"] is not None
    assert [item["id"] for item in page["items"]] == [second["id"]]
    assert [item["id"] for item in rest.json()["items"]] == [first["id"]]


async def test_overdue_loans_are_listed_and_filtered(space):
    late = await _title(space.member, f"Prometheus {uuid.uuid4().hex[:6]}")
    on_time = await _title(space.member, f"Covenant {uuid.uuid4().hex[:6]}")
    now = datetime.now(UTC)
    overdue = await _lend(
        space.member,
        late["copies"][0]["id"],
        borrower_name="David",
        lent_at=_iso(now - timedelta(days=20)),
        due_at=_iso(now - timedelta(days=6)),
    )
    await _lend(space.member, on_time["copies"][0]["id"], borrower_name="Walter", due_at=_iso(now + timedelta(days=6)))

    listed = (await space.viewer.client.get("/api/media", params={"overdue": "true"})).json()
    on_loan = (await space.viewer.client.get("/api/media", params={"on_loan": "true"})).json()
    loans = (await space.member.client.get("/api/loans", params={"state": "overdue"})).json()["items"]

    assert overdue.status_code == 201, overdue.text
    assert overdue.json()["overdue"] is True
    ids = [item["id"] for item in listed["items"]]
    assert late["id"] in ids
    assert on_time["id"] not in ids
    assert {late["id"], on_time["id"]} <= {item["id"] for item in on_loan["items"]}
    assert listed["total"] == len(listed["items"])
    assert [item["media_id"] for item in loans] == [late["id"]]
    assert loans[0]["overdue"] is True


@pytest.mark.parametrize(
    "body",
    [
        {"borrower_name": "Ash", "borrower_user_id": "{viewer}"},
        {},
        {"borrower_name": "   "},
        {"borrower_name": "Ash", "due_at": "{yesterday}"},
        {"borrower_name": "Ash", "due_at": "2030-01-01T00:00:00"},
        {"borrower_user_id": "{stranger}"},
        {"borrower_name": "Ash", "surprise": 1},
    ],
    ids=["both-borrowers", "no-borrower", "blank-name", "due-before-lent", "naive-date", "not-a-member", "extra-field"],
)
async def test_bad_loans_are_refused_and_nothing_is_written(space, library_db, body):
    title = await _title(space.member, f"Bad loan {uuid.uuid4().hex[:6]}")
    copy_id = title["copies"][0]["id"]
    values = {
        "{viewer}": str(space.viewer.id),
        "{stranger}": str(uuid.uuid4()),
        "{yesterday}": _iso(datetime.now(UTC) - timedelta(days=1)),
    }
    body = {key: values.get(value, value) if isinstance(value, str) else value for key, value in body.items()}

    response = await _lend(space.member, copy_id, **body)

    assert_error_shape(response, 422)
    assert await _loans_of(library_db, copy_id) == 0


async def test_a_viewer_cannot_lend_or_return_and_another_space_s_copy_is_not_found(system, space, library_db):
    title = await _title(space.member, f"Nostromo {uuid.uuid4().hex[:6]}")
    copy_id = title["copies"][0]["id"]
    other = await make_space_with_roles(system)
    try:
        by_viewer = await _lend(space.viewer, copy_id, borrower_name="Lambert")
        listed_by_viewer = await space.viewer.client.get("/api/loans")
        from_elsewhere = await _lend(other.owner, copy_id, borrower_name="Parker")
        loan = (await _lend(space.member, copy_id, borrower_name="Dallas")).json()
        returned_elsewhere = await other.owner.client.post(f"/api/loans/{loan['id']}/return")
        returned_by_viewer = await space.viewer.client.post(f"/api/loans/{loan['id']}/return")
        listed_elsewhere = (await other.owner.client.get("/api/loans", params={"state": "all"})).json()
    finally:
        await other.aclose()

    assert_error_shape(by_viewer, 403)
    assert_error_shape(listed_by_viewer, 403)
    assert_error_shape(from_elsewhere, 404)
    assert_error_shape(returned_elsewhere, 404)
    assert_error_shape(returned_by_viewer, 403)
    assert listed_elsewhere["items"] == []
    assert await _loans_of(library_db, copy_id) == 1


async def test_loan_events_reach_the_audit_log(system, space):
    title = await _title(space.member, f"Sulaco {uuid.uuid4().hex[:6]}")
    loan = (await _lend(space.member, title["copies"][0]["id"], borrower_name="Hicks")).json()
    await space.member.client.post(f"/api/loans/{loan['id']}/return")

    async def both() -> set[str] | None:
        response = await space.owner.client.get(
            f"/api/spaces/{space.space_id}/activity", params={"entity_id": loan["id"], "limit": 200}
        )
        assert response.status_code == 200, response.text
        found = {item["action"] for item in response.json()["items"]}
        return found if found >= {"library.loan.created", "library.loan.returned"} else None

    assert await eventually(both, timeout=30, every=0.2)


async def test_a_loan_follows_its_copy_through_a_merge_and_its_revert_and_goes_with_a_removed_copy(space, library_db):
    survivor = await _title(space.admin, f"Alien Anthology {uuid.uuid4().hex[:6]}")
    duplicate = await _title(space.admin, f"Alien Anthology dup {uuid.uuid4().hex[:6]}")
    copy_id = duplicate["copies"][0]["id"]
    loan = (await _lend(space.member, copy_id, borrower_name="Newt")).json()

    merged = await space.admin.client.post(
        "/api/media/merge", json={"survivor_id": survivor["id"], "duplicate_ids": [duplicate["id"]]}
    )
    on_loan_after_merge = (await space.viewer.client.get("/api/media", params={"on_loan": "true"})).json()
    reverted = await space.admin.client.post(f"/api/media/merges/{merged.json()['merge_id']}/revert")
    after_revert = (await space.member.client.get("/api/loans", params={"copy_id": copy_id})).json()["items"]
    removed = await space.admin.client.delete(f"/api/media/{duplicate['id']}/copies/{copy_id}")

    assert merged.status_code == 200, merged.text
    on_loan_ids = {item["id"] for item in on_loan_after_merge["items"]}
    assert survivor["id"] in on_loan_ids
    assert duplicate["id"] not in on_loan_ids
    assert reverted.status_code == 200, reverted.text
    assert [(item["id"], item["media_id"]) for item in after_revert] == [(loan["id"], duplicate["id"])]
    assert removed.status_code == 204, removed.text
    assert await _loans_of(library_db, copy_id) == 0


async def test_a_member_who_left_the_space_can_no_longer_borrow_by_account(system, library_db):
    team = await make_space_with_roles(system)
    try:
        title = await _title(team.member, f"Nostromo log {uuid.uuid4().hex[:6]}")
        copy_id = title["copies"][0]["id"]
        first = await _member_known(team, copy_id)
        assert (await team.member.client.post(f"/api/loans/{first['id']}/return")).status_code == 200
        removed = await team.owner.client.delete(f"/api/spaces/{team.space_id}/members/{team.viewer.id}")
        assert removed.status_code == 204, removed.text

        async def refused():
            response = await _lend(team.member, copy_id, borrower_user_id=str(team.viewer.id))
            return response if response.status_code == 422 else None

        answer = await eventually(refused, timeout=30, every=0.2)
    finally:
        await team.aclose()

    assert_error_shape(answer, 422)
    assert answer.json()["error"]["details"][0]["field"] == "borrower_user_id"
    assert await _loans_of(library_db, copy_id) == 1
