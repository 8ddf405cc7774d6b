"""The export's stream in the service: a download stopped early is still recorded, as incomplete."""

import uuid

from sqlalchemy import text

from library.handlers.exports import export_space
from services.library.tests.conftest import create_title
from shelfspace_kernel.internal_auth import CallerContext


async def exported_events(library_db, space_id: uuid.UUID) -> list[dict]:
    async with library_db.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT payload FROM outbox WHERE payload->>'space_id' = :s"
                " AND payload->>'type' = 'library.space.exported' ORDER BY created_at, id"
            ),
            {"s": str(space_id)},
        )
        return [row.payload for row in rows]


async def test_an_export_stopped_early_is_recorded_with_what_was_sent(library, new_space, library_db):
    space = new_space()
    for number in range(5):
        await create_title(space.member, f"Title {number}", copies=[{"format": "DVD"}])
    owner = CallerContext(
        request_id=uuid.uuid4().hex, caller="gateway", user_id=space.users["owner"], space_id=space.id,
        space_role="owner",
    )  # fmt: skip
    stream = export_space(library.app.state.sessionmaker, owner, "csv", batch_size=2)

    header = await anext(stream)
    first_titles = await anext(stream)
    await stream.aclose()

    assert header.startswith(b"title_id,title,")
    assert first_titles.count(b"Title ") == 2
    [event] = await exported_events(library_db, space.id)
    assert event["actor_user_id"] == str(space.users["owner"])
    assert event["entity_id"] == str(space.id)
    assert event["data"] == {"format": "csv", "titles": 2, "copies": 2, "annotations": 0, "complete": False}


async def test_a_whole_export_is_recorded_as_complete(library, new_space, library_db):
    space = new_space()
    for number in range(3):
        await create_title(space.member, f"Title {number}")
    member = CallerContext(
        request_id=uuid.uuid4().hex, caller="gateway", user_id=space.users["member"], space_id=space.id,
        space_role="member",
    )  # fmt: skip

    pieces = [piece async for piece in export_space(library.app.state.sessionmaker, member, "json", batch_size=2)]

    assert len(pieces) == 4  # the header, two batches, the closing brackets
    [event] = await exported_events(library_db, space.id)
    assert event["data"] == {"format": "json", "titles": 3, "copies": 0, "annotations": 0, "complete": True}
