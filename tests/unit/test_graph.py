"""The dependency graph: cycles refused with their path, waves, critical path, slack,
impact and dropping initiatives (tracker.domain.graph)."""

import itertools
import math

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.domain.errors import Conflict, DependencyCycle, InvalidInput, NotFound
from tracker.domain.graph import (
    build_graph,
    check_new_edge,
    critical_path,
    drop_nodes,
    impact,
    network_times,
    node_durations,
    slack,
    topological_order,
    waves,
)

# The textbook network: A 6, B 2 (after A), C 2 (after A), D 3 (after B), F 2 (after C),
# E 4 (after D and F), G 1 (after E).
A, B, C, D, E, F, G = 1, 2, 3, 4, 5, 6, 7
TEXTBOOK_DURATIONS = {A: 6, B: 2, C: 2, D: 3, E: 4, F: 2, G: 1}
TEXTBOOK_EDGES = [(A, B), (A, C), (B, D), (C, F), (D, E), (F, E), (E, G)]


@pytest.fixture
def textbook():
    return build_graph(TEXTBOOK_DURATIONS, TEXTBOOK_EDGES)


@pytest.fixture
def lagged():
    """1 (3 weeks) → 2 (2) with lag 1; 1 → 3 (4); 2 → 4 (1) with lag 2; 3 → 4."""
    return build_graph([1, 2, 3, 4], [(1, 2, 1), (1, 3), (2, 4, 2), (3, 4)])


LAGGED_DURATIONS = {1: 3, 2: 2, 3: 4, 4: 1}


# --- building -------------------------------------------------------------------------


def test_build_graph_stores_a_lag_on_every_edge():
    graph = build_graph([1, 2, 3], [(1, 2), (2, 3, 1.5)])

    assert sorted(graph.edges(data="lag")) == [(1, 2, 0.0), (2, 3, 1.5)]
    assert sorted(graph.nodes) == [1, 2, 3]


def test_build_graph_keeps_isolated_initiatives():
    assert sorted(build_graph([5, 9], []).nodes) == [5, 9]


def test_a_repeated_edge_keeps_its_largest_lag():
    graph = build_graph([1, 2], [(1, 2, 2.0), (1, 2), (1, 2, 0.5)])

    assert graph[1][2]["lag"] == 2.0


@pytest.mark.parametrize("edge, fragment", [
    ((1, 9), "unknown initiative"),
    ((1, 1), "cannot depend on itself"),
    ((1, 2, -1), "lag must be a number ≥ 0"),
    ((1, 2, math.nan), "lag must be a number ≥ 0"),
    ((1, 2, math.inf), "lag must be a number ≥ 0"),
])
def test_build_graph_refuses_bad_edges_naming_them(edge, fragment):
    with pytest.raises(InvalidInput) as caught:
        build_graph([1, 2], [edge])

    [problem] = caught.value.errors["edges"]
    assert fragment in problem
    assert problem.startswith(f"{edge[0]} → {edge[1]}")


def test_build_graph_reports_every_bad_edge_at_once():
    with pytest.raises(InvalidInput) as caught:
        build_graph([1, 2], [(1, 1), (2, 3), (1, 2)])

    assert len(caught.value.errors["edges"]) == 2


def test_build_graph_refuses_a_cycle_with_its_nodes_in_order():
    with pytest.raises(DependencyCycle) as caught:
        build_graph([1, 2, 3, 4], [(1, 2), (2, 3), (3, 1), (3, 4)])

    cycle = caught.value.cycle
    assert cycle[0] == cycle[-1]
    assert sorted(cycle[:-1]) == [1, 2, 3]
    assert all((u, v) in {(1, 2), (2, 3), (3, 1)} for u, v in itertools.pairwise(cycle))


def test_topological_order_of_a_graph_with_a_cycle_raises_dependency_cycle():
    with pytest.raises(DependencyCycle) as caught:
        topological_order(nx.DiGraph([(1, 2), (2, 1)]))

    assert caught.value.cycle in ([1, 2, 1], [2, 1, 2])


# --- refusing edges -------------------------------------------------------------------


def test_a_new_edge_closing_a_cycle_is_refused_with_the_path_from_the_dependent():
    graph = build_graph([1, 2, 3, 4], [(1, 2), (2, 3), (3, 4)])

    with pytest.raises(DependencyCycle) as caught:
        check_new_edge(graph, 4, 1)

    assert caught.value.cycle == [1, 2, 3, 4, 1]
    assert caught.value.extra == {"cycle": [1, 2, 3, 4, 1]}
    assert str(caught.value) == "This link would close a cycle: 1 → 2 → 3 → 4 → 1"
    assert caught.value.status == 409


def test_a_reversed_edge_is_a_cycle_of_two():
    graph = build_graph([1, 2], [(1, 2)])

    with pytest.raises(DependencyCycle) as caught:
        check_new_edge(graph, 2, 1)

    assert caught.value.cycle == [1, 2, 1]


def test_the_cycle_reported_is_the_shortest_one():
    # 7 → 1 would close two cycles: 1-2-3-4-7 and the shorter 1-5-7.
    graph = build_graph([1, 2, 3, 4, 5, 7], [(1, 2), (2, 3), (3, 4), (4, 7), (1, 5), (5, 7)])

    with pytest.raises(DependencyCycle) as caught:
        check_new_edge(graph, 7, 1)

    assert caught.value.cycle == [1, 5, 7, 1]


def test_between_equally_short_cycles_the_smaller_ids_win():
    graph = build_graph([1, 2, 3, 4], [(1, 3), (3, 4), (1, 2), (2, 4)])

    with pytest.raises(DependencyCycle) as caught:
        check_new_edge(graph, 4, 1)

    assert caught.value.cycle == [1, 2, 4, 1]


def test_a_long_chain_cycle_is_found_in_one_search():
    n = 50_000
    graph = build_graph(range(n), [(i, i + 1) for i in range(n - 1)])

    with pytest.raises(DependencyCycle) as caught:
        check_new_edge(graph, n - 1, 0)

    assert caught.value.cycle == [*range(n), 0]


def test_a_self_dependency_is_invalid_input_keyed_dependent_id():
    with pytest.raises(InvalidInput) as caught:
        check_new_edge(build_graph([1], []), 1, 1)

    assert list(caught.value.errors) == ["dependent_id"]
    assert caught.value.status == 422


def test_a_duplicate_edge_is_a_conflict_not_a_cycle():
    with pytest.raises(Conflict) as caught:
        check_new_edge(build_graph([1, 2], [(1, 2)]), 1, 2)

    assert type(caught.value) is Conflict
    assert str(caught.value) == "Initiative 2 already depends on initiative 1."


@pytest.mark.parametrize("lag", [-0.5, math.nan])
def test_a_bad_lag_is_invalid_input_keyed_lag(lag):
    with pytest.raises(InvalidInput) as caught:
        check_new_edge(build_graph([1, 2], []), 1, 2, lag)

    assert list(caught.value.errors) == ["lag"]


def test_acceptable_edges_pass_and_leave_the_graph_unchanged():
    graph = build_graph([1, 2, 3], [(1, 2), (2, 3)])

    assert check_new_edge(graph, 1, 3, 2.0) is None
    assert check_new_edge(graph, 1, 99) is None  # an initiative with no dependency yet
    assert sorted(graph.edges) == [(1, 2), (2, 3)]


# --- waves, critical path, slack ------------------------------------------------------


def test_waves_are_the_topological_generations_sorted(textbook):
    assert waves(textbook) == [[A], [B, C], [D, F], [E], [G]]


def test_waves_of_independent_and_empty_graphs():
    assert waves(build_graph([3, 1, 2], [])) == [[1, 2, 3]]
    assert waves(nx.DiGraph()) == []


def test_waves_put_an_initiative_after_its_latest_prerequisite():
    graph = build_graph([1, 2, 3, 4], [(1, 2), (2, 3), (1, 4), (3, 4), (2, 4)])

    assert waves(graph) == [[1], [2], [3], [4]]


def test_textbook_critical_path(textbook):
    assert critical_path(textbook, TEXTBOOK_DURATIONS) == ([A, B, D, E, G], 16.0)


def test_textbook_slack(textbook):
    assert slack(textbook, TEXTBOOK_DURATIONS) == {
        A: 0.0, B: 0.0, C: 1.0, D: 0.0, E: 0.0, F: 1.0, G: 0.0}


def test_textbook_earliest_and_latest_starts(textbook):
    times = network_times(textbook, TEXTBOOK_DURATIONS)

    assert times.earliest_start == {A: 0, B: 6, C: 6, D: 8, E: 11, F: 8, G: 15}
    assert times.latest_start == {A: 0, B: 6, C: 7, D: 8, E: 11, F: 9, G: 15}
    assert times.wave == {A: 0, B: 1, C: 1, D: 2, F: 2, E: 3, G: 4}


def test_lags_lengthen_the_critical_path(lagged):
    # 1: 0-3; 2: 4-6 (lag 1); 3: 3-7; 4: max(6 + 2, 7) = 8 → 9.
    assert critical_path(lagged, LAGGED_DURATIONS) == ([1, 2, 4], 9.0)
    assert slack(lagged, LAGGED_DURATIONS) == {1: 0.0, 2: 0.0, 3: 1.0, 4: 0.0}
    assert network_times(lagged, LAGGED_DURATIONS).earliest_start == {1: 0, 2: 4, 3: 3, 4: 8}


def test_without_the_lag_the_other_branch_is_critical():
    graph = build_graph([1, 2, 3, 4], [(1, 2, 1), (1, 3), (2, 4), (3, 4)])

    # 2 ends at 6, 3 at 7: 4 runs 7-8.
    assert critical_path(graph, LAGGED_DURATIONS) == ([1, 3, 4], 8.0)
    assert slack(graph, LAGGED_DURATIONS) == {1: 0.0, 2: 1.0, 3: 0.0, 4: 0.0}


def test_a_lag_on_a_dependent_with_no_follower_counts():
    graph = build_graph([1, 2], [(1, 2, 3)])

    assert critical_path(graph, {1: 1, 2: 1}) == ([1, 2], 5.0)


def test_critical_path_ties_break_to_the_smallest_ids():
    diamond = build_graph([1, 2, 3, 4], [(1, 2), (1, 3), (2, 4), (3, 4)])
    assert critical_path(diamond, {1: 1, 2: 2, 3: 2, 4: 1}) == ([1, 2, 4], 4.0)

    two_ends = build_graph([5, 3, 8], [(5, 8)])
    assert critical_path(two_ends, {5: 1, 8: 1, 3: 2}) == ([3], 2.0)


def test_critical_path_of_an_empty_graph():
    assert critical_path(nx.DiGraph(), {}) == ([], 0.0)
    assert slack(nx.DiGraph(), {}) == {}


def test_fractional_durations_leave_no_rounding_noise_in_slack():
    graph = build_graph([1, 2, 3], [(1, 3), (2, 3)])

    result = slack(graph, {1: 0.1, 2: 0.3, 3: 0.7})

    assert result[2] == 0.0 and result[3] == 0.0
    assert result[1] == pytest.approx(0.2)


def test_missing_durations_are_refused_unless_a_default_is_given(textbook):
    durations = {n: d for n, d in TEXTBOOK_DURATIONS.items() if n != C}

    with pytest.raises(InvalidInput) as caught:
        critical_path(textbook, durations)
    assert caught.value.errors == {"duration_weeks": ["initiative 3: no duration"]}

    # With C at 5 weeks, A-C-F-E-G (6 + 5 + 2 + 4 + 1) is the longest.
    assert critical_path(textbook, durations, default_duration=5) == ([A, C, F, E, G], 18.0)


@pytest.mark.parametrize("bad", [0, -1, math.nan, math.inf])
def test_durations_must_be_positive_and_finite(bad):
    with pytest.raises(InvalidInput) as caught:
        node_durations(build_graph([1], []), {1: bad})

    assert "duration must be > 0 weeks" in caught.value.errors["duration_weeks"][0]


# --- impact and dropping --------------------------------------------------------------


def test_impact_is_everything_downstream(textbook):
    assert impact(textbook, A) == {B, C, D, E, F, G}
    assert impact(textbook, C) == {F, E, G}
    assert impact(textbook, G) == set()


def test_impact_of_an_unknown_initiative_is_not_found(textbook):
    with pytest.raises(NotFound):
        impact(textbook, 99)


def test_dropping_keeps_the_precedence_through_the_dropped_node(textbook):
    result = drop_nodes(textbook, {B})

    assert sorted(result.edges(data="lag")) == [
        (A, C, 0.0), (A, D, 0.0), (C, F, 0.0), (D, E, 0.0), (E, G, 0.0), (F, E, 0.0)]
    assert B in textbook  # the original is untouched


def test_dropping_a_chain_adds_the_lags():
    graph = build_graph([1, 2, 3, 4], [(1, 2, 1), (2, 3, 2), (3, 4, 3)])

    assert sorted(drop_nodes(graph, [3, 2]).edges(data="lag")) == [(1, 4, 6.0)]


def test_dropping_where_an_edge_exists_keeps_the_larger_lag():
    graph = build_graph([1, 2, 3], [(1, 2, 1), (2, 3, 1), (1, 3, 0.5)])

    assert sorted(drop_nodes(graph, {2}).edges(data="lag")) == [(1, 3, 2.0)]


def test_dropping_an_unknown_initiative_is_not_found(textbook):
    with pytest.raises(NotFound):
        drop_nodes(textbook, {99})


# --- properties on random DAGs --------------------------------------------------------


@st.composite
def dags(draw, max_nodes=15):
    """A random DAG over generated ids, edges only from a smaller to a larger id."""
    ids = sorted(draw(st.sets(st.integers(1, 500), min_size=1, max_size=max_nodes)))
    pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True) if pairs else st.just([]))
    lags = draw(st.lists(st.sampled_from([0.0, 0.0, 0.5, 1.0, 2.0]),
                         min_size=len(chosen), max_size=len(chosen)))
    durations = {n: draw(st.integers(1, 40)) / 4 for n in ids}
    edges = [(a, b, lag) for (a, b), lag in zip(chosen, lags, strict=True)]
    return build_graph(ids, edges), durations


@settings(max_examples=150, deadline=None)
@given(dags())
def test_the_critical_path_is_a_path_whose_length_is_the_project_duration(case):
    graph, durations = case
    path, total = critical_path(graph, durations)
    times = network_times(graph, durations)

    assert all(graph.has_edge(u, v) for u, v in itertools.pairwise(path))
    length = sum(durations[n] for n in path) + sum(
        graph[u][v]["lag"] for u, v in itertools.pairwise(path))
    assert length == pytest.approx(total)
    assert total == max(times.earliest_start[n] + durations[n] for n in graph)
    assert not graph.pred[path[0]] or times.earliest_start[path[0]] == 0
    assert all(times.slack[n] == 0.0 for n in path)


@settings(max_examples=150, deadline=None)
@given(dags())
def test_cpm_times_respect_every_edge_and_slack_is_never_negative(case):
    graph, durations = case
    times = network_times(graph, durations)

    for u, v, lag in graph.edges(data="lag"):
        assert times.earliest_start[v] >= times.earliest_start[u] + durations[u] + lag
        assert times.latest_start[v] >= times.latest_start[u] + durations[u] + lag - 1e-9
    assert all(value >= 0 for value in times.slack.values())
    assert waves(graph) == [sorted(g) for g in nx.topological_generations(graph)]


@settings(max_examples=150, deadline=None)
@given(dags(), st.data())
def test_check_new_edge_refuses_exactly_the_edges_that_close_a_cycle(case, data):
    graph, _ = case
    nodes = sorted(graph)
    prerequisite = data.draw(st.sampled_from(nodes))
    dependent = data.draw(st.sampled_from(nodes))
    try:
        check_new_edge(graph, prerequisite, dependent)
    except DependencyCycle as error:
        cycle = error.cycle
        assert cycle[0] == cycle[-1] == dependent and cycle[-2] == prerequisite
        assert len(set(cycle[:-1])) == len(cycle) - 1
        assert all(graph.has_edge(u, v) for u, v in itertools.pairwise(cycle[:-1]))
        assert nx.shortest_path_length(graph, dependent, prerequisite) == len(cycle) - 2
    except InvalidInput:
        assert prerequisite == dependent
    except Conflict:
        assert graph.has_edge(prerequisite, dependent)
    else:
        trial = graph.copy()
        trial.add_edge(prerequisite, dependent)
        assert nx.is_directed_acyclic_graph(trial)
