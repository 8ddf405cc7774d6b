"""Duplicates, merging them into a survivor, and reverting a merge exactly."""

from sqlalchemy import text

from services.library.tests.conftest import create_title

_ROWS = text(
    """
    SELECT jsonb_build_object(
      'media', (SELECT jsonb_agg(to_jsonb(m) ORDER BY m.id) FROM media m WHERE m.id = ANY(:ids)),
      'copies', (SELECT jsonb_agg(to_jsonb(c) ORDER BY c.id) FROM copies c WHERE c.media_id = ANY(:ids)),
      'annotations', (SELECT jsonb_agg(to_jsonb(a) ORDER BY a.id) FROM annotations a WHERE a.media_id = ANY(:ids)),
      'identities', (SELECT jsonb_agg(to_jsonb(i) ORDER BY i.kind, i.value) FROM media_identities i
                     WHERE i.media_id = ANY(:ids))
    )::text
    """
)


async def rows_of(library_db, ids: list[str]) -> str:
    async with library_db.connect() as conn:
        return await conn.scalar(_ROWS, {"ids": ids})


async def duplicate_pair(space):
    survivor = await create_title(
        space.member, "Seven Samurai", year=1954, tmdb_id=346, copies=[{"format": "Blu-ray", "region": "B"}]
    )
    duplicate = await create_title(
        space.member2,
        "Seven Samurai",
        year=1954,
        tmdb_id=346,
        overview="Criterion",
        copies=[{"format": "DVD"}, {"format": "Digital", "source_provider": "plex", "source_external_id": "ss"}],
    )
    await space.viewer.put(f"/api/media/{survivor['id']}/annotation", json={"rating": 9, "visibility": "shared"})
    await space.viewer.put(f"/api/media/{duplicate['id']}/annotation", json={"rating": 4})
    await space.member.put(f"/api/media/{duplicate['id']}/annotation", json={"rating": 10, "notes": "best"})
    return survivor, duplicate


async def test_duplicates_are_grouped_with_their_reason(new_space):
    space = new_space()
    same_tmdb = [
        await create_title(space.member, name, year=1968, tmdb_id=62) for name in ("2001", "2001: A Space Odyssey")
    ]
    same_title = [await create_title(space.member, name, year=1974) for name in ("The Conversation", "Conversation")]
    similar = [
        await create_title(space.member, name, year=2001)
        for name in (
            "The Lord of the Rings: The Fellowship of the Ring",
            "Lord of the Rings The Fellowship of the Rings",
        )
    ]
    await create_title(space.member, "Hamlet", year=1948)
    await create_title(space.member, "Hamlet", year=1996)

    groups = (await space.member.get("/api/media/duplicates")).json()["groups"]

    found = {(group["reason"], frozenset(item["id"] for item in group["items"])) for group in groups}
    assert found == {
        ("same_tmdb_id", frozenset(t["id"] for t in same_tmdb)),
        ("same_title_year", frozenset(t["id"] for t in same_title)),
        ("similar_title", frozenset(t["id"] for t in similar)),
    }
    assert (await space.viewer.get("/api/media/duplicates")).status_code == 403
    assert (await space.viewer.get("/api/media/stats")).json()["attention"]["duplicate_groups"] == 2


async def test_a_merge_moves_copies_annotations_and_identities_to_the_survivor(new_space):
    space = new_space()
    survivor, duplicate = await duplicate_pair(space)

    response = await space.admin.post(
        "/api/media/merge", json={"survivor_id": survivor["id"], "duplicate_ids": [duplicate["id"]]}
    )

    assert response.status_code == 200
    merged = response.json()["media"]
    assert sorted(copy["format"] for copy in merged["copies"]) == ["Blu-ray", "DVD", "Digital"]
    assert (await space.viewer.get(f"/api/media/{duplicate['id']}")).status_code == 404
    viewer_view = (await space.viewer.get(f"/api/media/{survivor['id']}")).json()
    member_view = (await space.member.get(f"/api/media/{survivor['id']}")).json()
    assert viewer_view["annotation"]["rating"] == 9  # the survivor's own annotation wins
    assert member_view["annotation"]["notes"] == "best"  # moved from the duplicate
    assert (await space.viewer.get("/api/media")).json()["total"] == 1
    [reimport] = (
        await space.service.post(
            "/internal/media/import",
            json={"items": [{"provider": "plex", "external_id": "ss", "title": "Shichinin", "media_type": "movie"}]},
        )
    ).json()["results"]
    assert reimport["media_id"] == survivor["id"]


async def test_reverting_a_merge_restores_every_row_byte_for_byte(new_space, library_db):
    space = new_space()
    survivor, duplicate = await duplicate_pair(space)
    ids = [survivor["id"], duplicate["id"]]
    before = await rows_of(library_db, ids)
    merge = (
        await space.admin.post(
            "/api/media/merge", json={"survivor_id": survivor["id"], "duplicate_ids": [duplicate["id"]]}
        )
    ).json()

    reverted = await space.owner.post(f"/api/media/merges/{merge['merge_id']}/revert")
    again = await space.owner.post(f"/api/media/merges/{merge['merge_id']}/revert")

    assert reverted.status_code == 200
    assert {item["id"] for item in reverted.json()["media"]} == set(ids)
    assert await rows_of(library_db, ids) == before
    assert again.status_code == 409
    assert (await space.viewer.get("/api/media")).json()["total"] == 2


async def test_only_admins_merge_and_only_within_their_space(new_space):
    space, other = new_space(), new_space()
    survivor, duplicate = await duplicate_pair(space)
    foreign = await create_title(other.owner, "Seven Samurai", year=1954)
    body = {"survivor_id": survivor["id"], "duplicate_ids": [duplicate["id"]]}

    by_member = await space.member.post("/api/media/merge", json=body)
    across = await space.admin.post(
        "/api/media/merge", json={"survivor_id": survivor["id"], "duplicate_ids": [foreign["id"]]}
    )
    onto_itself = await space.admin.post(
        "/api/media/merge", json={"survivor_id": survivor["id"], "duplicate_ids": [survivor["id"]]}
    )
    merge = (await space.admin.post("/api/media/merge", json=body)).json()
    revert_elsewhere = await other.owner.post(f"/api/media/merges/{merge['merge_id']}/revert")

    assert by_member.status_code == 403
    assert across.status_code == 404
    assert onto_itself.status_code == 422
    assert revert_elsewhere.status_code == 404
