"""How titles are compared: sort keys (shelfspace_contracts.title_keys), facets and search text."""

from collections import Counter
from collections.abc import Iterable
from typing import Any

# sort_key and sort_title stay importable from here: the library's modules read them with its other title rules.
from shelfspace_contracts.title_keys import fold as fold
from shelfspace_contracts.title_keys import sort_key as sort_key
from shelfspace_contracts.title_keys import sort_title as sort_title


def search_text(title: str, original_title: str | None, people: Iterable[str], barcodes: Iterable[str]) -> str:
    """One folded text per title that `q` searches (trigram indexed)."""
    parts = [title, original_title or "", *people, *barcodes]
    return " | ".join(fold(part) for part in parts if part)


def facet(kind: str, value: str) -> str:
    return f"{kind}:{fold(value)}"


def genre_counts(genre_sets: Iterable[tuple[list[str], int]], limit: int) -> dict[str, int]:
    """Titles per genre as the list's `genre` filter counts them: by prefix of the folded name.

    `genre_sets` are (the genres of some titles, how many titles have exactly those). A genre is
    named by its most frequent spelling; a title counts once per genre even when several of its
    genres start with it ("Action" and "Action & Adventure"), so each figure is the length of the
    list its link opens.
    """
    folded = [({fold(name) for name in names} - {""}, n) for names, n in genre_sets]
    spellings: Counter[str] = Counter()
    for names, n in genre_sets:
        spellings.update({name: n for name in set(names) if fold(name)})
    labels: dict[str, str] = {}
    for name, _ in sorted(spellings.items(), key=lambda item: (-item[1], item[0])):
        labels.setdefault(fold(name), name)
    counts = {
        label: sum(n for names, n in folded if any(name.startswith(key) for name in names))
        for key, label in labels.items()
    }
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit])


# `missing=<what>` of the list: what a title lacks, carried as facets `x:poster` and `x:copies`.
# The same rules as the stats' attention counts: no poster = null or empty `poster_url`; no copies = none at all.
MISSING = ("poster", "copies")


def lacks_poster(poster_url: str | None) -> bool:
    return poster_url is None or poster_url == ""


def facets(
    *,
    media_type: str,
    genres: Iterable[str],
    directors: Iterable[str],
    cast: Iterable[str],
    added_by: object | None,
    copies: Iterable[dict[str, Any]],
    poster_url: str | None = None,
) -> list[str]:
    """Every equality filter of the list as one array, so one GIN index serves them all."""
    copies = list(copies)
    values = {facet("t", media_type)}
    if lacks_poster(poster_url):
        values.add(facet("x", "poster"))
    if not copies:
        values.add(facet("x", "copies"))
    values |= {facet("g", genre) for genre in genres}
    values |= {facet("d", name) for name in directors}
    values |= {facet("c", name) for name in cast}
    if added_by is not None:
        values.add(facet("u", str(added_by)))
    for copy in copies:
        values.add(facet("f", copy["format"]))
        values.add(facet("s", copy.get("source_provider") or "manual"))
        if copy.get("resolution"):
            values.add(facet("r", copy["resolution"]))
    return sorted(values)


def cast_characters(cast: list[str], characters: list[str | None] | None) -> list[str | None]:
    """The character of each cast member, in the cast's order; None where none is known."""
    known = list(characters or [])[: len(cast)]
    return [character or None for character in known] + [None] * (len(cast) - len(known))


def recast_characters(
    cast: list[str], characters: list[str | None] | None, new_cast: list[str]
) -> list[str | None] | None:
    """The characters after the cast was edited by name: each name that stays keeps its character."""
    if not characters:
        return None
    played = dict(zip(cast, cast_characters(cast, characters), strict=True))
    kept = [played.get(name) for name in new_cast]
    return kept if any(kept) else None
