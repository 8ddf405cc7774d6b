"""The remembered totals: keys freeze list parameters, and the least recently used go first."""

from library.store.list_counts import ListCounts


def test_a_key_tells_revisions_statements_and_parameters_apart_and_freezes_lists():
    key = ListCounts.key(3, "SELECT 1", {"facets": ["g:drama"], "space_id": "s"})
    assert key == ListCounts.key(3, "SELECT 1", {"space_id": "s", "facets": ["g:drama"]})
    assert key != ListCounts.key(4, "SELECT 1", {"facets": ["g:drama"], "space_id": "s"})
    assert key != ListCounts.key(3, "SELECT 2", {"facets": ["g:drama"], "space_id": "s"})
    assert key != ListCounts.key(3, "SELECT 1", {"facets": ["g:comedy"], "space_id": "s"})


def test_the_least_recently_used_total_is_dropped_first():
    counts = ListCounts(capacity=2)
    counts.put("a", (1, False))
    counts.put("b", (2, False))
    assert counts.get("a") == (1, False)
    counts.put("c", (3, False))
    assert (counts.get("a"), counts.get("b"), counts.get("c")) == ((1, False), None, (3, False))
