"""Lookups: TMDB search and details, barcodes and cover photos, each with its TMDB match."""

import pytest

from services.integrations.tests.helpers import configure

TMDB_KEY = "0123456789abcdef0123456789abcdef"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200


@pytest.fixture
async def tmdb_space(admin, space, tmdb):
    tmdb.add_movie(
        603,
        "The Matrix",
        release_date="1999-03-30",
        directors=["Lana Wachowski", "Lilly Wachowski"],
        cast=[(f"Actor {n}", f"Role {n}" if n % 2 else "") for n in range(15)],
        genres=["Action", "Science Fiction"],
        runtime=136,
        imdb_id="tt0133093",
    )
    tmdb.add_movie(604, "The Matrix Reloaded", release_date="2003-05-15")
    tmdb.add_movie(999, "Untitled Project", release_date="", poster_path=None)
    tmdb.add_show(
        1399,
        "Game of Thrones",
        first_air_date="2011-04-17",
        created_by=["David Benioff"],
        tvdb_id=121361,
        cast=[("Emilia Clarke", "Daenerys Targaryen"), ("Kit Harington", "Jon Snow"), ("Kit Harington", "Aegon")],
    )
    await configure(admin, space, "tmdb", base_url=tmdb.base_url, token=TMDB_KEY)
    return space


@pytest.fixture
async def member(as_role):
    async with as_role("member") as client:
        yield client


async def test_a_member_searches_tmdb_movies(member, tmdb_space):
    response = await member.post("/api/media/search-tmdb", json={"query": "matrix", "media_type": "movie"})

    assert response.status_code == 200
    titles = response.json()["items"]
    assert [(t["title"], t["year"]) for t in titles] == [("The Matrix", 1999), ("The Matrix Reloaded", 2003)]
    assert titles[0]["identities"]["tmdb_id"] == 603
    assert titles[0]["poster_url"] == "https://image.tmdb.org/t/p/w500/poster.jpg"
    assert titles[0]["backdrop_url"] == "https://image.tmdb.org/t/p/w1280/backdrop.jpg"


async def test_a_title_without_a_date_has_no_year_or_poster(member, tmdb_space):
    titles = (await member.post("/api/media/search-tmdb", json={"query": "untitled"})).json()["items"]
    assert titles[0]["year"] is None
    assert titles[0]["poster_url"] is None


async def test_movie_details_have_genres_directors_top_cast_and_runtime(member, tmdb_space):
    response = await member.get("/api/media/tmdb/603", params={"media_type": "movie"})

    details = response.json()
    assert details["genres"] == ["Action", "Science Fiction"]
    assert details["directors"] == ["Lana Wachowski", "Lilly Wachowski"]
    assert details["cast"] == [f"Actor {n}" for n in range(10)]
    # Each cast member's character beside the name; none where TMDB names none.
    assert details["cast_characters"] == [f"Role {n}" if n % 2 else None for n in range(10)]
    assert details["runtime_minutes"] == 136
    assert details["identities"]["imdb_id"] == "tt0133093"


async def test_tv_details_are_series_with_creators_and_counts(member, tmdb_space):
    details = (await member.get("/api/media/tmdb/1399", params={"media_type": "tv"})).json()

    assert details["media_type"] == "tv_series"
    assert details["directors"] == ["David Benioff"]
    assert details["identities"] == {"tmdb_id": 1399, "tmdb_media_type": "tv", "imdb_id": None, "tvdb_id": 121361}
    assert details["runtime_minutes"] == 45
    assert details["cast"] == ["Emilia Clarke", "Kit Harington"]  # each name once, with its first billing
    assert details["cast_characters"] == ["Daenerys Targaryen", "Jon Snow"]


async def test_an_unknown_tmdb_id_is_not_found(member, tmdb_space):
    assert (await member.get("/api/media/tmdb/424242")).status_code == 404


async def test_a_v4_read_token_is_sent_as_bearer(admin, member, space, tmdb):
    tmdb.read_token = "eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJ0ZXN0In0.c2lnbmF0dXJl"
    tmdb.add_movie(1, "Alien", release_date="1979-05-25")
    await configure(admin, space, "tmdb", base_url=tmdb.base_url, token=tmdb.read_token)

    response = await member.post("/api/media/search-tmdb", json={"query": "alien"})

    assert response.status_code == 200
    assert "api_key" not in tmdb.requests_to("/3/search")[-1].query


async def test_tmdb_rate_limiting_is_waited_out(member, tmdb_space, tmdb):
    tmdb.fail_next(429, headers={"Retry-After": "0"}, path="/3/search")

    response = await member.post("/api/media/search-tmdb", json={"query": "matrix"})

    assert response.status_code == 200
    assert len(tmdb.requests_to("/3/search")) == 2


async def test_tmdb_that_keeps_failing_gives_up_after_bounded_retries(member, tmdb_space, tmdb):
    tmdb.fail_next(502, times=10, path="/3/search")

    response = await member.post("/api/media/search-tmdb", json={"query": "matrix"})

    assert response.status_code == 502
    assert len(tmdb.requests_to("/3/search")) == 3


async def test_a_slow_tmdb_times_out(member, tmdb_space, tmdb):
    tmdb.slow_down(2.0)

    response = await member.post("/api/media/search-tmdb", json={"query": "matrix"})

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "provider_unreachable"


async def test_the_tmdb_test_reports_a_wrong_key(admin, space, tmdb):
    await configure(admin, space, "tmdb", base_url=tmdb.base_url, token="wrong-key-0000000000")

    result = (await admin.post(f"/api/spaces/{space}/integrations/tmdb/test")).json()

    assert result["ok"] is False
    assert "TMDB rejected the key" in result["detail"]


async def test_the_tmdb_test_passes_with_a_good_key(admin, tmdb_space):
    result = (await admin.post(f"/api/spaces/{tmdb_space}/integrations/tmdb/test")).json()
    assert result == {
        "provider": "tmdb",
        "ok": True,
        "detail": "Connected to TMDB with a v3 API key.",
        "saved_settings": True,
    }


async def test_lookups_without_tmdb_settings_say_so(member):
    response = await member.post("/api/media/search-tmdb", json={"query": "x"})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "provider_not_configured"


async def test_viewers_cannot_use_lookups(as_role, tmdb_space):
    async with as_role("viewer") as viewer:
        assert (await viewer.post("/api/media/search-tmdb", json={"query": "matrix"})).status_code == 403


async def test_a_barcode_gives_the_format_a_clean_title_and_the_tmdb_match(admin, member, tmdb_space, upcitemdb):
    upcitemdb.add_product("883929638390", "The Matrix (4K Ultra HD + Blu-ray + Digital, 1999) [Steelbook]")
    await configure(admin, tmdb_space, "barcode", base_url=upcitemdb.base_url, token="upc-key-0123456789")

    response = await member.post("/api/media/lookup-upc", json={"upc": "8839-2963-8390"})

    [candidate] = response.json()["items"]
    assert candidate["format"] == "4K UHD"
    assert candidate["title"] == "The Matrix"
    assert candidate["year"] == 1999
    assert candidate["edition"] == "Steelbook"
    assert candidate["match"]["identities"]["tmdb_id"] == 603
    assert upcitemdb.requests_to("/prod/v1/lookup")[-1].headers["user_key"] == "upc-key-0123456789"


async def test_a_barcode_lookup_works_without_tmdb_and_without_a_key(admin, member, space, upcitemdb):
    upcitemdb.add_product("012569828708", "Amélie (Widescreen Edition) DVD")
    await configure(admin, space, "barcode", base_url=upcitemdb.base_url)

    [candidate] = (await member.post("/api/media/lookup-upc", json={"upc": "012569828708"})).json()["items"]

    assert (candidate["title"], candidate["format"], candidate["match"]) == ("Amélie", "DVD", None)
    assert upcitemdb.requests_to("/prod/trial/lookup")


async def test_an_unknown_barcode_has_no_candidates(admin, member, space, upcitemdb):
    await configure(admin, space, "barcode", base_url=upcitemdb.base_url)
    response = await member.post("/api/media/lookup-upc", json={"upc": "000000000000"})
    assert response.json()["items"] == []


async def test_a_malformed_barcode_is_refused(member):
    response = await member.post("/api/media/lookup-upc", json={"upc": "12ab"})
    assert response.status_code == 422


async def test_a_cover_photo_gives_titles_with_tmdb_matches(admin, member, tmdb_space, vision):
    await configure(admin, tmdb_space, "vision", base_url=vision.base_url, token="sk-vision-0123456789")
    vision.answer('```json\n{"titles": [{"title": "The Matrix", "year": 1999, "media_type": "movie"}]}\n```')

    response = await member.post("/api/media/recognize-cover", files={"image": ("cover.jpg", JPEG, "image/jpeg")})

    [candidate] = response.json()["items"]
    assert (candidate["title"], candidate["year"]) == ("The Matrix", 1999)
    assert candidate["match"]["identities"]["tmdb_id"] == 603
    assert vision.images_received()[-1].startswith("data:image/jpeg;base64,")


async def test_a_local_vision_model_needs_no_key(admin, member, space):
    from tests.fakes.vision import FakeVision

    async with FakeVision(api_key=None) as local:
        await configure(admin, space, "vision", base_url=local.base_url, model="llava")
        local.answer('{"titles": [{"title": "Alien", "year": null}]}')
        response = await member.post("/api/media/recognize-cover", files={"image": ("c.jpg", JPEG, "image/jpeg")})
    assert response.json()["items"] == [{"title": "Alien", "year": None, "media_type": "movie", "match": None}]


async def test_a_file_that_is_not_an_image_is_refused_before_sending(admin, member, space, vision):
    await configure(admin, space, "vision", base_url=vision.base_url, token="sk-vision-0123456789")

    response = await member.post(
        "/api/media/recognize-cover", files={"image": ("cover.jpg", b"%PDF-1.7 not an image", "image/jpeg")}
    )

    assert response.status_code == 415
    assert vision.requests_to("/v1/chat/completions") == []


async def test_an_oversized_image_is_refused(admin, member, space, vision, start_integrations, as_role):
    small = await start_integrations(vision_max_image_bytes=100)
    async with as_role("admin", app=small) as client:
        await configure(client, space, "vision", base_url=vision.base_url, token="sk-vision-0123456789")
    async with as_role("member", app=small) as client:
        response = await client.post("/api/media/recognize-cover", files={"image": ("c.jpg", JPEG, "image/jpeg")})
    assert response.status_code == 413
    assert vision.requests_to("/v1/chat/completions") == []


async def test_the_vision_test_names_the_model(admin, space, vision):
    await configure(admin, space, "vision", base_url=vision.base_url, token="sk-vision-0123456789")
    result = (await admin.post(f"/api/spaces/{space}/integrations/vision/test")).json()
    assert result["ok"] is True
    assert "gpt-4o-mini" in result["detail"]


async def test_the_trakt_test_checks_the_client_id(admin, space, trakt):
    await configure(admin, space, "trakt", base_url=trakt.url, client_id="wrong-id")
    assert (await admin.post(f"/api/spaces/{space}/integrations/trakt/test")).json()["ok"] is False

    await configure(admin, space, "trakt", client_id="trakt-client-id", token="trakt-client-secret-0123")
    result = (await admin.post(f"/api/spaces/{space}/integrations/trakt/test")).json()
    assert result["ok"] is True
