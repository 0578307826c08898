"""Effective priority, ranking and dependents over the dependency graph (DESIGN section 3).

Edges go from prerequisite to dependent: `(b, a)` means b must finish before a starts.
"""

from __future__ import annotations

import random

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.errors import DependencyCycle
from tracker.domain.ranking import (
    RankedItem,
    effective_priorities,
    has_min_descendants,
    rank_backlog,
)


def ids(ranked):
    return [item.id for item in ranked]


# ---------------------------------------------------------------------------- inheritance

def test_a_low_score_blocker_ranks_before_what_it_blocks_with_its_priority():
    graph = nx.DiGraph([(1, 2)])   # 1 blocks 2

    ranked = rank_backlog(graph, {1: 1 / 4, 2: 9 / 2, 3: 3}, done=set())

    assert ranked == [
        RankedItem(id=1, rank=1, score=1 / 4, effective_priority=9 / 2, actionable=True,
                   blocked_by=()),
        RankedItem(id=2, rank=2, score=9 / 2, effective_priority=9 / 2, actionable=False,
                   blocked_by=(1,)),
        RankedItem(id=3, rank=3, score=3, effective_priority=3, actionable=True, blocked_by=()),
    ]


def test_priority_is_inherited_through_indirect_dependents():
    graph = nx.DiGraph([(1, 2), (2, 3), (4, 3), (5, 1)])

    priorities = effective_priorities(graph, {1: 1, 2: 2, 3: 7, 4: 9, 5: 0.5, 6: None})

    assert priorities == {1: 7, 2: 7, 3: 7, 4: 9, 5: 7, 6: None}


def test_the_highest_dependent_wins():
    graph = nx.DiGraph([(1, 2), (1, 3)])

    assert effective_priorities(graph, {1: 1, 2: 5, 3: 8})[1] == 8


def test_null_scores_are_ignored_in_the_maximum():
    graph = nx.DiGraph([(1, 2), (2, 3)])

    assert effective_priorities(graph, {1: None, 2: None, 3: 4}) == {1: 4, 2: 4, 3: 4}
    assert effective_priorities(graph, {1: 2, 2: None, 3: None}) == {1: 2, 2: None, 3: None}


def test_nodes_missing_from_scores_are_unscored():
    graph = nx.DiGraph([(1, 2)])

    assert effective_priorities(graph, {}) == {1: None, 2: None}


def test_a_cycle_is_refused_with_its_initiatives():
    graph = nx.DiGraph([(1, 2), (2, 3), (3, 1), (3, 4)])

    with pytest.raises(DependencyCycle) as caught:
        rank_backlog(graph, {1: 1}, done=set())

    assert sorted(caught.value.cycle) == [1, 2, 3]


# ---------------------------------------------------------------------------- ties

def test_equal_effective_priority_breaks_by_own_score_then_id():
    # 5 (own 2) blocks 7 (own 9): both inherit 9, like 6 and 3 (own 9) and 4 (own 9)
    graph = nx.DiGraph([(5, 7)])
    scores = {3: 9, 4: 9, 5: 2, 6: 9, 7: 9}

    ranked = rank_backlog(graph, scores, done=set())

    assert ids(ranked) == [3, 4, 6, 5, 7]
    assert all(item.effective_priority == 9 for item in ranked)


def test_a_null_own_score_comes_after_a_score_at_equal_effective_priority():
    # 8 has no score of its own but inherits 4 from 9; 10 scores 4 itself
    graph = nx.DiGraph([(8, 9)])

    ranked = rank_backlog(graph, {8: None, 9: 4, 10: 4}, done=set())

    assert ids(ranked) == [10, 8, 9]
    assert ranked[1].effective_priority == 4


def test_unscored_items_come_after_scored_ones():
    # 17 has no score but inherits 0 from 22: it is scored, unlike 16 with a lower id
    graph = nx.DiGraph([(20, 21), (17, 22), (22, 23)])
    scores = {20: None, 21: None, 22: 0, 23: None, 24: 1, 16: None, 17: None}

    ranked = rank_backlog(graph, scores, done=set())

    # 23 depends on 22 but does not inherit from it: priority flows to prerequisites only
    assert ids(ranked) == [24, 17, 22, 16, 20, 21, 23]
    assert [item.effective_priority for item in ranked] == [1, 0, 0, None, None, None, None]


def test_ids_in_scores_but_not_in_the_graph_are_isolated():
    ranked = rank_backlog(nx.DiGraph([(1, 2)]), {1: 1, 2: 2, 3: 3}, done={1})

    assert ids(ranked) == [3, 1, 2]
    assert ranked[0] == RankedItem(3, 1, 3, 3, True, ())


# ---------------------------------------------------------------------------- actionable

def test_actionable_when_every_direct_prerequisite_is_done():
    graph = nx.DiGraph([(1, 3), (2, 3), (3, 4), (5, 4)])
    scores = dict.fromkeys(range(1, 6), 1)

    ranked = {item.id: item for item in rank_backlog(graph, scores, done={1, 5})}

    assert (ranked[3].actionable, ranked[3].blocked_by) == (False, (2,))
    assert (ranked[4].actionable, ranked[4].blocked_by) == (False, (3,))
    assert (ranked[2].actionable, ranked[2].blocked_by) == (True, ())


def test_blocked_by_is_sorted():
    graph = nx.DiGraph([(9, 1), (3, 1), (7, 1)])

    [item] = [i for i in rank_backlog(graph, {}, done={7}) if i.id == 1]

    assert item.blocked_by == (3, 9)


def test_ranks_start_at_one():
    ranked = rank_backlog(nx.DiGraph([(4, 2)]), {4: 1, 2: 1}, done=set())

    assert [item.rank for item in ranked] == [1, 2]


def test_an_empty_backlog_ranks_nothing():
    assert rank_backlog(nx.DiGraph(), {}, done=set()) == []


# ---------------------------------------------------------------------------- dependents

def test_has_min_descendants_counts_indirect_dependents_once():
    # 1 → 2 → {3, 4}; 5 → 4: 1 has three dependents, 2 two, and the diamond 6 counts 9 once
    graph = nx.DiGraph([(1, 2), (2, 3), (2, 4), (5, 4), (6, 7), (6, 8), (7, 9), (8, 9)])

    enough = has_min_descendants(graph, 3)

    assert {node for node, flag in enough.items() if flag} == {1, 6}


def test_has_min_descendants_with_other_thresholds():
    graph = nx.DiGraph([(1, 2), (2, 3)])

    assert has_min_descendants(graph, 0) == {1: True, 2: True, 3: True}
    assert has_min_descendants(graph, 1) == {1: True, 2: True, 3: False}
    assert has_min_descendants(graph, 2) == {1: True, 2: False, 3: False}


def test_has_min_descendants_on_a_long_chain():
    graph = nx.path_graph(5000, create_using=nx.DiGraph)

    enough = has_min_descendants(graph, 3)

    assert sum(enough.values()) == 4997
    assert not enough[4997]


# ---------------------------------------------------------------------------- properties

@st.composite
def dags(draw, max_nodes=25):
    """A random DAG with edges i → j only for i < j, on a permuted set of ids, and scores."""
    count = draw(st.integers(0, max_nodes))
    node_ids = draw(st.lists(st.integers(1, 10_000), min_size=count, max_size=count,
                             unique=True))
    pairs = [(i, j) for i in range(count) for j in range(i + 1, count)]
    chosen = draw(st.lists(st.booleans(), min_size=len(pairs), max_size=len(pairs)))
    graph = nx.DiGraph()
    graph.add_nodes_from(node_ids)
    graph.add_edges_from((node_ids[i], node_ids[j])
                         for (i, j), keep in zip(pairs, chosen, strict=True) if keep)
    score = st.one_of(st.none(), st.integers(0, 6).map(float),
                      st.floats(0, 100, allow_nan=False))
    scores = {node: draw(score) for node in node_ids}
    done = set(draw(st.lists(st.sampled_from(node_ids), max_size=count))) if count else set()
    return graph, scores, done


@given(dags())
def test_a_prerequisite_is_never_ranked_after_its_dependent(case):
    graph, scores, done = case

    ranked = rank_backlog(graph, scores, done)

    position = {item.id: item.rank for item in ranked}
    assert sorted(position) == sorted(graph)
    assert sorted(position.values()) == list(range(1, len(graph) + 1))
    assert all(position[prerequisite] < position[dependent]
               for prerequisite, dependent in graph.edges)


@given(dags())
def test_effective_priority_is_the_max_over_self_and_descendants(case):
    graph, scores, _ = case

    priorities = effective_priorities(graph, scores)

    for node in graph:
        reachable = [scores[n] for n in nx.descendants(graph, node) | {node}
                     if scores[n] is not None]
        assert priorities[node] == (max(reachable) if reachable else None)
        if scores[node] is not None:
            assert priorities[node] >= scores[node]


@given(dags())
def test_effective_priorities_never_increase_down_the_ranking(case):
    graph, scores, _ = case

    ranked = rank_backlog(graph, scores, set())

    keys = [(item.effective_priority is None, -(item.effective_priority or 0))
            for item in ranked]
    assert keys == sorted(keys)


@given(dags(), st.randoms(use_true_random=False))
def test_ranking_is_deterministic_whatever_the_insertion_order(case, rnd):
    graph, scores, done = case
    shuffled = nx.DiGraph()
    nodes, edges = list(graph), list(graph.edges)
    rnd.shuffle(nodes)
    rnd.shuffle(edges)
    shuffled.add_nodes_from(nodes)
    shuffled.add_edges_from(edges)

    first = rank_backlog(graph, scores, done)

    assert rank_backlog(graph, scores, done) == first
    assert rank_backlog(shuffled, dict(reversed(scores.items())), set(done)) == first


@given(dags())
def test_actionable_matches_the_done_prerequisites(case):
    graph, scores, done = case

    for item in rank_backlog(graph, scores, done):
        pending = sorted(set(graph.predecessors(item.id)) - done)
        assert item.blocked_by == tuple(pending)
        assert item.actionable == (not pending)


@given(dags(), st.integers(0, 6))
def test_has_min_descendants_agrees_with_networkx(case, k):
    graph, _, _ = case

    assert has_min_descendants(graph, k) == {
        node: len(nx.descendants(graph, node)) >= k for node in graph}


def test_random_dag_of_a_thousand_nodes_keeps_every_dependency():
    rng = random.Random(7)
    order = list(range(1, 1001))
    rng.shuffle(order)
    edges = {tuple(order[i] for i in sorted(rng.sample(range(1000), 2))) for _ in range(3000)}
    graph = nx.DiGraph(edges)
    graph.add_nodes_from(order)
    scores = {node: rng.choice([None, *range(10)]) for node in order}

    position = {item.id: item.rank for item in rank_backlog(graph, scores, set())}

    assert all(position[b] < position[a] for b, a in graph.edges)
