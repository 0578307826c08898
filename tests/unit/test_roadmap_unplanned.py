"""Initiatives the roadmap cannot schedule (no duration, or waiting on one that has none)
are left out and listed with their reasons; the plan and every read built on it go on
(tracker.domain.roadmap, DESIGN section 3 "Schedule")."""

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.test_roadmap import (
    START,
    TEXTBOOK_DURATIONS,
    TEXTBOOK_EDGES,
    A,
    B,
    C,
    D,
    E,
    F,
    G,
    day,
    item,
    plans,
    spans,
)
from tracker.domain.errors import DependencyCycle
from tracker.domain.graph import build_graph
from tracker.domain.roadmap import (
    DEPENDS_ON_UNPLANNED,
    NO_DURATION,
    Capacity,
    PlanItem,
    Unplanned,
    compare_to_baseline,
    impact_of_slip,
    pin_conflicts,
    schedule,
    what_if,
)


@pytest.fixture
def textbook():
    return build_graph(TEXTBOOK_DURATIONS, TEXTBOOK_EDGES)


@pytest.fixture
def c_without_duration():
    """The textbook network where C is a fresh idea with no estimate yet."""
    return [item(n, None if n == C else d) for n, d in TEXTBOOK_DURATIONS.items()]


def test_an_initiative_without_duration_and_what_waits_for_it_are_left_out(
        textbook, c_without_duration):
    plan = schedule(textbook, c_without_duration, START)

    # C has no duration; F waits for C, E for F, G for E. A, B, D are planned as before.
    assert spans(plan) == {A: (0, 6), B: (6, 8), D: (8, 11)}
    assert plan.makespan_weeks == 11.0
    assert plan.critical_path == ([A, B, D], 11.0)
    assert plan.unplanned == [
        Unplanned(C, (NO_DURATION,), ()),
        Unplanned(E, (DEPENDS_ON_UNPLANNED,), (F,)),
        Unplanned(F, (DEPENDS_ON_UNPLANNED,), (C,)),
        Unplanned(G, (DEPENDS_ON_UNPLANNED,), (E,)),
    ]
    assert {s.id: s.slack_weeks for s in plan.items} == {A: 0.0, B: 0.0, D: 0.0}


def test_both_reasons_are_given_and_every_unplanned_prerequisite_is_named():
    graph = build_graph([1, 2, 3, 4], [(1, 3), (2, 3), (3, 4), (2, 4)])
    items = [item(1, None), item(2, None), item(3, 1), item(4, None)]

    plan = schedule(graph, items, START)

    assert plan.items == []
    assert plan.unplanned == [
        Unplanned(1, (NO_DURATION,), ()), Unplanned(2, (NO_DURATION,), ()),
        Unplanned(3, (DEPENDS_ON_UNPLANNED,), (1, 2)),
        Unplanned(4, (NO_DURATION, DEPENDS_ON_UNPLANNED), (2, 3))]
    assert (plan.makespan_weeks, plan.critical_path, plan.end) == (0.0, ([], 0.0), START)


def test_work_with_real_dates_needs_no_duration_and_waits_for_nobody():
    graph = build_graph([1, 2, 3, 4], [(1, 2), (1, 3), (1, 4)])
    items = [item(1, None),
             item(2, None, status="done", actual_start=day(-21), actual_end=day(-7)),
             item(3, None, status="in_progress", actual_start=day(-7), actual_end=day(14)),
             item(4, None, status="in_progress", actual_start=day(-7))]

    plan = schedule(graph, items, START)

    # 2 and 3 keep their real dates though their prerequisite 1 is not planned; 4 is under
    # way but, without an actual end, needs a duration to say when it ends.
    assert spans(plan) == {2: (-3, -1), 3: (-1, 2)}
    assert plan.unplanned == [Unplanned(1, (NO_DURATION,), ()),
                              Unplanned(4, (NO_DURATION,), ())]


def test_a_plan_of_work_already_finished_has_no_critical_path():
    """A fresh organization: one idea with only a title, one initiative done last month
    (weeks -5 to -2). Nothing ends at or after the plan start: no critical path, and the
    done work could have ended 2 weeks later without delaying anything."""
    items = [item(1, None), item(2, None, status="done", actual_start=day(-35),
                                 actual_end=day(-14))]

    for capacity in (Capacity(), Capacity(concurrent=1)):
        plan = schedule(build_graph([1, 2], []), items, START, capacity)

        assert (plan.makespan_weeks, plan.critical_path) == (0.0, ([], 0.0))
        assert [(s.id, s.slack_weeks, s.critical) for s in plan.items] == [(2, 2.0, False)]
        assert plan.unplanned == [Unplanned(1, (NO_DURATION,), ())]


def test_a_cycle_is_still_refused_when_some_initiatives_have_no_duration():
    with pytest.raises(DependencyCycle):
        schedule(nx.DiGraph([(1, 2), (2, 1)]), [item(1, None), item(2, 1)], START)


def test_a_pinned_initiative_waiting_on_an_unplanned_one_is_no_conflict():
    graph = build_graph([1, 2], [(1, 2)])
    items = [item(1, None), item(2, 1, pinned_start=day(7))]

    assert pin_conflicts(graph, items, START) == []
    assert schedule(graph, items, START).unplanned == [
        Unplanned(1, (NO_DURATION,), ()), Unplanned(2, (DEPENDS_ON_UNPLANNED,), (1,))]


def test_dropping_an_unplanned_blocker_in_a_what_if_plans_what_waited(
        textbook, c_without_duration):
    result = what_if(textbook, c_without_duration, START, drop={C})

    # Without C, F follows A directly: F 6-8, E waits for D (11): 11-15, G 15-16.
    assert (result.makespan_before, result.makespan_after) == (11.0, 16.0)
    assert spans(result.after)[F] == (6, 8)
    assert result.after.unplanned == []
    assert result.moved == []  # A, B and D keep their starts; E, F, G were not planned


def test_changes_to_an_unplanned_initiative_change_nothing(textbook, c_without_duration):
    result = what_if(textbook, c_without_duration, START, delay={C: 2, F: 1}, slip={E: 3})

    assert result.makespan_after == result.makespan_before == 11.0
    assert result.moved == []
    assert result.after.unplanned == result.before.unplanned


def test_the_impact_of_an_unplanned_initiative_slipping(textbook, c_without_duration):
    assert impact_of_slip(textbook, c_without_duration, START, Capacity(), C, 2) == (
        {E, F, G}, 0.0)
    assert impact_of_slip(textbook, c_without_duration, START, Capacity(), B, 2) == (
        {D, E, G}, 2.0)


def test_a_baseline_item_that_is_no_longer_planned_is_reported_as_unplanned(
        textbook, c_without_duration):
    baseline_plan = schedule(textbook, [item(n, d) for n, d in TEXTBOOK_DURATIONS.items()],
                             START)
    baseline = {s.id: (s.start, s.end) for s in baseline_plan.items}

    slips = compare_to_baseline(baseline, schedule(textbook, c_without_duration, START))

    assert [(s.id, s.slip_weeks, s.status) for s in slips] == [
        (A, 0.0, "on_time"), (B, 0.0, "on_time"), (C, None, "unplanned"),
        (D, 0.0, "on_time"), (E, None, "unplanned"), (F, None, "unplanned"),
        (G, None, "unplanned")]


@settings(max_examples=150, deadline=None)
@given(plans(), st.data())
def test_leaving_out_is_planning_the_rest_alone(case, data):
    """The unplanned initiatives are exactly those without a duration and those waiting,
    directly or not, on one; the others are planned as if the unplanned did not exist."""
    graph, items, capacity = case
    missing = data.draw(st.sets(st.sampled_from(sorted(graph))))
    items = [PlanItem(i.id, None, i.priority, load=i.load) if i.id in missing else i
             for i in items]
    left_out = set(missing)
    for node in nx.topological_sort(graph):
        if any(p in left_out for p in graph.predecessors(node)):
            left_out.add(node)

    plan = schedule(graph, items, START, capacity)

    assert {u.id for u in plan.unplanned} == left_out
    for u in plan.unplanned:
        assert (NO_DURATION in u.reasons) == (u.id in missing)
        assert set(u.waiting_for) == {p for p in graph.predecessors(u.id) if p in left_out}
    kept = [i for i in items if i.id not in left_out]
    alone = schedule(graph.subgraph(i.id for i in kept).copy(), kept, START, capacity)
    assert plan.items == alone.items
    assert plan.makespan_weeks == alone.makespan_weeks
