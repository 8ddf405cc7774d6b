"""The title list: filters, sorts and keyset pages, with a total that never counts past 10,000.

Nullable sort columns are walked in two phases (rows with a value, then rows without, by id), so
every page is one index range scan whatever the order, and nulls come last both ways.

Search words match as typed (a substring of the search text). Only when nothing matches them does
the list ask again with similar words too (typo tolerance); the cursor remembers which it was.

Genre, director and cast match by prefix of a name, case- and accent-insensitively: a prefix query
on the folded facets as a tsvector (indexed with the space, migration 0009).
"""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from library.domain import titles
from library.domain.cursor import Cursor, timestamp_value
from library.store import json_rows
from library.store.list_counts import ListCounts, Total
from shelfspace_kernel.db import DriverReads
from shelfspace_kernel.errors import ValidationFailed

COUNT_CAP = 10_000
_SPACE_COUNTS = "SELECT live, revision FROM space_counts WHERE space_id = :space_id"

# sort name → (SQL expression, nullable)
SORTS = {
    "title": ("m.sort_key", False),
    "added": ("m.created_at", False),
    "year": ("m.year", True),
    "rating": ("m.rating", True),
    "runtime": ("m.runtime_minutes", True),
    "user_rating": ("ur.rating", True),
}


@dataclass
class ListQuery:
    """What the caller asked for; `None` means "no filter"."""

    q: str | None = None
    media_type: str | None = None
    format: str | None = None
    genre: str | None = None
    director: str | None = None
    cast: str | None = None
    resolution: str | None = None
    source: str | None = None
    added_by: uuid.UUID | None = None
    year_min: int | None = None
    year_max: int | None = None
    rating_min: float | None = None
    rating_max: float | None = None
    user_rating_min: float | None = None
    user_rating_max: float | None = None
    missing: str | None = None  # poster | copies (titles.MISSING)
    tag: str | None = None
    tag_id: uuid.UUID | None = None  # the tag's id, set by resolve_tag
    on_loan: bool | None = None
    overdue: bool | None = None
    incomplete: bool | None = None  # shows owning fewer of their seasons than recorded
    watched: bool | None = None
    sort: str = "title"
    order: str = "asc"
    limit: int = 50

    def facet_values(self) -> list[str]:
        pairs = [
            ("t", self.media_type),
            ("f", self.format),
            ("r", self.resolution),
            ("s", self.source),
            ("u", str(self.added_by) if self.added_by else None),
            ("x", self.missing),
        ]
        return sorted(titles.facet(kind, value) for kind, value in pairs if value)

    def prefix_facets(self) -> list[tuple[str, bool]]:
        """The facets whose names start with what was typed (`g:dra` for genre "Dra"), each with whether
        the facet index may find them (see build_filters)."""
        pairs = [("g", self.genre, False), ("d", self.director, True), ("c", self.cast, True)]
        return [(titles.facet(kind, value), indexed) for kind, value, indexed in pairs if value and titles.fold(value)]


_OPEN_LOANS = "SELECT l.media_id FROM loans l WHERE l.space_id = :space_id AND l.returned_at IS NULL"
_OVERDUE_LOANS = f"{_OPEN_LOANS} AND l.due_at < :now"
# A page walks the sort index and probes each title's loans (semi-join); a count reads the open
# loans once and fetches their titles by key (`= ANY(ARRAY(...))`), which a semi-join planned as
# a hash join over every title of the space took three times as long for (docs/library.md).
_LOAN_FILTERS = {
    False: (f"m.id IN ({_OPEN_LOANS})", f"m.id = ANY(ARRAY({_OPEN_LOANS}))"),
    True: (f"m.id IN ({_OVERDUE_LOANS})", f"m.id = ANY(ARRAY({_OVERDUE_LOANS}))"),
}


# The titles of one tag, by the tag's id (resolved first: `tag_id`), so the planner sees which tag
# it is and how many titles carry it: a rare tag's few titles are read through the tag's index and
# sorted, a common tag's probed while walking the sort index; a count merge-joins the tag's index
# with the live titles' (docs/library.md, "Tags"). Without the id known up front (a subquery), a rare
# tag was probed against every title of the space: 600 ms instead of 0.5 ms on 100,000 titles.
_TAGGED = "m.id IN (SELECT mt.media_id FROM media_tags mt WHERE mt.tag_id = :tag_id)"
_TAG_ID = "SELECT id FROM tags WHERE space_id = :space_id AND lower(name) = lower(:name)"


async def resolve_tag(reads: DriverReads, space_id: uuid.UUID, query: "ListQuery") -> None:
    """Set `query.tag_id` to the id of the tag named by `query.tag` (None when the space has no such tag)."""
    if query.tag:
        query.tag_id = await reads.fetchval(_TAG_ID, {"space_id": space_id, "name": " ".join(query.tag.split())})


# The caller's watched titles, from the partial index on watched annotations (migration 0014).
_WATCHED = (
    "SELECT w.media_id FROM annotations w"
    " WHERE w.user_id = :user_id AND w.space_id = :space_id AND w.watched_at IS NOT NULL"
)
# A page walks the sort index and probes each title's annotation (uq_annotations_media_id_user_id);
# a count of watched titles reads the caller's watched ones once and fetches those titles by key.
_WATCHED_FILTERS = {
    True: (f"m.id IN ({_WATCHED})", f"m.id = ANY(ARRAY({_WATCHED}))"),
    False: (
        "NOT EXISTS (SELECT 1 FROM annotations w WHERE w.media_id = m.id AND w.user_id = :user_id"
        " AND w.watched_at IS NOT NULL)",
        None,
    ),
}


@dataclass
class _Where:
    clauses: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    filtered: bool = False
    similar: bool = False  # search words match similar words too
    has_tolerant_words: bool = False  # some search word would match similar words
    counted_as: dict[str, str] = field(default_factory=dict)  # clause → the same condition for a count

    def add(self, clause: str, filtered: bool = True, **params: Any) -> None:
        self.clauses.append(clause)
        self.params.update(params)
        self.filtered = self.filtered or filtered

    def sql(self, *extra: str) -> str:
        return " AND ".join([*self.clauses, *extra])

    def count_sql(self) -> str:
        return " AND ".join(self.counted_as.get(clause, clause) for clause in self.clauses)


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _prefix_query(value: str) -> str:
    """A tsquery matching the lexemes that start with `value`, quoted so that any text is one lexeme."""
    quoted = value.replace("\\", "\\\\").replace("'", "''")
    return f"'{quoted}':*"


def build_filters(space_id: uuid.UUID, user_id: uuid.UUID | None, query: ListQuery, *, similar: bool = False) -> _Where:
    """The query's conditions; `similar` lets search words match similar words (typo tolerance)."""
    where = _Where(similar=similar)
    where.add("m.space_id = :space_id AND m.deleted_at IS NULL", filtered=False, space_id=space_id, user_id=user_id)
    if facet_values := query.facet_values():
        where.add("m.facets @> CAST(:facets AS text[])", facets=facet_values)
    for index, (prefix, indexed) in enumerate(query.prefix_facets()):
        condition = f"array_to_tsvector(m.facets) @@ CAST(:prefix{index} AS tsquery)"
        # A person is rare: the facet index finds the few titles. A genre holds a large share of the
        # space, and the planner, underestimating a prefix query's matches, would read them all through
        # that index and sort them; `IS TRUE` keeps the index out, so the list walks its order's index
        # and stops at the page's end (bench shape 2: 60 ms → the exact-match plan's few ms).
        prefix_param: dict[str, Any] = {f"prefix{index}": _prefix_query(prefix)}
        where.add(condition if indexed else f"({condition}) IS TRUE", **prefix_param)
    for name, column, op in (
        ("year_min", "m.year", ">="),
        ("year_max", "m.year", "<="),
        ("rating_min", "m.rating", ">="),
        ("rating_max", "m.rating", "<="),
    ):
        if (value := getattr(query, name)) is not None:
            where.add(f"{column} {op} :{name}", **{name: value})
    if query.user_rating_min is not None or query.user_rating_max is not None:
        where.add(
            "EXISTS (SELECT 1 FROM annotations a WHERE a.media_id = m.id AND a.user_id = :user_id"
            " AND a.rating >= :ur_min AND a.rating <= :ur_max)",
            ur_min=query.user_rating_min if query.user_rating_min is not None else 0.0,
            ur_max=query.user_rating_max if query.user_rating_max is not None else 10.0,
        )
    if query.on_loan or query.overdue:
        # A page walks the sort index and probes each title's loans (ix_loans_media_id); the count
        # reads the space's open loans (ix_loans_open). "Now" is taken to the minute, so an overdue
        # count is remembered for a minute like any other filtered total (list_counts.py).
        listed, counted = _LOAN_FILTERS[bool(query.overdue)]
        now: dict[str, Any] = {"now": datetime.now(UTC).replace(second=0, microsecond=0)} if query.overdue else {}
        where.add(listed, **now)
        where.counted_as[listed] = counted
    if query.tag:
        # A tag the space does not have matches nothing.
        where.add(_TAGGED if query.tag_id else "false", tag_id=query.tag_id)
    if query.incomplete:
        # Two columns kept by triggers (migration 0016); a partial index holds the space's incomplete shows.
        where.add("m.seasons_owned < m.seasons_total")
    if query.watched is not None:
        watched, counted_watched = _WATCHED_FILTERS[query.watched]
        where.add(watched)
        if counted_watched:
            where.counted_as[watched] = counted_watched
    words = titles.fold(query.q or "").split()
    for index, word in enumerate(words[:8]):
        like = f"m.search_text LIKE :q{index}_like"
        # Typo tolerance (trigram word similarity) for words long enough to have trigrams to spare;
        # numbers (years, barcodes) match exactly.
        tolerant = len(word) >= 4 and not word.isdigit()
        where.has_tolerant_words = where.has_tolerant_words or tolerant
        pattern: dict[str, Any] = {f"q{index}_like": f"%{_escape_like(word)}%"}
        if tolerant and similar:
            pattern[f"q{index}"] = word
            where.add(f"({like} OR :q{index} <% m.search_text)", **pattern)
        else:
            where.add(like, **pattern)
    return where


def _from(query: ListQuery) -> str:
    if query.sort == "user_rating":
        return "media m LEFT JOIN annotations ur ON ur.media_id = m.id AND ur.user_id = :user_id"
    return "media m"


def _select(query: ListQuery) -> str:
    """The row's id and sort value (for the next cursor) and the title as API JSON."""
    if query.sort == "user_rating":
        user_rating = "ur.rating"
    else:
        user_rating = "(SELECT a.rating FROM annotations a WHERE a.media_id = m.id AND a.user_id = :user_id)"
    watched_at = (
        f"(SELECT {json_rows.timestamp('a.watched_at')} FROM annotations a"  # noqa: S608 - constants
        " WHERE a.media_id = m.id AND a.user_id = :user_id)"
    )
    item = json_rows.title_json(user_rating=user_rating, watched_at=watched_at)
    return f"m.id, {SORTS[query.sort][0]} AS sort_value, {item} AS item"


# The media columns the sorts read (SORTS), all a search's matches need to carry.
_SORT_COLUMNS = "m.sort_key, m.created_at, m.year, m.rating, m.runtime_minutes"

_CURSOR_TYPES = {"title": (str,), "added": (str,), "year": (int,), "runtime": (int,), "rating": (int, float)}


def _cursor_value(query: ListQuery, cursor: Cursor) -> Any:
    value = cursor.value
    expected = _CURSOR_TYPES.get(query.sort, (int, float))
    if not isinstance(value, expected) or isinstance(value, bool):
        raise ValidationFailed(
            details=[{"field": "cursor", "message": "The cursor is not valid.", "type": "value_error"}]
        )
    if query.sort == "added":
        return timestamp_value(cursor)
    return value


def _row_value(query: ListQuery, row: dict[str, Any]) -> Any:
    return row["sort_value"].isoformat() if query.sort == "added" else row["sort_value"]


async def _fetch(
    reads: DriverReads, query: ListQuery, where: _Where, extra: list[str], order: str, n: int, params: dict[str, Any]
) -> list[Any]:
    if titles.fold(query.q or "").split():
        # A text search collects its matches first (trigram index, cost ~ the number of matches) and
        # sorts those: walking a sort index and testing every row against the words costs up to
        # the whole space when the words are rare, which is what a search usually is. The matches
        # carry only what sorting needs; the page's rows are read whole afterwards.
        hits = f"SELECT m.id, {_SORT_COLUMNS} FROM media m WHERE {where.sql()}"  # noqa: S608 - built from constants
        outer = " AND ".join(extra) or "true"
        ranked = _from(query).replace("media m", "hits m", 1)
        sql = (
            f"WITH hits AS MATERIALIZED ({hits}),"  # noqa: S608
            f" page AS (SELECT m.id FROM {ranked} WHERE {outer} ORDER BY {order} LIMIT {int(n)})"
            f" SELECT {_select(query)} FROM {_from(query)} WHERE m.id IN (SELECT id FROM page) ORDER BY {order}"
        )
    else:
        sql = (
            f"SELECT {_select(query)} FROM {_from(query)} WHERE {where.sql(*extra)} "  # noqa: S608 - built from constants
            f"ORDER BY {order} LIMIT {int(n)}"
        )
    return list(await reads.fetch(sql, {**where.params, **params}))


async def page(
    reads: DriverReads, where: _Where, query: ListQuery, cursor: Cursor | None
) -> tuple[list[Any], Cursor | None]:
    """One page of rows (id, sort_value, item: the title as API JSON) and the next page's cursor."""
    expr, nullable = SORTS[query.sort]
    direction, cmp = ("ASC", ">") if query.order == "asc" else ("DESC", "<")
    limit = query.limit
    rows: list[Any] = []
    if cursor is None or not cursor.in_nulls:
        extra = [f"{expr} IS NOT NULL"] if nullable else []
        params: dict[str, Any] = {}
        if cursor is not None:
            extra.append(f"({expr}, m.id) {cmp} (:c_value, :c_id)")
            params = {"c_value": _cursor_value(query, cursor), "c_id": cursor.id}
        rows = await _fetch(reads, query, where, extra, f"{expr} {direction}, m.id {direction}", limit + 1, params)
        if len(rows) > limit:
            last = rows[limit - 1]
            return rows[:limit], Cursor(
                query.sort, query.order, _row_value(query, last), last["id"], similar=where.similar
            )
        if not nullable:
            return rows, None
    extra = [f"{expr} IS NULL"]
    params = {}
    if cursor is not None and cursor.in_nulls and cursor.id is not None:
        extra.append(f"m.id {cmp} :c_id")
        params = {"c_id": cursor.id}
    wanted = limit - len(rows)
    nulls = await _fetch(reads, query, where, extra, f"m.id {direction}", wanted + 1, params)
    rows += nulls[:wanted]
    if len(nulls) > wanted:
        # With no null row on this page yet, the next page starts at the first null row.
        last_null = nulls[wanted - 1]["id"] if wanted else None
        return rows, Cursor(query.sort, query.order, None, last_null, in_nulls=True, similar=where.similar)
    return rows, None


async def count(reads: DriverReads, where: _Where, query: ListQuery, counts: ListCounts) -> Total:
    """Matches up to COUNT_CAP, and whether there may be more; all live titles when unfiltered.

    The space's revision is read before counting, so a total is never older than the revision it
    is filed under (it may include a write that commits in between, seen only by requests that
    race that write; later requests read the newer revision).
    """
    space = await reads.fetchrow(_SPACE_COUNTS, where.params)
    if not where.filtered:
        return (int(space["live"]) if space else 0), False
    sql = f"SELECT count(*) FROM (SELECT 1 FROM {_from(query)} WHERE {where.count_sql()} LIMIT {COUNT_CAP + 1}) s"  # noqa: S608
    key = counts.key(space["revision"], sql, where.params) if space else None
    if key is not None and (known := counts.get(key)) is not None:
        return known
    found = int(await reads.fetchval(sql, where.params) or 0)
    total = min(found, COUNT_CAP), found > COUNT_CAP
    if key is not None:
        counts.put(key, total)
    return total
