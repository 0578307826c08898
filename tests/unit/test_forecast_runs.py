"""The forecast's fast runs give, to the last bit, what the roadmap's own list scheduling
gives run by run (DESIGN section 3, "Forecast": each run "runs the same list scheduling as
the roadmap"). The reference below is the plain definition: draw every estimated duration
in id order with `Estimate.draw`, schedule with `ListScheduler.end_weeks`, take nearest-rank
percentiles; the forecast must agree with it exactly, under every kind of capacity, with
pins, lags, loads and work with real dates."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from datetime import date, timedelta

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.domain.forecast import Estimate, forecast, nearest_rank
from tracker.domain.roadmap import Capacity, ListScheduler, PlanItem

START = date(2027, 1, 4)


def _reference(scheduler: ListScheduler, estimates: Mapping[int, Estimate], runs: int,
               seed: int) -> tuple[list[float], dict[int, list[float]]]:
    """Every run's makespan and every initiative's ends, by the definition."""
    rng = random.Random(seed)
    drawn = {node: estimate for node, estimate in sorted(estimates.items())
             if node in scheduler.items and scheduler.items[node].status != "done"
             and scheduler.items[node].duration_weeks is not None}
    makespans: list[float] = []
    ends: dict[int, list[float]] = {node: [] for node in scheduler.items}
    for _ in range(runs):
        extend = {node: estimate.draw(rng) - scheduler.items[node].weeks
                  for node, estimate in drawn.items()}
        end_weeks = scheduler.end_weeks(extend)
        makespans.append(max(0.0, max(end_weeks.values(), default=0.0)))
        for node, end in end_weeks.items():
            ends[node].append(end)
    return sorted(makespans), {node: sorted(values) for node, values in ends.items()}


CAPACITIES = st.sampled_from([Capacity(), Capacity(concurrent=1), Capacity(concurrent=2),
                              Capacity(points_per_week=2.5),
                              Capacity(concurrent=3, points_per_week=4.0)])


@st.composite
def plans(draw: st.DrawFn) -> tuple[ListScheduler, dict[int, Estimate]]:
    """Up to 9 initiatives in a random DAG with lags; some pinned, some done or under way,
    some with fractional durations and loads, most with an estimate."""
    count = draw(st.integers(min_value=1, max_value=9))
    graph: nx.DiGraph[int] = nx.DiGraph()
    graph.add_nodes_from(range(1, count + 1))
    for a in range(1, count + 1):
        for b in range(a + 1, count + 1):
            if draw(st.integers(0, 2)) == 0:
                graph.add_edge(a, b, lag=draw(st.sampled_from([0.0, 0.0, 0.5, 1.0])))
    items, estimates = [], {}
    for node in range(1, count + 1):
        weeks = draw(st.sampled_from([0.3, 1.0, 1.7, 2.0, 4.0, 6.5]))
        kind = draw(st.sampled_from(["planned"] * 5 + ["pinned", "done", "under_way",
                                                        "under_way_ended"]))
        started = START + timedelta(days=draw(st.integers(-30, 20)))
        items.append(PlanItem(
            node, weeks, draw(st.one_of(st.none(), st.integers(0, 5).map(float))),
            load=draw(st.sampled_from([0.5, 1.0, 2.0])),
            pinned_start=START + timedelta(days=draw(st.integers(0, 40)))
            if kind == "pinned" else None,
            actual_start=started if kind in {"done", "under_way", "under_way_ended"} else None,
            actual_end=started + timedelta(days=draw(st.integers(1, 50)))
            if kind in {"done", "under_way_ended"} else None,
            status={"done": "done", "under_way": "in_progress",
                    "under_way_ended": "in_progress"}.get(kind, "approved")))
        if draw(st.integers(0, 4)):
            low = draw(st.sampled_from([0.0, 0.5, 1.0, 2.0]))
            likely = low + draw(st.sampled_from([0.0, 0.7, 2.0]))
            estimates[node] = Estimate(low, likely, likely + draw(st.sampled_from(
                [0.0, 1.3, 4.0])))
    return ListScheduler(graph, items, START, draw(CAPACITIES)), estimates


@settings(max_examples=150, deadline=None)
@given(plans(), st.integers(min_value=0, max_value=10_000))
def test_every_run_is_the_roadmaps_list_scheduling_to_the_last_bit(plan, seed: int):
    scheduler, estimates = plan
    makespans, ends = _reference(scheduler, estimates, 25, seed)

    result = forecast(scheduler, estimates, runs=25, seed=seed)

    assert list(result.makespans) == makespans
    assert result.makespan.p85 == nearest_rank(makespans, 0.85)
    assert result.makespan.mean == sum(makespans) / 25
    assert set(result.ends) == set(ends)
    for node, values in ends.items():
        spread = result.ends[node]
        assert (spread.p50, spread.p85, spread.p95) == tuple(
            nearest_rank(values, share) for share in (0.5, 0.85, 0.95))
        assert spread.mean == sum(values) / 25


def _random_network(count: int, edges: int, seed: int) -> tuple[
        nx.DiGraph[int], list[PlanItem], dict[int, Estimate]]:
    rng = random.Random(seed)
    graph: nx.DiGraph[int] = nx.DiGraph()
    graph.add_nodes_from(range(1, count + 1))
    while graph.number_of_edges() < edges:
        a, b = sorted(rng.sample(range(1, count + 1), 2))
        graph.add_edge(a, b, lag=rng.choice([0.0, 0.0, 1.0]))
    items = [PlanItem(n, float(rng.randint(1, 12)), rng.random()) for n in range(1, count + 1)]
    return graph, items, {i.id: Estimate(0.7 * i.weeks, i.weeks, 1.8 * i.weeks) for i in items}


def test_a_large_plan_under_capacity_agrees_with_the_definition():
    graph, items, estimates = _random_network(120, 300, 4)
    for capacity in (Capacity(), Capacity(concurrent=7), Capacity(points_per_week=3.0)):
        scheduler = ListScheduler(graph, items, START, capacity)
        makespans, ends = _reference(scheduler, estimates, 40, 9)
        result = forecast(scheduler, estimates, runs=40, seed=9)
        assert list(result.makespans) == makespans
        assert {n: s.p95 for n, s in result.ends.items()} == {
            n: v[math.ceil(0.95 * 40) - 1] for n, v in ends.items()}


def test_the_makespans_are_every_run_smallest_first():
    # one task PERT (0, 5, 10): 50 runs, all within [0, 10], sorted, their nearest ranks
    plan = ListScheduler(nx.DiGraph(), [PlanItem(1, 5, 1.0)], START)
    result = forecast(plan, {1: Estimate(0, 5, 10)}, runs=50, seed=2)
    assert len(result.makespans) == 50
    assert list(result.makespans) == sorted(result.makespans)
    assert result.makespans[0] >= 0 and result.makespans[-1] <= 10
    assert result.makespan.p50 == result.makespans[24]  # ⌈0.5·50⌉ = 25th
