"""Filtered totals of the title list, remembered per space revision.

Scrolling a filtered view asks for the same total with every page; counting thousands of matches
costs more than the page itself. A total is kept under the space's revision (advanced by triggers
on every change of its titles, copies and annotations), so it is reused only while nothing in the
space changed, on every replica alike since the revision is read from the database each time.
"""

from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

Total = tuple[int, bool]  # (matches up to the cap, whether there may be more)


def _frozen(value: Any) -> Hashable:
    return tuple(value) if isinstance(value, list) else value


class ListCounts:
    """A bounded LRU of totals keyed by (revision, statement, parameters: the space among them)."""

    def __init__(self, capacity: int = 2048) -> None:
        self._capacity = capacity
        self._totals: OrderedDict[Hashable, Total] = OrderedDict()

    @staticmethod
    def key(revision: int, sql: str, params: dict[str, Any]) -> Hashable:
        return (revision, sql, tuple(sorted((name, _frozen(value)) for name, value in params.items())))

    def get(self, key: Hashable) -> Total | None:
        total = self._totals.get(key)
        if total is not None:
            self._totals.move_to_end(key)
        return total

    def put(self, key: Hashable, total: Total) -> None:
        self._totals[key] = total
        self._totals.move_to_end(key)
        while len(self._totals) > self._capacity:
            self._totals.popitem(last=False)
