"""The roadmap: list scheduling under dependencies and capacity, pinned and real dates,
phases, what-if, slip impact and baseline comparison (tracker.domain.roadmap)."""

import itertools
import math
from datetime import date, timedelta

import networkx as nx
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tracker.domain.errors import Conflict, DependencyCycle, InvalidInput, NotFound
from tracker.domain.graph import build_graph, critical_path, network_times
from tracker.domain.roadmap import (
    Capacity,
    Move,
    Phase,
    Plan,
    PlanItem,
    Slip,
    assign_phase,
    compare_to_baseline,
    default_phases,
    impact_of_slip,
    pin_conflicts,
    schedule,
    week_date,
    what_if,
)

START = date(2025, 1, 6)  # a Monday
A, B, C, D, E, F, G = 1, 2, 3, 4, 5, 6, 7
TEXTBOOK_DURATIONS = {A: 6, B: 2, C: 2, D: 3, E: 4, F: 2, G: 1}
TEXTBOOK_EDGES = [(A, B), (A, C), (B, D), (C, F), (D, E), (F, E), (E, G)]


def item(id, duration, priority=None, **fields):
    """A plan item with defaults: no priority, load 1, planned."""
    return PlanItem(id, duration, priority, **fields)


def day(n):
    """The date n days after START."""
    return START + timedelta(days=n)


def starts(plan):
    return {s.id: s.start_week for s in plan.items}


def spans(plan):
    return {s.id: (s.start_week, s.end_week) for s in plan.items}


@pytest.fixture
def textbook():
    return build_graph(TEXTBOOK_DURATIONS, TEXTBOOK_EDGES)


@pytest.fixture
def textbook_items():
    return [item(n, d) for n, d in TEXTBOOK_DURATIONS.items()]


# --- capacity -------------------------------------------------------------------------


@pytest.mark.parametrize("fields", [
    {"concurrent": 0}, {"concurrent": -2}, {"concurrent": 1.5}, {"concurrent": True},
    {"points_per_week": 0}, {"points_per_week": -2.5}, {"points_per_week": math.nan},
    {"points_per_week": math.inf},
])
def test_capacity_must_be_positive(fields):
    with pytest.raises(InvalidInput) as caught:
        Capacity(**fields)

    assert list(caught.value.errors) == ["capacity"]
    assert caught.value.status == 422


def test_capacity_reports_both_limits_at_once():
    with pytest.raises(InvalidInput) as caught:
        Capacity(concurrent=0, points_per_week=-1)

    assert len(caught.value.errors["capacity"]) == 2


def test_capacity_limits():
    assert Capacity().unlimited
    assert Capacity().allows(running=1000, points=1e9, load=5)
    assert not Capacity(concurrent=2).allows(running=2, points=0, load=0)
    assert Capacity(points_per_week=3).allows(running=5, points=2, load=1)
    assert not Capacity(points_per_week=3).allows(running=0, points=2.5, load=1)


# --- the textbook network -------------------------------------------------------------


def test_unlimited_capacity_starts_everything_at_its_earliest(textbook, textbook_items):
    plan = schedule(textbook, textbook_items, START, Capacity())

    assert spans(plan) == {A: (0, 6), B: (6, 8), C: (6, 8), D: (8, 11), F: (8, 10),
                           E: (11, 15), G: (15, 16)}
    assert plan.makespan_weeks == 16.0
    assert plan.critical_path == ([A, B, D, E, G], 16.0)
    assert plan.end == date(2025, 4, 28)


def test_scheduled_items_carry_dates_waves_slack_and_criticality(textbook, textbook_items):
    plan = schedule(textbook, textbook_items, START)

    assert [(s.id, s.start, s.end) for s in plan.items] == [
        (A, date(2025, 1, 6), date(2025, 2, 17)),
        (B, date(2025, 2, 17), date(2025, 3, 3)),
        (C, date(2025, 2, 17), date(2025, 3, 3)),
        (D, date(2025, 3, 3), date(2025, 3, 24)),
        (F, date(2025, 3, 3), date(2025, 3, 17)),
        (E, date(2025, 3, 24), date(2025, 4, 21)),
        (G, date(2025, 4, 21), date(2025, 4, 28)),
    ]
    by_id = plan.by_id()
    assert {n: s.wave for n, s in by_id.items()} == {A: 0, B: 1, C: 1, D: 2, F: 2, E: 3, G: 4}
    assert {n: s.slack_weeks for n, s in by_id.items()} == {
        A: 0, B: 0, C: 1, D: 0, F: 1, E: 0, G: 0}
    assert sorted(n for n, s in by_id.items() if s.critical) == [A, B, D, E, G]


def test_one_at_a_time_takes_the_sum_of_durations_ties_by_id(textbook, textbook_items):
    plan = schedule(textbook, textbook_items, START, Capacity(concurrent=1))

    assert spans(plan) == {A: (0, 6), B: (6, 8), C: (8, 10), D: (10, 13), F: (13, 15),
                           E: (15, 19), G: (19, 20)}
    assert plan.makespan_weeks == 20.0 == sum(TEXTBOOK_DURATIONS.values())
    assert plan.critical_path == ([A, B, D, E, G], 16.0)  # a network measure


def test_the_highest_priority_ready_initiative_starts_first(textbook):
    priorities = {C: 10, F: 5}
    items = [item(n, d, priorities.get(n, 1)) for n, d in TEXTBOOK_DURATIONS.items()]

    plan = schedule(textbook, items, START, Capacity(concurrent=1))

    # After A: C (10) before B (1); then F (5) before B; then B, D, E, G.
    assert [s.id for s in plan.items] == [A, C, F, B, D, E, G]
    assert spans(plan)[B] == (10, 12)


def test_a_null_priority_comes_after_every_number():
    items = [item(1, 1, None), item(2, 1, -5), item(3, 1, 0.5)]

    plan = schedule(nx.DiGraph(), items, START, Capacity(concurrent=1))

    assert [s.id for s in plan.items] == [3, 2, 1]


def test_two_at_a_time_on_the_textbook(textbook, textbook_items):
    plan = schedule(textbook, textbook_items, START, Capacity(concurrent=2))

    assert plan.makespan_weeks == 16.0
    assert spans(plan)[F] == (8, 10)


def test_capacity_points_limit_the_sum_of_loads_and_the_order_is_strict():
    items = [item(1, 2, 3, load=2), item(2, 1, 2, load=2), item(3, 1, 1, load=1)]

    plan = schedule(nx.DiGraph(), items, START, Capacity(points_per_week=3))

    # 2 does not fit beside 1 (2 + 2 > 3); 3 would, but does not overtake 2.
    assert spans(plan) == {1: (0, 2), 2: (2, 3), 3: (2, 3)}
    assert plan.makespan_weeks == 3.0


def test_both_capacity_limits_apply_together():
    items = [item(n, 1, load=1) for n in range(1, 6)]

    plan = schedule(nx.DiGraph(), items, START, Capacity(concurrent=3, points_per_week=2))

    assert spans(plan) == {1: (0, 1), 2: (0, 1), 3: (1, 2), 4: (1, 2), 5: (2, 3)}


def test_an_item_with_no_load_fits_under_full_points():
    items = [item(1, 2, 5, load=3), item(2, 1, 1, load=0)]

    plan = schedule(nx.DiGraph(), items, START, Capacity(points_per_week=3))

    assert spans(plan) == {1: (0, 2), 2: (0, 1)}


def test_lags_delay_the_dependent():
    graph = build_graph([1, 2, 3, 4], [(1, 2, 1), (1, 3), (2, 4, 2), (3, 4)])
    items = [item(1, 3), item(2, 2), item(3, 4), item(4, 1)]

    plan = schedule(graph, items, START)

    assert spans(plan) == {1: (0, 3), 2: (4, 6), 3: (3, 7), 4: (8, 9)}
    assert plan.makespan_weeks == plan.critical_path[1] == 9.0
    assert plan.critical_path[0] == [1, 2, 4]


def test_fractional_weeks_round_dates_to_the_nearest_day():
    plan = schedule(nx.DiGraph([(1, 2)]), [item(1, 1.5), item(2, 0.3)], START)

    # 1.5 weeks = 10.5 days → 11; 1.8 weeks = 12.6 days → 13.
    assert [(s.start, s.end) for s in plan.items] == [(day(0), day(11)), (day(11), day(13))]
    assert plan.items[1].start_week == 1.5
    assert week_date(START, 1 / 7 * 3) == day(3)


def test_items_as_mapping_or_sequence_give_the_same_plan(textbook, textbook_items):
    as_mapping = {i.id: i for i in reversed(textbook_items)}

    assert schedule(textbook, as_mapping, START) == schedule(textbook, textbook_items, START)


def test_items_outside_the_graph_are_independent():
    plan = schedule(build_graph([1], []), [item(1, 2), item(9, 3)], START, Capacity())

    assert spans(plan) == {1: (0, 2), 9: (0, 3)}
    assert plan.critical_path == ([9], 3.0)


def test_an_empty_plan():
    plan = schedule(nx.DiGraph(), [], START, Capacity(concurrent=2))

    assert plan == Plan(START, [], 0.0, ([], 0.0), [])
    assert plan.end == START


def test_a_cycle_is_refused():
    with pytest.raises(DependencyCycle):
        schedule(nx.DiGraph([(1, 2), (2, 1)]), [item(1, 1), item(2, 1)], START)


# --- invalid input --------------------------------------------------------------------


def test_an_item_heavier_than_the_capacity_is_named():
    items = [item(1, 1, load=2), item(7, 1, load=5)]

    with pytest.raises(InvalidInput) as caught:
        schedule(nx.DiGraph(), items, START, Capacity(points_per_week=3))

    assert caught.value.errors == {
        "load": ["initiative 7: load 5 exceeds the capacity of 3 points per week"]}


def test_every_invalid_input_is_reported_at_once():
    graph = build_graph([1, 2, 3, 4, 5, 6], [])
    items = [item(1, 0), item(2, 1, load=-1), item(3, 1, math.nan),
             item(4, 1, status="dropped"), item(5, 1, status="done"),
             item(6, 1, status="in_progress")]

    with pytest.raises(InvalidInput) as caught:
        schedule(graph, items, START)

    assert caught.value.errors == {
        "duration_weeks": ["initiative 1: duration must be > 0 weeks"],
        "load": ["initiative 2: load must be a number ≥ 0"],
        "priority": ["initiative 3: priority must be a finite number"],
        "status": ["initiative 4 is dropped: leave it out of the plan"],
        "actual_start": ["initiative 5 is done but has no actual start",
                         "initiative 6 is in_progress but has no actual start"],
        "actual_end": ["initiative 5 is done but has no actual end"],
    }


def test_a_graph_node_without_an_item_is_refused():
    with pytest.raises(InvalidInput) as caught:
        schedule(build_graph([1, 2], [(1, 2)]), [item(1, 1)], START)

    assert caught.value.errors == {"items": ["initiative 2 is in the graph but has no plan item"]}


def test_duplicate_and_mismatched_ids_are_refused():
    with pytest.raises(InvalidInput) as caught:
        schedule(nx.DiGraph(), [item(1, 1), item(1, 2)], START)
    assert caught.value.errors == {"items": ["initiative 1 appears twice"]}

    with pytest.raises(InvalidInput) as caught:
        schedule(nx.DiGraph(), {2: item(1, 1)}, START)
    assert caught.value.errors == {"items": ["key 2 holds initiative 1"]}


def test_an_actual_end_before_the_actual_start_is_refused():
    bad = item(1, 1, status="done", actual_start=day(7), actual_end=day(0))

    with pytest.raises(InvalidInput) as caught:
        schedule(nx.DiGraph(), [bad], START)

    assert list(caught.value.errors) == ["actual_end"]


# --- real dates -----------------------------------------------------------------------


def test_done_initiatives_keep_their_actual_dates():
    graph = build_graph([1, 2], [(1, 2)])
    items = [item(1, 3, status="done", actual_start=day(-35), actual_end=day(-8)),
             item(2, 2)]

    plan = schedule(graph, items, START)

    done, planned = plan.items
    assert (done.id, done.start, done.end, done.start_week) == (1, day(-35), day(-8), -5.0)
    assert (planned.start_week, planned.end_week) == (0, 2)  # never before the plan start
    assert plan.makespan_weeks == 2.0


def test_in_progress_initiatives_end_a_duration_after_their_actual_start():
    graph = build_graph([1, 2], [(1, 2, 1)])
    items = [item(1, 4, status="in_progress", actual_start=day(-14)), item(2, 1)]

    plan = schedule(graph, items, START)

    assert spans(plan) == {1: (-2, 2), 2: (3, 4)}
    assert plan.by_id()[1].start == day(-14)
    assert plan.by_id()[1].end == day(14)


def test_an_in_progress_initiative_with_an_actual_end_keeps_it():
    items = [item(1, 4, status="in_progress", actual_start=day(-14), actual_end=day(21))]

    plan = schedule(nx.DiGraph(), items, START)

    assert spans(plan) == {1: (-2, 3)}


def test_running_initiatives_use_capacity():
    items = [item(1, 4, status="in_progress", actual_start=day(-7)), item(2, 1, 9)]

    plan = schedule(nx.DiGraph(), items, START, Capacity(concurrent=1))

    assert spans(plan) == {1: (-1, 3), 2: (3, 4)}


def test_finished_initiatives_use_no_capacity():
    items = [item(1, 2, status="done", actual_start=day(-21), actual_end=day(-7), load=9),
             item(2, 1, load=2)]

    plan = schedule(nx.DiGraph(), items, START, Capacity(concurrent=1, points_per_week=2))

    assert spans(plan)[2] == (0, 1)


def test_a_real_start_in_the_future_takes_capacity_from_then():
    items = [item(1, 2, status="in_progress", actual_start=day(7)),
             item(2, 2, 5), item(3, 2, 1)]

    plan = schedule(nx.DiGraph(), items, START, Capacity(concurrent=2))

    # 2 and 3 start at 0; at week 1, 1 joins (real dates are never moved).
    assert spans(plan) == {1: (1, 3), 2: (0, 2), 3: (0, 2)}


# --- pinned starts --------------------------------------------------------------------


def test_a_pinned_initiative_never_starts_before_its_date():
    plan = schedule(nx.DiGraph(), [item(1, 1, pinned_start=day(14))], START)

    assert spans(plan) == {1: (2, 3)}
    assert plan.by_id()[1].start == day(14)


def test_a_pinned_initiative_goes_first_on_its_date():
    items = [item(1, 1, 10), item(2, 1, 1, pinned_start=START)]

    plan = schedule(nx.DiGraph(), items, START, Capacity(concurrent=1))

    assert [s.id for s in plan.items] == [2, 1]


def test_a_pin_before_the_plan_start_is_harmless():
    plan = schedule(nx.DiGraph(), [item(1, 1, pinned_start=day(-30))], START)

    assert spans(plan) == {1: (0, 1)}
    assert plan.pin_delays == []


def test_a_pin_after_its_prerequisites_is_kept():
    graph = build_graph([1, 2], [(1, 2)])

    plan = schedule(graph, [item(1, 1), item(2, 1, pinned_start=day(21))], START)

    assert spans(plan) == {1: (0, 1), 2: (3, 4)}


def test_a_pinned_date_before_a_prerequisite_ends_is_a_conflict_not_a_silent_move():
    graph = build_graph([1, 2], [(1, 2)])
    items = [item(1, 3), item(2, 1, pinned_start=day(7))]

    with pytest.raises(Conflict) as caught:
        schedule(graph, items, START)

    expected = {"id": 2, "pinned_start": "2025-01-13", "prerequisite_id": 1,
                "prerequisite_end": "2025-01-27", "lag_weeks": 0.0,
                "earliest_start": "2025-01-27"}
    assert caught.value.extra == {"conflicts": [expected]}
    assert str(caught.value) == ("Pinned start dates conflict with prerequisites: initiative 2 "
                                 "is pinned to 2025-01-13 but its prerequisite 1 ends "
                                 "2025-01-27.")
    assert caught.value.status == 409
    assert pin_conflicts(graph, items, START) == [expected]


def test_every_pin_conflict_is_collected():
    graph = build_graph([1, 2, 3, 4], [(1, 3), (2, 3, 1), (1, 4)])
    items = [item(1, 2), item(2, 1), item(3, 1, pinned_start=day(7)),
             item(4, 1, pinned_start=day(7))]

    conflicts = pin_conflicts(graph, items, START)

    # 3 waits for 1 (ends week 2) and 2 (ends week 1, plus 1 week of lag): both late.
    assert [(c["id"], c["prerequisite_id"], c["prerequisite_end"], c["lag_weeks"],
             c["earliest_start"]) for c in conflicts] == [
        (3, 1, "2025-01-20", 0.0, "2025-01-20"),
        (3, 2, "2025-01-13", 1.0, "2025-01-20"),
        (4, 1, "2025-01-20", 0.0, "2025-01-20"),
    ]
    with pytest.raises(Conflict) as caught:
        schedule(graph, items, START)
    assert caught.value.extra["conflicts"] == conflicts
    assert "(plus 1 weeks of lag)" in str(caught.value)


def test_pin_conflicts_follow_the_capacity_of_the_plan():
    graph = build_graph([1, 2, 3], [(2, 3)])
    items = [item(1, 2, 9), item(2, 2, 1), item(3, 1, pinned_start=day(14))]

    assert pin_conflicts(graph, items, START, Capacity()) == []
    # One at a time, 2 runs weeks 2-4: it ends after 3's pinned date.
    [conflict] = pin_conflicts(graph, items, START, Capacity(concurrent=1))
    assert (conflict["id"], conflict["prerequisite_end"]) == (3, "2025-02-03")


def test_waiting_for_capacity_past_a_pin_is_reported_as_a_delay():
    items = [item(1, 3, 5), item(2, 1, 1, pinned_start=day(7))]

    plan = schedule(nx.DiGraph(), items, START, Capacity(concurrent=1))

    assert spans(plan) == {1: (0, 3), 2: (3, 4)}
    assert plan.pin_delays == [{"id": 2, "pinned_start": "2025-01-13", "start": "2025-01-27",
                                "waited_weeks": 2.0}]


# --- phases ---------------------------------------------------------------------------


def test_default_phases_split_the_plan_in_equal_thirds(textbook, textbook_items):
    plan = schedule(textbook, textbook_items, START)  # 16 weeks = 112 days

    assert default_phases(plan) == [
        Phase("Phase 1", date(2025, 1, 6), date(2025, 2, 12)),   # day 37.3 → 37
        Phase("Phase 2", date(2025, 2, 12), date(2025, 3, 22)),  # day 74.7 → 75
        Phase("Phase 3", date(2025, 3, 22), date(2025, 4, 28)),  # day 112
    ]


def test_default_phases_other_counts_and_short_plans(textbook, textbook_items):
    plan = schedule(textbook, textbook_items, START)
    assert default_phases(plan, 1) == [Phase("Phase 1", START, date(2025, 4, 28))]

    two_days = Plan(START, [], 2 / 7, ([], 0.0))
    assert default_phases(two_days) == [Phase("Phase 1", day(0), day(1)),
                                        Phase("Phase 2", day(1), day(2))]
    assert default_phases(Plan(START, [], 0.0, ([], 0.0))) == []


@pytest.mark.parametrize("count", [0, -1, 2.5])
def test_default_phases_need_a_positive_count(textbook, textbook_items, count):
    with pytest.raises(InvalidInput) as caught:
        default_phases(schedule(textbook, textbook_items, START), count)

    assert list(caught.value.errors) == ["count"]


def test_an_initiative_belongs_to_the_phase_in_which_it_finishes():
    phases = [Phase("Quick wins", day(0), day(28)), Phase("Scale", day(28), day(84))]

    assert assign_phase(phases, day(1)) == "Quick wins"
    assert assign_phase(phases, day(28)) == "Quick wins"  # ends are exclusive
    assert assign_phase(phases, day(29)) == "Scale"
    assert assign_phase(phases, day(84)) == "Scale"
    assert assign_phase(phases, day(0)) is None  # finished before the roadmap
    assert assign_phase(phases, day(85)) is None
    assert assign_phase([], day(3)) is None


# --- what-if --------------------------------------------------------------------------


def test_delaying_an_initiative_moves_it_and_what_follows(textbook, textbook_items):
    result = what_if(textbook, textbook_items, START, Capacity(), delay={C: 2})

    # C 8-10, F 10-12, E waits for F: 12-16, G 16-17.
    assert (result.makespan_before, result.makespan_after) == (16.0, 17.0)
    assert result.makespan_change == 1.0
    assert result.moved == [
        Move(C, date(2025, 2, 17), date(2025, 3, 3), 2.0),
        Move(E, date(2025, 3, 24), date(2025, 3, 31), 1.0),
        Move(F, date(2025, 3, 3), date(2025, 3, 17), 2.0),
        Move(G, date(2025, 4, 21), date(2025, 4, 28), 1.0),
    ]


def test_a_delay_within_the_slack_leaves_the_makespan(textbook, textbook_items):
    result = what_if(textbook, textbook_items, START, Capacity(), delay={C: 1})

    assert result.makespan_after == 16.0
    assert [(m.id, m.delta_weeks) for m in result.moved] == [(C, 1.0), (F, 1.0)]


def test_a_slip_pushes_the_dependents_not_the_slipping_start(textbook, textbook_items):
    result = what_if(textbook, textbook_items, START, Capacity(), slip={D: 2})

    assert result.makespan_after == 18.0
    assert [(m.id, m.delta_weeks) for m in result.moved] == [(E, 2.0), (G, 2.0)]
    assert spans(result.after)[D] == (8, 13)


def test_dropping_keeps_the_transitive_precedence(textbook, textbook_items):
    result = what_if(textbook, textbook_items, START, Capacity(), drop={B})

    # D now follows A directly: D 6-9; E waits for F (10): 10-14; G 14-15.
    assert result.makespan_after == 15.0
    assert [(m.id, m.delta_weeks) for m in result.moved] == [(D, -2.0), (E, -1.0), (G, -1.0)]
    assert B not in result.after.by_id()


def test_changing_the_capacity(textbook, textbook_items):
    result = what_if(textbook, textbook_items, START, Capacity(),
                     new_capacity=Capacity(concurrent=1))

    assert (result.makespan_before, result.makespan_after) == (16.0, 20.0)
    assert [(m.id, m.delta_weeks) for m in result.moved] == [
        (C, 2.0), (D, 2.0), (E, 4.0), (F, 5.0), (G, 4.0)]


def test_an_empty_what_if_moves_nothing(textbook, textbook_items):
    result = what_if(textbook, textbook_items, START, Capacity(concurrent=2))

    assert result.moved == []
    assert result.makespan_before == result.makespan_after == 16.0
    assert result.before == result.after


def test_an_in_progress_initiative_can_slip_but_not_be_delayed():
    items = [item(1, 4, status="in_progress", actual_start=day(-7)), item(2, 1)]
    graph = build_graph([1, 2], [(1, 2)])

    result = what_if(graph, items, START, slip={1: 2})
    assert spans(result.after) == {1: (-1, 5), 2: (5, 6)}

    with pytest.raises(InvalidInput) as caught:
        what_if(graph, items, START, delay={1: 2})
    assert caught.value.errors == {
        "delay": ["initiative 1 is in_progress: its start cannot be delayed"]}


def test_bad_what_if_changes_are_all_reported(textbook_items, textbook):
    done = [*textbook_items[1:], item(A, 6, status="done", actual_start=day(-50),
                                     actual_end=day(-8))]

    with pytest.raises(InvalidInput) as caught:
        what_if(textbook, done, START, delay={99: 1, B: -1}, slip={A: 1}, drop={42})

    assert caught.value.errors == {
        "delay": ["initiative 2: weeks must be a number ≥ 0",
                  "initiative 99 is not in the plan"],
        "slip": ["initiative 1 is done: it cannot slip"],
        "drop": ["initiative 42 is not in the plan"],
    }


def test_a_delay_that_breaks_a_pin_is_a_conflict():
    graph = build_graph([1, 2], [(1, 2)])
    items = [item(1, 1), item(2, 1, pinned_start=day(14))]

    with pytest.raises(Conflict) as caught:
        what_if(graph, items, START, delay={1: 2})

    assert caught.value.extra["conflicts"][0]["prerequisite_end"] == "2025-01-27"


# --- slip impact and baseline ---------------------------------------------------------


@pytest.mark.parametrize("node, weeks, dependents, change", [
    (C, 1, {E, F, G}, 0.0),   # within C's slack
    (C, 3, {E, F, G}, 2.0),
    (A, 2, {B, C, D, E, F, G}, 2.0),
    (G, 1.5, set(), 1.5),
])
def test_impact_of_a_slip(textbook, textbook_items, node, weeks, dependents, change):
    assert impact_of_slip(textbook, textbook_items, START, Capacity(), node, weeks) == (
        dependents, change)


def test_impact_of_a_slip_under_capacity(textbook, textbook_items):
    # One at a time the makespan is the sum of durations: any slip adds to it.
    assert impact_of_slip(textbook, textbook_items, START, Capacity(concurrent=1), C, 1) == (
        {E, F, G}, 1.0)


def test_impact_of_a_slip_of_an_unknown_initiative(textbook, textbook_items):
    with pytest.raises(NotFound):
        impact_of_slip(textbook, textbook_items, START, Capacity(), 99, 1)


def test_compare_to_baseline_reports_slips_in_weeks(textbook, textbook_items):
    baseline_plan = schedule(textbook, textbook_items, START)
    baseline = {s.id: (s.start, s.end) for s in baseline_plan.items}
    current = what_if(textbook, textbook_items, START, slip={D: 2}).after

    slips = compare_to_baseline(baseline, current)

    assert [(s.id, s.slip_weeks, s.status) for s in slips] == [
        (A, 0.0, "on_time"), (B, 0.0, "on_time"), (C, 0.0, "on_time"), (D, 2.0, "late"),
        (E, 2.0, "late"), (F, 0.0, "on_time"), (G, 2.0, "late")]
    assert slips[3] == Slip(D, date(2025, 3, 24), date(2025, 4, 7), 2.0, "late")


def test_compare_to_baseline_reports_early_added_and_removed(textbook, textbook_items):
    current = schedule(textbook, textbook_items, START)  # G ends 2025-04-28
    baseline = {G: (date(2025, 4, 1), date(2025, 5, 1)), 99: (START, day(7))}
    current_without_a = Plan(START, [s for s in current.items if s.id in (G, B)],
                             16.0, ([], 0.0))

    slips = compare_to_baseline(baseline, current_without_a)

    assert slips == [
        Slip(B, None, date(2025, 3, 3), None, "added"),
        Slip(G, date(2025, 5, 1), date(2025, 4, 28), -3 / 7, "early"),
        Slip(99, day(7), None, None, "removed"),
    ]


# --- properties on random plans -------------------------------------------------------


@st.composite
def plans(draw, max_nodes=14, lags=True, pins=False):
    """A random DAG (edges from smaller to larger ids), items and a capacity."""
    ids = sorted(draw(st.sets(st.integers(1, 300), min_size=1, max_size=max_nodes)))
    pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=3 * len(ids))
                  if pairs else st.just([]))
    lag_values = [0.0, 0.0, 0.5, 1.0, 3.0] if lags else [0.0]
    edges = [(a, b, draw(st.sampled_from(lag_values))) for a, b in chosen]
    items = [PlanItem(n, draw(st.integers(1, 24)) / 4, draw(st.none() | st.integers(0, 5)),
                      load=draw(st.integers(0, 6)) / 2,
                      pinned_start=(draw(st.none() | st.integers(0, 60).map(day))
                                    if pins else None))
             for n in ids]
    heaviest = max(i.load for i in items)
    points = draw(st.none() | st.integers(0, 4).map(lambda extra: max(heaviest, 0.5) + extra))
    capacity = Capacity(draw(st.none() | st.integers(1, 4)), points)
    return build_graph(ids, edges), items, capacity


def _ready_week(graph, plan_spans, node):
    return max((plan_spans[p][1] + lag for p, _, lag in graph.in_edges(node, data="lag")),
               default=0.0)


@settings(max_examples=200, deadline=None)
@given(plans())
def test_no_initiative_starts_before_its_prerequisites_end_plus_lag(case):
    graph, items, capacity = case
    plan_spans = spans(schedule(graph, items, START, capacity))

    for u, v, lag in graph.edges(data="lag"):
        assert plan_spans[v][0] >= plan_spans[u][1] + lag
    for i in items:
        assert plan_spans[i.id][0] >= 0
        assert plan_spans[i.id][1] == plan_spans[i.id][0] + i.duration_weeks


@settings(max_examples=200, deadline=None)
@given(plans())
def test_capacity_is_never_exceeded(case):
    graph, items, capacity = case
    plan_spans = spans(schedule(graph, items, START, capacity))
    loads = {i.id: i.load for i in items}

    for instant in {s for s, _ in plan_spans.values()}:
        running = [n for n, (s, e) in plan_spans.items() if s <= instant < e]
        if capacity.concurrent is not None:
            assert len(running) <= capacity.concurrent
        if capacity.points_per_week is not None:
            assert sum(loads[n] for n in running) <= capacity.points_per_week


@settings(max_examples=200, deadline=None)
@given(plans())
def test_ready_initiatives_start_in_priority_order_as_soon_as_possible(case):
    graph, items, capacity = case
    plan_spans = spans(schedule(graph, items, START, capacity))
    by_id = {i.id: i for i in items}
    ends = {e for _, e in plan_spans.values()}

    def key(n):
        p = by_id[n].priority
        return (p is None, -(p or 0), n)

    for x, y in itertools.permutations(plan_spans, 2):
        x_start, y_start = plan_spans[x][0], plan_spans[y][0]
        if _ready_week(graph, plan_spans, y) <= x_start < y_start:
            assert key(y) > key(x)  # y was waiting when x started: x came first in line
    for n, (s, _) in plan_spans.items():  # an initiative starts when ready or at a finish
        assert s == _ready_week(graph, plan_spans, n) or s in ends


@settings(max_examples=100, deadline=None)
@given(plans(pins=True))
def test_the_schedule_is_deterministic(case):
    graph, items, capacity = case
    shuffled = build_graph(reversed(list(graph)),
                           [(u, v, lag) for u, v, lag in reversed(list(graph.edges(data="lag")))])
    try:
        first = schedule(graph, items, START, capacity)
    except Conflict as error:
        with pytest.raises(Conflict) as again:
            schedule(shuffled, list(reversed(items)), START, capacity)
        assert again.value.extra == error.extra
        return
    assert schedule(graph, items, START, capacity) == first
    assert schedule(shuffled, {i.id: i for i in reversed(items)}, START, capacity) == first


@settings(max_examples=200, deadline=None)
@given(plans())
def test_unlimited_capacity_makespan_is_the_critical_path_duration(case):
    graph, items, _ = case
    durations = {i.id: i.duration_weeks for i in items}

    plan = schedule(graph, items, START, Capacity())

    assert plan.makespan_weeks == critical_path(graph, durations)[1]
    assert starts(plan) == network_times(graph, durations).earliest_start


@settings(max_examples=200, deadline=None)
@given(plans(lags=False))
def test_one_at_a_time_makespan_is_the_sum_of_durations(case):
    graph, items, _ = case

    plan = schedule(graph, items, START, Capacity(concurrent=1))

    assert plan.makespan_weeks == sum(i.duration_weeks for i in items)


@settings(max_examples=100, deadline=None)
@given(plans(pins=True))
def test_pins_are_kept_or_every_conflict_is_reported(case):
    graph, items, capacity = case
    conflicts = pin_conflicts(graph, items, START, capacity)
    if conflicts:
        with pytest.raises(Conflict) as caught:
            schedule(graph, items, START, capacity)
        assert caught.value.extra["conflicts"] == conflicts
        for c in conflicts:
            late = date.fromisoformat(c["prerequisite_end"]) + timedelta(weeks=c["lag_weeks"])
            assert late >= date.fromisoformat(c["pinned_start"])
        return
    plan = schedule(graph, items, START, capacity)
    for i in items:
        if i.pinned_start is not None:
            assert plan.by_id()[i.id].start >= i.pinned_start


@settings(max_examples=100, deadline=None)
@given(plans(), st.data())
def test_with_unlimited_capacity_a_slip_costs_between_nothing_and_itself(case, data):
    graph, items, _ = case
    node = data.draw(st.sampled_from(sorted(graph)))
    weeks = data.draw(st.integers(0, 12)) / 2

    dependents, change = impact_of_slip(graph, items, START, Capacity(), node, weeks)

    assert 0 <= change <= weeks
    assert dependents == nx.descendants(graph, node)


@settings(max_examples=100, deadline=None)
@given(plans(), st.data())
def test_dropping_never_lengthens_an_unlimited_plan(case, data):
    graph, items, _ = case
    drop = data.draw(st.sets(st.sampled_from(sorted(graph))))
    assume(len(drop) < len(items))

    result = what_if(graph, items, START, Capacity(), drop=drop)

    assert result.makespan_after <= result.makespan_before
    assert {s.id for s in result.after.items} == {i.id for i in items} - drop


def test_the_critical_path_starts_from_work_already_under_way():
    """In progress since 10 weeks (26 weeks long) → ends at week 16; its dependent (4 weeks)
    at week 20; an independent 12-week item ends at 12. Unlimited capacity: the critical
    path is the remaining chain, 20 weeks, equal to the makespan (not 26 + 4 = 30)."""
    begin = date(2027, 1, 4)
    items = [PlanItem(1, 26, 5, actual_start=begin - timedelta(weeks=10), status="in_progress"),
             PlanItem(2, 4, 1), PlanItem(3, 12, 9)]
    plan = schedule(build_graph([1, 2, 3], [(1, 2)]), items, begin)
    assert plan.makespan_weeks == 20.0
    assert plan.critical_path == ([1, 2], 20.0)
    assert {s.id: s.critical for s in plan.items} == {1: True, 2: True, 3: False}
    assert plan.by_id()[3].slack_weeks == 8.0


def test_a_pin_releases_its_item_in_the_critical_path_method():
    begin = date(2027, 1, 4)
    items = [PlanItem(1, 3, 1, pinned_start=begin + timedelta(weeks=5)), PlanItem(2, 6, 1)]
    plan = schedule(build_graph([1, 2], []), items, begin)
    assert plan.makespan_weeks == 8.0
    assert plan.critical_path == ([1], 8.0)
