"""Titles as API JSON built by Postgres, for the list: the page is a join of ready JSON texts.

Decoding 50 rows with their copies into Python objects, checking them against the response model
and encoding them again cost most of a list request's CPU; Postgres writes the same JSON in a
fraction of that. The fields are those `media.to_api` returns, timestamps written the way the
response models write them, so a title reads the same in the list as everywhere else.
"""

import functools

from library.domain import covers
from library.domain.copies import PURCHASE_COLUMNS
from library.store.media import API_FIELDS, COPY_API_FIELDS, SEASON_COUNTS

_TIMESTAMPS = {"created_at", "updated_at"}


def timestamp(column: str) -> str:
    # Like pydantic: UTC with a "Z", microseconds only when there are some.
    utc = f"({column} AT TIME ZONE 'UTC')"
    return (
        f"CASE WHEN date_trunc('second', {column}) = {column}"
        f""" THEN to_char({utc}, 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"""
        f""" ELSE to_char({utc}, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') END"""
    )


def _object(alias: str, fields: tuple[str, ...], extra: dict[str, str]) -> str:
    pairs = []
    for name in fields:
        column = f"{alias}.{name}"
        pairs.append(f"'{name}', {timestamp(column) if name in _TIMESTAMPS else column}")
    pairs += [f"'{name}', {expression}" for name, expression in extra.items()]
    return f"json_build_object({', '.join(pairs)})"


# A copy's open loan (one index probe of ux_loans_open_copy), null when the copy is at home.
_OPEN_LOAN = (
    "(SELECT json_build_object('id', l.id, 'borrower_user_id', l.borrower_user_id,"  # noqa: S608 - constants
    f" 'borrower_name', l.borrower_name, 'lent_at', {timestamp('l.lent_at')},"
    f" 'due_at', {timestamp('l.due_at')}, 'overdue', coalesce(l.due_at < now(), false))"
    " FROM loans l WHERE l.copy_id = c.id AND l.returned_at IS NULL)"
)


# A title's tag names, alphabetically: its links from the link table's primary key, each name by the
# tag's key (a hash join over the space's tags, which the planner picks for a small tags table, built
# that hash again for every title of the page).
_TAGS = (
    "coalesce((SELECT json_agg(x.name ORDER BY lower(x.name)) FROM (SELECT (SELECT t.name FROM tags t"
    " WHERE t.id = mt.tag_id) AS name FROM media_tags mt WHERE mt.media_id = {alias}.id) x), '[]')"
)


def purchase_json(alias: str) -> str:
    """A SQL expression: the copy `alias`'s purchase as JSON, null when none of it is known."""
    columns = [f"{alias}.{column}" for column in PURCHASE_COLUMNS.values()]
    pairs = ", ".join(f"'{name}', {column}" for name, column in zip(PURCHASE_COLUMNS, columns, strict=True))
    return f"CASE WHEN num_nonnulls({', '.join(columns)}) = 0 THEN NULL ELSE json_build_object({pairs}) END"


def _cover_url(alias: str, width: int) -> str:
    return f"'{covers.URL_PREFIX}/' || {alias}.cover_key || '/{width}.{covers.EXTENSION}'"


def _cover_fields(alias: str) -> dict[str, str]:
    """`poster_url` and `cover_urls` as `covers.poster_url` / `covers.cover_urls` make them."""
    urls = ", ".join(f"'{width}', {_cover_url(alias, width)}" for width in covers.WIDTHS)
    return {
        "poster_url": f"coalesce({_cover_url(alias, covers.POSTER_WIDTH)}, {alias}.poster_url)",
        "cover_urls": f"CASE WHEN {alias}.cover_key IS NULL THEN NULL ELSE json_build_object({urls}) END",
    }


@functools.cache
def title_json(alias: str = "m", **extra: str) -> str:
    """A SQL expression: the title `alias` with its copies as API JSON text, plus `extra` fields."""
    copy = _object(
        "c",
        COPY_API_FIELDS,
        {"season_numbers": "coalesce(c.season_numbers, '{}')", "purchase": purchase_json("c"), "loan": _OPEN_LOAN},
    )
    # The copies come in order from the index on (media_id, created_at, id) and are aggregated in
    # that order; `json_agg(... ORDER BY ...)` would sort each title's copies again, which cost a
    # third of the page's SQL.
    ordered = f"SELECT {copy} AS copy FROM copies c WHERE c.media_id = {alias}.id ORDER BY c.created_at, c.id"  # noqa: S608
    copies = f"coalesce((SELECT json_agg(o.copy) FROM ({ordered}) o), '[]')"  # noqa: S608
    counts = {name: f"coalesce({alias}.{name}, 0)" for name in SEASON_COUNTS}
    fields = tuple(name for name in API_FIELDS if name != "poster_url")
    computed = {**_cover_fields(alias), "cast": f"{alias}.cast_members", **counts, "copies": copies}
    computed |= {"tags": _TAGS.format(alias=alias), **extra}
    return f"{_object(alias, fields, computed)}::text"
