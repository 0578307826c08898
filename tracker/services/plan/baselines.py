"""What a comparison with a baseline says in short: how many initiatives are late, early,
on time, added, removed or left out of the plan now (`roadmap.compare_baseline` lists
them one by one)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

#: The statuses of a slip, in the order a reader wants them (what went wrong first).
SLIP_STATUSES = ("late", "removed", "unplanned", "added", "early", "on_time")


def slip_counts(items: Iterable[Mapping[str, Any]]) -> list[tuple[str, int]]:
    """The number of initiatives per slip status, in `SLIP_STATUSES` order, statuses no
    initiative has left out.

    >>> slip_counts([{"status": "late"}, {"status": "on_time"}, {"status": "late"}])
    [('late', 2), ('on_time', 1)]
    """
    counts = Counter(item["status"] for item in items)
    return [(status, counts[status]) for status in SLIP_STATUSES if counts[status]]

