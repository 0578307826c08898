"""The Monte Carlo forecast of the plan (DESIGN section 3, "Forecast")."""

from __future__ import annotations

import math
import statistics
from datetime import date

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.domain.errors import InvalidInput
from tracker.domain.forecast import Estimate, forecast, nearest_rank
from tracker.domain.roadmap import Capacity, ListScheduler, PlanItem

START = date(2027, 1, 4)


def _chain() -> ListScheduler:
    return ListScheduler(nx.DiGraph([(1, 2)]), [PlanItem(1, 4, 2.0), PlanItem(2, 6, 1.0)],
                         START)


def test_a_chain_of_two_pert_tasks_has_the_closed_form_mean():
    # PERT means: (2 + 4·4 + 12) / 6 = 5 and (3 + 4·6 + 15) / 6 = 7: the chain's mean is 12.
    # The PERT variance is (b − a)²·αβ / ((α + β)²(α + β + 1)) with α = 1 + 4(m − a)/(b − a):
    # task 1: α = 1.8, β = 4.2, var = 100·7.56 / (36·7) = 3.0; task 2: α = 2.0, β = 4.0,
    # var = 144·8 / (36·7) = 4.5714; the mean of 20,000 runs has se = √(7.5714 / 20000)
    # = 0.0195, so 4 se is 0.078.
    estimates = {1: Estimate(2, 4, 12), 2: Estimate(3, 6, 15)}
    result = forecast(_chain(), estimates, runs=20_000, seed=7)
    assert abs(result.makespan.mean - 12.0) < 0.078
    assert result.ends[1].mean == pytest.approx(5.0, abs=0.06)


def test_percentiles_are_nearest_rank():
    # a single task fixed at 3 weeks: every run says 3
    plan = ListScheduler(nx.DiGraph(), [PlanItem(1, 3, 1.0)], START)
    result = forecast(plan, {1: Estimate(3, 3, 3)}, runs=10)
    assert (result.makespan.p50, result.makespan.p85, result.makespan.p95) == (3, 3, 3)
    # ranks ⌈0.5·10⌉ = 5, ⌈0.85·10⌉ = 9, ⌈0.95·10⌉ = 10 of 1..10
    values = [float(v) for v in range(1, 11)]
    assert [nearest_rank(values, s) for s in (0.5, 0.85, 0.95)] == [5.0, 9.0, 10.0]


def test_the_same_seed_gives_the_same_forecast_and_another_seed_another():
    estimates = {1: Estimate(2, 4, 12), 2: Estimate(3, 6, 15)}
    first = forecast(_chain(), estimates, runs=300, seed=11)
    assert forecast(_chain(), estimates, runs=300, seed=11) == first
    assert forecast(_chain(), estimates, runs=300, seed=12).makespan != first.makespan


def test_events_give_the_share_of_runs_where_they_hold():
    # task 1 uniform-ish on (0, 10) by PERT (0, 5, 10), symmetric: P(end ≤ 5) is about 0.5
    plan = ListScheduler(nx.DiGraph(), [PlanItem(1, 5, 1.0)], START)
    result = forecast(plan, {1: Estimate(0, 5, 10)}, runs=4000, seed=3,
                      events={"by_5": lambda ends: ends[1] <= 5.0})
    assert result.probabilities["by_5"] == pytest.approx(0.5, abs=0.04)


def test_done_work_keeps_its_dates():
    items = [PlanItem(1, 4, 1.0, status="done", actual_start=date(2026, 12, 7),
                      actual_end=START), PlanItem(2, 2, 1.0)]
    plan = ListScheduler(nx.DiGraph([(1, 2)]), items, START)
    result = forecast(plan, {1: Estimate(1, 10, 30), 2: Estimate(2, 2, 2)}, runs=50)
    assert result.ends[1].p95 == 0.0
    assert result.makespan.p50 == 2.0


def test_a_bad_estimate_or_run_count_is_refused_with_the_field():
    with pytest.raises(InvalidInput) as refused:
        Estimate(5, 3, 8)
    assert "estimate" in refused.value.errors
    with pytest.raises(InvalidInput) as no_runs:
        forecast(_chain(), {}, runs=0)
    assert "runs" in no_runs.value.errors


@st.composite
def plans(draw: st.DrawFn) -> tuple[nx.DiGraph[int], list[PlanItem], dict[int, Estimate]]:
    count = draw(st.integers(min_value=1, max_value=8))
    graph: nx.DiGraph[int] = nx.DiGraph()
    graph.add_nodes_from(range(1, count + 1))
    for a in range(1, count + 1):
        for b in range(a + 1, count + 1):
            if draw(st.booleans()):
                graph.add_edge(a, b)
    items, estimates = [], {}
    for node in range(1, count + 1):
        low = draw(st.integers(min_value=0, max_value=6))
        likely = low + draw(st.integers(min_value=0, max_value=6))
        high = likely + draw(st.integers(min_value=0, max_value=6))
        items.append(PlanItem(node, float(max(likely, 1)), float(draw(st.integers(0, 9)))))
        estimates[node] = Estimate(low, likely, high)
    return graph, items, estimates


@settings(max_examples=40, deadline=None)
@given(plans(), st.integers(min_value=0, max_value=1000))
def test_percentiles_are_ordered_and_one_at_a_time_is_never_earlier(plan, seed: int):
    graph, items, estimates = plan
    unlimited = forecast(ListScheduler(graph, items, START), estimates, runs=60, seed=seed)
    one = forecast(ListScheduler(graph, items, START, Capacity(concurrent=1)), estimates,
                   runs=60, seed=seed)
    for result in (unlimited, one):
        spread = result.makespan
        assert spread.p50 <= spread.p85 <= spread.p95
        for end in result.ends.values():
            assert end.p50 <= end.p85 <= end.p95
    # the same seed draws the same durations in both: run by run, one at a time ends no
    # earlier, so every percentile is no earlier
    assert one.makespan.p50 >= unlimited.makespan.p50 - 1e-9
    assert one.makespan.p85 >= unlimited.makespan.p85 - 1e-9
    assert one.makespan.p95 >= unlimited.makespan.p95 - 1e-9


@given(st.floats(min_value=0, max_value=20), st.floats(min_value=0, max_value=20),
       st.floats(min_value=0, max_value=20))
def test_pert_mean_lies_within_the_estimate(a: float, b: float, c: float):
    low, likely, high = sorted((a, b, c))
    estimate = Estimate(low, likely, high)
    assert low - 1e-9 <= estimate.mean <= high + 1e-9
    assert math.isclose(estimate.mean, (low + 4 * likely + high) / 6)


def test_draws_stay_within_the_estimate():
    import random
    rng = random.Random(5)
    draws = [Estimate(2, 3, 9).draw(rng) for _ in range(2000)]
    assert min(draws) >= 2 and max(draws) <= 9
    assert statistics.fmean(draws) == pytest.approx((2 + 12 + 9) / 6, abs=0.1)


@pytest.mark.parametrize(("estimate", "share"), [((2, 4, 12), 0.85), ((1, 1, 5), 0.5),
                                                 ((3, 9, 9), 0.95)])
def test_the_pert_quantile_matches_scipy_beta(estimate: tuple[float, float, float],
                                              share: float):
    from scipy import stats
    a, m, b = estimate
    alpha, beta = 1 + 4 * (m - a) / (b - a), 1 + 4 * (b - m) / (b - a)
    expected = a + (b - a) * stats.beta.ppf(share, alpha, beta)
    assert Estimate(*estimate).quantile(share) == pytest.approx(expected, abs=1e-9)
