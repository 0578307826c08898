"""Maturity scores of an assessment: dimension, axis and overall scores, dispersion and
source agreement (DESIGN section 3).

Scores are never rounded here; a dimension with no non-null rating has a null score, and a
null never counts as zero in a weighted mean.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

SOURCES: tuple[str, ...] = ("interview", "document", "observation", "survey")


@dataclass(frozen=True, slots=True)
class RatingPoint:
    """One respondent's rating of one dimension, with the respondent's attributes."""

    respondent_id: int
    dimension: str
    value: float | None
    source: str = "survey"
    role: str | None = None
    team: str | None = None
    level: str | None = None
    perspective: str | None = None


@dataclass(frozen=True, slots=True)
class DimensionSpec:
    """A dimension of the grid as scoring sees it."""

    code: str
    name: str
    axis: str
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class AxisSpec:
    """An axis of the grid as scoring sees it, dimensions in display order."""

    code: str
    name: str
    weight: float = 1.0
    dimensions: tuple[DimensionSpec, ...] = ()


@dataclass(frozen=True, slots=True)
class DimensionScore:
    """Score of one dimension: weighted mean, dispersion and source agreement."""

    code: str
    name: str
    score: float | None
    n: int
    stdev: float | None
    source_means: dict[str, float] = field(default_factory=dict)
    source_spread: float | None = None


@dataclass(frozen=True, slots=True)
class AxisScore:
    """Score of one axis and of its dimensions."""

    code: str
    name: str
    score: float | None
    dimensions: tuple[DimensionScore, ...]


@dataclass(frozen=True, slots=True)
class AssessmentScores:
    """Scores of a whole assessment."""

    overall: float | None
    axes: tuple[AxisScore, ...]

    def dimension(self, code: str) -> DimensionScore:
        """The score of the dimension with this code (KeyError if the grid lacks it)."""
        for axis in self.axes:
            for dim in axis.dimensions:
                if dim.code == code:
                    return dim
        raise KeyError(code)


def weighted_mean(pairs: Iterable[tuple[float | None, float]]) -> float | None:
    """Mean of `(value, weight)` pairs, skipping null values; null when nothing counts.

    >>> weighted_mean([(2.0, 1.0), (4.0, 3.0), (None, 5.0)])
    3.5
    >>> weighted_mean([(None, 1.0)]) is None
    True
    """
    total = weight_sum = 0.0
    for value, weight in pairs:
        if value is None:
            continue
        total += weight * value
        weight_sum += weight
    if weight_sum == 0:
        return None
    return total / weight_sum


def population_stdev(values: Sequence[float]) -> float | None:
    """Population standard deviation; null for an empty sequence.

    >>> population_stdev([1.0, 3.0])
    1.0
    >>> population_stdev([]) is None
    True
    """
    if not values:
        return None
    if min(values) == max(values):
        return 0.0  # exactly, where rounding in the mean would leave a residue
    mean = math.fsum(values) / len(values)
    return math.sqrt(math.fsum((v - mean) ** 2 for v in values) / len(values))


def source_agreement(ratings: Iterable[RatingPoint]) -> tuple[dict[str, float], float | None]:
    """Mean rating per source type and the spread `max - min` between those means.

    Triangulation: where interviews, documents, observations and surveys disagree, the
    spread is large. The spread is null when fewer than two sources rated.

    >>> pts = [RatingPoint(1, "d", 2, "interview"), RatingPoint(2, "d", 4, "interview"),
    ...        RatingPoint(3, "d", 1, "document")]
    >>> source_agreement(pts)
    ({'interview': 3.0, 'document': 1.0}, 2.0)
    """
    by_source: dict[str, list[float]] = defaultdict(list)
    for point in ratings:
        if point.value is not None:
            by_source[point.source].append(point.value)
    means = {src: math.fsum(vals) / len(vals) for src, vals in by_source.items()}
    spread = max(means.values()) - min(means.values()) if len(means) >= 2 else None
    return means, spread


def score_dimension(spec: DimensionSpec, ratings: Sequence[RatingPoint],
                    source_weights: Mapping[str, float]) -> DimensionScore:
    """Score one dimension from its ratings: `Σ w_r·v_r / Σ w_r` with source weights.

    A source missing from `source_weights` weighs 1.0.

    >>> spec = DimensionSpec("d", "D", "a")
    >>> pts = [RatingPoint(1, "d", 2, "interview"), RatingPoint(2, "d", 5, "survey")]
    >>> score_dimension(spec, pts, {"interview": 2.0}).score
    3.0
    """
    values = [p.value for p in ratings if p.value is not None]
    score = weighted_mean((p.value, source_weights.get(p.source, 1.0)) for p in ratings)
    means, spread = source_agreement(ratings)
    return DimensionScore(code=spec.code, name=spec.name, score=score, n=len(values),
                          stdev=population_stdev(values), source_means=means,
                          source_spread=spread)


def score_assessment(axes: Sequence[AxisSpec], ratings: Iterable[RatingPoint],
                     source_weights: Mapping[str, float] | None = None) -> AssessmentScores:
    """Scores of every dimension, axis and the overall score of an assessment.

    Axis score: `Σ W_d·s_d / Σ W_d` over dimensions with a score; overall: the same over
    axes with `W_a`. Ratings of dimensions outside the grid are ignored.

    >>> axes = [AxisSpec("a", "A", 1, (DimensionSpec("a.x", "X", "a", 1),
    ...                                DimensionSpec("a.y", "Y", "a", 3))),
    ...         AxisSpec("b", "B", 2, (DimensionSpec("b.z", "Z", "b"),))]
    >>> pts = [RatingPoint(1, "a.x", 1), RatingPoint(1, "a.y", 3), RatingPoint(1, "b.z", 4)]
    >>> result = score_assessment(axes, pts)
    >>> result.axes[0].score, result.overall
    (2.5, 3.5)
    """
    weights = dict(source_weights or {})
    by_dimension: dict[str, list[RatingPoint]] = defaultdict(list)
    for point in ratings:
        by_dimension[point.dimension].append(point)
    axis_scores = []
    for axis in axes:
        dims = tuple(score_dimension(d, by_dimension.get(d.code, ()), weights)
                     for d in axis.dimensions)
        score = weighted_mean((s.score, d.weight) for s, d in zip(dims, axis.dimensions,
                                                                    strict=True))
        axis_scores.append(AxisScore(axis.code, axis.name, score, dims))
    overall = weighted_mean((s.score, a.weight) for s, a in zip(axis_scores, axes, strict=True))
    return AssessmentScores(overall=overall, axes=tuple(axis_scores))
