"""Redaction keeps ordinary details and replaces whatever looks like a secret."""

import json

import pytest

from audit.domain.redaction import REDACTED, redact


@pytest.mark.parametrize(
    ("details", "expected"),
    [
        ({"section_keys": ["1", "2"], "file": "The_Matrix_1999_1080p_BluRay_x264"}, None),
        ({"poster_url": "https://image.tmdb.org/t/p/w500/8UlWHLMpgZm9bx6QYh0NFoq67TZ.jpg"}, None),
        ({"sessionToken": {"nested": "value"}}, {"sessionToken": "[REDACTED]"}),
        ({"value": "0bcf4956c546d72f9db3f8fcd20374c4"}, {"value": "[REDACTED]"}),
        ({"value": "Basic YWxhZGRpbjpvcGVuc2VzYW1l"}, {"value": "[REDACTED]"}),
    ],
)
def test_redaction_keeps_ordinary_details_and_replaces_secret_looking_ones(details, expected):
    assert redact(details) == (expected or details)
    assert json.dumps(redact(details))  # still JSON


def test_a_flag_about_a_secret_is_kept_but_the_secret_is_not():
    assert redact({"secret_set": True, "secret": "abc", "token": None}) == {
        "secret_set": True,
        "secret": REDACTED,
        "token": None,
    }


def test_redaction_reaches_into_lists_and_nested_objects():
    details = {"steps": [{"config": {"api_key": "k-123"}}, "Bearer abcdefghijklmnop"]}

    assert redact(details) == {"steps": [{"config": {"api_key": REDACTED}}, REDACTED]}
