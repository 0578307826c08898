"""Target gap, shares, weighted gap, percent and progress to target (DESIGN section 3)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.frame.targets import (
    DimensionTarget,
    TargetProgress,
    axis_targets,
    dimension_targets,
    overall_target,
    percent_to_target,
    progress_to_target,
    score_map,
    shares,
    target_gap,
    target_progress,
    weighted_gap,
)
from tracker.domain.scoring import AxisSpec, DimensionSpec, RatingPoint, score_assessment


def grid(a_weight: float = 2, b_weight: float = 1) -> list[AxisSpec]:
    """Axis a (weight 2): x (1), y (3); axis b (weight 1): z (1)."""
    return [AxisSpec("a", "A", a_weight, (DimensionSpec("a.x", "X", "a", 1),
                                          DimensionSpec("a.y", "Y", "a", 3))),
            AxisSpec("b", "B", b_weight, (DimensionSpec("b.z", "Z", "b", 1),))]


def one_respondent(scores: dict[str, float]) -> list[RatingPoint]:
    return [RatingPoint(1, code, value) for code, value in scores.items()]


def test_target_gap_is_what_remains_to_the_target():
    assert target_gap(2.5, 4) == 1.5
    assert target_gap(4.5, 4) == 0
    assert target_gap(4, 4) == 0


def test_target_gap_is_null_without_score_or_target():
    assert target_gap(None, 4) is None
    assert target_gap(3, None) is None


def test_shares_follow_axis_and_dimension_weights():
    # Σ W_a = 3; axis a: Σ W_d = 4 -> x = 2·1/(3·4), y = 2·3/(3·4); axis b: z = 1·1/(3·1)
    assert shares(grid()) == pytest.approx({"a.x": 1 / 6, "a.y": 1 / 2, "b.z": 1 / 3})


def test_an_axis_without_dimensions_takes_no_share():
    axes = [*grid(), AxisSpec("c", "C", 5, ())]

    assert shares(axes) == pytest.approx({"a.x": 1 / 6, "a.y": 1 / 2, "b.z": 1 / 3})


def test_zero_weights_give_zero_shares():
    axes = [AxisSpec("a", "A", 0, (DimensionSpec("a.x", "X", "a", 1),))]

    assert shares(axes) == {"a.x": 0.0}


def test_weighted_gap_is_share_times_target_gap():
    # y: share 1/2, score 2.5, target 4 -> gap 1.5 -> weighted 0.75
    share = shares(grid())["a.y"]

    assert weighted_gap(share, target_gap(2.5, 4)) == pytest.approx(0.75)
    assert weighted_gap(share, None) is None


def test_percent_to_target_by_hand():
    # gaps: x 4-3 = 1, y 0 (above), z 5-2 = 3 -> 1 - 4 / 13
    scores = {"a.x": 3.0, "a.y": 4.5, "b.z": 2.0}

    assert percent_to_target(scores, {"a.x": 4, "a.y": 4, "b.z": 5}) == pytest.approx(9 / 13)


def test_percent_to_target_counts_only_dimensions_with_a_target_and_a_score():
    scores = {"a.x": 3.0, "a.y": 1.0, "b.z": None}

    # a.y has no target, b.z no score: only a.x counts -> 1 - 1/4
    assert percent_to_target(scores, {"a.x": 4, "b.z": 5}) == 0.75


def test_percent_to_target_is_null_without_targets():
    assert percent_to_target({"a.x": 3.0}, {}) is None
    assert percent_to_target({"a.x": None}, {"a.x": 4}) is None
    assert percent_to_target({"a.x": 1.0}, {"a.x": 0}) is None


def test_percent_to_target_is_one_when_every_target_is_reached():
    assert percent_to_target({"a.x": 4.2, "a.y": 3.0}, {"a.x": 4, "a.y": 3}) == 1.0


def test_progress_to_target_by_hand():
    assert progress_to_target(2.0, 2.5, 4.0) == 0.25
    assert progress_to_target(2.0, 4.0, 4.0) == 1.0
    assert progress_to_target(2.0, 1.5, 4.0) == -0.25


def test_progress_to_target_is_null_where_target_equals_baseline_or_a_value_is_missing():
    assert progress_to_target(3.0, 3.5, 3.0) is None
    assert progress_to_target(None, 3.5, 4.0) is None
    assert progress_to_target(3.0, None, 4.0) is None
    assert progress_to_target(3.0, 3.5, None) is None


def test_axis_target_is_the_weighted_mean_of_its_dimensions_targets():
    # a: (1·2 + 3·4) / 4 = 3.5; b: 5
    assert axis_targets(grid(), {"a.x": 2, "a.y": 4, "b.z": 5}) == {"a": 3.5, "b": 5.0}


def test_axis_target_skips_dimensions_without_target():
    assert axis_targets(grid(), {"a.y": 4}) == {"a": 4.0, "b": None}


def test_overall_target_is_the_weighted_mean_of_axis_targets():
    # (2·3.5 + 1·5) / 3
    assert overall_target(grid(), {"a.x": 2, "a.y": 4, "b.z": 5}) == pytest.approx(4.0)
    assert overall_target(grid(), {}) is None


def test_dimension_targets_list_score_target_gap_share_and_weighted_gap():
    scores = score_assessment(grid(), one_respondent({"a.x": 3, "a.y": 2.5}))

    rows = dimension_targets(grid(), scores, {"a.y": 4, "b.z": 5})

    assert rows[0] == DimensionTarget("a.x", 3.0, None, None, pytest.approx(1 / 6), None)
    assert rows[1] == DimensionTarget("a.y", 2.5, 4, 1.5, 0.5, 0.75)
    assert rows[2] == DimensionTarget("b.z", None, 5, None, pytest.approx(1 / 3), None)


def test_target_progress_at_every_level():
    targets = {"a.x": 4, "a.y": 4, "b.z": 5}
    before = score_assessment(grid(), one_respondent({"a.x": 2, "a.y": 2, "b.z": 3}))
    after = score_assessment(grid(), one_respondent({"a.x": 3, "a.y": 2, "b.z": 4}))

    progress = target_progress(grid(), before, after, targets)

    # a: 2 -> 2.25 toward 4: 0.125; b: 3 -> 4 toward 5: 0.5
    # overall: (2·2 + 3)/3 = 7/3 -> (2·2.25 + 4)/3 = 17/6, target (2·4 + 5)/3 = 13/3
    assert progress == TargetProgress(
        dimensions={"a.x": 0.5, "a.y": 0.0, "b.z": 0.5},
        axes={"a": 0.125, "b": 0.5},
        overall=pytest.approx((17 / 6 - 7 / 3) / (13 / 3 - 7 / 3)))


def test_score_map_lists_every_dimension_in_grid_order():
    scores = score_assessment(grid(), one_respondent({"b.z": 4}))

    assert score_map(scores) == {"a.x": None, "a.y": None, "b.z": 4.0}


# --- properties -----------------------------------------------------------------------

levels = st.floats(min_value=0, max_value=5, allow_nan=False)
weights = st.floats(min_value=0.1, max_value=10, allow_nan=False)


@given(st.one_of(st.none(), levels), st.one_of(st.none(), levels))
def test_target_gap_is_never_negative(score, target):
    gap = target_gap(score, target)

    if score is None or target is None:
        assert gap is None
    else:
        assert gap >= 0
        assert gap == max(0.0, target - score)


@given(st.lists(st.lists(weights, min_size=1, max_size=5), min_size=1, max_size=4),
       st.lists(weights, min_size=4, max_size=4))
def test_shares_sum_to_one(dim_weights, axis_weights):
    axes = [AxisSpec(f"a{i}", "A", axis_weights[i],
                     tuple(DimensionSpec(f"a{i}.d{j}", "D", f"a{i}", w)
                           for j, w in enumerate(ws)))
            for i, ws in enumerate(dim_weights)]

    assert math.fsum(shares(axes).values()) == pytest.approx(1.0)


@given(st.dictionaries(st.sampled_from("abcdef"), levels, min_size=1),
       st.dictionaries(st.sampled_from("abcdef"), st.floats(min_value=0.5, max_value=5),
                       min_size=1))
def test_percent_to_target_lies_between_zero_and_one(scores, targets):
    percent = percent_to_target(scores, targets)

    if any(code in scores for code in targets):
        assert 0 - 1e-9 <= percent <= 1 + 1e-9
    else:
        assert percent is None


@given(levels, levels, levels)
def test_progress_is_zero_at_baseline_and_one_at_target(baseline, current, target):
    progress = progress_to_target(baseline, current, target)

    if target == baseline:
        assert progress is None
    else:
        assert progress_to_target(baseline, baseline, target) == 0
        assert progress_to_target(baseline, target, target) == pytest.approx(1)
        assert progress == pytest.approx((current - baseline) / (target - baseline))
