"""How sure a score is, and whether a change is real (DESIGN section 3, "Uncertainty",
"Significant change", "Alignment gap").

- A dimension score `m` from non-null ratings `v_i` with source weights `w_i`:
  `σ²_w = Σ w_i (v_i − m)² / Σ w_i`, `n_eff = (Σ w_i)² / Σ w_i²`, `se = √(σ²_w / (n_eff − 1))`,
  `df = max(1, ⌊n_eff⌋ − 1)`, `margin = t(0.975, df) · se`; none when `n_eff < 2`. With equal
  weights it is the usual t interval with the sample standard deviation.
- An axis or the overall score: from each respondent's own axis or overall score, `se` the
  sample standard deviation over `√n`, `df = n − 1`, centred on the published score.
- A change `Δ = b − a`: `se_Δ = √(se_a² + se_b²)`, Welch–Satterthwaite degrees of freedom,
  `significant` when `|Δ| > t(0.975, df) · se_Δ`.
- The alignment gap's change per quarter: the least-squares slope of the gap over the
  assessments' closing times, per 91.3125 days.

Student's t quantile is computed here (the regularized incomplete beta function by its
continued fraction, inverted by bisection), so the domain needs no numerical library.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

from tracker.domain.scoring import AssessmentScores, AxisSpec, RatingPoint, score_assessment

#: The two-sided 95 % interval's quantile.
CONFIDENCE_QUANTILE = 0.975
#: A quarter, in days (365.25 / 4): the unit of the alignment gap's trend.
QUARTER_DAYS = 91.3125
QUARTER_SPAN = timedelta(days=QUARTER_DAYS)
_EPSILON = 1e-15
_TINY = 1e-300


@dataclass(frozen=True, slots=True)
class Interval:
    """A 95 % interval around `centre`: `centre ± margin`, from a standard error `se` with
    `df` degrees of freedom."""

    centre: float
    se: float
    df: int
    margin: float

    @property
    def low(self) -> float:
        """The interval's lower end."""
        return self.centre - self.margin

    @property
    def high(self) -> float:
        """The interval's upper end."""
        return self.centre + self.margin


@dataclass(frozen=True, slots=True)
class Change:
    """A change between two scores: `delta`, the margin it must exceed, and whether it
    does."""

    delta: float
    margin: float
    significant: bool


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the regularized incomplete beta function (modified Lentz's
    method), which converges fast for `x < (a + 1) / (a + b + 2)`."""
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    result = d
    for m in range(1, 500):
        for numerator in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                          -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > _TINY else _TINY)
            c = 1.0 + numerator / c
            c = c if abs(c) > _TINY else _TINY
            result *= c * d
        if abs(c * d - 1.0) < _EPSILON:
            break
    return result


def regularized_beta(x: float, a: float, b: float) -> float:
    """`I_x(a, b)`, the regularized incomplete beta function, for `0 ≤ x ≤ 1`.

    >>> round(regularized_beta(0.5, 2, 2), 12)
    0.5
    """
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                 + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_continued_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_continued_fraction(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    """Student's t distribution function with `df` degrees of freedom.

    >>> t_cdf(0.0, 5)
    0.5
    """
    tail = 0.5 * regularized_beta(df / (df + t * t), df / 2.0, 0.5)
    return 1.0 - tail if t >= 0 else tail


@lru_cache(maxsize=1024)
def t_quantile(p: float, df: int) -> float:
    """The `p` quantile of Student's t with `df` degrees of freedom (`0.5 ≤ p < 1`), by
    bisection on `t_cdf`; cached, since the degrees of freedom are whole numbers.

    >>> round(t_quantile(0.975, 1), 3), round(t_quantile(0.975, 10), 3)
    (12.706, 2.228)
    """
    if not 0.5 <= p < 1.0 or df < 1:
        raise ValueError("t_quantile needs 0.5 ≤ p < 1 and df ≥ 1")
    low, high = 0.0, 1.0
    while t_cdf(high, df) < p:
        low, high = high, high * 2.0
    for _ in range(200):
        middle = (low + high) / 2.0
        if t_cdf(middle, df) < p:
            low = middle
        else:
            high = middle
        if high - low < 1e-12 * max(1.0, high):
            break
    return (low + high) / 2.0


def dimension_interval(points: Sequence[tuple[float, float]]) -> Interval | None:
    """The 95 % interval of a dimension score from its `(value, source weight)` pairs;
    none when the effective number of ratings is under 2.

    Ratings 2, 3, 4 (equal weights): m = 3, σ² = 2/3, n_eff = 3, se = √(1/3), df = 2,
    margin = 4.303 · 0.577 = 2.484.

    >>> round(dimension_interval([(2, 1), (3, 1), (4, 1)]).margin, 3)
    2.484
    """
    total = sum(weight for _, weight in points)
    squares = sum(weight * weight for _, weight in points)
    if total <= 0 or squares <= 0:
        return None
    n_eff = total * total / squares
    if n_eff < 2:
        return None
    centre = sum(value * weight for value, weight in points) / total
    variance = sum(weight * (value - centre) ** 2 for value, weight in points) / total
    se = math.sqrt(variance / (n_eff - 1.0))
    df = max(1, math.floor(n_eff + 1e-9) - 1)
    return Interval(centre=centre, se=se, df=df, margin=t_quantile(CONFIDENCE_QUANTILE, df) * se)


def respondent_interval(scores: Sequence[float], centre: float) -> Interval | None:
    """The 95 % interval of an axis or overall score from the respondents' own scores:
    `se = s / √n` (sample standard deviation), `df = n − 1`, centred on the published
    `centre`; none under two respondents.

    >>> round(respondent_interval([2.0, 4.0], 3.0).margin, 3)
    12.706
    """
    n = len(scores)
    if n < 2:
        return None
    mean = sum(scores) / n
    sample_variance = sum((score - mean) ** 2 for score in scores) / (n - 1)
    se = math.sqrt(sample_variance / n)
    return Interval(centre=centre, se=se, df=n - 1,
                    margin=t_quantile(CONFIDENCE_QUANTILE, n - 1) * se)


def change(before: Interval | None, after: Interval | None, delta: float) -> Change | None:
    """Whether `delta` (later minus earlier score) exceeds its margin: `se_Δ = √(se_a² +
    se_b²)`, Welch–Satterthwaite `df = max(1, ⌊se_Δ⁴ / (se_a⁴/df_a + se_b⁴/df_b)⌋)`; none
    when either interval is unknown. Two exact scores (both `se` zero) make any non-zero
    change significant.

    >>> a = Interval(3.0, 0.1, 10, 0.0); b = Interval(3.5, 0.1, 10, 0.0)
    >>> result = change(a, b, 0.5)
    >>> round(result.margin, 3), result.significant
    (0.295, True)
    """
    if before is None or after is None:
        return None
    se = math.sqrt(before.se ** 2 + after.se ** 2)
    if se == 0.0:
        return Change(delta=delta, margin=0.0, significant=delta != 0.0)
    denominator = before.se ** 4 / before.df + after.se ** 4 / after.df
    df = max(1, math.floor(se ** 4 / denominator + 1e-9))
    margin = t_quantile(CONFIDENCE_QUANTILE, df) * se
    return Change(delta=delta, margin=margin, significant=abs(delta) > margin)


def change_per_quarter(points: Sequence[tuple[datetime, float]]) -> float | None:
    """The least-squares slope of `(closed_at, gap)` points, per quarter (91.3125 days);
    none under two points or when they all share one time.

    >>> from datetime import datetime as dt
    >>> change_per_quarter([(dt(2027, 1, 1), 2.0), (dt(2027, 1, 1) + QUARTER_SPAN, 1.5)])
    -0.5
    """
    if len(points) < 2:
        return None
    origin = points[0][0]
    xs = [(moment - origin).total_seconds() / 86400.0 / QUARTER_DAYS for moment, _ in points]
    ys = [gap for _, gap in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0.0:
        return None
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread



@dataclass(frozen=True)
class AssessmentIntervals:
    """The 95 % intervals of an assessment's scores: by dimension code, by axis code, and
    overall (none where a score has too few ratings or respondents)."""

    dimensions: dict[str, Interval | None] = field(default_factory=dict)
    axes: dict[str, Interval | None] = field(default_factory=dict)
    overall: Interval | None = None


def assessment_intervals(axes: Sequence[AxisSpec], points: Sequence[RatingPoint],
                         source_weights: Mapping[str, float],
                         scores: AssessmentScores) -> AssessmentIntervals:
    """Every interval of an assessment: a dimension's from its weighted ratings; an axis's
    and the overall's from each respondent's own axis and overall scores (the same
    formulas over the dimensions they rated), centred on the published `scores`."""
    by_dimension: dict[str, list[tuple[float, float]]] = defaultdict(list)
    by_respondent: dict[int, list[RatingPoint]] = defaultdict(list)
    for point in points:
        if point.value is not None:
            by_dimension[point.dimension].append(
                (point.value, source_weights.get(point.source, 1.0)))
            by_respondent[point.respondent_id].append(point)
    own = [score_assessment(axes, ratings, source_weights)
           for _, ratings in sorted(by_respondent.items())]
    dimensions = {dim.code: dimension_interval(by_dimension.get(dim.code, ()))
                  for axis in axes for dim in axis.dimensions}
    axis_intervals: dict[str, Interval | None] = {}
    for position, axis in enumerate(scores.axes):
        values = [s.axes[position].score for s in own if s.axes[position].score is not None]
        axis_intervals[axis.code] = (None if axis.score is None else respondent_interval(
            [v for v in values if v is not None], axis.score))
    overall_values = [s.overall for s in own if s.overall is not None]
    overall = (None if scores.overall is None else respondent_interval(
        [v for v in overall_values if v is not None], scores.overall))
    return AssessmentIntervals(dimensions=dimensions, axes=axis_intervals, overall=overall)
