"""Pilot criteria verdicts and the suggested decision (DESIGN section 3, "Pilot criteria")."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.follow.pilot_criteria import (
    Reading,
    judge,
    suggested_decision,
    verdict,
    window,
)

START, END, TODAY = date(2026, 1, 1), date(2026, 3, 31), date(2026, 6, 1)
SPAN = window(START, END, TODAY)
statuses = st.lists(st.sampled_from(["met", "not_met", "no_data"]), max_size=8)
readings = st.lists(st.builds(Reading, st.dates(date(2025, 10, 1), date(2026, 6, 30)),
                              st.floats(-100, 100)), max_size=10)


def test_hand_cases():
    # window: 2026-01-01 .. 2026-03-31 + 14 days = 2026-04-14
    assert (START, date(2026, 4, 14)) == SPAN
    rows = [Reading(date(2025, 12, 31), 1.0), Reading(date(2026, 2, 1), 6.0),
            Reading(date(2026, 4, 14), 5.0), Reading(date(2026, 4, 15), 1.0)]
    # latest in the window: 5.0 on 2026-04-14; lower is better 5 <= 5 met; higher 5 >= 5.5 no
    assert verdict(7, 5.0, "lower_is_better", rows, SPAN).status == "met"
    assert verdict(7, 5.5, "higher_is_better", rows, SPAN).status == "not_met"
    assert verdict(7, 5.5, "higher_is_better", rows, SPAN).value == 5.0
    # two on the same date: the one given last counts
    same = [Reading(date(2026, 2, 1), 9.0), Reading(date(2026, 2, 1), 2.0)]
    assert verdict(7, 3.0, "higher_is_better", same, SPAN).status == "not_met"
    # no start: no window; no end: up to today
    assert window(None, END, TODAY) is None
    assert window(START, None, date(2026, 2, 1)) == (START, date(2026, 2, 1))
    judged = judge([{"kpi_id": 7, "threshold": 5}, {"kpi_id": 8, "threshold": 1}],
                   {7: "lower_is_better", 8: "higher_is_better"},
                   {7: rows, 8: [Reading(date(2026, 3, 1), 0.5)]}, START, END, TODAY)
    # 5 <= 5 met, 0.5 >= 1 not met: adjust
    assert [v.status for v in judged.verdicts] == ["met", "not_met"]
    assert judged.suggested_decision == "adjust"
    unknown = judge([{"kpi_id": 9, "threshold": 1}], {}, {}, START, END, TODAY)
    assert unknown.verdicts[0].status == "no_data" and unknown.suggested_decision is None


@given(statuses)
def test_the_suggestion_matches_its_definition(values):
    decision = suggested_decision(values)
    if not values or "no_data" in values:
        assert decision is None
    elif all(v == "met" for v in values):
        assert decision == "generalize"
    elif "met" not in values:
        assert decision == "stop"
    else:
        assert decision == "adjust"


@given(statuses, st.permutations(range(8)))
def test_the_suggestion_ignores_the_order(values, order):
    shuffled = [values[i] for i in order if i < len(values)]
    assert suggested_decision(shuffled) == suggested_decision(values)


@given(readings, st.floats(-100, 100),
       st.sampled_from(["higher_is_better", "lower_is_better"]))
def test_a_verdict_rests_on_the_latest_reading_in_the_window(rows, threshold, direction):
    result = verdict(1, threshold, direction, rows, SPAN)
    assert SPAN is not None
    inside = [r for r in rows if SPAN[0] <= r.measured_at <= SPAN[1]]
    if not inside:
        assert (result.status, result.value, result.measured_at) == ("no_data", None, None)
        return
    latest = max(r.measured_at for r in inside)
    assert result.measured_at == latest
    assert result.value == [r for r in inside if r.measured_at == latest][-1].value
    assert result.value is not None
    hit = result.value >= threshold if direction == "higher_is_better" \
        else result.value <= threshold
    assert result.status == ("met" if hit else "not_met")
    # readings outside the window never change the verdict
    moved = [*rows, Reading(SPAN[1] + timedelta(days=1), threshold + 1e6)]
    assert verdict(1, threshold, direction, moved, SPAN) == result


@given(readings, st.floats(-100, 100))
def test_a_pilot_without_a_start_has_no_verdict(rows, threshold):
    judged = judge([{"kpi_id": 1, "threshold": threshold}], {1: "higher_is_better"},
                   {1: rows}, None, END, TODAY)
    assert judged.verdicts[0].status == "no_data" and judged.suggested_decision is None
