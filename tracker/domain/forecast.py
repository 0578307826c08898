"""The forecast of a plan whose durations are guesses (DESIGN section 3, "Forecast").

An initiative with a three-point estimate `(a, m, b)` (optimistic, most likely, pessimistic
weeks) lasts `a + (b − a)·X` in a run, `X ~ Beta(1 + 4(m − a)/(b − a), 1 + 4(b − m)/(b −
a))` (PERT; constant when `a = b`), whose mean is `(a + 4m + b) / 6`; without an estimate it
lasts its `duration_weeks`. Each run draws every duration and schedules the plan with the
roadmap's list scheduling (priorities, capacity, pins, work under way). Percentiles are
nearest-rank over the runs (`P50` is the `⌈0.5·N⌉`-th smallest). The probability of an
event (a phase done by its date, a score reached by a date) is the share of runs where it
holds. Runs draw from `random.Random(seed)`, so the same inputs and seed give the same
answer.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from tracker.domain.errors import InvalidInput
from tracker.domain.follow.uncertainty import regularized_beta
from tracker.domain.roadmap import ListScheduler

#: The percentiles the forecast reports.
PERCENTILES: tuple[float, ...] = (0.5, 0.85, 0.95)
#: An event of the forecast: given one run's end weeks by initiative, does it hold?
Event = Callable[[Mapping[int, float]], bool]


@dataclass(frozen=True, slots=True)
class Estimate:
    """A three-point estimate, in weeks: `optimistic ≤ likely ≤ pessimistic`."""

    optimistic: float
    likely: float
    pessimistic: float

    def __post_init__(self) -> None:
        values = (self.optimistic, self.likely, self.pessimistic)
        if not all(math.isfinite(v) and v >= 0 for v in values) or not (
                self.optimistic <= self.likely <= self.pessimistic):
            raise InvalidInput(
                "An estimate needs 0 ≤ optimistic ≤ likely ≤ pessimistic.",
                errors={"estimate": ["Give 0 ≤ optimistic ≤ likely ≤ pessimistic, in weeks."]})

    @property
    def mean(self) -> float:
        """The PERT mean `(a + 4m + b) / 6`.

        >>> Estimate(2, 4, 12).mean
        5.0
        """
        return (self.optimistic + 4 * self.likely + self.pessimistic) / 6

    def quantile(self, share: float) -> float:
        """The duration that `share` of the PERT distribution stays under (the Beta
        quantile, by bisection on the regularized incomplete beta function): what an
        initiative's P85 is, for the stall rule.

        >>> round(Estimate(0, 5, 10).quantile(0.5), 9), Estimate(4, 4, 4).quantile(0.85)
        (5.0, 4)
        """
        a, m, b = self.optimistic, self.likely, self.pessimistic
        if b == a:
            return a
        alpha = 1 + 4 * (m - a) / (b - a)
        beta = 1 + 4 * (b - m) / (b - a)
        low, high = 0.0, 1.0
        for _ in range(80):
            middle = (low + high) / 2
            if regularized_beta(middle, alpha, beta) < share:
                low = middle
            else:
                high = middle
        return a + (b - a) * (low + high) / 2

    def draw(self, rng: random.Random) -> float:
        """One duration drawn from the PERT distribution."""
        a, m, b = self.optimistic, self.likely, self.pessimistic
        if b == a:
            return a
        alpha = 1 + 4 * (m - a) / (b - a)
        beta = 1 + 4 * (b - m) / (b - a)
        return a + (b - a) * rng.betavariate(alpha, beta)


@dataclass(frozen=True, slots=True)
class Spread:
    """Nearest-rank percentiles of a quantity over the runs (weeks from the plan start)."""

    p50: float
    p85: float
    p95: float
    mean: float


@dataclass(frozen=True)
class Forecast:
    """What the runs give: the makespan's spread, each planned initiative's spread of end
    weeks, and each event's probability (share of runs where it held)."""

    runs: int
    seed: int
    makespan: Spread
    ends: dict[int, Spread]
    probabilities: dict[str, float] = field(default_factory=dict)


def nearest_rank(ordered: list[float], share: float) -> float:
    """The `⌈share·N⌉`-th smallest of an ordered, non-empty list.

    >>> nearest_rank([1.0, 2.0, 3.0, 4.0], 0.5), nearest_rank([1.0, 2.0, 3.0, 4.0], 0.85)
    (2.0, 4.0)
    """
    rank = max(1, math.ceil(share * len(ordered) - 1e-9))
    return ordered[rank - 1]


def _spread(values: list[float]) -> Spread:
    """The percentiles and mean of `values` (sorted in place)."""
    values.sort()
    p50, p85, p95 = (nearest_rank(values, share) for share in PERCENTILES)
    return Spread(p50=p50, p85=p85, p95=p95, mean=sum(values) / len(values))


def forecast(scheduler: ListScheduler, estimates: Mapping[int, Estimate], *, runs: int,
             seed: int = 0, events: Mapping[str, Event] | None = None) -> Forecast:
    """Run the plan `runs` times with durations drawn from `estimates` (initiatives of the
    plan that are not done; others keep their duration) and summarize.

    Two tasks in a chain, one estimated (1, 2, 3) and one fixed at 2 weeks: the makespan's
    mean is near 2 + 2 = 4.

    >>> import networkx as nx
    >>> from datetime import date
    >>> from tracker.domain.roadmap import PlanItem
    >>> plan = ListScheduler(nx.DiGraph([(1, 2)]), [PlanItem(1, 2, 1), PlanItem(2, 2, 1)],
    ...                      date(2027, 1, 4))
    >>> result = forecast(plan, {1: Estimate(1, 2, 3)}, runs=2000, seed=1)
    >>> abs(result.makespan.mean - 4) < 0.05, result.makespan.p50 <= result.makespan.p85
    (True, True)
    """
    if runs < 1:
        raise InvalidInput("A forecast needs at least one run.",
                           errors={"runs": ["Give at least 1 run."]})
    rng = random.Random(seed)
    drawn = {node: estimate for node, estimate in sorted(estimates.items())
             if node in scheduler.items and scheduler.items[node].status != "done"
             and scheduler.items[node].duration_weeks is not None}
    events = events or {}
    makespans: list[float] = []
    ends: dict[int, list[float]] = {node: [] for node in scheduler.items}
    held = dict.fromkeys(events, 0)
    for _ in range(runs):
        extend = {node: estimate.draw(rng) - scheduler.items[node].weeks
                  for node, estimate in drawn.items()}
        end_weeks = scheduler.end_weeks(extend)
        makespans.append(max(0.0, max(end_weeks.values(), default=0.0)))
        for node, end in end_weeks.items():
            ends[node].append(end)
        for name, event in events.items():
            held[name] += bool(event(end_weeks))
    return Forecast(runs=runs, seed=seed, makespan=_spread(makespans),
                    ends={node: _spread(values) for node, values in ends.items() if values},
                    probabilities={name: count / runs for name, count in held.items()})
