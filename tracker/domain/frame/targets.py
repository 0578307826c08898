"""Targets (the ambition): target gap, share and weighted gap, percent and progress to
target (DESIGN section 3).

A dimension's target is a level of the scale. Axes and the whole grid get a target for
progress by aggregation: **an axis's target is the weighted mean (`W_d`) of its dimensions'
targets**, over the dimensions that have one, and the overall target is the weighted mean
(`W_a`) of the axis targets, exactly as scores aggregate. Nothing is rounded.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tracker.domain.prioritization import dimension_shares
from tracker.domain.scoring import AssessmentScores, AxisSpec, weighted_mean


@dataclass(frozen=True, slots=True)
class DimensionTarget:
    """A dimension's score against its target, with its share of the overall score."""

    code: str
    score: float | None
    target: float | None
    target_gap: float | None
    share: float
    weighted_gap: float | None


@dataclass(frozen=True, slots=True)
class TargetProgress:
    """Progress to target between a baseline and a later assessment, at every level."""

    dimensions: dict[str, float | None]
    axes: dict[str, float | None]
    overall: float | None


def target_gap(score: float | None, target: float | None) -> float | None:
    """`max(0, target - score)`; null when the score or the target is missing.

    >>> target_gap(2.5, 4), target_gap(4.5, 4), target_gap(None, 4)
    (1.5, 0.0, None)
    """
    if score is None or target is None:
        return None
    return max(0.0, target - score)


def shares(axes: Sequence[AxisSpec]) -> dict[str, float]:
    """Each dimension's share of the overall score for a grid of `AxisSpec`,
    `share_d = W_a·W_d / (Σ_axes W_a · Σ_{dims of its axis} W_d)`, computed by
    `tracker.domain.prioritization.dimension_shares` (axes that cannot hold a score are left
    out of `Σ_axes W_a`).

    >>> from tracker.domain.scoring import DimensionSpec
    >>> axes = [AxisSpec("a", "A", 1, (DimensionSpec("a.x", "X", "a", 1),
    ...                                DimensionSpec("a.y", "Y", "a", 3))),
    ...         AxisSpec("b", "B", 3, (DimensionSpec("b.z", "Z", "b"),))]
    >>> shares(axes)
    {'a.x': 0.0625, 'a.y': 0.1875, 'b.z': 0.75}
    """
    return dimension_shares([(axis.code, axis.weight, [(d.code, d.weight) for d in axis.dimensions])
                             for axis in axes])


def weighted_gap(share: float, gap: float | None) -> float | None:
    """`share_d · target gap`: how much of the overall score the gap costs.

    >>> weighted_gap(0.25, 2.0), weighted_gap(0.25, None)
    (0.5, None)
    """
    return None if gap is None else share * gap


def score_map(scores: AssessmentScores) -> dict[str, float | None]:
    """Dimension code → score, in grid order.

    >>> from tracker.domain.scoring import AxisScore, DimensionScore
    >>> s = AssessmentScores(2.0, (AxisScore("a", "A", 2.0, (
    ...     DimensionScore("a.x", "X", 2.0, 1, 0.0), DimensionScore("a.y", "Y", None, 0, None))),))
    >>> score_map(s)
    {'a.x': 2.0, 'a.y': None}
    """
    return {dim.code: dim.score for axis in scores.axes for dim in axis.dimensions}


def percent_to_target(scores: Mapping[str, float | None],
                      targets: Mapping[str, float | None]) -> float | None:
    """`1 - Σ target gaps / Σ targets` over the dimensions with a target.

    A dimension with a target but no score has no target gap and is left out of both sums
    (a null never counts as zero). Null when no dimension has both, or the targets sum
    to 0.

    >>> percent_to_target({"a": 3.0, "b": 4.5, "c": None}, {"a": 4, "b": 4, "c": 5})
    0.875
    >>> percent_to_target({"a": 3.0}, {}) is None
    True
    """
    gaps: list[float] = []
    totals: list[float] = []
    for code, target in targets.items():
        gap = target_gap(scores.get(code), target)
        if gap is not None and target is not None:  # a gap implies a target
            gaps.append(gap)
            totals.append(target)
    total = math.fsum(totals)
    if not totals or total == 0:
        return None
    return 1 - math.fsum(gaps) / total


def progress_to_target(baseline: float | None, current: float | None,
                       target: float | None) -> float | None:
    """`(current - baseline) / (target - baseline)`; null where target = baseline or any
    value is missing. 1 means the target is reached, a negative value a step back.

    >>> progress_to_target(2.0, 2.5, 4.0)
    0.25
    >>> progress_to_target(2.0, 2.5, 2.0) is None
    True
    """
    if baseline is None or current is None or target is None or target == baseline:
        return None
    return (current - baseline) / (target - baseline)


def axis_targets(axes: Sequence[AxisSpec],
                 targets: Mapping[str, float | None]) -> dict[str, float | None]:
    """Each axis's target: the `W_d`-weighted mean of its dimensions' targets (dimensions
    without a target are left out; null when none has one).

    >>> from tracker.domain.scoring import DimensionSpec
    >>> axes = [AxisSpec("a", "A", 1, (DimensionSpec("a.x", "X", "a", 1),
    ...                                DimensionSpec("a.y", "Y", "a", 3)))]
    >>> axis_targets(axes, {"a.x": 2, "a.y": 4})
    {'a': 3.5}
    """
    return {axis.code: weighted_mean((targets.get(d.code), d.weight) for d in axis.dimensions)
            for axis in axes}


def overall_target(axes: Sequence[AxisSpec],
                   targets: Mapping[str, float | None]) -> float | None:
    """The overall target: the `W_a`-weighted mean of the axis targets.

    >>> from tracker.domain.scoring import DimensionSpec
    >>> axes = [AxisSpec("a", "A", 1, (DimensionSpec("a.x", "X", "a"),)),
    ...         AxisSpec("b", "B", 3, (DimensionSpec("b.z", "Z", "b"),))]
    >>> overall_target(axes, {"a.x": 2, "b.z": 4})
    3.5
    """
    per_axis = axis_targets(axes, targets)
    return weighted_mean((per_axis[a.code], a.weight) for a in axes)


def dimension_targets(axes: Sequence[AxisSpec], scores: AssessmentScores,
                      targets: Mapping[str, float | None]) -> list[DimensionTarget]:
    """Score, target, target gap, share and weighted gap of every dimension, in grid order.

    >>> from tracker.domain.scoring import DimensionSpec, RatingPoint, score_assessment
    >>> axes = [AxisSpec("a", "A", 1, (DimensionSpec("a.x", "X", "a"),
    ...                                DimensionSpec("a.y", "Y", "a")))]
    >>> scores = score_assessment(axes, [RatingPoint(1, "a.x", 2), RatingPoint(1, "a.y", 4)])
    >>> [(t.code, t.target_gap, t.weighted_gap) for t in dimension_targets(axes, scores,
    ...                                                                  {"a.x": 4})]
    [('a.x', 2.0, 1.0), ('a.y', None, None)]
    """
    share_of = shares(axes)
    score_of = score_map(scores)
    result = []
    for axis in axes:
        for dim in axis.dimensions:
            score, target = score_of.get(dim.code), targets.get(dim.code)
            gap = target_gap(score, target)
            result.append(DimensionTarget(dim.code, score, target, gap, share_of[dim.code],
                                          weighted_gap(share_of[dim.code], gap)))
    return result


def target_progress(axes: Sequence[AxisSpec], baseline: AssessmentScores,
                    current: AssessmentScores,
                    targets: Mapping[str, float | None]) -> TargetProgress:
    """Progress to target of every dimension, every axis and overall, from `baseline` to
    `current` (axis and overall targets aggregated as in `axis_targets`).

    >>> from tracker.domain.scoring import DimensionSpec, RatingPoint, score_assessment
    >>> axes = [AxisSpec("a", "A", 1, (DimensionSpec("a.x", "X", "a"),))]
    >>> before = score_assessment(axes, [RatingPoint(1, "a.x", 2)])
    >>> after = score_assessment(axes, [RatingPoint(1, "a.x", 3)])
    >>> target_progress(axes, before, after, {"a.x": 4})
    TargetProgress(dimensions={'a.x': 0.5}, axes={'a': 0.5}, overall=0.5)
    """
    before, after = score_map(baseline), score_map(current)
    dims = {code: progress_to_target(before.get(code), after.get(code), targets.get(code))
            for axis in axes for code in (d.code for d in axis.dimensions)}
    axis_target = axis_targets(axes, targets)
    axis_before = {a.code: a.score for a in baseline.axes}
    axis_after = {a.code: a.score for a in current.axes}
    per_axis = {a.code: progress_to_target(axis_before.get(a.code), axis_after.get(a.code),
                                           axis_target[a.code]) for a in axes}
    overall = progress_to_target(baseline.overall, current.overall,
                                 overall_target(axes, targets))
    return TargetProgress(dims, per_axis, overall)
