"""A graph file from plain nodes and edges: GraphML (yEd, Gephi, Cytoscape) or networkx's
node-link JSON (D3 and other JavaScript tools)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

#: Edges as (source, target, attributes).
Edges = Iterable[tuple[int, int, Mapping[str, Any]]]


def to_graphml(nodes: Mapping[int, Mapping[str, Any]], edges: Edges) -> str:
    """The directed graph of `nodes` (id to attributes) and `edges` as a GraphML document.

    >>> print(to_graphml({1: {"title": "A"}}, []).splitlines()[-1])
    </graphml>
    """
    return "\n".join(nx.generate_graphml(_graph(nodes, edges)))


def to_node_link_json(nodes: Mapping[int, Mapping[str, Any]], edges: Edges) -> str:
    """The directed graph of `nodes` (id to attributes) and `edges` as node-link JSON, its
    edges under `links`.

    >>> json.loads(to_node_link_json({1: {}, 2: {}}, [(1, 2, {"lag": 0.0})]))["links"]
    [{'lag': 0.0, 'source': 1, 'target': 2}]
    """
    return json.dumps(nx.node_link_data(_graph(nodes, edges), edges="links"))


def _graph(nodes: Mapping[int, Mapping[str, Any]], edges: Edges) -> nx.DiGraph[int]:
    """A networkx graph with the nodes then the edges in the order given."""
    graph: nx.DiGraph[int] = nx.DiGraph()
    graph.add_nodes_from((node, dict(attrs)) for node, attrs in nodes.items())
    graph.add_edges_from((source, target, dict(attrs)) for source, target, attrs in edges)
    return graph
