"""The pure rules of the move from collectZ: formats, resolutions, rating scales, what is left out,
stable ids, and opening collectZ's sealed secrets."""

from decimal import Decimal

import pytest

from services.sync.tests.collectz_db import COLLECTZ_KEY, collectz_seal
from sync.collectz import mapping
from sync.collectz.secrets import CannotOpen, open_collectz_secret, open_params, seal_params
from sync.collectz.source import check_url


def test_owned_formats_become_one_copy_each_and_the_barcode_goes_on_the_first():
    row = {"owned_formats": ["dvd", "bluray", "beta"], "upc": "0123", "location": "Shelf B", "variants": []}

    copies = mapping.copies_of(row)

    assert [copy["format"] for copy in copies] == ["DVD", "Blu-ray", "Other"]
    assert [copy["barcode"] for copy in copies] == ["0123", None, None]
    assert {copy["location"] for copy in copies} == {"Shelf B"}


def test_a_plex_variant_is_the_digital_copy_rather_than_a_second_one():
    row = {"format": "Digital", "variants": [{"id": 4, "source": "plex", "source_part_id": "77", "video_height": 2160}]}

    (copy,) = mapping.copies_of(row)

    assert copy == {
        "format": "Digital", "edition": None, "resolution": "4k", "source_provider": "plex", "source_external_id": "77",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("value", "out_of", "expected"), [(Decimal("4.5"), 5, 9.0), (Decimal("8.5"), 10, 8.5), (None, 5, None)]
)
def test_ratings_land_on_the_ten_point_scale(value, out_of, expected):
    assert mapping.rating(value, out_of) == expected


@pytest.mark.parametrize(
    ("kind", "imported"), [("movie", True), ("tv_series", True), ("tv_episode", False), ("book", False)]
)
def test_only_movies_and_series_are_brought_over(kind, imported):
    assert (mapping.not_imported({"media_type": kind}) is None) is imported


def test_the_same_install_and_thing_always_get_the_same_id():
    assert mapping.stable_id("abc", "space:1") == mapping.stable_id("abc", "space:1")
    assert mapping.stable_id("abc", "space:1") != mapping.stable_id("abd", "space:1")


def test_a_collectz_secret_opens_only_with_its_key():
    sealed = collectz_seal("tmdb-key")

    assert open_collectz_secret(COLLECTZ_KEY, sealed) == "tmdb-key"
    with pytest.raises(CannotOpen):
        open_collectz_secret("another key", sealed)


def test_sealed_job_params_open_only_for_their_own_seal_id():
    import uuid

    key, seal_id = b"k" * 32, uuid.uuid4()
    sealed = seal_params(key, seal_id, {"database_url": "postgresql://u:p@h/db"})

    assert open_params(key, seal_id, sealed) == {"database_url": "postgresql://u:p@h/db"}
    with pytest.raises(CannotOpen):
        open_params(key, uuid.uuid4(), sealed)


@pytest.mark.parametrize(
    ("url", "problem"),
    [("postgresql://u:p@db:5432/collectz", None), ("postgres://db/collectz", None), ("mysql://db/x", "must start"),
     ("postgresql:///collectz", "no host"), ("postgresql://db", "no database"), ("postgresql://db:99999/x", "port")],
)  # fmt: skip
def test_connection_urls_are_checked_for_their_form(url, problem):
    found = check_url(url)
    assert (found is None) if problem is None else (problem in found)
