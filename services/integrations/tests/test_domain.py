"""Pure rules: retail product names, Plex guids, resolutions and seasons, TMDB seasons, provider settings, origins and artwork types."""

from types import SimpleNamespace

import pytest

from integrations.domain.artwork import image_type
from integrations.domain.barcode import normalize_upc, read_product
from integrations.domain.plex_items import identities, parse_guid, resolution, seasons_present
from integrations.domain.providers import PlexConfig, apply_update, origin_of, secret_hint, secret_origin
from integrations.domain.tmdb import seasons as tmdb_seasons
from tests.fakes.plex import HTML, JPEG, PNG, SVG


@pytest.mark.parametrize(
    ("product", "title", "fmt", "year", "edition"),
    [
        ("The Matrix (Blu-ray + Digital Copy, 1999)", "The Matrix", "Blu-ray", 1999, None),
        ("Blade Runner 2049 [4K Ultra HD + Blu-ray + Digital]", "Blade Runner 2049", "4K UHD", None, None),
        ("Alien [Blu-ray] [1979] [Region Free]", "Alien", "Blu-ray", 1979, None),
        ("Spirited Away (2-Disc Collector's Edition) [DVD]", "Spirited Away", "DVD", None, "Collector's Edition"),
        ("Jurassic Park - 4K Ultra HD Blu-ray", "Jurassic Park", "4K UHD", None, None),
        (
            "Star Wars: The Empire Strikes Back (Widescreen Edition) [VHS]",
            "Star Wars: The Empire Strikes Back",
            "VHS",
            None,
            None,
        ),
        (
            "Crouching Tiger, Hidden Dragon (Wo hu cang long) [Blu-ray]",
            "Crouching Tiger, Hidden Dragon (Wo hu cang long)",
            "Blu-ray",
            None,
            None,
        ),
        ("Se7en", "Se7en", "Other", None, None),
    ],
)
def test_a_product_name_gives_title_format_year_and_edition(product, title, fmt, year, edition):
    reading = read_product(product)
    assert (reading.title, reading.format, reading.year, reading.edition) == (title, fmt, year, edition)


@pytest.mark.parametrize(("raw", "upc"), [("0-12569-82870-8", "012569828708"), ("12ab", None), ("123", None)])
def test_barcodes_are_normalized_to_digits(raw, upc):
    assert normalize_upc(raw) == upc


@pytest.mark.parametrize(
    ("guid", "parsed"),
    [
        ("tmdb://603", ("tmdb", "603")),
        ("imdb://tt0133093", ("imdb", "tt0133093")),
        ("com.plexapp.agents.imdb://tt0133093?lang=en", ("imdb", "tt0133093")),
        ("com.plexapp.agents.themoviedb://603?lang=en", ("tmdb", "603")),
        ("com.plexapp.agents.thetvdb://81189/1/1?lang=en", ("tvdb", "81189")),
        ("plex://movie/5d7768", None),
        ("local://123", None),
        (None, None),
    ],
)
def test_plex_guids_in_modern_and_legacy_forms(guid, parsed):
    assert parse_guid(guid) == parsed


def test_guid_children_win_over_the_legacy_guid_and_bad_values_are_ignored():
    found = identities(["imdb://garbage", "tmdb://0", "tmdb://11", "com.plexapp.agents.themoviedb://99"], "show")
    assert found.tmdb_id == 11
    assert found.tmdb_media_type == "tv"
    assert found.imdb_id is None


@pytest.mark.parametrize(
    ("values", "best"),
    [(["1080", "4k"], "4k"), (["480"], "sd"), (["720", None], "720p"), (["weird"], None), ([], None)],
)
def test_the_best_plex_resolution_is_kept(values, best):
    assert resolution(values) == best


def test_a_partial_update_names_only_what_changed():
    config = PlexConfig(base_url="http://plex:32400")
    updated, changed = apply_update(config, {"base_url": "http://plex:32400/", "library_sections": []})
    assert changed == []
    updated, changed = apply_update(updated, {"library_sections": [{"key": "1", "title": "Films", "type": "movie"}]})
    assert changed == ["library_sections"]
    assert updated.base_url == "http://plex:32400"


def test_the_hint_shows_at_most_the_last_four_characters():
    assert secret_hint("abcdefghijkl1234") == "…1234"
    assert secret_hint("tiny") == "…"


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("http://PLEX.lan:32400/some/path", "http://plex.lan:32400"),
        ("HTTPS://api.themoviedb.org/3", "https://api.themoviedb.org:443"),
        ("https://api.themoviedb.org:443", "https://api.themoviedb.org:443"),
        ("http://plex.lan./", "http://plex.lan:80"),
        ("https://bücher.example", "https://xn--bcher-kva.example:443"),
        ("http://[::1]:32400", "http://[::1]:32400"),
    ],
)
def test_an_origin_is_scheme_host_and_port_normalised(url, origin):
    assert origin_of(url) == origin


def test_a_plex_secret_belongs_to_the_server_and_the_watchlist_host():
    config = PlexConfig(base_url="http://plex.lan:32400/", watchlist_base_url="https://discover.provider.plex.tv")

    assert secret_origin("plex", config) == "http://plex.lan:32400 https://discover.provider.plex.tv:443"
    assert secret_origin("plex", config.model_copy(update={"base_url": "http://plex.lan:32400/x"})) == secret_origin(
        "plex", config
    )


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (PNG, "image/png"),
        (JPEG, "image/jpeg"),
        (b"GIF89a\x01\x00\x01\x00", "image/gif"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (SVG, None),
        (HTML, None),
        (b"\xef\xbb\xbf<svg/onload=alert(1)>", None),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", None),
        (b"", None),
    ],
)
def test_artwork_is_recognised_from_its_first_bytes(data, media_type):
    assert image_type(data) == media_type


def test_tmdb_seasons_are_read_in_order_once_each_and_bad_entries_passed_over():
    raw = [
        {"season_number": 2, "name": "Season 2", "air_date": "2009-03-08", "episode_count": 13},
        {"season_number": 0, "name": "Specials", "air_date": None, "episode_count": 9},
        {"season_number": 2, "name": "again"},
        {"season_number": -1},
        {"name": "no number"},
        "not a season",
        {"season_number": 1, "name": "", "air_date": "bad", "episode_count": -4},
    ]

    found = tmdb_seasons(raw)

    assert [(s.number, s.name, s.year, s.episode_count) for s in found] == [
        (0, "Specials", None, 9),
        (1, None, None, None),
        (2, "Season 2", 2009, 13),
    ]
    assert tmdb_seasons(None) == []


def test_plex_seasons_present_are_read_by_index():
    entries = [
        SimpleNamespace(index=1, title="Season 1", year=2017, leafCount=10),
        SimpleNamespace(index=None, title="All episodes", year=None, leafCount=26),
        SimpleNamespace(index=0, title="Specials", year=None, leafCount=2),
    ]

    found = seasons_present(entries)

    assert [(s.number, s.name, s.year, s.episode_count) for s in found] == [
        (0, "Specials", None, 2),
        (1, "Season 1", 2017, 10),
    ]
