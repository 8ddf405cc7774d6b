"""Own covers through the gateway: a member uploads a cover, titles show it (in three widths) before
their TMDB or Plex poster, anyone holding its URL may fetch it (cached for good), replacing or removing
it deletes the old images; hostile uploads (bombs, SVG, polyglots, truncated or huge images, other
formats, too many bytes) are refused with nothing written; roles and other spaces; events."""

import io
import uuid
from pathlib import Path

import httpx
import pytest
from PIL import Image
from sqlalchemy import text

from tests.support import images
from tests.support.audit import eventually
from tests.support.identity import make_space_with_roles
from tests.system.checks import assert_error_shape

TMDB_POSTER = "https://image.tmdb.org/t/p/w500/poster.jpg"


def _name(base: str) -> str:
    return f"{base} {uuid.uuid4().hex[:6]}"


async def _title(account, **fields) -> dict:
    response = await account.client.post(
        "/api/media", json={"title": _name("Alien"), "media_type": "movie", "year": 1979, **fields}
    )
    assert response.status_code == 201, response.text
    return response.json()


async def _upload(account, media_id: str, data: bytes, filename: str = "cover.jpg", content_type: str = "image/jpeg"):
    return await account.client.put(f"/api/media/{media_id}/cover", files={"image": (filename, data, content_type)})


async def _stored(library_db, media_id: str) -> tuple[str | None, int]:
    async with library_db.connect() as conn:
        row = (
            await conn.execute(text("SELECT cover_key, cover_version FROM media WHERE id = :id"), {"id": media_id})
        ).one()
    return row.cover_key, row.cover_version


def _files(system) -> set[Path]:
    root = Path(system.services["library"].app.state.covers.storage.root)
    return {path for path in root.rglob("*") if path.is_file()}


@pytest.fixture
async def anonymous(system):
    async with httpx.AsyncClient(base_url=system.url, timeout=30) as client:
        yield client


async def test_a_member_sets_a_cover_and_every_title_view_shows_it_in_three_widths(space, anonymous):
    title = await _title(space.member, poster_url=TMDB_POSTER)

    answer = await _upload(space.member, title["id"], images.picture((1600, 2400), exif_gps=True))
    detail = (await space.viewer.client.get(f"/api/media/{title['id']}")).json()
    listed = (await space.viewer.client.get("/api/media", params={"q": title["title"]})).json()["items"]
    fetched = {width: await anonymous.get(url) for width, url in answer.json()["cover_urls"].items()}

    assert answer.status_code == 200, answer.text
    urls = answer.json()["cover_urls"]
    assert set(urls) == {"200", "500", "1000"}
    assert answer.json()["poster_url"] == urls["500"] == detail["poster_url"] == listed[0]["poster_url"]
    assert detail["cover_urls"] == listed[0]["cover_urls"] == urls
    for width, response in fetched.items():
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "image/webp"
        assert "immutable" in response.headers["cache-control"]
        assert response.headers["etag"]
        image = Image.open(io.BytesIO(response.content))
        assert image.format == "WEBP"
        assert image.size == (int(width), int(width) * 3 // 2)
        assert not image.getexif(), "EXIF (camera, GPS) is not carried over"
        assert b"SecretCam" not in response.content


async def test_a_cached_cover_is_not_sent_again(space, anonymous):
    title = await _title(space.member)
    url = (await _upload(space.member, title["id"], images.picture(kind="PNG"))).json()["cover_urls"]["200"]

    first = await anonymous.get(url)
    again = await anonymous.get(url, headers={"If-None-Match": first.headers["etag"]})

    assert first.status_code == 200
    assert again.status_code == 304
    assert again.content == b""


async def test_a_small_image_is_never_enlarged(space, anonymous):
    title = await _title(space.member)

    urls = (await _upload(space.member, title["id"], images.picture((300, 450), kind="WEBP"))).json()["cover_urls"]
    sizes = {width: Image.open(io.BytesIO((await anonymous.get(url)).content)).size for width, url in urls.items()}

    assert sizes == {"200": (200, 300), "500": (300, 450), "1000": (300, 450)}


async def test_replacing_a_cover_gives_new_urls_and_the_old_images_go(space, anonymous, library_db):
    title = await _title(space.member)
    old = (await _upload(space.member, title["id"], images.picture())).json()["cover_urls"]

    new = (await _upload(space.member, title["id"], images.picture((800, 1200)))).json()["cover_urls"]
    old_fetched = [await anonymous.get(url) for url in old.values()]
    new_fetched = [await anonymous.get(url) for url in new.values()]

    assert set(old.values()).isdisjoint(new.values())
    assert [response.status_code for response in old_fetched] == [404, 404, 404]
    assert [response.status_code for response in new_fetched] == [200, 200, 200]
    assert (await _stored(library_db, title["id"]))[1] == 2


async def test_removing_the_cover_falls_back_to_the_tmdb_poster(system, space, anonymous, library_db):
    title = await _title(space.member, poster_url=TMDB_POSTER)
    urls = (await _upload(space.member, title["id"], images.picture())).json()["cover_urls"]
    before = _files(system)

    removed = await space.member.client.delete(f"/api/media/{title['id']}/cover")
    again = await space.member.client.delete(f"/api/media/{title['id']}/cover")
    detail = (await space.viewer.client.get(f"/api/media/{title['id']}")).json()
    fetched = [await anonymous.get(url) for url in urls.values()]

    assert removed.status_code == 204, removed.text
    assert again.status_code == 204
    assert detail["poster_url"] == TMDB_POSTER
    assert detail["cover_urls"] is None
    assert [response.status_code for response in fetched] == [404, 404, 404]
    assert len(before - _files(system)) == 3
    assert (await _stored(library_db, title["id"]))[0] is None


async def test_saving_the_form_with_the_cover_shown_keeps_the_tmdb_poster(space, library_db):
    title = await _title(space.member, poster_url=TMDB_POSTER)
    shown = (await _upload(space.member, title["id"], images.picture())).json()["poster_url"]

    saved = await space.member.client.patch(f"/api/media/{title['id']}", json={"poster_url": shown, "year": 1980})
    await space.member.client.delete(f"/api/media/{title['id']}/cover")
    detail = (await space.viewer.client.get(f"/api/media/{title['id']}")).json()

    assert saved.status_code == 200, saved.text
    assert detail["poster_url"] == TMDB_POSTER


HOSTILE = {
    "decompression bomb": images.png_bomb(),
    "bomb header": images.png_declaring(30_000, 30_000),
    "huge dimensions": images.png_declaring(20_000, 8),
    "50 megapixels": images.png_declaring(10_000, 5_000),
    "svg": images.SVG,
    "html behind png magic": images.HTML_BEHIND_PNG_MAGIC,
    "truncated jpeg": images.picture((800, 1200))[:3000],
    "gif": images.gif(),
    "text": b"just some text, not a picture at all",
    "empty": b"",
}


TOO_LARGE = {"decompression bomb", "bomb header", "huge dimensions", "50 megapixels"}


@pytest.mark.parametrize("kind", list(HOSTILE))
async def test_a_hostile_upload_is_refused_and_nothing_is_written(system, space, library_db, kind):
    title = await _title(space.member)
    before = _files(system)

    response = await _upload(space.member, title["id"], HOSTILE[kind], filename="cover.jpg", content_type="image/jpeg")
    detail = (await space.viewer.client.get(f"/api/media/{title['id']}")).json()

    assert_error_shape(response, 422)
    assert response.json()["error"]["details"][0]["field"] == "image"
    if kind in TOO_LARGE:
        assert "too large" in response.json()["error"]["message"]
    assert detail["cover_urls"] is None
    assert await _stored(library_db, title["id"]) == (None, 0)
    assert _files(system) == before


async def test_a_polyglot_that_decodes_is_served_without_its_payload(space, anonymous):
    title = await _title(space.member)
    polyglot = images.picture() + images.PAYLOAD

    answer = await _upload(space.member, title["id"], polyglot)
    served = [await anonymous.get(url) for url in answer.json()["cover_urls"].values()]

    assert answer.status_code == 200, answer.text
    for response in served:
        assert images.PAYLOAD not in response.content
        assert response.headers["content-type"] == "image/webp"
        assert response.headers["x-content-type-options"] == "nosniff"


async def test_too_many_bytes_is_413_and_nothing_is_written(system, space, library_db):
    title = await _title(space.member)
    limit = system.services["library"].app.state.covers.max_bytes
    before = _files(system)

    over_library = await _upload(space.member, title["id"], images.picture() + b"\0" * limit)
    over_gateway = await _upload(space.member, title["id"], b"\0" * (11 * 1024 * 1024))

    assert_error_shape(over_library, 413)
    assert_error_shape(over_gateway, 413)
    assert await _stored(library_db, title["id"]) == (None, 0)
    assert _files(system) == before


async def test_an_upload_without_an_image_field_is_422(space):
    title = await _title(space.member)

    response = await space.member.client.put(f"/api/media/{title['id']}/cover", files={"file": ("a.jpg", b"x")})

    assert_error_shape(response, 422)


async def test_roles_and_other_spaces(system, space, anonymous, library_db):
    mine = await _title(space.member)
    admins = await _title(space.admin)
    other = await make_space_with_roles(system)
    picture = images.picture()
    try:
        by_viewer = await _upload(space.viewer, mine["id"], picture)
        removed_by_viewer = await space.viewer.client.delete(f"/api/media/{mine['id']}/cover")
        on_admins_title = await _upload(space.member, admins["id"], picture)
        elsewhere = await _upload(other.owner, mine["id"], picture)
        removed_elsewhere = await other.owner.client.delete(f"/api/media/{mine['id']}/cover")
        unknown = await _upload(space.member, str(uuid.uuid4()), picture)
        by_admin = await _upload(space.admin, mine["id"], picture)
        by_anonymous = await anonymous.put(f"/api/media/{mine['id']}/cover", files={"image": ("a.jpg", picture)})
    finally:
        await other.aclose()

    for response in (by_viewer, removed_by_viewer, on_admins_title):
        assert_error_shape(response, 403)
    for response in (elsewhere, removed_elsewhere, unknown):
        assert_error_shape(response, 404)
    assert_error_shape(by_anonymous, 401)
    assert by_admin.status_code == 200, by_admin.text
    assert (await _stored(library_db, admins["id"])) == (None, 0)


@pytest.mark.parametrize(
    "path",
    [
        "/api/covers/nope/500.webp",
        f"/api/covers/{'A' * 43}/500.webp",
        f"/api/covers/{'A' * 43}/333.webp",
        "/api/covers/../x/500.webp",
    ],
)
async def test_a_cover_url_nobody_was_given_is_404(anonymous, path):
    response = await anonymous.get(path)

    assert response.status_code == 404


async def test_cover_events_reach_the_audit_log(space):
    title = await _title(space.member)
    await _upload(space.member, title["id"], images.picture())
    await space.member.client.delete(f"/api/media/{title['id']}/cover")

    async def actions():
        response = await space.owner.client.get(
            f"/api/spaces/{space.space_id}/activity", params={"entity_id": title["id"], "limit": 200}
        )
        assert response.status_code == 200, response.text
        found = {item["action"] for item in response.json()["items"]}
        return found if found >= {"library.media.cover_set", "library.media.cover_removed"} else None

    assert await eventually(actions, timeout=30, every=0.2)
