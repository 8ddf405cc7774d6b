"""Pure rules: reading retail product names, Plex guids and resolutions, provider settings updates."""

import pytest

from integrations.domain.barcode import normalize_upc, read_product
from integrations.domain.plex_items import identities, parse_guid, resolution
from integrations.domain.providers import PlexConfig, apply_update, secret_hint


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
