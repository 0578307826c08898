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

Each run is the roadmap's list scheduling (`ListScheduler.end_weeks`, same arithmetic, same
answer to the last bit) on index arrays prepared once per forecast (`_Network`): what does
not depend on the drawn durations (the graph, the queue's order, pins, work with real
dates, capacity) is settled before the first run, and a run is a loop over ints. With
unlimited capacity nothing ever waits for capacity, so a run is one pass in topological
order; under a capacity it is the event-driven loop with heaps.
"""

from __future__ import annotations

import math
import random
from array import array
from bisect import bisect_left
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from heapq import heappop, heappush

from tracker.domain.errors import InvalidInput
from tracker.domain.follow.uncertainty import regularized_beta
from tracker.domain.graph import EPSILON, LAG, adjacency, topological_order
from tracker.domain.roadmap import ListScheduler, PlanItem, date_weeks

#: The percentiles the forecast reports.
PERCENTILES: tuple[float, ...] = (0.5, 0.85, 0.95)
#: The most bars a histogram of the runs has.
HISTOGRAM_BINS = 30
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
        a, b = self.optimistic, self.pessimistic
        if b == a:
            return a
        alpha, beta = self.shape
        low, high = 0.0, 1.0
        for _ in range(80):
            middle = (low + high) / 2
            if regularized_beta(middle, alpha, beta) < share:
                low = middle
            else:
                high = middle
        return a + (b - a) * (low + high) / 2

    @property
    def shape(self) -> tuple[float, float]:
        """The PERT Beta's `(α, β) = (1 + 4(m − a)/(b − a), 1 + 4(b − m)/(b − a))`, for
        `a < b`.

        >>> Estimate(2, 4, 12).shape
        (1.8, 4.2)
        """
        a, m, b = self.optimistic, self.likely, self.pessimistic
        return 1 + 4 * (m - a) / (b - a), 1 + 4 * (b - m) / (b - a)

    def draw(self, rng: random.Random) -> float:
        """One duration drawn from the PERT distribution: the definition that each
        forecast run follows (in id order, from one `random.Random`)."""
        a, b = self.optimistic, self.pessimistic
        if b == a:
            return a
        return a + (b - a) * rng.betavariate(*self.shape)


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
    weeks, each group's spread of end weeks (a run's latest end among its planned
    members; none for a group without any), and each event's probability (share of runs
    where it held)."""

    runs: int
    seed: int
    makespan: Spread
    ends: dict[int, Spread]
    probabilities: dict[str, float] = field(default_factory=dict)
    group_ends: dict[str, Spread] = field(default_factory=dict)
    #: every run's makespan in weeks, smallest first: the distribution a histogram draws
    makespans: tuple[float, ...] = field(default=(), repr=False)


def nearest_rank(ordered: list[float], share: float) -> float:
    """The `⌈share·N⌉`-th smallest of an ordered, non-empty list.

    >>> nearest_rank([1.0, 2.0, 3.0, 4.0], 0.5), nearest_rank([1.0, 2.0, 3.0, 4.0], 0.85)
    (2.0, 4.0)
    """
    rank = max(1, math.ceil(share * len(ordered) - 1e-9))
    return ordered[rank - 1]


@dataclass(frozen=True, slots=True)
class Bin:
    """A bar of a histogram: how many runs ended in `[low, high)` (weeks from the start)."""

    low: int
    high: int
    runs: int


def histogram(ordered: Sequence[float], most: int = HISTOGRAM_BINS) -> list[Bin]:
    """The ordered values counted in bins of whole weeks, from the week of the smallest to
    the week after the largest, each `⌈(⌊max⌋ + 1 − ⌊min⌋) / most⌉` weeks wide so that
    there are at most `most` bins; none for no value.

    >>> histogram([2.5, 3.0, 3.5, 7.2], most=3)
    [Bin(low=2, high=4, runs=3), Bin(low=4, high=6, runs=0), Bin(low=6, high=8, runs=1)]
    """
    if not ordered:
        return []
    first, last = math.floor(ordered[0]), math.floor(ordered[-1]) + 1
    width = math.ceil((last - first) / most)
    return [Bin(low, low + width, bisect_left(ordered, low + width) - bisect_left(ordered, low))
            for low in range(first, last, width)]


def _spread(values: list[float]) -> Spread:
    """The percentiles and mean of `values` (sorted in place)."""
    values.sort()
    p50, p85, p95 = (nearest_rank(values, share) for share in PERCENTILES)
    return Spread(p50=p50, p85=p85, p95=p95, mean=sum(values) / len(values))


def _queue_rank(items: list[PlanItem], pins: Mapping[int, float]) -> list[int]:
    """Each item's place in the queue of ready initiatives (0 first), by the roadmap's
    order: pinned first (earliest pin), then priority (None last), then id."""
    def key(position: int) -> tuple[object, ...]:
        item, pin = items[position], pins.get(position)
        return (pin is None, pin or 0.0, item.priority is None, -(item.priority or 0.0),
                item.id)

    rank = [0] * len(items)
    for place, position in enumerate(sorted(range(len(items)), key=key)):
        rank[position] = place
    return rank


class _Network:
    """A `ListScheduler`'s plan as index arrays (position `i` is the `i`-th smallest id),
    built once so that each run only adds up durations.

    A run takes `extra`, each initiative's drawn duration minus its `duration_weeks` (0
    for the others), and returns each initiative's end week by position, computed as
    `ListScheduler.end_weeks` does (the same floating-point operations in the same order).
    """

    def __init__(self, scheduler: ListScheduler) -> None:
        self.ids = sorted(scheduler.items)
        items = [scheduler.items[node] for node in self.ids]
        position = {node: i for i, node in enumerate(self.ids)}
        pred, succ = adjacency(scheduler.graph)
        start = scheduler.start
        self.weeks = [item.duration_weeks or 0.0 for item in items]
        self.load = [item.load for item in items]
        pins = {i: date_weeks(start, item.pinned_start) for i, item in enumerate(items)
                if item.pinned_start is not None and not item.fixed}
        #: work with real dates: (position, start week, end week before `extra`)
        self.fixed = [(i, *self._real_weeks(item, start)) for i, item in enumerate(items)
                      if item.fixed]
        planned = [not item.fixed for item in items]
        self.ready = [max(0.0, 0.0, pins.get(i, 0.0)) for i in range(len(items))]
        self.waiting = [len(pred[node]) if planned[i] else -1 for i, node in enumerate(self.ids)]
        self.roots = [i for i, node in enumerate(self.ids) if planned[i] and not pred[node]]
        #: planned dependents of each position, with the edge's lag
        self.succ = [[(position[d], attrs.get(LAG, 0.0)) for d, attrs in succ[node].items()
                      if planned[position[d]]] for node in self.ids]
        #: planned positions in topological order, each with its prerequisites and lags
        self.chain = [(position[node], [(position[p], attrs.get(LAG, 0.0))
                                        for p, attrs in pred[node].items()])
                      for node in topological_order(scheduler.graph)
                      if planned[position[node]]]
        self.rank = _queue_rank(items, pins)
        self.by_rank = sorted(range(len(items)), key=self.rank.__getitem__)
        capacity = scheduler.capacity
        self.unlimited = capacity.unlimited
        self.concurrent = capacity.concurrent
        self.limit = (None if capacity.points_per_week is None
                      else capacity.points_per_week * (1 + EPSILON))

    @staticmethod
    def _real_weeks(item: PlanItem, start: date) -> tuple[float, float]:
        """The start and end weeks of work with real dates (under way without an actual
        end: its duration after its start)."""
        assert item.actual_start is not None
        begin = date_weeks(start, item.actual_start)
        end = (date_weeks(start, item.actual_end) if item.actual_end is not None
               else begin + item.weeks)
        return begin, end

    def run(self, extra: list[float]) -> list[float]:
        """Each initiative's end week, by position, with durations `weeks + extra`."""
        end = [0.0] * len(self.ids)
        for i, _begin, finish in self.fixed:
            end[i] = finish + extra[i]
        return self._unlimited(extra, end) if self.unlimited else self._limited(extra, end)

    def _unlimited(self, extra: list[float], end: list[float]) -> list[float]:
        """With unlimited capacity each planned initiative starts when it is released:
        at its ready time (prerequisites' ends plus lags, its pin, the plan start), and no
        earlier than the start of its last planned prerequisite (when the event loop
        releases it); one pass in topological order."""
        weeks, ready, begin = self.weeks, self.ready, [0.0] * len(self.ids)
        for i, prerequisites in self.chain:
            at = ready[i]
            for p, lag in prerequisites:
                when = end[p] + lag
                if when > at:
                    at = when
                if begin[p] > at:
                    at = begin[p]
            begin[i] = at
            end[i] = at + weeks[i] + extra[i]
        return end

    def _limited(self, extra: list[float], end: list[float]) -> list[float]:
        """The event-driven list scheduling of `roadmap._simulate` under a capacity."""
        weeks, load, succ, rank, by_rank = self.weeks, self.load, self.succ, self.rank, \
            self.by_rank
        concurrent, limit, release = self.concurrent, self.limit, _release
        ready, waiting = self.ready[:], self.waiting[:]
        running: list[tuple[float, int]] = []
        pending: list[tuple[float, float, int]] = []
        released: list[tuple[float, int]] = []
        available: list[int] = []
        count, points = 0, 0.0
        for i, begin, _finish in self.fixed:
            finish = end[i]
            if begin <= 0 < finish:
                count, points = count + 1, points + load[i]
                heappush(running, (finish, i))
            elif begin > 0:
                heappush(pending, (begin, finish, i))
            _release(succ[i], finish, ready, waiting, released)
        for i in self.roots:
            heappush(released, (ready[i], i))
        now = 0.0
        while released or available:
            while running and running[0][0] <= now:
                i = heappop(running)[1]
                count, points = count - 1, points - load[i]
            if count == 0:
                points = 0.0
            while pending and pending[0][0] <= now:
                _begin, finish, i = heappop(pending)
                if finish > now:
                    count, points = count + 1, points + load[i]
                    heappush(running, (finish, i))
            while released and released[0][0] <= now:
                heappush(available, rank[heappop(released)[1]])
            while available:
                i = by_rank[available[0]]
                if (concurrent is not None and count >= concurrent) or (
                        limit is not None and not points + load[i] <= limit):
                    break
                heappop(available)
                finish = end[i] = now + weeks[i] + extra[i]
                count, points = count + 1, points + load[i]
                heappush(running, (finish, i))
                release(succ[i], finish, ready, waiting, released)
            if released or available:   # the next release, finish or real start
                now = released[0][0] if released else math.inf
                if running and running[0][0] < now:
                    now = running[0][0]
                if pending and pending[0][0] < now:
                    now = pending[0][0]
        return end


def _release(dependents: list[tuple[int, float]], finish: float, ready: list[float],
             waiting: list[int], released: list[tuple[float, int]]) -> None:
    """An initiative's end is known (`finish`): each planned dependent is ready no earlier
    than it plus the lag, and one prerequisite fewer; released when none is left."""
    for d, lag in dependents:
        when = finish + lag
        if when > ready[d]:
            ready[d] = when
        waiting[d] -= 1
        if not waiting[d]:
            heappush(released, (ready[d], d))


def _draws(network: _Network, scheduler: ListScheduler,
           estimates: Mapping[int, Estimate]) -> tuple[list[float], list[tuple[
               int, float, float, float, float, float]]]:
    """What each run adds to the durations: `extra`, the constant part (estimates with
    `a = b`), and for the others `(position, a, b − a, α, β, duration_weeks)`, in id order
    (the order of the draws). Done work, and work without a duration, keeps its own."""
    extra = [0.0] * len(network.ids)
    draws = []
    for i, node in enumerate(network.ids):
        item, estimate = scheduler.items[node], estimates.get(node)
        if estimate is None or item.status == "done" or item.duration_weeks is None:
            continue
        a, b = estimate.optimistic, estimate.pessimistic
        if b == a:
            extra[i] = a - item.weeks
        else:
            draws.append((i, a, b - a, *estimate.shape, item.weeks))
    return extra, draws


def forecast(scheduler: ListScheduler, estimates: Mapping[int, Estimate], *, runs: int,
             seed: int = 0, events: Mapping[str, Event] | None = None,
             groups: Mapping[str, Collection[int]] | None = None) -> Forecast:
    """Run the plan `runs` times with durations drawn from `estimates` (initiatives of the
    plan that are not done; others keep their duration) and summarize, with the end of
    each group of initiatives (a phase: when its last initiative ends).

    Two tasks in a chain, one estimated (1, 2, 3) and one fixed at 2 weeks: the makespan's
    mean is near 2 + 2 = 4.

    >>> import networkx as nx
    >>> from datetime import date
    >>> plan = ListScheduler(nx.DiGraph([(1, 2)]), [PlanItem(1, 2, 1), PlanItem(2, 2, 1)],
    ...                      date(2027, 1, 4))
    >>> result = forecast(plan, {1: Estimate(1, 2, 3)}, runs=2000, seed=1)
    >>> abs(result.makespan.mean - 4) < 0.05, result.makespan.p50 <= result.makespan.p85
    (True, True)
    """
    if runs < 1:
        raise InvalidInput("A forecast needs at least one run.",
                           errors={"runs": ["Give at least 1 run."]})
    network = _Network(scheduler)
    constant, draws = _draws(network, scheduler, estimates)
    betavariate = random.Random(seed).betavariate
    events = events or {}
    held = dict.fromkeys(events, 0)
    ids, run = network.ids, network.run
    makespans: list[float] = []
    ends = array("d")   # run after run, every position's end
    for _ in range(runs):
        extra = constant[:]
        for i, low, span, alpha, beta, weeks in draws:
            extra[i] = low + span * betavariate(alpha, beta) - weeks
        end = run(extra)
        makespans.append(max(0.0, max(end, default=0.0)))
        ends.extend(end)
        if events:
            by_id = dict(zip(ids, end, strict=True))
            for name, event in events.items():
                held[name] += bool(event(by_id))
    position = {node: i for i, node in enumerate(ids)}

    def column(node: int) -> array[float]:
        """The node's end in every run."""
        return ends[position[node]::len(ids)]

    latest = {name: [max(run_ends) for run_ends in zip(*members, strict=True)]
              for name, nodes in (groups or {}).items()
              if (members := [column(node) for node in nodes if node in position])}
    return Forecast(runs=runs, seed=seed, makespan=_spread(makespans),
                    ends={node: _spread(column(node).tolist()) for node in scheduler.items},
                    probabilities={name: count / runs for name, count in held.items()},
                    group_ends={name: _spread(values) for name, values in latest.items()},
                    makespans=tuple(makespans))
