"""Names resolved when a row is written: learnt from identity events, whatever order events arrive in,
kept after the user or space is deleted; and the facets that list a log's people and kinds."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from shelfspace_contracts.events import EventEnvelope
from tests.support.audit import an_event, eventually, landed, publish


def _user_event(verb: str, who: uuid.UUID, **data) -> EventEnvelope:
    return an_event(
        f"identity.user.{verb}", producer="identity", entity_type="user", entity_id=str(who),
        actor_user_id=who, space_id=None, data=data,
    )  # fmt: skip


def _space_event(verb: str, space_id: uuid.UUID, actor: uuid.UUID, name: str) -> EventEnvelope:
    return an_event(
        f"identity.space.{verb}", producer="identity", entity_type="space", entity_id=str(space_id),
        space_id=space_id, actor_user_id=actor, data={"name": name},
    )  # fmt: skip


async def test_rows_name_their_actor_space_and_subject_and_keep_the_names_after_deletions(event_broker, admin_client):
    alice, bob, space_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await publish(
        event_broker,
        _user_event("registered", alice, email="alice@example.com", name="Alice", role="user", via="open"),
        _user_event("registered", bob, email="bob@example.com", name="", role="user", via="open"),
        _space_event("created", space_id, alice, "Den"),
    )
    await landed(admin_client, 1, space_id=space_id)
    await landed(admin_client, 1, entity_id=bob)

    added = an_event("library.media.created", space_id=space_id, actor_user_id=alice, data={"title": "Alien"})
    member = an_event(
        "identity.membership.added", space_id=space_id, actor_user_id=alice,
        data={"space_id": str(space_id), "user_id": str(bob), "role": "member"},
    )  # fmt: skip
    await publish(
        event_broker, added, member, _user_event("deleted", alice, user_id=str(alice), email="alice@example.com")
    )
    await landed(admin_client, 1, entity_id=alice, action="identity.user.deleted")
    await publish(event_broker, _space_event("deleted", space_id, alice, "Den"))
    after = an_event("library.media.purged", space_id=space_id, actor_user_id=alice, data={"title": "Alien"})
    await publish(event_broker, after)

    rows = {row["action"]: row for row in await landed(admin_client, 5, space_id=space_id)}
    assert (rows["library.media.created"]["actor_name"], rows["library.media.created"]["space_name"]) == (
        "Alice",
        "Den",
    )
    assert rows["identity.membership.added"]["subject_name"] == "bob@example.com"  # no name: the email
    assert (rows["library.media.purged"]["actor_name"], rows["library.media.purged"]["space_name"]) == ("Alice", "Den")
    assert rows["identity.space.deleted"]["space_name"] == "Den"


async def test_rows_written_before_their_user_and_space_were_introduced_are_named_once_they_are(
    event_broker, admin_client
):
    carol, space_id = uuid.uuid4(), uuid.uuid4()
    claimed = an_event(
        "identity.invite.claimed",
        space_id=space_id,
        actor_user_id=carol,
        data={"user_id": str(carol), "role": "member"},
    )
    await publish(event_broker, claimed)
    [early] = await landed(admin_client, 1, space_id=space_id)
    assert (early["actor_name"], early["space_name"], early["subject_name"]) == (None, None, None)

    await publish(
        event_broker,
        _user_event("registered", carol, email="carol@example.com", name="Carol", role="user", via="invite"),
        _space_event("created", space_id, carol, "Attic"),
    )

    async def named() -> dict | None:
        [row] = [
            r for r in await landed(admin_client, 2, space_id=space_id) if r["action"] == "identity.invite.claimed"
        ]
        return row if row["space_name"] and row["actor_name"] else None

    row = await eventually(named)
    assert (row["actor_name"], row["space_name"], row["subject_name"]) == ("Carol", "Attic", "Carol")


async def test_a_user_introduced_while_their_actions_race_in_is_named_on_every_row(event_broker, admin_client):
    dave, space_id = uuid.uuid4(), uuid.uuid4()
    actions = [
        an_event("library.media.updated", space_id=space_id, actor_user_id=dave, data={"title": f"T{n}"})
        for n in range(40)
    ]
    registered = _user_event("registered", dave, email="dave@example.com", name="Dave", role="user", via="open")

    await asyncio.gather(publish(event_broker, *actions[:20]), publish(event_broker, registered, *actions[20:]))

    async def all_named() -> list[dict] | None:
        rows = await landed(admin_client, 40, space_id=space_id)
        return rows if all(row["actor_name"] == "Dave" for row in rows) else None

    assert len(await eventually(all_named, timeout=15)) == 40


async def test_a_rename_arriving_late_does_not_undo_a_newer_name(event_broker, admin_client):
    erin, space_id = uuid.uuid4(), uuid.uuid4()
    now = datetime.now(UTC)
    newer = _user_event("updated", erin, fields=["name"], name="Erin Newname")
    older = _user_event("updated", erin, fields=["name"], name="Erin Oldname").model_copy(
        update={"occurred_at": now - timedelta(hours=1)}
    )
    await publish(event_broker, newer)
    await landed(admin_client, 1, entity_id=erin)
    await publish(event_broker, older)
    await landed(admin_client, 2, entity_id=erin)

    action = an_event("library.media.created", space_id=space_id, actor_user_id=erin)
    await publish(event_broker, action)

    [row] = await landed(admin_client, 1, space_id=space_id)
    assert row["actor_name"] == "Erin Newname"


async def test_an_event_whose_data_names_nobody_properly_still_lands_without_names(event_broker, admin_client):
    event = an_event("identity.membership.added", data={"user_id": "not-a-uuid", "name": ["odd"]})

    await publish(event_broker, event)

    [row] = await landed(admin_client, 1, space_id=event.space_id)
    assert (row["actor_name"], row["subject_name"], row["details"]["user_id"]) == (None, None, "not-a-uuid")


async def test_facets_list_the_people_and_kinds_of_one_space_or_of_the_whole_log(event_broker, admin_client):
    frank, grace, stranger, space_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await publish(
        event_broker, _user_event("registered", frank, email="frank@example.com", name="Frank", role="user", via="open")
    )
    await landed(admin_client, 1, entity_id=frank)
    await publish(
        event_broker,
        an_event("library.media.created", space_id=space_id, actor_user_id=frank),
        an_event("library.media.created", space_id=space_id, actor_user_id=grace),
        an_event("integrations.settings.tested", space_id=space_id, actor_user_id=frank),
        an_event("library.media.deleted", actor_user_id=stranger),  # another space
    )
    await landed(admin_client, 3, space_id=space_id)
    await landed(admin_client, 1, user_id=stranger)

    async with admin_client() as client:
        # The global admin's facets; the space's own are checked through the gateway (RBAC).
        everything = (await client.get("/api/admin/activity/facets")).json()

    people = {person["id"]: person["name"] for person in everything["people"]}
    assert (people[str(frank)], people[str(grace)], people[str(stranger)]) == ("Frank", None, None)
    assert {"library.media.created", "library.media.deleted", "integrations.settings.tested"} <= set(
        everything["actions"]
    )
    assert everything["actions"] == sorted(everything["actions"])
    assert {"id": str(space_id), "name": None} in everything["spaces"]  # never introduced: no name
