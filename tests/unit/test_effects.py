"""Pilot effect, realized uplift and KPI status (DESIGN section 3)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.errors import InvalidInput
from tracker.domain.follow.effects import (
    KpiStatus,
    PilotEffect,
    kpi_status,
    pilot_effect,
    realized_uplift,
)
from tracker.domain.scoring import RatingPoint


def team_ratings(team: str | None, values: dict[str, list[float | None]], start: int,
                 ) -> list[RatingPoint]:
    """Respondents of `team` numbered from `start`, the i-th giving values[dim][i]."""
    return [RatingPoint(start + i, dim, value, team=team)
            for dim, column in values.items() for i, value in enumerate(column)]


def test_pilot_effect_by_hand():
    # inside (squad-a, squad-b): x 4, 3, 4, 5 -> 4.0; y 3, 3, 3, 3 -> 3.0
    # outside (squad-c, no team): x 2, 3, 2 -> 7/3; y 2, 2, 2 -> 2.0
    points = (team_ratings("squad-a", {"x": [4, 3], "y": [3, 3]}, 1)
              + team_ratings("squad-b", {"x": [4, 5], "y": [3, 3]}, 10)
              + team_ratings("squad-c", {"x": [2, 3], "y": [2, 2]}, 20)
              + team_ratings(None, {"x": [2], "y": [2]}, 30)
              + team_ratings("squad-a", {"z": [5]}, 1))  # z is not lifted by the initiative

    effect = pilot_effect(points, {"squad-a", "squad-b"}, ["x", "y"])

    assert effect.per_dimension == {"x": pytest.approx(4 - 7 / 3), "y": 1.0}
    assert (effect.inside_n, effect.outside_n) == (4, 3)
    # pooled: inside (16 + 12) / 8 = 3.5; outside (7 + 6) / 6 = 13/6
    assert effect.effect == pytest.approx(3.5 - 13 / 6)


def test_a_too_small_group_gives_no_effect():
    points = (team_ratings("pilot", {"x": [5, 5]}, 1)
              + team_ratings("rest", {"x": [2, 2, 2, 2]}, 10))

    assert pilot_effect(points, {"pilot"}, ["x"]) == PilotEffect({"x": None}, 2, 4, None)


def test_the_group_size_is_counted_per_dimension():
    # three inside respondents, but only two rated y
    points = (team_ratings("pilot", {"x": [4, 4, 4], "y": [4, 4, None]}, 1)
              + team_ratings("rest", {"x": [2, 2, 2], "y": [3, 3, 3]}, 10))

    effect = pilot_effect(points, {"pilot"}, ["x", "y"])

    assert effect.per_dimension == {"x": 2.0, "y": None}
    assert effect.inside_n == 3
    # pooled: inside (12 + 8) / 5 = 4; outside (6 + 9) / 6 = 2.5
    assert effect.effect == 1.5


def test_min_group_size_is_a_setting():
    points = (team_ratings("pilot", {"x": [5, 4]}, 1) + team_ratings("rest", {"x": [2, 3]}, 10))

    assert pilot_effect(points, {"pilot"}, ["x"], min_group_size=2).effect == 2.0


def test_no_lifted_dimension_gives_no_effect():
    points = team_ratings("pilot", {"x": [5, 5, 5]}, 1) + team_ratings("b", {"x": [1] * 3}, 9)

    assert pilot_effect(points, {"pilot"}, []) == PilotEffect({}, 0, 0, None)


def test_realized_uplift_is_after_minus_before():
    assert realized_uplift(2.25, 3.0) == 0.75
    assert realized_uplift(3.0, 2.5) == -0.5


def test_realized_uplift_is_null_when_a_score_is_missing():
    assert realized_uplift(None, 3.0) is None
    assert realized_uplift(2.0, None) is None


def test_lead_time_of_seven_days_for_a_target_of_five_is_off_target():
    assert kpi_status(7, 5, "lower_is_better") == KpiStatus(gap=2, on_target=False)


def test_incident_cycle_time_of_36_hours_for_a_target_of_24_is_off_target():
    assert kpi_status(36, 24, "lower_is_better") == KpiStatus(gap=12, on_target=False)


def test_internal_satisfaction_of_78_for_a_target_of_85_is_off_target():
    gap, on_target = kpi_status(78, 85, "higher_is_better")

    assert (gap, on_target) == (-7, False)


def test_reaching_the_target_exactly_is_on_target_either_way():
    assert kpi_status(5, 5, "lower_is_better").on_target is True
    assert kpi_status(85, 85, "higher_is_better").on_target is True
    assert kpi_status(4, 5, "lower_is_better") == (-1, True)
    assert kpi_status(90, 85, "higher_is_better") == (5, True)


def test_a_kpi_without_measurement_has_no_status():
    assert kpi_status(None, 5, "lower_is_better") == (None, None)


def test_an_unknown_direction_is_refused():
    with pytest.raises(InvalidInput) as caught:
        kpi_status(1, 2, "sideways")

    assert "direction" in caught.value.errors


# --- properties -------------------------------------------------------------------------

values = st.sampled_from([1.0, 2.0, 2.5, 3.0, 4.0, 5.0])
people = st.lists(st.tuples(st.sampled_from(["a", "b", "c"]),
                            st.dictionaries(st.sampled_from(["x", "y"]), values, min_size=1)),
                  max_size=20)


def as_points(rows) -> list[RatingPoint]:
    return [RatingPoint(i, dim, v, team=team) for i, (team, ans) in enumerate(rows)
            for dim, v in ans.items()]


@given(people, st.integers(1, 3))
def test_swapping_the_perimeter_and_the_rest_negates_the_effect(rows, min_size):
    points = as_points(rows)

    pilot = pilot_effect(points, {"a"}, ["x", "y"], min_group_size=min_size)
    rest = pilot_effect(points, {"b", "c"}, ["x", "y"], min_group_size=min_size)

    assert (pilot.inside_n, pilot.outside_n) == (rest.outside_n, rest.inside_n)
    for code in ("x", "y"):
        if pilot.per_dimension[code] is None:
            assert rest.per_dimension[code] is None
        else:
            assert rest.per_dimension[code] == pytest.approx(-pilot.per_dimension[code])
    if pilot.effect is not None:
        assert rest.effect == pytest.approx(-pilot.effect)
        assert pilot.inside_n >= min_size and pilot.outside_n >= min_size


@given(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6),
       st.sampled_from(["higher_is_better", "lower_is_better"]))
def test_on_target_follows_the_sign_of_the_gap(current, target, direction):
    gap, on_target = kpi_status(current, target, direction)

    assert gap == current - target
    assert on_target == (current >= target if direction == "higher_is_better"
                         else current <= target)
