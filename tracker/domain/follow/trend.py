"""Trust in the trend (DESIGN section 3): the leaders–teams alignment gap, the crosswalk
that keeps a barometer series across grid versions, the calibration of expected uplifts,
and stalled initiatives.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from tracker.domain.forecast import Estimate
from tracker.domain.scoring import DimensionSpec, RatingPoint, score_dimension

LEADER = "leader"
#: The calibration factor is only used past this many (initiative, dimension) pairs.
CALIBRATION_MIN_PAIRS = 3
CALIBRATION_BOUNDS = (0.0, 2.0)
#: Without an estimate, an initiative is stalled past this many times its duration.
STALL_FACTOR = 1.5
#: With an estimate, past this quantile of its PERT distribution (P85).
STALL_QUANTILE = 0.85


def _group_size(ratings: Iterable[RatingPoint]) -> int:
    """Respondents with a non-null rating among `ratings`."""
    return len({point.respondent_id for point in ratings if point.value is not None})


def alignment_gap(spec: DimensionSpec, ratings: Sequence[RatingPoint],
                  source_weights: Mapping[str, float], min_group_size: int) -> float | None:
    """The dimension score from the ratings of respondents of level `leader` minus the one
    from the others; none when either group has fewer than `min_group_size` respondents
    with a rating.

    >>> spec = DimensionSpec("d", "D", "a")
    >>> leaders = [RatingPoint(i, "d", 4, level="leader") for i in (1, 2, 3)]
    >>> teams = [RatingPoint(i, "d", v, level="team") for i, v in ((4, 2), (5, 2), (6, 3))]
    >>> round(alignment_gap(spec, leaders + teams, {}, 3), 4)
    1.6667
    """
    leaders = [point for point in ratings if point.level == LEADER]
    others = [point for point in ratings if point.level != LEADER]
    if min(_group_size(leaders), _group_size(others)) < max(1, min_group_size):
        return None
    top = score_dimension(spec, leaders, source_weights).score
    rest = score_dimension(spec, others, source_weights).score
    return None if top is None or rest is None else top - rest


@dataclass(frozen=True, slots=True)
class Link:
    """One crosswalk line: the old grid's `source` code counts toward the new grid's
    `target` code with `weight` (a rename is one line of weight 1; a split, several lines
    from one source; a merge, several lines into one target)."""

    source: str
    target: str
    weight: float = 1.0


@dataclass(frozen=True)
class Mapped:
    """Old scores carried onto the current grid: `scores` by current code (none where
    nothing carries over), and the breaks: current codes `new` in this version (no old
    score maps onto them) and old codes `gone` (mapped nowhere)."""

    scores: dict[str, float | None]
    new: tuple[str, ...]
    gone: tuple[str, ...]


def carry_scores(old_scores: Mapping[str, float | None], current_codes: Sequence[str],
                 crosswalk: Sequence[Link]) -> Mapped:
    """Map an older version's dimension scores onto the current grid: a current code's
    score is `Σ w·s / Σ w` over the crosswalk lines into it whose old score is known; a
    code present in both versions and named by no line maps onto itself.

    A split (old `a` → new `a1`, `a2`) gives both the old score; a merge (old `x`, `y` → new
    `z`) their weighted mean.

    >>> links = [Link("roles", "roles.pm"), Link("roles", "roles.po"),
    ...          Link("x", "z", 1), Link("y", "z", 3)]
    >>> mapped = carry_scores({"roles": 2.0, "x": 1.0, "y": 3.0, "vision": 4.0, "old": 1.0},
    ...                       ["vision", "roles.pm", "roles.po", "z", "fresh"], links)
    >>> mapped.scores
    {'vision': 4.0, 'roles.pm': 2.0, 'roles.po': 2.0, 'z': 2.5, 'fresh': None}
    >>> mapped.new, mapped.gone
    (('fresh',), ('old',))
    """
    named = {link.source for link in crosswalk} | {link.target for link in crosswalk}
    lines: dict[str, list[Link]] = defaultdict(list)
    for link in crosswalk:
        lines[link.target].append(link)
    for code in current_codes:
        if code not in named and code in old_scores:
            lines[code].append(Link(code, code))
    scores: dict[str, float | None] = {}
    for code in current_codes:
        known = [(float(score), link.weight) for link in lines.get(code, ())
                 if (score := old_scores.get(link.source)) is not None and link.weight > 0]
        total = sum(weight for _, weight in known)
        scores[code] = (sum(score * weight for score, weight in known) / total
                        if total > 0 else None)
    carried = {link.source for links in lines.values() for link in links}
    new = tuple(code for code in current_codes if not lines.get(code))
    gone = tuple(code for code in old_scores if code not in carried)
    return Mapped(scores=scores, new=new, gone=gone)


@dataclass(frozen=True, slots=True)
class Calibration:
    """`ratio = Σ realized / Σ expected` over `n` pairs (none without expected uplift);
    `factor` is the ratio clamped to [0, 2], used only from `CALIBRATION_MIN_PAIRS` pairs."""

    ratio: float | None
    n: int

    @property
    def factor(self) -> float | None:
        """The multiplier of expected uplifts in the calibrated projection, or none."""
        if self.ratio is None or self.n < CALIBRATION_MIN_PAIRS:
            return None
        low, high = CALIBRATION_BOUNDS
        return min(high, max(low, self.ratio))


def calibrate(pairs: Iterable[tuple[float | None, float | None]]) -> Calibration:
    """The calibration of `(realized, expected)` uplift pairs where both are known.

    >>> result = calibrate([(0.5, 1.0), (0.25, 0.5), (None, 1.0), (1.0, 1.0)])
    >>> round(result.ratio, 9), result.n, round(result.factor, 9)
    (0.7, 3, 0.7)
    """
    known = [(realized, expected) for realized, expected in pairs
             if realized is not None and expected is not None]
    expected_total = sum(expected for _, expected in known)
    ratio = (sum(realized for realized, _ in known) / expected_total
             if known and expected_total != 0 else None)
    return Calibration(ratio=ratio, n=len(known))


def stall_limit(estimate: Estimate | None, duration_weeks: float | None) -> float | None:
    """The weeks past which work under way is stalled: the estimate's P85, or
    `STALL_FACTOR` times the duration without an estimate; none without either.

    >>> stall_limit(None, 4), round(stall_limit(Estimate(0, 5, 10), 4), 3)
    (6.0, 7.101)
    """
    if estimate is not None:
        return estimate.quantile(STALL_QUANTILE)
    return None if duration_weeks is None else STALL_FACTOR * duration_weeks


def is_stalled(actual_start: date | None, today: date, *, p85_weeks: float | None,
               duration_weeks: float | None) -> bool:
    """Whether an `in_progress` initiative has run longer than its forecast P85 (with an
    estimate) or `1.5 · duration_weeks` (without); never without a start or a bound.

    >>> is_stalled(date(2027, 1, 4), date(2027, 3, 1), p85_weeks=None, duration_weeks=4)
    True
    >>> is_stalled(date(2027, 1, 4), date(2027, 3, 1), p85_weeks=9, duration_weeks=4)
    False
    """
    if actual_start is None:
        return False
    bound = p85_weeks if p85_weeks is not None else (
        None if duration_weeks is None else STALL_FACTOR * duration_weeks)
    return bound is not None and (today - actual_start).days / 7 > bound
