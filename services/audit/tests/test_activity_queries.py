"""Reading the log: filters, newest-first pages, the capped total, space scoping and the CSV export."""

import csv
import io
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from tests.support.audit import activity, an_event, landed, publish
from tests.support.clients import signed_client

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


async def seed(event_broker, admin_client, space_id, user_id, other_user):
    """Five events in one space at T0, T0+1h, ... T0+4h."""
    events = [
        an_event("identity.invite.created", space_id=space_id, actor_user_id=user_id, occurred_at=T0),
        an_event(
            "identity.invite.claimed",
            space_id=space_id,
            actor_user_id=other_user,
            occurred_at=T0 + timedelta(hours=1),
            entity_type="invite",
            entity_id="inv-7",
        ),
        an_event(
            "identity.invite_policy.changed",
            space_id=space_id,
            actor_user_id=user_id,
            occurred_at=T0 + timedelta(hours=2),
        ),
        an_event(
            "library.media.created",
            space_id=space_id,
            actor_user_id=user_id,
            occurred_at=T0 + timedelta(hours=3),
            data={"title": "Stalker", "year": 1979},
        ),
        an_event(
            "library.media.deleted", space_id=space_id, actor_user_id=other_user, occurred_at=T0 + timedelta(hours=4)
        ),
    ]
    await publish(event_broker, *events)
    await landed(admin_client, len(events), space_id=space_id)
    return events


async def test_filters_narrow_the_log_by_action_user_entity_time_and_text(event_broker, admin_client):
    space_id, user_id, other_user = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await seed(event_broker, admin_client, space_id, user_id, other_user)

    async def actions(**filters) -> list[str]:
        async with admin_client() as client:
            return [row["action"] for row in (await activity(client, space_id=space_id, **filters))["items"]]

    assert await actions(action="identity.invite.created") == ["identity.invite.created"]
    assert await actions(action="identity.invite.*") == ["identity.invite.claimed", "identity.invite.created"]
    assert await actions(action="library.*", user_id=other_user) == ["library.media.deleted"]
    assert await actions(entity_type="invite", entity_id="inv-7") == ["identity.invite.claimed"]
    assert await actions(**{"from": T0 + timedelta(hours=1), "to": T0 + timedelta(hours=2)}) == [
        "identity.invite_policy.changed",
        "identity.invite.claimed",
    ]
    assert await actions(q="stalker") == ["library.media.created"]


async def test_pages_run_newest_first_without_gaps_or_repeats(event_broker, admin_client):
    space_id = uuid.uuid4()
    events = await seed(event_broker, admin_client, space_id, uuid.uuid4(), uuid.uuid4())

    seen, cursor, pages = [], None, []
    async with admin_client() as client:
        while True:
            page = await activity(client, space_id=space_id, limit=2, cursor=cursor)
            pages.append(page)
            seen += [row["action"] for row in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break

    assert seen == [event.type for event in reversed(events)]
    assert [len(page["items"]) for page in pages] == [2, 2, 1]
    assert all(page["total"] == 5 and page["total_is_lower_bound"] is False for page in pages)


async def test_a_cursor_that_was_not_issued_is_refused_with_422(admin_client):
    async with admin_client() as client:
        response = await client.get("/api/admin/activity", params={"cursor": "not-a-cursor"})

    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "cursor"


async def test_the_total_stops_counting_at_ten_thousand_and_says_so(audit_db, admin_client):
    space_id = uuid.uuid4()
    async with audit_db.begin() as session:
        await session.execute(
            text(
                "INSERT INTO activity_log (id, event_id, action, space_id, details, created_at) "
                "SELECT gen_random_uuid(), gen_random_uuid(), 'bulk.row.added', :space, '{}', now() "
                "FROM generate_series(1, 10001)"
            ),
            {"space": space_id},
        )

    async with admin_client() as client:
        page = await activity(client, space_id=space_id, limit=1)

    assert (page["total"], page["total_is_lower_bound"]) == (10_000, True)
    assert page["next_cursor"]


async def test_a_space_admin_sees_their_space_only(event_broker, admin_client, audit_service, keys):
    space_a, space_b = uuid.uuid4(), uuid.uuid4()
    await publish(event_broker, an_event(space_id=space_a), an_event(space_id=space_b))
    await landed(admin_client, 1, space_id=space_a)
    await landed(admin_client, 1, space_id=space_b)
    admin_of_a = signed_client(
        audit_service.url, keys, "audit", user_id=uuid.uuid4(), space_id=space_a, space_role="admin"
    )

    async with admin_of_a as client:
        own = await client.get(f"/api/spaces/{space_a}/activity", params={"space_id": str(space_b)})
        other = await client.get(f"/api/spaces/{space_b}/activity")
        everything = await client.get("/api/admin/activity")

    assert own.status_code == 200
    assert {row["space_id"] for row in own.json()["items"]} == {str(space_a)}
    assert other.status_code == 404
    assert everything.status_code == 403


async def test_a_member_who_is_not_an_admin_cannot_read_the_spaces_log(audit_service, keys):
    space_id = uuid.uuid4()
    member = signed_client(
        audit_service.url, keys, "audit", user_id=uuid.uuid4(), space_id=space_id, space_role="member"
    )

    async with member as client:
        response = await client.get(f"/api/spaces/{space_id}/activity")

    assert response.status_code == 403


async def test_the_export_streams_the_filtered_rows_as_csv(event_broker, admin_client):
    space_id = uuid.uuid4()
    events = await seed(event_broker, admin_client, space_id, uuid.uuid4(), uuid.uuid4())
    formula = an_event(space_id=space_id, occurred_at=T0 - timedelta(days=1), entity_id="=HYPERLINK(1)")
    await publish(event_broker, formula)
    await landed(admin_client, 6, space_id=space_id)

    async with admin_client() as client:
        response = await client.get(
            "/api/admin/activity/export", params={"space_id": str(space_id), "action": "library.*"}
        )
        everything = await client.get("/api/admin/activity/export", params={"space_id": str(space_id)})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [row["action"] for row in rows] == [
        "library.media.deleted",
        "library.media.created",
        "library.media.created",
    ]
    assert rows[0]["space_id"] == str(space_id)
    assert rows[0]["created_at"].startswith(events[4].occurred_at.isoformat()[:19])
    last = list(csv.DictReader(io.StringIO(everything.text)))[-1]
    assert last["entity_id"] == "'=HYPERLINK(1)"
