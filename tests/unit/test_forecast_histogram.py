"""The forecast's histogram of the makespan and the ends of groups of initiatives (a
phase ends when its last initiative does), with figures worked by hand."""

from __future__ import annotations

import itertools
from datetime import date

import networkx as nx
from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.forecast import Bin, Estimate, forecast, histogram
from tracker.domain.roadmap import Capacity, ListScheduler, PlanItem

START = date(2027, 1, 4)


def test_bins_are_whole_weeks_from_the_first_week_to_the_week_after_the_last():
    # weeks 3 to 7 (⌊7.0⌋ + 1 = 8): five one-week bins; 7.0 falls in [7, 8)
    assert histogram([3.2, 3.9, 4.0, 6.5, 7.0]) == [
        Bin(3, 4, 2), Bin(4, 5, 1), Bin(5, 6, 0), Bin(6, 7, 1), Bin(7, 8, 1)]


def test_a_wide_spread_gets_wider_bins_and_at_most_thirty():
    # weeks 0 to 100: ⌈101 / 30⌉ = 4 weeks a bin, 26 bins [0, 4) … [100, 104)
    values = [float(v) for v in range(101)]
    bins = histogram(values)
    assert len(bins) == 26 and bins[0] == Bin(0, 4, 4) and bins[-1] == Bin(100, 104, 1)
    assert histogram([]) == []
    assert histogram([5.0, 5.0]) == [Bin(5, 6, 2)]


@given(st.lists(st.floats(min_value=0, max_value=500), min_size=1, max_size=200),
       st.integers(min_value=1, max_value=40))
def test_bins_hold_every_value_once_and_tile_the_range(values: list[float], most: int):
    ordered = sorted(values)
    bins = histogram(ordered, most)
    assert 1 <= len(bins) <= most
    assert sum(b.runs for b in bins) == len(values)
    assert bins[0].low <= ordered[0] and ordered[-1] < bins[-1].high
    assert all(a.high == b.low for a, b in itertools.pairwise(bins))


def test_a_group_ends_with_its_last_initiative_in_each_run():
    # 1 (PERT 2/4/12) and 2 (always 3 weeks) run side by side, 3 waits on both (1 week):
    # run by run, the group {1, 2} ends at max(d1, 3), the group {3} one week later
    graph = nx.DiGraph([(1, 3), (2, 3)])
    items = [PlanItem(1, 4, 1.0), PlanItem(2, 3, 1.0), PlanItem(3, 1, 1.0)]
    plan = ListScheduler(graph, items, START, Capacity(concurrent=2))
    result = forecast(plan, {1: Estimate(2, 4, 12), 2: Estimate(3, 3, 3)}, runs=400,
                      seed=8, groups={"first": [1, 2], "last": [3], "empty": [], "gone": [9]})

    assert set(result.group_ends) == {"first", "last"}
    first, last = result.group_ends["first"], result.group_ends["last"]
    assert first.p50 == max(result.ends[1].p50, 3.0)
    assert first.p85 == max(result.ends[1].p85, 3.0)
    assert last.p95 == first.p95 + 1.0
    assert last.p50 == result.makespan.p50
