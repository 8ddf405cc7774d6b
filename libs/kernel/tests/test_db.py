"""`positional`: the `:name` parameters of `text()` as asyncpg's `$n`."""

from shelfspace_kernel.db import positional


def test_names_become_numbers_in_first_use_order_and_repeat_as_the_same_number():
    sql, names = positional("SELECT :b, :a WHERE x = :b AND y = :a_long")
    assert sql == "SELECT $1, $2 WHERE x = $1 AND y = $3"
    assert names == ("b", "a", "a_long")


def test_casts_escapes_and_time_formats_are_left_alone():
    untouched = r"""x::text, to_char(t, 'YYYY-MM-DD"T"HH24:MI:SS'), '\:literal'"""
    sql, names = positional(f"SELECT CAST(:facets AS text[]), {untouched}")
    assert sql == f"SELECT CAST($1 AS text[]), {untouched}"
    assert names == ("facets",)
