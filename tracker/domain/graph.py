"""The dependency graph of initiatives: cycles refused, waves, critical path, slack and
impact (DESIGN section 3, "Dependencies").

Convention: a `networkx.DiGraph` whose nodes are initiative ids and whose edges go from the
prerequisite to the dependent (B must finish before A starts: edge B → A). An edge may carry
a `lag` attribute: the weeks that must pass between the prerequisite's end and the
dependent's start (a float ≥ 0, 0 when absent). Durations are in weeks and must be > 0.

The critical path and slack are network measures (capacity, pinned and actual dates play no
part); `tracker.domain.roadmap` adds those.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import networkx as nx

from tracker.domain.errors import Conflict, DependencyCycle, InvalidInput, NotFound

LAG = "lag"
#: Below this many weeks (about a millisecond), a float is rounding noise, not slack.
EPSILON = 1e-9

Edge = tuple[int, int] | tuple[int, int, float]
#: A graph's own adjacency dicts: node → neighbour → edge attributes.
Adjacency = dict[int, dict[int, dict[str, Any]]]
_Node = TypeVar("_Node", bound=Hashable)


def build_graph(nodes: Iterable[int], edges: Iterable[Edge]) -> nx.DiGraph[int]:
    """The dependency graph of these initiatives; edges are `(prerequisite, dependent)`
    or `(prerequisite, dependent, lag_weeks)`.

    Every edge gets a `lag` attribute (0.0 when not given). A repeated edge keeps its
    largest lag. Raises `InvalidInput` (errors keyed `edges`) for an edge naming an unknown
    node, a self-dependency or a lag that is negative or not finite, and
    `DependencyCycle` if the edges contain a cycle.

    >>> graph = build_graph([1, 2, 3], [(1, 2), (2, 3, 1.5)])
    >>> sorted(graph.edges(data="lag"))
    [(1, 2, 0.0), (2, 3, 1.5)]
    >>> build_graph([1, 2], [(1, 2), (2, 1)])
    Traceback (most recent call last):
    ...
    tracker.domain.errors.DependencyCycle: This link would close a cycle: 1 → 2 → 1
    """
    graph: nx.DiGraph[int] = nx.DiGraph()
    graph.add_nodes_from(nodes)
    problems: list[str] = []
    for edge in edges:
        prerequisite, dependent = edge[0], edge[1]
        lag = float(edge[2]) if len(edge) > 2 else 0.0
        if prerequisite not in graph or dependent not in graph:
            problems.append(f"{prerequisite} → {dependent}: unknown initiative")
        elif prerequisite == dependent:
            problems.append(f"{prerequisite} → {dependent}: an initiative cannot depend on itself")
        elif not math.isfinite(lag) or lag < 0:
            problems.append(f"{prerequisite} → {dependent}: lag must be a number ≥ 0")
        elif graph.has_edge(prerequisite, dependent):
            attrs = graph[prerequisite][dependent]
            attrs[LAG] = max(attrs[LAG], lag)
        else:
            graph.add_edge(prerequisite, dependent, **{LAG: lag})
    if problems:
        raise InvalidInput("Some dependencies are invalid.", errors={"edges": problems})
    topological_order(graph)
    return graph


def topological_order(graph: nx.DiGraph[_Node]) -> list[_Node]:
    """A topological order of the graph (of any hashable nodes); `DependencyCycle` if it
    has a cycle.

    >>> topological_order(build_graph([1, 2, 3], [(3, 1), (1, 2)]))
    [3, 1, 2]
    """
    try:
        return list(nx.topological_sort(graph))
    except nx.NetworkXUnfeasible:
        cycle = [u for u, _v, *_ in nx.find_cycle(graph)]
        raise DependencyCycle([*cycle, cycle[0]]) from None


def check_new_edge(graph: nx.DiGraph[int], prerequisite: int, dependent: int,
                   lag: float = 0.0) -> None:
    """Refuse the new dependency `prerequisite → dependent` if it is not allowed.

    Raises `InvalidInput` for a self-dependency (errors keyed `dependent_id`) or a bad
    lag (keyed `lag`), `Conflict` if the edge exists, and `DependencyCycle` if the edge
    would close a cycle. The cycle lists the initiatives in order: the shortest path of
    existing edges from the dependent to the prerequisite (successors visited in id
    order), then the dependent again, closed by the new edge; each consecutive pair is
    an edge. One breadth-first search: O(V + E).

    >>> graph = build_graph([1, 2, 3], [(1, 2), (2, 3)])
    >>> check_new_edge(graph, 1, 3)  # redundant with 1 → 2 → 3, but allowed
    >>> check_new_edge(graph, 1, 2)
    Traceback (most recent call last):
    ...
    tracker.domain.errors.Conflict: Initiative 2 already depends on initiative 1.
    >>> try:
    ...     check_new_edge(graph, 3, 1)
    ... except DependencyCycle as error:
    ...     error.cycle
    [1, 2, 3, 1]
    """
    if prerequisite == dependent:
        raise InvalidInput("An initiative cannot depend on itself.",
                           errors={"dependent_id": ["must differ from the prerequisite"]})
    if not math.isfinite(lag) or lag < 0:
        raise InvalidInput("The lag must be a number of weeks ≥ 0.",
                           errors={LAG: ["must be a number ≥ 0"]})
    if graph.has_edge(prerequisite, dependent):
        raise Conflict(f"Initiative {dependent} already depends on initiative {prerequisite}.")
    path = _shortest_path(graph, dependent, prerequisite)
    if path is not None:
        raise DependencyCycle([*path, dependent])


def _shortest_path(graph: nx.DiGraph[int], source: int, target: int) -> list[int] | None:
    """Breadth-first path along edges from source to target, successors in id order."""
    if source not in graph or target not in graph:
        return None
    parent: dict[int, int | None] = {source: None}
    queue = deque([source])
    while queue:
        node = queue.popleft()
        if node == target:
            path = [node]
            while (previous := parent[path[-1]]) is not None:
                path.append(previous)
            return path[::-1]
        for successor in sorted(graph.successors(node)):
            if successor not in parent:
                parent[successor] = node
                queue.append(successor)
    return None


def waves(graph: nx.DiGraph[int]) -> list[list[int]]:
    """The topological generations: wave 0 has no prerequisite, wave k's initiatives
    all have a prerequisite in wave k - 1 and none later. Each wave is sorted.

    >>> waves(build_graph([1, 2, 3, 4], [(1, 3), (2, 3), (3, 4)]))
    [[1, 2], [3], [4]]
    """
    depth = _depths(graph, topological_order(graph))
    result: list[list[int]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for node in sorted(depth):
        result[depth[node]].append(node)
    return result


def _depths(graph: nx.DiGraph[int], order: list[int]) -> dict[int, int]:
    """Each node's wave: the most edges on a path reaching it (0 with no prerequisite)."""
    pred, _succ = adjacency(graph)
    depth: dict[int, int] = {}
    for node in order:
        depth[node] = max((depth[p] + 1 for p in pred[node]), default=0)
    return depth


def adjacency(graph: nx.DiGraph[int]) -> tuple[Adjacency, Adjacency]:
    """The graph's own predecessor and successor dicts, to read and never to change: plain
    dicts, several times faster than the `pred` and `succ` views at 10k nodes.

    >>> pred, succ = adjacency(build_graph([1, 2], [(1, 2)]))
    >>> pred, succ
    ({1: {}, 2: {1: {'lag': 0.0}}}, {1: {2: {'lag': 0.0}}, 2: {}})
    """
    # networkx's stubs do not declare these attributes, which every DiGraph has.
    pred: Adjacency = graph._pred  # type: ignore[attr-defined]
    succ: Adjacency = graph._succ  # type: ignore[attr-defined]
    return pred, succ


def node_durations(graph: nx.DiGraph[int], durations: Mapping[int, float],
                   default_duration: float | None = None) -> dict[int, float]:
    """The duration of every node: from `durations`, else `default_duration`.

    Raises `InvalidInput` (errors keyed `duration_weeks`) for a duration that is missing
    (with no default), not finite, or ≤ 0.

    >>> node_durations(build_graph([1, 2], []), {1: 3}, default_duration=1)
    {1: 3.0, 2: 1.0}
    >>> node_durations(build_graph([1, 2], []), {1: 3})
    Traceback (most recent call last):
    ...
    tracker.domain.errors.InvalidInput: Some durations are missing or invalid.
    """
    weights: dict[int, float] = {}
    problems: list[str] = []
    for node in graph:
        value = durations.get(node, default_duration)
        if value is None:
            problems.append(f"initiative {node}: no duration")
        elif not math.isfinite(value) or value <= 0:
            problems.append(f"initiative {node}: duration must be > 0 weeks")
        else:
            weights[node] = float(value)
    if problems:
        raise InvalidInput("Some durations are missing or invalid.",
                           errors={"duration_weeks": problems})
    return weights


@dataclass(frozen=True, slots=True)
class NetworkTimes:
    """The critical path method's results for a dependency graph, in weeks from time 0."""

    earliest_start: dict[int, float]
    latest_start: dict[int, float]
    wave: dict[int, int]
    slack: dict[int, float]
    critical_path: list[int]
    duration_weeks: float


def network_times(graph: nx.DiGraph[int], durations: Mapping[int, float], *,
                  default_duration: float | None = None,
                  release: Mapping[int, float] | None = None,
                  deadline: Mapping[int, float] | None = None) -> NetworkTimes:
    """Earliest and latest starts, total float and the critical path, in one pass each way.

    Forward pass: a node starts at the latest `finish + lag` of its prerequisites, and not
    before its `release` time (0 without one; a negative release is a start in the past, as
    for work already under way). Backward pass: it must finish by the earliest
    `latest start - lag` of its dependents (the project's duration with none), and by its
    `deadline` if it has one (a time it may not finish after, such as a pinned dependent's
    date). Slack is latest minus earliest start; values under `EPSILON` (rounding noise,
    or a deadline already missed) are reported as 0.0. The critical path ends at the node
    with the latest earliest finish (the smallest id among equals) and, walking back,
    takes the prerequisite that sets the start (the smallest id among equals); deadlines
    play no part in it. `wave` gives each node's wave (see `waves`). Missing durations:
    see `node_durations`.

    >>> times = network_times(build_graph([1, 2, 3], [(1, 3), (2, 3, 1)]), {1: 2, 2: 2, 3: 1})
    >>> times.earliest_start, times.slack, times.critical_path, times.duration_weeks
    ({1: 0.0, 2: 0.0, 3: 3.0}, {1: 1.0, 2: 0.0, 3: 0.0}, [2, 3], 4.0)
    >>> network_times(build_graph([1, 2], []), {1: 1, 2: 4}, deadline={1: 2.5}).slack
    {1: 1.5, 2: 0.0}
    """
    weights = node_durations(graph, durations, default_duration)
    order = topological_order(graph)
    pred, succ = adjacency(graph)
    release, deadline = release or {}, deadline or {}
    earliest_start: dict[int, float] = {}
    earliest_finish: dict[int, float] = {}
    for node in order:
        begin = release.get(node, 0.0)
        for prerequisite, attrs in pred[node].items():
            begin = max(begin, earliest_finish[prerequisite] + attrs.get(LAG, 0.0))
        earliest_start[node] = begin
        earliest_finish[node] = begin + weights[node]
    total = max(0.0, max(earliest_finish.values(), default=0.0))
    latest_start: dict[int, float] = {}
    for node in reversed(order):
        latest_finish = min((latest_start[s] - attrs.get(LAG, 0.0)
                             for s, attrs in succ[node].items()), default=total)
        latest_start[node] = min(latest_finish, deadline.get(node, math.inf)) - weights[node]
    floats = {node: latest_start[node] - earliest_start[node] for node in sorted(order)}
    return NetworkTimes(
        earliest_start={node: earliest_start[node] for node in floats},
        latest_start={node: latest_start[node] for node in floats},
        wave=_depths(graph, order),
        slack={node: value if value > EPSILON else 0.0 for node, value in floats.items()},
        critical_path=_trace_back(graph, earliest_start, earliest_finish, total),
        duration_weeks=total,
    )


def _trace_back(graph: nx.DiGraph[int], earliest_start: Mapping[int, float],
                earliest_finish: Mapping[int, float], total: float) -> list[int]:
    """The critical path, walked back from its end with the smallest-id tie-break; none
    when nothing ends at `total` (every node finished before time 0, the project's start)."""
    ends = [n for n, finish in earliest_finish.items() if finish == total]
    if not ends:
        return []
    node = min(ends)
    path = [node]
    while True:
        setters = [p for p, attrs in graph.pred[node].items()
                   if earliest_finish[p] + attrs.get(LAG, 0.0) == earliest_start[node]]
        if not setters:
            return path[::-1]
        node = min(setters)
        path.append(node)


def critical_path(graph: nx.DiGraph[int], durations: Mapping[int, float], *,
                  default_duration: float | None = None) -> tuple[list[int], float]:
    """The longest path where each initiative weighs its duration (plus edge lags), and
    its total duration in weeks.

    Tie-break: the path ends at the initiative with the latest earliest finish (the
    smallest id among equals) and, walking back, takes at each step the prerequisite that
    sets the start (the smallest id among equals). An empty graph gives `([], 0.0)`.
    Missing durations: see `node_durations`.

    >>> graph = build_graph([1, 2, 3, 4], [(1, 2), (1, 3), (2, 4), (3, 4, 2)])
    >>> critical_path(graph, {1: 1, 2: 4, 3: 3, 4: 1})
    ([1, 3, 4], 7.0)
    """
    times = network_times(graph, durations, default_duration=default_duration)
    return times.critical_path, times.duration_weeks


def slack(graph: nx.DiGraph[int], durations: Mapping[int, float], *,
          default_duration: float | None = None) -> dict[int, float]:
    """Total float of every initiative, in weeks: latest start minus earliest start
    (CPM forward and backward passes, lags included), keyed by id in id order.

    Zero means the initiative is on a longest path; values under `EPSILON` (rounding
    noise) are reported as 0.0. Missing durations: see `node_durations`.

    >>> graph = build_graph([1, 2, 3, 4], [(1, 2), (1, 3), (2, 4), (3, 4, 2)])
    >>> slack(graph, {1: 1, 2: 4, 3: 3, 4: 1})
    {1: 0.0, 2: 1.0, 3: 0.0, 4: 0.0}
    """
    return network_times(graph, durations, default_duration=default_duration).slack


def impact(graph: nx.DiGraph[int], node: int) -> set[int]:
    """Every initiative that depends on `node`, directly or not (`NotFound` if unknown).

    >>> sorted(impact(build_graph([1, 2, 3, 4], [(1, 2), (2, 3)]), 1))
    [2, 3]
    """
    if node not in graph:
        raise NotFound(f"Initiative {node} is not in the dependency graph.")
    return nx.descendants(graph, node)


def drop_nodes(graph: nx.DiGraph[int], nodes: Collection[int]) -> nx.DiGraph[int]:
    """A copy of the graph without `nodes`, keeping the transitive precedence: the
    dependents of a dropped initiative then depend on its prerequisites, with the two
    lags added (the largest wins where an edge already exists). `NotFound` for an
    unknown node.

    >>> graph = build_graph([1, 2, 3], [(1, 2, 1.0), (2, 3, 0.5)])
    >>> sorted(drop_nodes(graph, {2}).edges(data="lag"))
    [(1, 3, 1.5)]
    """
    unknown = sorted(set(nodes) - set(graph))
    if unknown:
        raise NotFound(f"Initiatives {unknown} are not in the dependency graph.")
    result = graph.copy()
    for node in sorted(nodes):
        for prerequisite, before in result.pred[node].items():
            for dependent, after in result.succ[node].items():
                lag = before.get(LAG, 0.0) + after.get(LAG, 0.0)
                if result.has_edge(prerequisite, dependent):
                    attrs = result[prerequisite][dependent]
                    attrs[LAG] = max(attrs.get(LAG, 0.0), lag)
                else:
                    result.add_edge(prerequisite, dependent, **{LAG: lag})
        result.remove_node(node)
    return result
