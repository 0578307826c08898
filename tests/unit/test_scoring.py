"""Scoring domain: hand-computed cases and properties."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.scoring import (
    AxisSpec,
    DimensionSpec,
    RatingPoint,
    population_stdev,
    score_assessment,
    weighted_mean,
)

values = st.one_of(st.none(), st.integers(1, 5).map(float))


def _grid(weights: list[float]) -> list[AxisSpec]:
    return [AxisSpec(f"a{i}", f"A{i}", w, (DimensionSpec(f"a{i}.d", "D", f"a{i}"),))
            for i, w in enumerate(weights)]


def test_six_one_dimension_axes_rated_211121_give_four_thirds():
    points = [RatingPoint(1, f"a{i}.d", v) for i, v in enumerate([2, 1, 1, 1, 2, 1])]
    assert score_assessment(_grid([1.0] * 6), points).overall == 8 / 6


def test_axis_weights_and_dimension_weights_apply():
    axes = [AxisSpec("p", "P", 3, (DimensionSpec("p.x", "X", "p", 2),
                                   DimensionSpec("p.y", "Y", "p", 1))),
            AxisSpec("q", "Q", 1, (DimensionSpec("q.z", "Z", "q"),))]
    points = [RatingPoint(1, "p.x", 4), RatingPoint(1, "p.y", 1), RatingPoint(1, "q.z", 5)]
    result = score_assessment(axes, points)
    assert result.axes[0].score == 3.0  # (2·4 + 1·1) / 3
    assert result.overall == 3.5  # (3·3 + 1·5) / 4


@given(st.lists(values, min_size=1, max_size=30))
def test_a_dimension_score_is_the_mean_of_its_non_null_ratings(ratings):
    points = [RatingPoint(i, "a0.d", v) for i, v in enumerate(ratings)]
    score = score_assessment(_grid([1.0]), points).axes[0].dimensions[0].score
    present = [v for v in ratings if v is not None]
    if present:
        assert math.isclose(score, sum(present) / len(present))
        assert min(present) <= score <= max(present)
    else:
        assert score is None


@given(st.lists(st.tuples(values, st.floats(0.1, 10)), min_size=1, max_size=8))
def test_overall_lies_between_the_lowest_and_highest_axis(axis_ratings):
    weights = [w for _, w in axis_ratings]
    points = [RatingPoint(1, f"a{i}.d", v) for i, (v, _) in enumerate(axis_ratings)]
    result = score_assessment(_grid(weights), points)
    scored = [a.score for a in result.axes if a.score is not None]
    if scored:
        assert min(scored) - 1e-9 <= result.overall <= max(scored) + 1e-9
    else:
        assert result.overall is None


@given(st.lists(st.floats(1, 5), min_size=1, max_size=50))
def test_stdev_is_zero_only_for_identical_values(vals):
    stdev = population_stdev(vals)
    assert stdev >= 0
    if len(set(vals)) == 1:
        assert stdev == 0


def test_weighted_mean_ignores_nulls_not_as_zero():
    assert weighted_mean([(None, 5.0), (2.0, 1.0)]) == 2.0
