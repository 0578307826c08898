"""Effects of the transformation: pilot effect, realized uplift and KPI status (DESIGN
section 3).

These are associations, not proofs of cause: a pilot team may differ from the others for
reasons of its own, and a dimension may move for reasons other than the initiative.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from tracker.domain.errors import InvalidInput
from tracker.domain.perception import group_mean
from tracker.domain.scoring import RatingPoint

DIRECTIONS: tuple[str, ...] = ("higher_is_better", "lower_is_better")


@dataclass(frozen=True, slots=True)
class PilotEffect:
    """Inside-minus-outside difference of a pilot's perimeter, per dimension and overall.

    `inside_n` / `outside_n` count the respondents of each group who rated at least one of
    the dimensions. A difference is null when either group is below `min_group_size`.
    """

    per_dimension: dict[str, float | None]
    inside_n: int
    outside_n: int
    effect: float | None


class KpiStatus(NamedTuple):
    """A KPI's gap to target (`current - target`) and whether it is on target."""

    gap: float | None
    on_target: bool | None


def _split(ratings: Iterable[RatingPoint], perimeter_teams: set[str], dimensions: Sequence[str],
           ) -> dict[bool, dict[str, dict[int, list[float]]]]:
    wanted = set(dimensions)
    groups: dict[bool, dict[str, dict[int, list[float]]]] = {True: {}, False: {}}
    for point in ratings:
        if point.value is None or point.dimension not in wanted:
            continue
        inside = point.team is not None and point.team in perimeter_teams
        people = groups[inside].setdefault(point.dimension, {})
        people.setdefault(point.respondent_id, []).append(point.value)
    return groups


def _difference(inside: dict[int, list[float]], outside: dict[int, list[float]],
                min_group_size: int) -> float | None:
    if len(inside) < min_group_size or len(outside) < min_group_size:
        return None
    return group_mean(inside) - group_mean(outside)


def _pooled(per_dimension: dict[str, dict[int, list[float]]]) -> dict[int, list[float]]:
    pooled: dict[int, list[float]] = {}
    for people in per_dimension.values():
        for respondent, values in people.items():
            pooled.setdefault(respondent, []).extend(values)
    return pooled


def _mean_of_values(people: dict[int, list[float]]) -> float:
    values = [v for vals in people.values() for v in vals]
    return math.fsum(values) / len(values)


def pilot_effect(ratings: Iterable[RatingPoint], perimeter_teams: set[str],
                 dimensions: Sequence[str], min_group_size: int = 3) -> PilotEffect:
    """Mean rating of the respondents whose `team` is in the pilot's perimeter minus the
    mean of the other respondents (any other team, or none), on the dimensions the piloted
    initiative lifts.

    Per dimension, each group is the respondents who rated it (each counts once, with the
    mean of their ratings). The overall `effect` pools every rating of the lifted
    dimensions: the mean of the inside ratings minus the mean of the outside ones, each
    group counted in respondents who rated at least one of the dimensions. Both groups are
    subject to `min_group_size`. Means are plain (every rating weighs the same).

    >>> pts = ([RatingPoint(i, d, 4, team="squad-a") for i in range(3) for d in ("x", "y")]
    ...        + [RatingPoint(10 + i, "x", 2, team="squad-b") for i in range(3)]
    ...        + [RatingPoint(10 + i, "y", 3, team="squad-b") for i in range(2)])
    >>> pilot_effect(pts, {"squad-a"}, ["x", "y"])
    PilotEffect(per_dimension={'x': 2.0, 'y': None}, inside_n=3, outside_n=3, effect=1.6)
    """
    groups = _split(ratings, perimeter_teams, dimensions)
    per_dimension = {code: _difference(groups[True].get(code, {}),
                                       groups[False].get(code, {}), min_group_size)
                     for code in dimensions}
    inside, outside = _pooled(groups[True]), _pooled(groups[False])
    effect = None
    if len(inside) >= min_group_size and len(outside) >= min_group_size:
        effect = _mean_of_values(inside) - _mean_of_values(outside)
    return PilotEffect(per_dimension, len(inside), len(outside), effect)


def realized_uplift(before: float | None, after: float | None) -> float | None:
    """Score after the initiative finished minus score before it started; null when either
    is missing.

    >>> realized_uplift(2.25, 3.0), realized_uplift(None, 3.0)
    (0.75, None)
    """
    if before is None or after is None:
        return None
    return after - before


def kpi_status(current: float | None, target: float | None, direction: str) -> KpiStatus:
    """`gap = current - target`; on target when `current ≥ target` (`higher_is_better`) or
    `current ≤ target` (`lower_is_better`). Both null without a current value or a target.

    Raises
    ------
    InvalidInput : unknown `direction`

    >>> kpi_status(7, 5, "lower_is_better")
    KpiStatus(gap=2, on_target=False)
    >>> kpi_status(78, 85, "higher_is_better")
    KpiStatus(gap=-7, on_target=False)
    """
    if direction not in DIRECTIONS:
        raise InvalidInput(f"Unknown KPI direction {direction!r}",
                           errors={"direction": [f"Must be one of: {', '.join(DIRECTIONS)}."]})
    if current is None or target is None:
        return KpiStatus(None, None)
    gap = current - target
    on_target = current >= target if direction == "higher_is_better" else current <= target
    return KpiStatus(gap, on_target)
