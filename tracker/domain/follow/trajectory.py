"""The projected maturity trajectory: what the roadmap should deliver, checkpoint by
checkpoint (DESIGN section 3, "Projected trajectory").

For each checkpoint (typically each future phase end), `projected score_d = measured
score_d + Σ expected_uplift_d` over the initiatives planned to finish by then, capped at the
scale maximum. Ends are exclusive dates, as in `tracker.domain.roadmap`: an initiative
ending on D has finished by a checkpoint on D.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from tracker.domain.scoring import AxisSpec, weighted_mean


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """Projected dimension scores at a date, and the initiatives finished by then
    (in id order)."""

    name: str
    date: date
    dimensions: dict[str, float | None]
    finished: tuple[int, ...] = ()


def project_trajectory(measured: Mapping[str, float | None],
                       uplifts: Mapping[int, Mapping[str, float]],
                       ends: Mapping[int, date],
                       checkpoints: Sequence[tuple[str, date]],
                       scale_max: float) -> list[Checkpoint]:
    """The projected score of each measured dimension at each checkpoint, in the
    checkpoints' order.

    `measured`: the latest measured score per dimension code; `uplifts`: each
    initiative's expected uplift per dimension code; `ends`: each initiative's planned
    (or actual) end. An initiative counts at a checkpoint when its end is on or before the
    checkpoint's date; one with no end (not planned) never counts. A dimension with a null
    measured score stays null (an uplift cannot be added to what was not measured); uplifts
    on dimensions absent from `measured` are ignored. Sums use `math.fsum`; the result is
    capped at `scale_max`, never rounded.

    >>> result = project_trajectory(
    ...     {"a": 2.0, "b": 4.5, "c": None},
    ...     {1: {"a": 0.5, "b": 1.0}, 2: {"a": 1.0, "c": 1.0}},
    ...     {1: date(2025, 3, 1), 2: date(2025, 6, 1)},
    ...     [("Phase 1", date(2025, 3, 1)), ("Phase 2", date(2025, 7, 1))], scale_max=5)
    >>> [(c.name, c.dimensions, c.finished) for c in result]
    [('Phase 1', {'a': 2.5, 'b': 5.0, 'c': None}, (1,)), \
('Phase 2', {'a': 3.5, 'b': 5.0, 'c': None}, (1, 2))]
    """
    planned = sorted((end, node) for node, end in ends.items() if node in uplifts)
    by_date = sorted(range(len(checkpoints)), key=lambda k: checkpoints[k][1])
    gains: dict[str, list[float]] = {code: [] for code in measured}
    finished: list[int] = []
    projected: dict[int, Checkpoint] = {}
    position = 0
    for k in by_date:
        name, when = checkpoints[k]
        while position < len(planned) and planned[position][0] <= when:
            node = planned[position][1]
            finished.append(node)
            for code, uplift in uplifts[node].items():
                if code in gains:
                    gains[code].append(uplift)
            position += 1
        dimensions = {code: None if score is None
                      else min(float(scale_max), score + math.fsum(gains[code]))
                      for code, score in measured.items()}
        projected[k] = Checkpoint(name, when, dimensions, tuple(sorted(finished)))
    return [projected[k] for k in range(len(checkpoints))]


def aggregate(dimensions: Mapping[str, float | None],
              axes: Sequence[AxisSpec]) -> tuple[float | None, dict[str, float | None]]:
    """The overall score and each axis's score from dimension scores, with the grid's
    weights (`Σ W·s / Σ W` over non-null scores, as `scoring.weighted_mean`).

    >>> from tracker.domain.scoring import DimensionSpec
    >>> axes = [AxisSpec("p", "P", 1, (DimensionSpec("p.x", "X", "p", 1),
    ...                                DimensionSpec("p.y", "Y", "p", 3))),
    ...         AxisSpec("d", "D", 2, (DimensionSpec("d.z", "Z", "d"),))]
    >>> aggregate({"p.x": 1.0, "p.y": 3.0, "d.z": None}, axes)
    (2.5, {'p': 2.5, 'd': None})
    """
    by_axis = {axis.code: weighted_mean((dimensions.get(d.code), d.weight)
                                        for d in axis.dimensions) for axis in axes}
    overall = weighted_mean((by_axis[axis.code], axis.weight) for axis in axes)
    return overall, by_axis
