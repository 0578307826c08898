"""Perception gaps and blind spots: how groups of respondents see each dimension
differently (DESIGN section 3).

A *group* is the set of respondents sharing one value of an attribute (`role`, `team`,
`level`, `source` or `perspective`). Respondents whose attribute is null (or blank) belong
to no group.

Group size, the anonymity rule: a group's size **for a dimension** is the number of distinct
respondents of the group who gave that dimension a non-null rating. A group whose size is
below `min_group_size` is never shown on its own (neither its name nor its mean); only the
count of such hidden groups is given. Counting respondents per dimension, rather than the
group's head count, is the stricter choice: a team of five where only two answered a
dimension would otherwise expose those two answers.

A respondent who has several ratings of one dimension (which the services do not produce)
counts once, with the mean of those ratings. Group means are plain means: every respondent
weighs the same.

Flags compare with a tolerance of `TOLERANCE` so that `4.1 - 3.1` counts as `1.0`; the
numbers themselves are never rounded.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tracker.domain.errors import InvalidInput
from tracker.domain.scoring import RatingPoint

ATTRIBUTES: tuple[str, ...] = ("role", "team", "level", "source", "perspective")
TOLERANCE = 1e-9


@dataclass(frozen=True, slots=True)
class GroupMean:
    """The mean rating of one shown group on one dimension, with its size `n`."""

    name: str
    mean: float
    n: int


@dataclass(frozen=True, slots=True)
class DimensionGap:
    """The perception gap of one dimension by one attribute.

    `groups` are the shown groups (size ≥ `min_group_size`), by name; `hidden_groups` counts
    the groups that rated the dimension but are too small to be shown; `gap` is
    `max - min` of the shown means (null with fewer than two shown groups).
    """

    dimension: str
    groups: tuple[GroupMean, ...]
    hidden_groups: int
    gap: float | None
    flagged: bool


@dataclass(frozen=True, slots=True)
class LeaderGap:
    """Leaders against everyone else on one dimension (a blind spot when leaders rate higher).

    Means and `difference` (`leaders_mean - others_mean`) are null when either group has
    fewer than `min_group_size` respondents on the dimension.
    """

    leaders_mean: float | None
    others_mean: float | None
    difference: float | None
    n_leaders: int
    n_others: int


def at_least(value: float, threshold: float) -> bool:
    """`value ≥ threshold`, forgiving floating-point noise of `TOLERANCE`.

    >>> 4.1 - 3.1 >= 1.0, at_least(4.1 - 3.1, 1.0)
    (False, True)
    """
    return value >= threshold - TOLERANCE


def _check_group_size(min_group_size: int) -> None:
    if min_group_size < 1:
        raise InvalidInput("min_group_size must be at least 1",
                           errors={"min_group_size": ["Must be at least 1."]})


def _group_name(point: RatingPoint, by: str) -> str | None:
    value = getattr(point, by)
    if value is None or not str(value).strip():
        return None
    return str(value)


def respondent_values(ratings: Iterable[RatingPoint], key: str,
                      ) -> dict[str, dict[str | None, dict[int, list[float]]]]:
    """Non-null rating values by dimension, then by the respondent's `key` attribute, then
    by respondent (a null or blank attribute gives the `None` group).

    >>> pts = [RatingPoint(1, "d", 3, role="pm"), RatingPoint(2, "d", None, role="pm")]
    >>> respondent_values(pts, "role")
    {'d': {'pm': {1: [3]}}}
    """
    table: dict[str, dict[str | None, dict[int, list[float]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list)))
    for point in ratings:
        if point.value is None:
            continue
        table[point.dimension][_group_name(point, key)][point.respondent_id].append(point.value)
    return {dim: {name: dict(people) for name, people in groups.items()}
            for dim, groups in table.items()}


def group_mean(people: dict[int, list[float]]) -> float:
    """Mean over respondents of each respondent's mean value.

    >>> group_mean({1: [2.0], 2: [3.0, 5.0]})
    3.0
    """
    return math.fsum(math.fsum(vals) / len(vals) for vals in people.values()) / len(people)


def _dimension_gap(dimension: str, groups: dict[str | None, dict[int, list[float]]],
                   min_group_size: int, threshold: float) -> DimensionGap:
    shown, hidden = [], 0
    for name, people in groups.items():
        if name is None:
            continue
        if len(people) >= min_group_size:
            shown.append(GroupMean(name, group_mean(people), len(people)))
        else:
            hidden += 1
    shown.sort(key=lambda g: g.name)
    means = [g.mean for g in shown]
    gap = max(means) - min(means) if len(means) >= 2 else None
    return DimensionGap(dimension, tuple(shown), hidden, gap,
                        gap is not None and at_least(gap, threshold))


def perception_gaps(ratings: Iterable[RatingPoint], by: str, min_group_size: int = 3,
                    threshold: float = 1.0,
                    dimensions: Sequence[str] | None = None) -> list[DimensionGap]:
    """Perception gap of each dimension between the groups of respondents of attribute `by`.

    Parameters
    ----------
    ratings : the assessment's ratings, with the respondents' attributes
    by : `role`, `team`, `level`, `source` or `perspective` (`client` or `consultant`, in
        a cross self-assessment)
    min_group_size : smallest group shown on its own (anonymity)
    threshold : a gap of at least this much is flagged
    dimensions : the dimensions to report, in this order (a dimension without ratings gets
        no group); by default those rated, sorted by code

    Raises
    ------
    InvalidInput : `by` is not an attribute, or `min_group_size` is below 1

    Examples
    --------
    With groups of at least two, the lone designer is hidden:

    >>> pts = [RatingPoint(i, "d", v, role=r) for i, (v, r) in enumerate(
    ...     [(4, "pm"), (4, "pm"), (2, "designer"), (1, "eng"), (2, "eng"), (3, "eng")])]
    >>> [gap] = perception_gaps(pts, "role", min_group_size=2)
    >>> gap.groups
    (GroupMean(name='eng', mean=2.0, n=3), GroupMean(name='pm', mean=4.0, n=2))
    >>> gap.hidden_groups, gap.gap, gap.flagged
    (1, 2.0, True)
    """
    if by not in ATTRIBUTES:
        raise InvalidInput(f"Cannot group respondents by {by!r}",
                           errors={"by": [f"Must be one of: {', '.join(ATTRIBUTES)}."]})
    _check_group_size(min_group_size)
    table = respondent_values(ratings, by)
    codes = sorted(table) if dimensions is None else list(dimensions)
    return [_dimension_gap(code, table.get(code, {}), min_group_size, threshold)
            for code in codes]


def _leader_gap(groups: dict[str | None, dict[int, list[float]]], leader_level: str,
                min_group_size: int) -> LeaderGap:
    leaders = groups.get(leader_level, {})
    others: dict[int, list[float]] = {}
    for name, people in groups.items():
        if name != leader_level:
            for respondent, values in people.items():
                others.setdefault(respondent, []).extend(values)
    if len(leaders) < min_group_size or len(others) < min_group_size:
        return LeaderGap(None, None, None, len(leaders), len(others))
    leaders_mean, others_mean = group_mean(leaders), group_mean(others)
    return LeaderGap(leaders_mean, others_mean, leaders_mean - others_mean,
                     len(leaders), len(others))


def leader_gaps(ratings: Iterable[RatingPoint], leader_level: str = "leader",
                min_group_size: int = 3,
                dimensions: Sequence[str] | None = None) -> dict[str, LeaderGap]:
    """Mean rating of the respondents of hierarchy level `leader_level` against the mean of
    every other respondent (any other level, or none), per dimension.

    Both groups are subject to `min_group_size`, counted per dimension as in
    `perception_gaps`; when either is too small, the means and the difference are null.

    >>> pts = ([RatingPoint(i, "d", 4, level="leader") for i in range(3)]
    ...        + [RatingPoint(10 + i, "d", v, level=lv)
    ...           for i, (v, lv) in enumerate([(2, "team"), (3, "team"), (1, None)])])
    >>> leader_gaps(pts)
    {'d': LeaderGap(leaders_mean=4.0, others_mean=2.0, difference=2.0, n_leaders=3, n_others=3)}
    """
    _check_group_size(min_group_size)
    table = respondent_values(ratings, "level")
    codes = sorted(table) if dimensions is None else list(dimensions)
    return {code: _leader_gap(table.get(code, {}), leader_level, min_group_size)
            for code in codes}
