"""Copies given together in one request keep the order they were given in, in every answer.

They are stored in one transaction; the title page, the list and the export must still list them as
the request did, however the ids fall.
"""

import random

import pytest

FORMATS = ["4K UHD", "Blu-ray", "DVD", "VHS", "LaserDisc", "Digital", "Other"]


def _copies(rng: random.Random) -> list[dict]:
    return [{"format": fmt, "edition": f"edition {i}"} for i, fmt in enumerate(rng.sample(FORMATS, 5))]


def _order(copies: list[dict]) -> list[str]:
    return [copy["edition"] for copy in copies]


@pytest.mark.parametrize("attempt", range(5))
async def test_five_copies_added_together_keep_their_order_everywhere(space, attempt):
    rng = random.Random(attempt)
    given = _copies(rng)
    expected = _order(given)
    client = space.member.client
    title = f"Ordered copies {attempt} {rng.randrange(10**9)}"

    created = await client.post("/api/media", json={"title": title, "media_type": "movie", "copies": given})

    assert created.status_code == 201, created.text
    body = created.json()
    assert _order(body["copies"]) == expected
    assert [copy["format"] for copy in body["copies"]] == [copy["format"] for copy in given]
    detail = await client.get(f"/api/media/{body['id']}")
    assert _order(detail.json()["copies"]) == expected
    listed = await client.get("/api/media", params={"q": title})
    (item,) = [item for item in listed.json()["items"] if item["id"] == body["id"]]
    assert _order(item["copies"]) == expected


async def test_a_copy_added_later_comes_after_the_ones_given_together(space):
    given = _copies(random.Random(99))
    client = space.member.client
    created = await client.post(
        "/api/media", json={"title": "Ordered and one more", "media_type": "movie", "copies": given}
    )
    media_id = created.json()["id"]

    added = await client.post(f"/api/media/{media_id}/copies", json={"format": "DVD", "edition": "later"})

    assert added.status_code == 201, added.text
    detail = await client.get(f"/api/media/{media_id}")
    assert _order(detail.json()["copies"]) == [*_order(given), "later"]
