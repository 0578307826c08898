"""Prioritization of the transformation backlog: the five methods, several raters, quick win /
structural lever classes, the enabler threshold and the value/effort quadrant (DESIGN
section 3).

Each method gives a `value`, an `effort` and a `score`. Nothing is rounded here. A missing
input never counts as zero: it makes the score null and is named in `Priority.missing`, so
the backlog can list the item after the scored ones and say what to fill in.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Literal

from tracker.domain.errors import InvalidInput

METHODS: tuple[str, ...] = ("wsjf", "rice", "ice", "scorecard", "gap")

#: The `MethodInputs` fields each method reads (the scorecard reads criteria scores and the
#: gap method the gap value besides these).
METHOD_FIELDS: Mapping[str, tuple[str, ...]] = {
    "wsjf": ("business_value", "time_criticality", "risk_reduction", "job_size"),
    "rice": ("reach", "impact", "confidence", "effort"),
    "ice": ("impact", "confidence", "ease"),
    "scorecard": (),
    "gap": ("effort",),
}

CriterionKind = Literal["benefit", "cost"]
CRITERION_KINDS: tuple[str, ...] = ("benefit", "cost")

QUICK_WIN = "quick_win"
STRUCTURAL_LEVER = "structural_lever"
STANDARD = "standard"
CLASSES: tuple[str, ...] = (QUICK_WIN, STRUCTURAL_LEVER, STANDARD)
QUADRANTS: tuple[str, ...] = ("quick_win", "big_bet", "fill_in", "money_pit")
#: An initiative is an `enabler` when at least this many initiatives depend on it, directly
#: or indirectly: work that others wait on, whatever its class (DESIGN section 3, "Class").
ENABLER_MIN_DEPENDENTS = 3

_POSITIVE = ("job_size", "effort")
_NON_NEGATIVE = ("reach", "impact", "business_value", "time_criticality", "risk_reduction")


@dataclass(frozen=True, slots=True)
class MethodInputs:
    """The inputs of every method for one initiative; `None` means not given yet."""

    business_value: float | None = None
    time_criticality: float | None = None
    risk_reduction: float | None = None
    job_size: float | None = None
    reach: float | None = None
    impact: float | None = None
    confidence: float | None = None
    effort: float | None = None
    ease: float | None = None


INPUT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(MethodInputs))


@dataclass(frozen=True, slots=True)
class Criterion:
    """A scorecard criterion of the organization: a benefit or a cost, with a weight."""

    code: str
    kind: CriterionKind
    weight: float


@dataclass(frozen=True, slots=True)
class Priority:
    """What a method says of one initiative; `score` is null when `missing` is not empty."""

    value: float | None
    effort: float | None
    score: float | None
    missing: tuple[str, ...] = ()


def median(values: Iterable[float | None]) -> float | None:
    """Median of the non-null values (mean of the two middle ones for an even count).

    >>> median([4.0, None, 1.0, 3.0, 2.0])
    2.5
    >>> median([None]) is None
    True
    """
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def validate_inputs(inputs: MethodInputs) -> dict[str, list[str]]:
    """Field errors of the method inputs; empty when they are acceptable. Null is acceptable.

    `job_size` and `effort` must be above 0, `confidence` within [0, 1], `ease` within
    [1, 10], and the other inputs at least 0; every given input must be a finite number.

    >>> validate_inputs(MethodInputs(job_size=0, confidence=1.5, ease=4))
    {'job_size': ['Must be greater than 0.'], 'confidence': ['Must be between 0 and 1.']}
    >>> validate_inputs(MethodInputs())
    {}
    """
    errors: dict[str, list[str]] = {}
    for name in INPUT_FIELDS:
        value = getattr(inputs, name)
        if value is None:
            continue
        message = _input_error(name, value)
        if message:
            errors[name] = [message]
    return errors


def _input_error(name: str, value: float) -> str | None:
    if not math.isfinite(value):
        return "Must be a finite number."
    if name in _POSITIVE and not value > 0:
        return "Must be greater than 0."
    if name == "confidence" and not 0 <= value <= 1:
        return "Must be between 0 and 1."
    if name == "ease" and not 1 <= value <= 10:
        return "Must be between 1 and 10."
    if name in _NON_NEGATIVE and not value >= 0:
        return "Must be at least 0."
    return None


def validate_criteria(criteria: Sequence[Criterion]) -> None:
    """Raise `InvalidInput` unless the scorecard criteria can give a value and an effort.

    Each criterion needs a non-empty unique code, a kind `benefit` or `cost` and a finite
    weight of at least 0; the benefit weights must not sum to 0 (so there must be a benefit
    criterion), nor the cost weights when there are cost criteria. Errors are keyed by
    position, like `criteria[2].weight`, or `criteria` for the sums.

    >>> validate_criteria([Criterion("value", "benefit", 2), Criterion("cost", "cost", 1)])
    >>> try:
    ...     validate_criteria([Criterion("a", "benefit", 0), Criterion("a", "cost", -1)])
    ... except InvalidInput as exc:
    ...     sorted(exc.errors)
    ['criteria', 'criteria[1].code', 'criteria[1].weight']
    """
    errors: dict[str, list[str]] = {}
    seen: set[str] = set()
    sums = {"benefit": 0.0, "cost": 0.0}
    kinds: set[str] = set()
    for index, criterion in enumerate(criteria):
        key = f"criteria[{index}]"
        if not criterion.code:
            errors[f"{key}.code"] = ["Must not be empty."]
        elif criterion.code in seen:
            errors[f"{key}.code"] = [f"Duplicate criterion code {criterion.code!r}."]
        seen.add(criterion.code)
        if criterion.kind not in CRITERION_KINDS:
            errors[f"{key}.kind"] = ["Must be one of: benefit, cost."]
        if not (math.isfinite(criterion.weight) and criterion.weight >= 0):
            errors[f"{key}.weight"] = ["Must be a finite number of at least 0."]
        elif criterion.kind in sums:
            sums[criterion.kind] += criterion.weight
            kinds.add(criterion.kind)
    messages = []
    if sums["benefit"] == 0:
        messages.append("The benefit criteria weights must not sum to 0.")
    if "cost" in kinds and sums["cost"] == 0:
        messages.append("The cost criteria weights must not sum to 0.")
    if messages:
        errors["criteria"] = messages
    if errors:
        raise InvalidInput("Invalid scorecard criteria.", errors=errors)


def dimension_shares(
    axes: Sequence[tuple[str, float, Sequence[tuple[str, float]]]],
) -> dict[str, float]:
    """Each dimension's share of the overall score.

    `share_d = W_a·W_d / (Σ_axes W_a · Σ_{dims of its axis} W_d)` for input
    `[(axis_code, W_a, [(dim_code, W_d), ...]), ...]`. An axis without dimensions (or whose
    dimension weights sum to 0) cannot hold a score and is left out of `Σ_axes W_a`, so the
    shares of a grid sum to 1; when no axis weighs anything every share is 0.

    >>> dimension_shares([("a", 1, [("a.x", 1), ("a.y", 3)]), ("b", 2, [("b.z", 1)])])
    {'a.x': 0.08333333333333333, 'a.y': 0.25, 'b.z': 0.6666666666666666}
    """
    dim_sums = [math.fsum(weight for _, weight in dims) for _, _, dims in axes]
    axis_sum = math.fsum(w_a for (_, w_a, _), s in zip(axes, dim_sums, strict=True) if s)
    shares: dict[str, float] = {}
    for (_, w_a, dims), dim_sum in zip(axes, dim_sums, strict=True):
        for code, w_d in dims:
            denominator = axis_sum * dim_sum
            shares[code] = w_a * w_d / denominator if denominator else 0.0
    return shares


def gap_value(uplifts: Mapping[str, float], shares: Mapping[str, float],
              target_gaps: Mapping[str, float]) -> float:
    """The maturity gap an initiative closes: `Σ_d share_d·min(expected_uplift_d, gap_d)`.

    The sum runs over the dimensions of `uplifts`; a dimension without a share (outside the
    grid) or without a target gap (no target, or no score) contributes 0.

    >>> gap_value({"a.x": 1.0, "a.y": 2.0, "b.z": 1.0},
    ...           {"a.x": 0.25, "a.y": 0.25, "b.z": 0.5}, {"a.x": 2.0, "a.y": 0.5})
    0.375
    """
    return math.fsum(
        shares[dim] * min(uplift, target_gaps[dim])
        for dim, uplift in uplifts.items()
        if dim in shares and target_gaps.get(dim) is not None
    )


def score_initiative(method: str, inputs: MethodInputs, *,
                     criteria: Sequence[Criterion] = (),
                     criteria_scores: Mapping[str, float] | None = None,
                     gap_value: float | None = None) -> Priority:
    """Value, effort and score of one initiative with one method (DESIGN section 3).

    - `wsjf`: value `business_value + time_criticality + risk_reduction`, effort `job_size`
    - `rice`: value `reach·impact·confidence`, effort `effort`
    - `ice`: value `impact·confidence`, effort `11 - ease`, score `impact·confidence·ease`
    - `scorecard`: value `Σ_benefit w·s / Σ_benefit w`, effort `Σ_cost w·s / Σ_cost w` (1
      without cost criteria), with `s` from `criteria_scores` by criterion code
    - `gap`: value `gap_value` (see `gap_value()`), effort `effort`

    The score is value / effort except for `ice`. Value and effort are given whenever their
    own inputs are; any missing input makes the score null and is named in `missing`
    (`"job_size"`, `"criteria.<code>"`, `"uplifts"` for a null gap value).

    Raises `InvalidInput` for an unknown method (`errors["method"]`), for inputs of the method
    that break `validate_inputs`, for criteria that break `validate_criteria`, and for cost
    criteria that give an effort of 0.

    >>> score_initiative("wsjf", MethodInputs(business_value=8, time_criticality=5,
    ...                                       risk_reduction=13, job_size=5))
    Priority(value=26.0, effort=5.0, score=5.2, missing=())
    >>> score_initiative("rice", MethodInputs(reach=1000, impact=2, confidence=0.8))
    Priority(value=1600.0, effort=None, score=None, missing=('effort',))
    """
    if method not in METHODS:
        raise InvalidInput(f"Unknown prioritization method {method!r}.",
                           errors={"method": [f"Must be one of: {', '.join(METHODS)}."]},
                           allowed=list(METHODS))
    errors = {name: messages for name, messages in validate_inputs(inputs).items()
              if name in METHOD_FIELDS[method]}
    if errors:
        raise InvalidInput("Invalid prioritization inputs.", errors=errors)
    if method == "scorecard":
        return _scorecard(criteria, criteria_scores or {})
    if method == "gap":
        missing = tuple(name for name, given in (("uplifts", gap_value),
                                                 ("effort", inputs.effort)) if given is None)
        return _ratio(gap_value, inputs.effort, missing)
    missing = tuple(name for name in METHOD_FIELDS[method] if getattr(inputs, name) is None)
    if method == "wsjf":
        parts = (inputs.business_value, inputs.time_criticality, inputs.risk_reduction)
        value = None if None in parts else float(sum(parts))  # type: ignore[arg-type]
        return _ratio(value, inputs.job_size, missing)
    if method == "rice":
        value = _product(inputs.reach, inputs.impact, inputs.confidence)
        return _ratio(value, inputs.effort, missing)
    value = _product(inputs.impact, inputs.confidence)
    effort = None if inputs.ease is None else 11.0 - inputs.ease
    score = None if value is None or inputs.ease is None else value * inputs.ease
    return Priority(value, effort, score, missing)


def _product(*factors: float | None) -> float | None:
    if any(factor is None for factor in factors):
        return None
    result = 1.0
    for factor in factors:
        result *= factor  # type: ignore[operator]
    return result


def _ratio(value: float | None, effort: float | None, missing: tuple[str, ...]) -> Priority:
    """The priority whose score is value / effort, null when an input is missing."""
    effort = None if effort is None else float(effort)
    value = None if value is None else float(value)
    score = None if missing or value is None or effort is None else value / effort
    return Priority(value, effort, score, missing)


def _scorecard(criteria: Sequence[Criterion], scores: Mapping[str, float]) -> Priority:
    validate_criteria(criteria)
    missing = tuple(f"criteria.{c.code}" for c in criteria if scores.get(c.code) is None)
    value = _criteria_mean([c for c in criteria if c.kind == "benefit"], scores)
    costs = [c for c in criteria if c.kind == "cost"]
    effort = _criteria_mean(costs, scores) if costs else 1.0
    if effort == 0:
        raise InvalidInput("The cost criteria give an effort of 0.", errors={
            "criteria_scores": ["Score at least one cost criterion above 0."]})
    return _ratio(value, effort, missing)


def _criteria_mean(criteria: Sequence[Criterion], scores: Mapping[str, float]) -> float | None:
    if any(scores.get(c.code) is None for c in criteria):
        return None
    total = math.fsum(c.weight * scores[c.code] for c in criteria)
    return total / math.fsum(c.weight for c in criteria)


def median_inputs(raters: Sequence[MethodInputs]) -> tuple[MethodInputs, dict[str, float]]:
    """Combine several raters' inputs (planning poker): per field, the median and the spread.

    The median of a field is taken over the raters who gave it (the mean of the two middle
    values for an even count); a field nobody gave stays null. The spread `max - min` is
    given for every field at least one rater gave, so disagreements can be discussed.

    >>> combined, spread = median_inputs([MethodInputs(job_size=3, ease=4),
    ...                                   MethodInputs(job_size=8), MethodInputs(job_size=5)])
    >>> combined.job_size, combined.ease, spread
    (5, 4, {'job_size': 5, 'ease': 0})
    """
    medians: dict[str, float | None] = {}
    spreads: dict[str, float] = {}
    for name in INPUT_FIELDS:
        values = [v for v in (getattr(r, name) for r in raters) if v is not None]
        medians[name] = statistics.median(values) if values else None
        if values:
            spreads[name] = max(values) - min(values)
    return MethodInputs(**medians), spreads


def effective_inputs(own: MethodInputs, raters: Sequence[MethodInputs]) -> MethodInputs:
    """The inputs every method reads: per field, the median of the raters who gave it, else
    the initiative's own value.

    Raters add to the owner's inputs and never erase them: a field no rater gave keeps the
    owner's value (null only when the owner gave none either), and the owner's values stay
    as they are beside the raters' (see `median_inputs` for the medians and spreads).

    >>> own = MethodInputs(business_value=8, job_size=2)
    >>> effective_inputs(own, [MethodInputs(job_size=3), MethodInputs(job_size=8, ease=4)])
    ... # doctest: +NORMALIZE_WHITESPACE
    MethodInputs(business_value=8, time_criticality=None, risk_reduction=None, job_size=5.5,
                 reach=None, impact=None, confidence=None, effort=None, ease=4)
    """
    medians, _ = median_inputs(raters)
    return MethodInputs(**{name: _first_given(getattr(medians, name), getattr(own, name))
                           for name in INPUT_FIELDS})


def _first_given(*values: float | None) -> float | None:
    return next((value for value in values if value is not None), None)


def classify(*, duration_weeks: float | None, quadrant: str | None, lifted_axes: int,
             quick_win_max_weeks: float = 6, structural_min_weeks: float = 12) -> str:
    """The computed class of an initiative: `quick_win`, `structural_lever` or `standard`
    (DESIGN section 3, "Class").

    - `quick_win` when the duration is at most `quick_win_max_weeks` and the initiative
      sits in the `quick_win` quadrant (value at least the backlog's median, effort at most
      its median: see `quadrant`);
    - else `structural_lever` when the duration exceeds `structural_min_weeks`, or it lifts
      dimensions of two axes or more (`lifted_axes`);
    - else `standard`.

    So the class never contradicts the quadrant: only a row of the quick-win quadrant can be
    a quick win. How many initiatives wait on this one does not change its class: that is
    the separate `enabler` flag (`ENABLER_MIN_DEPENDENTS`, `ranking.has_min_descendants`).
    A null duration or quadrant is never a quick win (the rule cannot be checked); a null
    duration is not long either, but the axes rule still applies.

    >>> classify(duration_weeks=4, quadrant="quick_win", lifted_axes=2)
    'quick_win'
    >>> classify(duration_weeks=4, quadrant="big_bet", lifted_axes=2)
    'structural_lever'
    >>> classify(duration_weeks=8, quadrant="quick_win", lifted_axes=1)
    'standard'
    """
    if (duration_weeks is not None and quadrant == QUICK_WIN
            and duration_weeks <= quick_win_max_weeks):
        return QUICK_WIN
    long = duration_weeks is not None and duration_weeks > structural_min_weeks
    if long or lifted_axes >= 2:
        return STRUCTURAL_LEVER
    return STANDARD


def quadrant(value: float | None, effort: float | None, median_value: float | None,
             median_effort: float | None) -> str | None:
    """Quadrant on the value/effort matrix split at the backlog's medians.

    `quick_win` (value ≥ median, effort ≤ median), `big_bet` (value ≥, effort >), `fill_in`
    (value <, effort ≤), `money_pit` (value <, effort >); null when the value, the effort or a
    median is null.

    >>> quadrant(8, 2, 5, 5), quadrant(8, 9, 5, 5), quadrant(1, 5, 5, 5), quadrant(1, 9, 5, 5)
    ('quick_win', 'big_bet', 'fill_in', 'money_pit')
    """
    if value is None or effort is None or median_value is None or median_effort is None:
        return None
    if value >= median_value:
        return "quick_win" if effort <= median_effort else "big_bet"
    return "fill_in" if effort <= median_effort else "money_pit"
