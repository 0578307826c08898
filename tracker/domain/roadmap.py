"""The roadmap: a dependency-aware, capacity-aware schedule of initiatives, its phases,
what-if variants, slip impact and the comparison with a saved baseline (DESIGN section 3,
"Schedule").

Time runs in weeks from the plan's `start` date, as floats that are never rounded. Dates are
derived from them by `week_date`: `start` plus `weeks * 7` days rounded to the nearest day
(half a day rounds up). Ends are exclusive: an initiative that ends on date D is over when D
begins, so a dependent with no lag may start on D. Phases follow the same rule: a phase
covers `[start, end)`.

The dependency graph follows `tracker.domain.graph`: nodes are initiative ids, edges go
from prerequisite to dependent and may carry a `lag` in weeks.

Incomplete data never fails a plan: an initiative without a duration, and what waits on
it, is left out and listed in `Plan.unplanned` with its reasons. Slack is true under the
plan's own capacity: the delay a re-simulation confirms leaves the end where it is.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, NamedTuple

import networkx as nx

from tracker.domain.errors import Conflict, InvalidInput
from tracker.domain.graph import (
    EPSILON,
    LAG,
    NetworkTimes,
    adjacency,
    drop_nodes,
    impact,
    network_times,
    topological_order,
)

DONE = "done"
IN_PROGRESS = "in_progress"
DROPPED = "dropped"
FIXED_STATUSES = frozenset({DONE, IN_PROGRESS})

#: Why an initiative is left out of the plan: it needs a duration and has none, or it
#: waits (directly) on an initiative that is left out.
NO_DURATION = "no_duration"
DEPENDS_ON_UNPLANNED = "depends_on_unplanned"
UNPLANNED_REASONS = (NO_DURATION, DEPENDS_ON_UNPLANNED)

#: The most initiative-simulations the slack search may spend on one plan under limited
#: capacity: a probe re-simulates every planned initiative (3 to 8 µs each), so about
#: 0.3 s at most. A plan of n initiatives needs about 2·n² of them (1.8 to 3 probes per
#: initiative on random networks): up to about two hundred initiatives, every slack is
#: searched; past the budget, those that start last are left unverified
#: (`Plan.slack_unverified`); past about three hundred (n² over the budget: not even one
#: probe each), none is searched and the plan costs what it costs with unlimited capacity.
SLACK_BUDGET = 100_000


@dataclass(frozen=True, slots=True)
class PlanItem:
    """An initiative as the scheduler sees it.

    `duration_weeks` is None while nobody has estimated it: the plan then leaves it out
    (see `schedule`) unless real dates give both its ends. `priority` is the effective
    priority (higher first, None after every number), computed elsewhere. `load` is the
    capacity points per week it uses while it runs. `pinned_start`
    is a date it may not start before (see `schedule`; ignored once it has started).
    By `status`: `done` keeps `actual_start` and `actual_end`; `in_progress` keeps
    `actual_start` and ends on `actual_end` if set, else `duration_weeks` after its start;
    any other status (`approved`, `proposed`...) is planned by the scheduler. `dropped`
    initiatives are left out by the caller, with their node removed by `graph.drop_nodes`
    so that precedence still holds through them; `schedule` refuses them.
    """

    id: int
    duration_weeks: float | None
    priority: float | None
    load: float = 1.0
    pinned_start: date | None = None
    actual_start: date | None = None
    actual_end: date | None = None
    status: str = "approved"

    @property
    def fixed(self) -> bool:
        """True when the scheduler keeps the initiative's real dates."""
        return self.status in FIXED_STATUSES

    @property
    def needs_duration(self) -> bool:
        """False when real dates give both ends (done, or under way with an actual end)."""
        return not (self.fixed and self.actual_end is not None)

    @property
    def weeks(self) -> float:
        """The duration of an item the plan holds (those without one are left out first)."""
        assert self.duration_weeks is not None, f"initiative {self.id} has no duration"
        return self.duration_weeks


@dataclass(frozen=True, slots=True)
class Capacity:
    """How much may run at once: `concurrent` initiatives, and/or `points_per_week`, the
    most the `load` of the running initiatives may add up to. Neither: unlimited.

    >>> Capacity(concurrent=2).allows(running=1, points=0.0, load=1.0)
    True
    >>> Capacity(concurrent=0)
    Traceback (most recent call last):
    ...
    tracker.domain.errors.InvalidInput: Capacity must be positive.
    """

    concurrent: int | None = None
    points_per_week: float | None = None

    def __post_init__(self) -> None:
        problems = []
        if self.concurrent is not None and (
                isinstance(self.concurrent, bool) or not isinstance(self.concurrent, int)
                or self.concurrent <= 0):
            problems.append("concurrent must be a whole number > 0")
        if self.points_per_week is not None and (
                not math.isfinite(self.points_per_week) or self.points_per_week <= 0):
            problems.append("points_per_week must be a number > 0")
        if problems:
            raise InvalidInput("Capacity must be positive.", errors={"capacity": problems})

    @property
    def unlimited(self) -> bool:
        """True when neither limit is set."""
        return self.concurrent is None and self.points_per_week is None

    def allows(self, running: int, points: float, load: float) -> bool:
        """Whether one more initiative of this `load` may start beside `running` others
        using `points` (a relative tolerance of 1e-9 absorbs rounding noise)."""
        if self.concurrent is not None and running >= self.concurrent:
            return False
        limit = self.points_per_week
        return limit is None or points + load <= limit * (1 + EPSILON)


@dataclass(frozen=True, slots=True)
class Scheduled:
    """One initiative in a plan. `slack_weeks` is how many weeks it can start later (work
    under way: end later) without moving the plan's end or breaking a pinned date, under
    the plan's capacity (see `schedule`); `critical` is True when that is zero."""

    id: int
    start: date
    end: date
    start_week: float
    end_week: float
    wave: int
    slack_weeks: float
    critical: bool


@dataclass(frozen=True, slots=True)
class Unplanned:
    """An initiative the plan leaves out: its `reasons` (codes of `UNPLANNED_REASONS`, in
    that order) and, when it waits on some, the unplanned prerequisites in id order."""

    id: int
    reasons: tuple[str, ...]
    waiting_for: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Plan:
    """A schedule: `items` in start order (ties by id), the makespan (weeks from `start` to
    the last end, at least 0), the critical path `(ids, duration_weeks)` of the network,
    `pin_delays`: pinned initiatives that had to wait for capacity past their date,
    `unplanned`: the initiatives left out (in id order), and `slack_unverified`: the ids
    whose slack the search had no budget left to verify (their slack reads 0, promising
    nothing; see `SLACK_BUDGET`)."""

    start: date
    items: list[Scheduled]
    makespan_weeks: float
    critical_path: tuple[list[int], float]
    pin_delays: list[dict[str, Any]] = field(default_factory=list)
    unplanned: list[Unplanned] = field(default_factory=list)
    slack_unverified: list[int] = field(default_factory=list)

    @property
    def end(self) -> date:
        """The date the last initiative ends (the start date for an empty plan)."""
        return week_date(self.start, self.makespan_weeks)

    def by_id(self) -> dict[int, Scheduled]:
        """The scheduled initiatives keyed by id."""
        return {item.id: item for item in self.items}


@dataclass(frozen=True, slots=True)
class Phase:
    """A named window of the roadmap, `[start, end)`."""

    name: str
    start: date
    end: date


class Move(NamedTuple):
    """An initiative whose start moved in a what-if (`delta_weeks` > 0: later)."""

    id: int
    start_before: date
    start_after: date
    delta_weeks: float


@dataclass(frozen=True, slots=True)
class WhatIf:
    """A what-if's answer: both makespans, the moves in id order and both plans."""

    makespan_before: float
    makespan_after: float
    moved: list[Move]
    before: Plan = field(repr=False)
    after: Plan = field(repr=False)

    @property
    def makespan_change(self) -> float:
        """Weeks gained (> 0) or saved (< 0) on the makespan."""
        return self.makespan_after - self.makespan_before


@dataclass(frozen=True, slots=True)
class Slip:
    """An initiative's end against the baseline: `slip_weeks` > 0 is late. `status` is
    `late`, `early`, `on_time`, `added` (not in the baseline), `removed` (gone from the
    plan's input) or `unplanned` (left out of the plan now, see `schedule`); the last
    three have no slip."""

    id: int
    baseline_end: date | None
    current_end: date | None
    slip_weeks: float | None
    status: str


def week_date(start: date, weeks: float) -> date:
    """The date `weeks` after `start`, to the nearest day (half a day rounds up).

    >>> week_date(date(2025, 1, 6), 2.5).isoformat()
    '2025-01-24'
    >>> week_date(date(2025, 1, 6), -1).isoformat()
    '2024-12-30'
    """
    return start + timedelta(days=math.floor(weeks * 7 + 0.5))


def date_weeks(start: date, day: date) -> float:
    """The weeks from `start` to `day` (negative before it).

    >>> date_weeks(date(2025, 1, 6), date(2025, 1, 20))
    2.0
    """
    return (day - start).days / 7


Items = Mapping[int, PlanItem] | Sequence[PlanItem]


def _index(items: Items) -> dict[int, PlanItem]:
    """The items keyed by id; `InvalidInput` for duplicate or mismatched ids."""
    pairs = list(items.items()) if isinstance(items, Mapping) else [(i.id, i) for i in items]
    indexed: dict[int, PlanItem] = {}
    problems = []
    for key, item in pairs:
        if key != item.id:
            problems.append(f"key {key} holds initiative {item.id}")
        elif key in indexed:
            problems.append(f"initiative {key} appears twice")
        indexed[item.id] = item
    if problems:
        raise InvalidInput("Some initiatives are listed wrongly.", errors={"items": problems})
    return indexed


def _validate(graph: nx.DiGraph[int], items: Mapping[int, PlanItem], capacity: Capacity) -> None:
    """Every problem of the input at once, as one `InvalidInput` keyed by field."""
    problems: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        problems.setdefault(key, []).append(message)

    for node in sorted(set(graph) - set(items)):
        add("items", f"initiative {node} is in the graph but has no plan item")
    limit = capacity.points_per_week
    for node in sorted(items):
        item = items[node]
        duration = item.duration_weeks
        if duration is not None and (not math.isfinite(duration) or duration <= 0):
            add("duration_weeks", f"initiative {node}: duration must be > 0 weeks")
        if not math.isfinite(item.load) or item.load < 0:
            add("load", f"initiative {node}: load must be a number ≥ 0")
        elif limit is not None and item.status != DONE and item.load > limit:
            add("load", f"initiative {node}: load {item.load:g} exceeds the capacity of "
                        f"{limit:g} points per week")
        if item.priority is not None and not math.isfinite(item.priority):
            add("priority", f"initiative {node}: priority must be a finite number")
        if item.status == DROPPED:
            add("status", f"initiative {node} is dropped: leave it out of the plan")
        if item.fixed and item.actual_start is None:
            add("actual_start", f"initiative {node} is {item.status} but has no actual start")
        if item.status == DONE and item.actual_end is None:
            add("actual_end", f"initiative {node} is done but has no actual end")
        if (item.fixed and item.actual_start and item.actual_end
                and item.actual_end < item.actual_start):
            add("actual_end", f"initiative {node}: actual end must not come before actual start")
    if problems:
        raise InvalidInput("The plan's input is invalid.", errors=problems)


@dataclass(slots=True)
class _Run:
    """The raw result of the list scheduling: times in weeks and the pin reports."""

    start_week: dict[int, float] = field(default_factory=dict)
    end_week: dict[int, float] = field(default_factory=dict)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    delays: list[dict[str, Any]] = field(default_factory=list)


def _queue_key(item: PlanItem, pin_week: float | None) -> tuple[Any, ...]:
    """Order among ready initiatives: pinned first (earliest pin), then priority
    (None last), then id."""
    return (pin_week is None, pin_week or 0.0, item.priority is None,
            -(item.priority or 0.0), item.id)


def _simulate(graph: nx.DiGraph[int], items: Mapping[int, PlanItem], start: date,
              capacity: Capacity, release: Mapping[int, float],
              extend: Mapping[int, float]) -> _Run:
    """Event-driven list scheduling (see `schedule`), O((V + E) log V)."""
    run = _Run()
    pred, succ = adjacency(graph)
    pins = {n: date_weeks(start, i.pinned_start) for n, i in items.items()
            if i.pinned_start is not None and not i.fixed}
    remaining: dict[int, int] = {}
    ready: dict[int, float] = {}
    running: list[tuple[float, int]] = []   # (end, id) of what uses capacity now
    pending: list[tuple[float, float, int]] = []   # fixed items that start later
    released: list[tuple[float, int]] = []  # planned items waiting for their ready time
    available: list[tuple[tuple[Any, ...], int]] = []
    count, points = 0, 0.0

    def on_end_known(node: int) -> None:
        end = run.end_week[node]
        for dependent, attrs in succ[node].items():
            left = remaining.get(dependent)
            if left is None:
                continue
            ready[dependent] = max(ready[dependent], end + attrs.get(LAG, 0.0))
            remaining[dependent] = left - 1
            if left == 1:
                if dependent in pins:
                    _check_pin(graph, items, start, run, dependent, pins[dependent])
                heapq.heappush(released, (ready[dependent], dependent))

    for node, item in items.items():
        if item.fixed:
            assert item.actual_start is not None
            begin = date_weeks(start, item.actual_start)
            end = (date_weeks(start, item.actual_end) if item.actual_end is not None
                   else begin + item.weeks)
            run.start_week[node], run.end_week[node] = begin, end + extend.get(node, 0.0)
        else:
            remaining[node] = len(pred[node])
            ready[node] = max(0.0, release.get(node, 0.0), pins.get(node, 0.0))
    for node in sorted(run.start_week):
        begin, end = run.start_week[node], run.end_week[node]
        if begin <= 0 < end:
            count, points = count + 1, points + items[node].load
            heapq.heappush(running, (end, node))
        elif begin > 0:
            heapq.heappush(pending, (begin, end, node))
        on_end_known(node)
    for node in sorted(remaining):
        if not pred[node]:
            heapq.heappush(released, (ready[node], node))

    now = 0.0
    while released or available:
        while running and running[0][0] <= now:
            node = heapq.heappop(running)[1]
            count, points = count - 1, points - items[node].load
        if count == 0:
            points = 0.0
        while pending and pending[0][0] <= now:
            _begin, end, node = heapq.heappop(pending)
            if end > now:
                count, points = count + 1, points + items[node].load
                heapq.heappush(running, (end, node))
        while released and released[0][0] <= now:
            node = heapq.heappop(released)[1]
            heapq.heappush(available, (_queue_key(items[node], pins.get(node)), node))
        while available:
            node = available[0][1]
            item = items[node]
            if not capacity.allows(count, points, item.load):
                break
            heapq.heappop(available)
            end = now + item.weeks + extend.get(node, 0.0)
            run.start_week[node], run.end_week[node] = now, end
            count, points = count + 1, points + item.load
            heapq.heappush(running, (end, node))
            if node in pins and now > ready[node]:
                assert item.pinned_start is not None  # every pin comes from a pinned start
                run.delays.append({"id": node, "pinned_start": item.pinned_start.isoformat(),
                                   "start": week_date(start, now).isoformat(),
                                   "waited_weeks": now - ready[node]})
            on_end_known(node)
        if released or available:
            now = min(heap[0][0] for heap in (running, pending, released) if heap)
    return run


def _check_pin(graph: nx.DiGraph[int], items: Mapping[int, PlanItem], start: date, run: _Run,
               node: int, pin_week: float | None) -> None:
    """Report every prerequisite that ends (plus lag) after the node's pinned date."""
    pinned_start = items[node].pinned_start
    if pin_week is None or pinned_start is None:
        return
    late = []
    for prerequisite, attrs in sorted(graph.pred[node].items()):
        lag = attrs.get(LAG, 0.0)
        if run.end_week[prerequisite] + lag > pin_week + EPSILON:
            late.append((prerequisite, lag))
    if not late:
        return
    earliest = max(run.end_week[p] + lag for p, lag in late)
    for prerequisite, lag in late:
        run.conflicts.append({
            "id": node,
            "pinned_start": pinned_start.isoformat(),
            "prerequisite_id": prerequisite,
            "prerequisite_end": week_date(start, run.end_week[prerequisite]).isoformat(),
            "lag_weeks": lag,
            "earliest_start": week_date(start, earliest).isoformat(),
        })


def _network(graph: nx.DiGraph[int], items: Mapping[int, PlanItem], start: date, run: _Run,
             release: Mapping[int, float], extend: Mapping[int, float]) -> NetworkTimes:
    """The critical path method on the plan's own terms: work with real dates (done, in
    progress) is anchored where it really is, pinned and delayed work is released no
    earlier than its date, the rest starts at the plan start. So, with unlimited capacity,
    the critical path ends exactly at the makespan. A pinned initiative's date is also a
    deadline for its prerequisites (minus the lag): past it, delaying one is a conflict."""
    anchored = {n for n, item in items.items() if item.actual_start is not None}
    released = {n: max(release.get(n, 0.0),
                       date_weeks(start, item.pinned_start) if item.pinned_start else 0.0)
                for n, item in items.items() if n not in anchored}
    released.update({n: run.start_week[n] for n in anchored})
    durations = {n: max(run.end_week[n] - run.start_week[n], EPSILON) if n in anchored
                 else item.weeks + extend.get(n, 0.0) for n, item in items.items()}
    return network_times(graph, durations, release=released,
                         deadline=_pin_deadlines(graph, items, start))


def _pin_deadlines(graph: nx.DiGraph[int], items: Mapping[int, PlanItem],
                   start: date) -> dict[int, float]:
    """The week by which each prerequisite of a pinned, planned initiative must end: the
    earliest pinned date of its dependents, minus the edge's lag."""
    deadlines: dict[int, float] = {}
    for node, item in items.items():
        if item.pinned_start is None or item.fixed:
            continue
        pin = date_weeks(start, item.pinned_start)
        for prerequisite, attrs in graph.pred[node].items():
            limit = pin - attrs.get(LAG, 0.0)
            deadlines[prerequisite] = min(deadlines.get(prerequisite, limit), limit)
    return deadlines


def _left_out(graph: nx.DiGraph[int], items: Mapping[int, PlanItem]) -> dict[int, Unplanned]:
    """The initiatives the plan cannot hold, in one pass in topological order (items
    outside the graph last): those that need a duration and have none, and planned ones
    waiting on a left-out initiative, directly or not. Work with real dates keeps them
    whatever its prerequisites. `DependencyCycle` on a cycle."""
    pred, _succ = adjacency(graph)
    left_out: dict[int, Unplanned] = {}
    outside = sorted(set(items) - set(graph))
    for node in itertools.chain(topological_order(graph), outside):
        item = items[node]
        reasons = [NO_DURATION] if item.duration_weeks is None and item.needs_duration else []
        waiting = () if item.fixed else tuple(
            sorted(p for p in pred.get(node, {}) if p in left_out))
        if waiting:
            reasons.append(DEPENDS_ON_UNPLANNED)
        if reasons:
            left_out[node] = Unplanned(node, tuple(reasons), waiting)
    return left_out


def _makespan(run: _Run) -> float:
    """Weeks from the plan start to the last end, at least 0."""
    return max(0.0, max(run.end_week.values(), default=0.0))


class _OverBudget(Exception):
    """The slack search has spent `SLACK_BUDGET`."""


@dataclass(slots=True)
class _Probes:
    """Re-simulations of a plan (`run`, made with `release` and `extend`) with one
    initiative later, each charged its count of initiatives against `left`."""

    graph: nx.DiGraph[int]
    items: Mapping[int, PlanItem]
    start: date
    capacity: Capacity
    run: _Run
    release: Mapping[int, float]
    extend: Mapping[int, float]
    left: int

    def keeps_end(self, node: int, weeks: int) -> bool:
        """Whether the plan keeps its makespan, and every pinned date, with `node` starting
        no earlier than `weeks` after its start (work with real dates: ending that much
        later); `_OverBudget` when the budget cannot pay for the probe."""
        if self.left < len(self.items):
            raise _OverBudget
        self.left -= len(self.items)
        release, extend = dict(self.release), dict(self.extend)
        if self.items[node].fixed:
            extend[node] = extend.get(node, 0.0) + weeks
        else:
            release[node] = self.run.start_week[node] + weeks
        probe = _simulate(self.graph, self.items, self.start, self.capacity, release, extend)
        return not probe.conflicts and abs(_makespan(probe) - _makespan(self.run)) <= EPSILON


def _tails(graph: nx.DiGraph[int], items: Mapping[int, PlanItem], run: _Run) -> dict[int, float]:
    """For each initiative, the longest chain of planned work after its end (lags and
    durations of the planned dependents, directly or not; work with real dates does not
    move): delayed past `makespan - end - tail`, it must move the plan's end."""
    _pred, succ = adjacency(graph)
    tail: dict[int, float] = {}
    for node in reversed(topological_order(graph)):
        tail[node] = max((attrs.get(LAG, 0.0) + run.end_week[d] - run.start_week[d] + tail[d]
                          for d, attrs in succ[node].items() if not items[d].fixed),
                         default=0.0)
    return tail


def _boundary(keeps: Callable[[int], bool], limit: int) -> int:
    """A whole number of weeks `s < limit` with `keeps(s)` and not `keeps(s + 1)`, given
    `keeps(0)` and not `keeps(limit)`. Tries 1 and `limit - 1` first (no slack, or all
    the network allows: the common answers), then gallops up from 1 and bisects: at most
    `2 + 2·log2(limit)` calls. Under capacity `keeps` need not be monotone (Graham's
    anomalies), so the answer is a boundary, the first one found.

    >>> _boundary(lambda weeks: weeks <= 5, 9), _boundary(lambda weeks: weeks == 0, 9)
    (5, 0)
    """
    if limit <= 1 or not keeps(1):
        return 0
    if limit == 2 or keeps(limit - 1):
        return limit - 1
    low, high, step = 1, limit - 1, 1
    while low + step < high and keeps(low + step):
        low, step = low + step, step * 2
    high = min(high, low + step)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if keeps(middle) else (low, middle)
    return low


def _capacity_slack(probes: _Probes) -> tuple[dict[int, float], list[int]]:
    """Each initiative's slack under limited capacity, in whole weeks, by re-simulation
    (see `schedule`), searched in start order; and the ids the budget could not verify.
    When the budget cannot pay one probe for each initiative that needs a search, none is
    searched: a few answers out of very many are not worth their cost."""
    run, makespan = probes.run, _makespan(probes.run)
    tails = _tails(probes.graph, probes.items, run)
    limits = {n: math.floor(makespan - run.end_week[n] - tails[n] + EPSILON) + 1
              for n in probes.items}
    searched = sorted((n for n, limit in limits.items() if limit > 1),
                      key=lambda n: (run.start_week[n], n))
    slack = dict.fromkeys(probes.items, 0.0)
    if len(searched) * len(probes.items) > probes.left:
        return slack, sorted(searched)
    unverified = []
    for node in searched:
        try:
            slack[node] = float(_boundary(functools.partial(probes.keeps_end, node),
                                          limits[node]))
        except _OverBudget:
            unverified.append(node)
    return slack, sorted(unverified)


def _plannable(graph: nx.DiGraph[int], items: dict[int, PlanItem]) -> tuple[
        nx.DiGraph[int], dict[int, PlanItem], list[Unplanned]]:
    """The graph and items of what can be planned (every item a node), and the rest."""
    left_out = _left_out(graph, items)
    extra = set(items) - set(graph)
    if extra or left_out:
        graph = graph.copy()
        graph.add_nodes_from(sorted(extra))
        graph.remove_nodes_from(left_out)
    kept = {n: item for n, item in items.items() if n not in left_out}
    return graph, kept, [left_out[n] for n in sorted(left_out)]


def _plan(graph: nx.DiGraph[int], items: Items, start: date, capacity: Capacity,
          release: Mapping[int, float] | None = None,
          extend: Mapping[int, float] | None = None,
          budget: int | None = None) -> tuple[Plan, list[dict[str, Any]]]:
    """The plan and its pin conflicts (the plan places a conflicting item when it can).
    `budget` bounds the slack search under limited capacity (`SLACK_BUDGET` by default;
    0 leaves every slack unverified but the free ones)."""
    indexed = _index(items)
    release, extend = release or {}, extend or {}
    _validate(graph, indexed, capacity)
    graph, planned, unplanned = _plannable(graph, indexed)
    run = _simulate(graph, planned, start, capacity, release, extend)
    times = _network(graph, planned, start, run, release, extend)
    unverified: list[int] = []
    slack = times.slack
    if not capacity.unlimited and not run.conflicts:
        probes = _Probes(graph, planned, start, capacity, run, release, extend,
                         SLACK_BUDGET if budget is None else budget)
        slack, unverified = _capacity_slack(probes)
    scheduled = sorted(
        (Scheduled(id=n, start=week_date(start, run.start_week[n]),
                   end=week_date(start, run.end_week[n]), start_week=run.start_week[n],
                   end_week=run.end_week[n], wave=times.wave[n], slack_weeks=slack[n],
                   critical=slack[n] == 0.0) for n in planned),
        key=lambda s: (s.start_week, s.id))
    plan = Plan(start=start, items=scheduled, makespan_weeks=_makespan(run),
                critical_path=(times.critical_path, times.duration_weeks),
                pin_delays=sorted(run.delays, key=lambda d: d["id"]), unplanned=unplanned,
                slack_unverified=unverified)
    return plan, sorted(run.conflicts, key=lambda c: (c["id"], c["prerequisite_id"]))


def _raise_conflicts(conflicts: list[dict[str, Any]]) -> None:
    if conflicts:
        lines = [f"initiative {c['id']} is pinned to {c['pinned_start']} but its prerequisite "
                 f"{c['prerequisite_id']} ends {c['prerequisite_end']}"
                 + (f" (plus {c['lag_weeks']:g} weeks of lag)" if c["lag_weeks"] else "")
                 for c in conflicts]
        raise Conflict("Pinned start dates conflict with prerequisites: " + "; ".join(lines)
                       + ".", conflicts=conflicts)


def schedule(graph: nx.DiGraph[int], items: Items, start: date,
             capacity: Capacity = Capacity()) -> Plan:
    """The roadmap: when each initiative starts and ends, under the dependencies and the
    capacity.

    Event-driven list scheduling. Time starts at 0 (`start`); at each instant, finished
    initiatives free their capacity, then the ready initiatives (every prerequisite
    finished, plus the edge's lag, and the pinned date reached) start in order while the
    capacity allows: pinned ones first (earliest pin first), then the highest priority
    (None last), then the smallest id. The order is strict: when the first in line does
    not fit, nothing behind it starts, so a large initiative is not overtaken by smaller
    ones. Time then jumps to the next finish or release.

    Done and in-progress initiatives keep their real dates (see `PlanItem`) and use
    capacity while they run, even past it; planned ones never start before `start`.
    A pinned date is a date not to start before; a pinned initiative whose prerequisite
    ends (plus lag) after its date is a `Conflict`, raised once every such case is known,
    with all of them in `extra["conflicts"]` (see `pin_conflicts`). Waiting for capacity
    past the pinned date is not a conflict; the plan lists it in `pin_delays`.
    Items may be a mapping by id or a sequence; every graph node needs an item, and items
    outside the graph have no dependency. Invalid input raises `InvalidInput` with every
    problem at once; a cycle raises `DependencyCycle`. Incomplete data is no error: an
    initiative that needs a duration and has none (`NO_DURATION`), and a planned one
    waiting on a left-out initiative, directly or not (`DEPENDS_ON_UNPLANNED`), are left
    out and listed in `unplanned`; the rest is planned as if they did not exist.

    With unlimited capacity (and no real or pinned dates) the makespan equals the critical
    path's duration; with one initiative at a time and no lag, the sum of the durations.

    Slack: with unlimited capacity, the critical path method's total float (with a pinned
    dependent's date as a deadline for its prerequisites), exact to the fraction of a week.
    Under limited capacity, whole weeks found by re-simulating the plan with the initiative
    later (work under way: ending later): delaying it by its slack keeps the makespan
    and every pinned date, one week more does not. A delay past `makespan - end - tail`
    (tail: the longest chain of planned work after it) must move the end, which bounds the
    search below the makespan and settles the last initiatives with no probe; the others
    take at most `2 + 2·log2(bound)` list-scheduling runs each, in start order, within
    `SLACK_BUDGET` (past it, `slack_unverified`).

    >>> graph = nx.DiGraph([(1, 3), (2, 3)])
    >>> items = [PlanItem(1, 2, priority=1), PlanItem(2, 1, priority=5), PlanItem(3, 1, None)]
    >>> plan = schedule(graph, items, date(2025, 1, 6), Capacity(concurrent=1))
    >>> [(s.id, s.start_week, s.end_week) for s in plan.items], plan.makespan_weeks
    ([(2, 0.0, 1.0), (1, 1.0, 3.0), (3, 3.0, 4.0)], 4.0)
    >>> plan.items[1].start, plan.critical_path
    (datetime.date(2025, 1, 13), ([1, 3], 3.0))
    >>> [(s.id, s.slack_weeks) for s in plan.items]  # 2 may wait while 1 runs
    [(2, 2.0), (1, 0.0), (3, 0.0)]
    >>> schedule(graph, [*items[:2], PlanItem(3, None, None)], date(2025, 1, 6)).unplanned
    [Unplanned(id=3, reasons=('no_duration',), waiting_for=())]
    """
    plan, conflicts = _plan(graph, items, start, capacity)
    _raise_conflicts(conflicts)
    return plan


class ListScheduler:
    """The roadmap's list scheduling (see `schedule`), prepared once and run many times with
    other durations: the forecast's runs. Validation and the left-out initiatives are
    settled here, once; each run only schedules, without the slack search."""

    def __init__(self, graph: nx.DiGraph[int], items: Items, start: date,
                 capacity: Capacity = Capacity()) -> None:
        indexed = _index(items)
        _validate(graph, indexed, capacity)
        self.graph, self.items, self.unplanned = _plannable(graph, indexed)
        self.start, self.capacity = start, capacity

    def end_weeks(self, extend: Mapping[int, float] | None = None) -> dict[int, float]:
        """Each planned initiative's end, in weeks from the start, when the initiatives of
        `extend` last that many weeks more (or less, when negative) than their
        `duration_weeks`."""
        return _simulate(self.graph, self.items, self.start, self.capacity, {},
                         extend or {}).end_week


def pin_conflicts(graph: nx.DiGraph[int], items: Items, start: date,
                  capacity: Capacity = Capacity()) -> list[dict[str, Any]]:
    """Every pinned initiative whose prerequisite ends (plus lag) after its pinned date, in
    the plan `schedule` would make: one dict per (initiative, late prerequisite) with
    `id`, `pinned_start`, `prerequisite_id`, `prerequisite_end`, `lag_weeks` and
    `earliest_start` (dates as ISO strings), ordered by id then prerequisite.

    >>> graph = nx.DiGraph([(1, 2)])
    >>> items = [PlanItem(1, 2, 1), PlanItem(2, 1, 1, pinned_start=date(2025, 1, 13))]
    >>> pin_conflicts(graph, items, date(2025, 1, 6))
    [{'id': 2, 'pinned_start': '2025-01-13', 'prerequisite_id': 1, \
'prerequisite_end': '2025-01-20', 'lag_weeks': 0.0, 'earliest_start': '2025-01-20'}]
    """
    return _plan(graph, items, start, capacity, budget=0)[1]


def default_phases(plan: Plan, count: int = 3) -> list[Phase]:
    """A proposed split of the plan into `count` phases of equal length, from its start to
    its end, named "Phase 1", "Phase 2"...; boundaries fall on the nearest day, and a
    plan shorter than `count` days gets fewer phases (none for an empty plan).

    >>> plan = Plan(date(2025, 1, 6), [], makespan_weeks=9.0, critical_path=([], 0.0))
    >>> [(p.name, p.start.isoformat(), p.end.isoformat()) for p in default_phases(plan)]
    [('Phase 1', '2025-01-06', '2025-01-27'), ('Phase 2', '2025-01-27', '2025-02-17'), \
('Phase 3', '2025-02-17', '2025-03-10')]
    """
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise InvalidInput("The phase count must be at least 1.", errors={"count": ["≥ 1"]})
    days = (plan.end - plan.start).days
    bounds = sorted({plan.start + timedelta(days=math.floor(k * days / count + 0.5))
                     for k in range(count + 1)})
    return [Phase(f"Phase {k + 1}", begin, end)
            for k, (begin, end) in enumerate(itertools.pairwise(bounds))]


def assign_phase(phases: Sequence[Phase], end_date: date) -> str | None:
    """The name of the first phase in which an initiative ending on `end_date` (exclusive)
    finishes: `phase.start < end_date <= phase.end`; None if no phase holds it.

    >>> phases = [Phase("P1", date(2025, 1, 1), date(2025, 4, 1)),
    ...           Phase("P2", date(2025, 4, 1), date(2025, 7, 1))]
    >>> assign_phase(phases, date(2025, 4, 1)), assign_phase(phases, date(2025, 4, 2))
    ('P1', 'P2')
    >>> assign_phase(phases, date(2025, 1, 1)) is None
    True
    """
    for phase in phases:
        if phase.start < end_date <= phase.end:
            return phase.name
    return None


def _check_changes(items: Mapping[int, PlanItem], delay: Mapping[int, float],
                   slip: Mapping[int, float], drop: Collection[int]) -> None:
    """Refuse what-if changes on unknown initiatives, negative weeks or impossible moves."""
    problems: dict[str, list[str]] = {}
    for key, changes in (("delay", delay), ("slip", slip), ("drop", dict.fromkeys(drop, 0.0))):
        for node, weeks in sorted(changes.items()):
            item = items.get(node)
            if item is None:
                message = f"initiative {node} is not in the plan"
            elif not math.isfinite(weeks) or weeks < 0:
                message = f"initiative {node}: weeks must be a number ≥ 0"
            elif key == "delay" and item.fixed:
                message = f"initiative {node} is {item.status}: its start cannot be delayed"
            elif key == "slip" and item.status == DONE:
                message = f"initiative {node} is done: it cannot slip"
            else:
                continue
            problems.setdefault(key, []).append(message)
    if problems:
        raise InvalidInput("Some what-if changes are invalid.", errors=problems)


def what_if(graph: nx.DiGraph[int], items: Items, start: date, capacity: Capacity = Capacity(), *,
            delay: Mapping[int, float] | None = None, slip: Mapping[int, float] | None = None,
            drop: Collection[int] = frozenset(),
            new_capacity: Capacity | None = None) -> WhatIf:
    """The plan before and after some changes, without saving anything.

    `delay`: a planned initiative starts no earlier than its current start plus these
    weeks, and is not in line for capacity before then (its dependents follow; a delay
    past its pinned date is no conflict; a delay of 0 changes nothing). `slip`:
    an initiative takes these weeks longer (an in-progress one ends that much later).
    `drop`: initiatives removed, keeping the transitive precedence (their dependents then
    depend on their prerequisites, lags added: `graph.drop_nodes`). `new_capacity`
    replaces the capacity. `moved` lists, in id order, every initiative planned before
    and after whose start changed. Pin conflicts in the new plan raise `Conflict` as in
    `schedule`. An unplanned initiative (see `schedule`) is in neither plan, so delaying
    or slipping it changes nothing, while dropping it may let what waited on it be planned
    (`after.unplanned` says what is still left out). Both plans are made with no slack
    search (`slack_unverified` under limited capacity): a what-if answers with makespans
    and moves, and delaying an initiative by its slack in `schedule` keeps the makespan.

    >>> graph = nx.DiGraph([(1, 2), (2, 3)])
    >>> items = [PlanItem(1, 2, 1), PlanItem(2, 3, 1), PlanItem(3, 1, 1)]
    >>> result = what_if(graph, items, date(2025, 1, 6), drop={2})
    >>> result.makespan_before, result.makespan_after
    (6.0, 3.0)
    >>> result.moved
    [Move(id=3, start_before=datetime.date(2025, 2, 10), \
start_after=datetime.date(2025, 1, 20), delta_weeks=-3.0)]
    """
    indexed = _index(items)
    delay, slip = dict(delay or {}), dict(slip or {})
    _check_changes(indexed, delay, slip, drop)
    before, conflicts = _plan(graph, indexed, start, capacity, budget=0)
    _raise_conflicts(conflicts)
    starts = before.by_id()
    kept = {n: item for n, item in indexed.items() if n not in drop}
    dropped_nodes = [n for n in drop if n in graph]
    after_graph = drop_nodes(graph, dropped_nodes) if dropped_nodes else graph
    release = {n: starts[n].start_week + weeks for n, weeks in delay.items()
               if weeks > 0 and n in kept and n in starts}
    after, conflicts = _plan(after_graph, kept, start, new_capacity or capacity,
                             release=release, extend=slip, budget=0)
    _raise_conflicts(conflicts)
    moved = [Move(s.id, starts[s.id].start, s.start, s.start_week - starts[s.id].start_week)
             for s in sorted(after.items, key=lambda s: s.id)
             if s.id in starts and abs(s.start_week - starts[s.id].start_week) > EPSILON]
    return WhatIf(before.makespan_weeks, after.makespan_weeks, moved, before, after)


def impact_of_slip(graph: nx.DiGraph[int], items: Items, start: date, capacity: Capacity,
                   node: int, weeks: float) -> tuple[set[int], float]:
    """Everything that depends on `node` (directly or not) and the makespan change, in
    weeks, if it takes `weeks` longer. Under limited capacity list scheduling can react
    to a slip in surprising ways (Graham's anomalies), so the change is computed, not
    assumed.

    >>> graph = nx.DiGraph([(1, 2), (1, 3)])
    >>> items = [PlanItem(1, 2, 1), PlanItem(2, 3, 1), PlanItem(3, 1, 1)]
    >>> impact_of_slip(graph, items, date(2025, 1, 6), Capacity(), 1, 1.5)
    ({2, 3}, 1.5)
    """
    dependents = impact(graph, node)
    result = what_if(graph, items, start, capacity, slip={node: weeks})
    return dependents, result.makespan_change


def compare_to_baseline(baseline: Mapping[int, tuple[date, date]], current: Plan) -> list[Slip]:
    """Each initiative's end now against its `(start, end)` in a saved baseline, in id
    order: `slip_weeks = (current end - baseline end) / 7 days`, positive when late;
    initiatives added since or removed since are listed too, with no slip, and so are the
    baseline's initiatives that the plan now leaves out (`unplanned`).

    >>> plan = schedule(nx.DiGraph(), [PlanItem(1, 3, 1), PlanItem(2, 1, 1)], date(2025, 1, 6))
    >>> baseline = {1: (date(2025, 1, 6), date(2025, 1, 20)),
    ...             3: (date(2025, 1, 6), date(2025, 1, 13))}
    >>> [(s.id, s.slip_weeks, s.status) for s in compare_to_baseline(baseline, plan)]
    [(1, 1.0, 'late'), (2, None, 'added'), (3, None, 'removed')]
    """
    now = {item.id: item.end for item in current.items}
    left_out = {item.id for item in current.unplanned}
    slips = []
    for node in sorted(set(baseline) | set(now)):
        base_end = baseline[node][1] if node in baseline else None
        end = now.get(node)
        if base_end is None or end is None:
            status = ("added" if base_end is None
                      else "unplanned" if node in left_out else "removed")
            slips.append(Slip(node, base_end, end, None, status))
            continue
        weeks = (end - base_end).days / 7
        status = "late" if weeks > 0 else "early" if weeks < 0 else "on_time"
        slips.append(Slip(node, base_end, end, weeks, status))
    return slips


# Owner load --------------------------------------------------------------------------------

#: An owner is overloaded in a phase when the weeks of work they carry in it exceed this
#: many times the phase's length: more than one and a half initiatives at once on average
#: (the POMA article's saturated leadership). One initiative over the whole phase is a full
#: load; a second one half the time is the most before the flag.
OVERLOAD_FACTOR = 1.5


@dataclass(frozen=True, slots=True)
class OwnerLoad:
    """The weeks of work one owner has in flight during one phase: `weeks` is the sum, over
    the owner's planned initiatives, of the overlap of `[start, end)` with the phase;
    `phase_weeks` the phase's length; `overloaded` when `weeks > OVERLOAD_FACTOR ·
    phase_weeks` (the factor a call chose)."""

    owner: str
    phase: str
    weeks: float
    phase_weeks: float
    overloaded: bool


def overlap_weeks(start: date, end: date, window_start: date, window_end: date) -> float:
    """The weeks `[start, end)` and `[window_start, window_end)` share (0 when disjoint).

    >>> overlap_weeks(date(2025, 1, 6), date(2025, 2, 3), date(2025, 1, 20), date(2025, 3, 3))
    2.0
    >>> overlap_weeks(date(2025, 1, 6), date(2025, 1, 20), date(2025, 1, 20), date(2025, 3, 3))
    0.0
    """
    return _overlap_days(start, end, window_start, window_end) / 7


def _overlap_days(start: date, end: date, window_start: date, window_end: date) -> int:
    return max(0, (min(end, window_end) - max(start, window_start)).days)


def owner_load(work: Sequence[tuple[str | None, date, date]], phases: Sequence[Phase],
               factor: float = OVERLOAD_FACTOR) -> list[OwnerLoad]:
    """Each owner's weeks of work in flight per phase, from `(owner, start, end)` of the
    planned initiatives: phase by phase in the given order, owners by name (case
    ignored). Owners are trimmed and grouped case-insensitively, shown as first written;
    work without an owner is left out. Every owner with work in some phase gets a row for
    every phase (zero where they have none), so the rows fill an owner × phase table.

    >>> phases = [Phase("P1", date(2025, 1, 6), date(2025, 2, 3)),     # 4 weeks
    ...           Phase("P2", date(2025, 2, 3), date(2025, 3, 3))]     # 4 weeks
    >>> work = [("Ana", date(2025, 1, 6), date(2025, 2, 3)),           # all of P1
    ...         ("ana ", date(2025, 1, 6), date(2025, 2, 17)),         # P1, 2 weeks of P2
    ...         ("Bo", date(2025, 2, 3), date(2025, 2, 10)), (None, date(2025, 1, 6),
    ...         date(2025, 3, 3))]
    >>> [(r.owner, r.phase, r.weeks, r.overloaded) for r in owner_load(work, phases)]
    [('Ana', 'P1', 8.0, True), ('Bo', 'P1', 0.0, False), ('Ana', 'P2', 2.0, False), \
('Bo', 'P2', 1.0, False)]
    """
    names: dict[str, str] = {}
    days: dict[tuple[str, int], int] = {}   # summed in days, so the weeks stay exact
    for owner, start, end in work:
        name = (owner or "").strip()
        if not name:
            continue
        key = names.setdefault(name.casefold(), name).casefold()
        for index, phase in enumerate(phases):
            shared = _overlap_days(start, end, phase.start, phase.end)
            if shared > 0:
                days[key, index] = days.get((key, index), 0) + shared
    loaded = sorted({key for key, _ in days})
    rows = []
    for index, phase in enumerate(phases):
        length = (phase.end - phase.start).days / 7
        for key in loaded:
            carried = days.get((key, index), 0) / 7
            rows.append(OwnerLoad(names[key], phase.name, carried, length,
                                  carried > factor * length))
    return rows
