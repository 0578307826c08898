"""The pilot effect as a difference-in-differences (DESIGN section 3, "Pilot effect").

For a pilot whose perimeter is the teams `T`, on the dimensions `D` its initiative lifts, at
a re-assessment `C` and the baseline `B` (the last closed assessment before the pilot's
start): `m(G, X) = Σ_d W_d·s_d(G, X) / Σ_d W_d` over the `d` in `D` with a score, `s_d`
scored from group `G`'s ratings only; `difference_now = m(pilot, C) − m(rest, C)`,
`difference_before = m(pilot, B) − m(rest, B)`, `effect = difference_now −
difference_before`. A group counts the respondents with a non-null rating on `D`; a group
under `min_group_size` shows no mean, and the terms it enters are null.

It is an association, not a proof of cause.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from tracker.domain.scoring import DimensionSpec, RatingPoint, score_dimension, weighted_mean

#: The four groups, in the order they are shown.
GROUPS: tuple[str, ...] = ("pilot_now", "rest_now", "pilot_before", "rest_before")


@dataclass(frozen=True, slots=True)
class GroupMean:
    """A group's size (respondents with a rating on the lifted dimensions) and its mean
    `m(G, X)`; the mean is null when the group is under the minimum size."""

    size: int
    mean: float | None


@dataclass(frozen=True, slots=True)
class DifferenceInDifferences:
    """The four groups (keys of `GROUPS`; the `before` ones absent without a baseline), the
    two differences, the effect, and the groups under the minimum size."""

    groups: dict[str, GroupMean]
    difference_now: float | None
    difference_before: float | None
    effect: float | None
    small_groups: tuple[str, ...]


def group_mean(ratings: Iterable[RatingPoint], dimensions: Sequence[DimensionSpec],
               source_weights: Mapping[str, float], min_group_size: int) -> GroupMean:
    """`m(G, X)` of the ratings of one group: the dimension scores (with source weights)
    averaged with the dimensions' weights; null under `min_group_size` respondents.

    >>> dims = [DimensionSpec("x", "X", "a", 1), DimensionSpec("y", "Y", "a", 3)]
    >>> pts = [RatingPoint(1, "x", 2), RatingPoint(2, "x", 4), RatingPoint(2, "y", 4)]
    >>> group_mean(pts, dims, {}, 2)
    GroupMean(size=2, mean=3.75)
    >>> group_mean(pts, dims, {}, 3)
    GroupMean(size=2, mean=None)
    """
    wanted = {d.code for d in dimensions}
    rated = [p for p in ratings if p.dimension in wanted and p.value is not None]
    size = len({p.respondent_id for p in rated})
    if size < min_group_size or size == 0:
        return GroupMean(size, None)
    scores = [(score_dimension(d, [p for p in rated if p.dimension == d.code],
                               source_weights).score, d.weight) for d in dimensions]
    return GroupMean(size, weighted_mean(scores))


def _split(ratings: Iterable[RatingPoint], teams: set[str],
           ) -> tuple[list[RatingPoint], list[RatingPoint]]:
    """The ratings of the pilot's perimeter (respondents of its teams) and of the rest."""
    inside: list[RatingPoint] = []
    outside: list[RatingPoint] = []
    for point in ratings:
        (inside if point.team is not None and point.team in teams else outside).append(point)
    return inside, outside


def _difference(pilot: GroupMean | None, rest: GroupMean | None) -> float | None:
    if pilot is None or rest is None or pilot.mean is None or rest.mean is None:
        return None
    return pilot.mean - rest.mean


def difference_in_differences(now: Iterable[RatingPoint],
                              before: Iterable[RatingPoint] | None, teams: set[str],
                              dimensions: Sequence[DimensionSpec],
                              source_weights: Mapping[str, float],
                              min_group_size: int) -> DifferenceInDifferences:
    """The pilot effect at a re-assessment (`now`'s ratings) against the baseline
    (`before`'s; None when there is no closed assessment before the pilot started: the
    effect is then null and `difference_now` still given).

    >>> dims = [DimensionSpec("x", "X", "a")]
    >>> def group(team, values, first):
    ...     return [RatingPoint(first + k, "x", v, team=team) for k, v in enumerate(values)]
    >>> now = group("p", [4, 4, 4], 0) + group("o", [3, 3, 3], 10)
    >>> before = group("p", [2, 2, 2], 20) + group("o", [2, 3, 4], 30)
    >>> result = difference_in_differences(now, before, {"p"}, dims, {}, 3)
    >>> result.difference_now, result.difference_before, result.effect
    (1.0, -1.0, 2.0)
    """
    groups: dict[str, GroupMean] = {}
    for moment, ratings in (("now", now), ("before", before)):
        if ratings is None:
            continue
        inside, outside = _split(ratings, teams)
        groups[f"pilot_{moment}"] = group_mean(inside, dimensions, source_weights,
                                               min_group_size)
        groups[f"rest_{moment}"] = group_mean(outside, dimensions, source_weights,
                                              min_group_size)
    difference_now = _difference(groups.get("pilot_now"), groups.get("rest_now"))
    difference_before = _difference(groups.get("pilot_before"), groups.get("rest_before"))
    effect = (None if difference_now is None or difference_before is None
              else difference_now - difference_before)
    small = tuple(name for name in GROUPS
                  if name in groups and groups[name].size < min_group_size)
    return DifferenceInDifferences(groups, difference_now, difference_before, effect, small)
