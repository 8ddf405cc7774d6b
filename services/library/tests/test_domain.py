"""Pure rules: sort titles and keys, folding, cursors and the import dedupe guard."""

import uuid

import pytest

from library.domain import cursor, imports, titles
from shelfspace_contracts.media_items import NormalizedItem
from shelfspace_kernel.errors import ValidationFailed


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("The Matrix", "Matrix"),
        ("A Beautiful Mind", "Beautiful Mind"),
        ("An Education", "Education"),
        ("Le Samouraï", "Samouraï"),
        ("Les Misérables", "Misérables"),
        ("L'Avventura", "Avventura"),
        ("L\u2019Atalante", "Atalante"),
        ("Das Boot", "Boot"),
        ("Los Olvidados", "Olvidados"),
        ("The", "The"),
        ("A.I. Artificial Intelligence", "A.I. Artificial Intelligence"),
        ("Theodora", "Theodora"),
        ("千と千尋の神隠し", "千と千尋の神隠し"),
    ],
)
def test_the_sort_title_drops_one_leading_article(title, expected):
    assert titles.sort_title(title) == expected


def test_sort_keys_fold_accents_case_and_punctuation():
    assert titles.sort_key("Amélie") == titles.sort_key("AMELIE") == "amelie"
    assert titles.sort_key("M*A*S*H") == "mash"
    assert titles.sort_key("(500) Days of Summer") == "500 days of summer"
    assert titles.sort_key("!!!") == "!!!"


def test_a_cursor_round_trips_and_is_bound_to_its_sort():
    original = cursor.Cursor("year", "desc", 1999, uuid.uuid4())

    token = cursor.encode(original)

    assert cursor.decode(token, sort="year", order="desc") == original
    with pytest.raises(ValidationFailed):
        cursor.decode(token, sort="year", order="asc")


def test_a_stored_title_with_another_tmdb_id_is_a_different_title():
    item = NormalizedItem(
        provider="plex", external_id="1", title="Solaris", media_type="movie", identities={"tmdb_id": 1}
    )

    assert imports.strong_ids_conflict({"tmdb_id": 2}, item)
    assert not imports.strong_ids_conflict({"tmdb_id": None, "imdb_id": None}, item)
    assert imports.gaps_to_fill({"year": 1972, "genres": []}, item.model_copy(update={"genres": ["Drama"]})) == {
        "genres": ["Drama"],
        "tmdb_id": 1,
        "tmdb_media_type": "movie",
    }
