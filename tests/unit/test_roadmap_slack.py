"""Slack under capacity is true: delaying an initiative by its slack leaves the plan's end
where it is, one week more moves it, and the what-if agrees (tracker.domain.roadmap,
DESIGN section 3 "Schedule")."""

import pytest
from hypothesis import assume, given, settings
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
)
from tracker.domain import roadmap
from tracker.domain.errors import Conflict
from tracker.domain.graph import EPSILON, build_graph, slack
from tracker.domain.roadmap import Capacity, pin_conflicts, schedule, what_if


@pytest.fixture
def textbook():
    return build_graph(TEXTBOOK_DURATIONS, TEXTBOOK_EDGES)


@pytest.fixture
def textbook_items():
    return [item(n, d) for n, d in TEXTBOOK_DURATIONS.items()]


def slacks(plan):
    return {s.id: s.slack_weeks for s in plan.items}


def makespan_after_delay(graph, items, capacity, node, weeks):
    return what_if(graph, items, START, capacity, delay={node: weeks}).makespan_after


def test_a_short_initiative_behind_a_long_one_has_no_slack_one_at_a_time():
    """One at a time: 2 (5 weeks, priority 2) runs 0-5, then 1 (1 week) 5-6. The network
    alone gives 1 four weeks of float (it is not on the longest path), but delaying it one
    week leaves the team idle a week: the end moves. Delaying 2 one week lets 1 go first
    (0-1) and 2 run 1-6: same end; two weeks leave a week idle."""
    graph = build_graph([1, 2], [])
    items = [item(1, 1, 1), item(2, 5, 2)]
    one = Capacity(concurrent=1)

    plan = schedule(graph, items, START, one)

    assert slack(graph, {1: 1, 2: 5}) == {1: 4.0, 2: 0.0}
    assert slacks(plan) == {1: 0.0, 2: 1.0}
    assert [s.id for s in plan.items if s.critical] == [1]
    assert makespan_after_delay(graph, items, one, 1, 1) == 7.0
    assert makespan_after_delay(graph, items, one, 2, 1) == 6.0
    assert makespan_after_delay(graph, items, one, 2, 2) == 7.0


def test_the_textbook_network_one_at_a_time(textbook, textbook_items):
    """20 weeks of work in a row (A 0-6, B 6-8, C 8-10, D 10-13, F 13-15, E 15-19,
    G 19-20). B may wait while C and F run (until week 10): 4 weeks; C while D runs: 3;
    D while F runs: 2. A, E, F and G would leave the team idle: none."""
    one = Capacity(concurrent=1)

    plan = schedule(textbook, textbook_items, START, one)

    assert slacks(plan) == {A: 0.0, B: 4.0, C: 3.0, D: 2.0, E: 0.0, F: 0.0, G: 0.0}
    assert sorted(s.id for s in plan.items if s.critical) == [A, E, F, G]
    assert plan.critical_path == ([A, B, D, E, G], 16.0)  # the network's longest path
    for node, weeks in slacks(plan).items():
        assert makespan_after_delay(textbook, textbook_items, one, node, weeks) == 20.0
        assert makespan_after_delay(textbook, textbook_items, one, node, weeks + 1) == 21.0


def test_two_at_a_time_the_textbook_slack_is_the_networks(textbook, textbook_items):
    plan = schedule(textbook, textbook_items, START, Capacity(concurrent=2))

    assert slacks(plan) == {A: 0.0, B: 0.0, C: 1.0, D: 0.0, E: 0.0, F: 1.0, G: 0.0}
    assert slacks(plan) == slacks(schedule(textbook, textbook_items, START))


def test_work_under_way_has_the_slack_of_its_end():
    """One at a time, 1 is under way (weeks -1 to 3); then 2 (1 week, priority 9) runs
    3-4 and 3 (2 weeks) 4-6. Work under way cannot start later, so its slack is how much
    later it may end: ending at 4 pushes 2 and 3 a week, none. 2 may wait while 3 runs:
    2 weeks; 3 is last: none."""
    items = [item(1, 4, status="in_progress", actual_start=day(-7)), item(2, 1, 9),
             item(3, 2, 1)]

    plan = schedule(build_graph([1, 2, 3], []), items, START, Capacity(concurrent=1))

    assert {s.id: (s.start_week, s.end_week) for s in plan.items} == {
        1: (-1, 3), 2: (3, 4), 3: (4, 6)}
    assert slacks(plan) == {1: 0.0, 2: 2.0, 3: 0.0}


def test_a_delay_that_would_break_a_pinned_dependent_is_beyond_the_slack():
    """1 (1 week) comes before 2, pinned to week 3; 3 (5 weeks) sets the end at week 5.
    Delaying 1 three weeks would not move the end but would make it end after 2's pinned
    date, a conflict: its slack is 2 weeks, with or without a capacity limit."""
    graph = build_graph([1, 2, 3], [(1, 2)])
    items = [item(1, 1), item(2, 1, pinned_start=day(21)), item(3, 5)]

    for capacity in (Capacity(), Capacity(concurrent=2)):
        assert slacks(schedule(graph, items, START, capacity))[1] == 2.0


def test_past_its_budget_the_search_promises_no_slack(textbook, textbook_items, monkeypatch):
    """Each search re-simulates the whole plan a few times; once the budget is spent the
    initiatives left report 0 weeks (nothing promised) and are listed as unverified. One
    probe re-simulates the 7 initiatives (it costs 7); in start order, A needs one probe
    (7), B two (21), C a first (28) and its second would pass the budget of 30, so C and D
    are unverified; F, E and G end too late for any delay to spare the end: 0 without a
    probe."""
    monkeypatch.setattr(roadmap, "SLACK_BUDGET", 30)

    plan = schedule(textbook, textbook_items, START, Capacity(concurrent=1))

    assert slacks(plan) == {A: 0.0, B: 4.0, C: 0.0, D: 0.0, E: 0.0, F: 0.0, G: 0.0}
    assert plan.slack_unverified == [C, D]


def test_a_budget_short_of_one_probe_each_searches_none(textbook, textbook_items,
                                                        monkeypatch):
    """A, B, C and D need a search: one probe each costs 4 × 7 = 28, over a budget of 27."""
    monkeypatch.setattr(roadmap, "SLACK_BUDGET", 27)

    plan = schedule(textbook, textbook_items, START, Capacity(concurrent=1))

    assert set(slacks(plan).values()) == {0.0}
    assert plan.slack_unverified == [A, B, C, D]


@settings(max_examples=150, deadline=None)
@given(plans(pins=True), st.data())
def test_under_capacity_the_slack_is_the_delay_that_leaves_the_end(case, data):
    """Delaying by the slack keeps the end and every pinned date; a week more moves the
    end or makes a pinned date conflict."""
    graph, items, capacity = case
    assume(not capacity.unlimited and not pin_conflicts(graph, items, START, capacity))
    plan = schedule(graph, items, START, capacity)
    node = data.draw(st.sampled_from(sorted(graph)))
    weeks = plan.by_id()[node].slack_weeks

    assert weeks == int(weeks) and 0 <= weeks <= plan.makespan_weeks
    assert plan.by_id()[node].critical == (weeks == 0)
    within = makespan_after_delay(graph, items, capacity, node, weeks)
    assert abs(within - plan.makespan_weeks) <= EPSILON
    try:
        beyond = makespan_after_delay(graph, items, capacity, node, weeks + 1)
    except Conflict:
        return
    assert abs(beyond - plan.makespan_weeks) > EPSILON


@settings(max_examples=150, deadline=None)
@given(plans(lags=True))
def test_with_unlimited_capacity_the_slack_is_the_networks(case):
    graph, items, _ = case

    plan = schedule(graph, items, START, Capacity())

    assert slacks(plan) == slack(graph, {i.id: i.duration_weeks for i in items})
    assert plan.slack_unverified == []
    for s in plan.items:
        after = makespan_after_delay(graph, items, Capacity(), s.id, s.slack_weeks)
        assert after == pytest.approx(plan.makespan_weeks, abs=1e-9)
        assert makespan_after_delay(graph, items, Capacity(), s.id, s.slack_weeks + 1) == (
            pytest.approx(plan.makespan_weeks + 1, abs=1e-9))
