"""The dependency graph laid out in waves as a Plotly figure: x is the wave, counted from 1
as every page and the roadmap table number them, y the position in the wave; dependencies
are arrows, those of the critical path in red, initiatives the
plan leaves out in grey, and each node opens its initiative."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from tracker.adapters.charts.figures import CRITICAL, INITIATIVE, MUTED, Legend, layout, text

#: Node labels longer than this are cut (the hover text keeps the whole title).
LABEL_LIMIT = 28

#: The number of the first wave on the x axis: people count waves from 1 (the API's
#: `wave` field counts from 0).
FIRST_WAVE = 1


class _Marker(NamedTuple):
    """How one trace of nodes looks: its legend name, colour and marker size."""

    name: str
    color: str
    size: int


def dependency_waves(layers: Sequence[Sequence[int]], edges: Iterable[tuple[int, int]],
                     titles: Mapping[int, str], critical: Sequence[int], legend: Legend,
                     axis: str, link: Callable[[int], str], left_out: Collection[int] = (),
                     left_out_name: str = "") -> dict[str, Any]:
    """The figure of `layers` (the graph's waves of initiative ids, first wave first, drawn
    at x = 1) and its `edges` (prerequisite, dependent); `critical` is the critical path in
    order, `axis` the x axis title, `link` the path of an initiative's page from its id,
    and `left_out` the initiatives the plan leaves out, in a trace named `left_out_name`."""
    position = {node: (wave, -row) for wave, nodes in enumerate(layers, start=FIRST_WAVE)
                for row, node in enumerate(nodes)}
    on_path = set(itertools.pairwise(critical))
    annotations = [_arrow(position[p], position[d], (p, d) in on_path)
                   for p, d in edges if p in position and d in position]
    groups = [(_Marker(legend.initiative, INITIATIVE, 12),
               [n for n in position if n not in critical and n not in left_out]),
              (_Marker(left_out_name, MUTED, 12), [n for n in position if n in left_out]),
              (_Marker(legend.critical, CRITICAL, 16), [n for n in position if n in critical])]
    data = [_node_trace(nodes, position, titles, marker, link)
            for marker, nodes in groups if nodes]
    count = max((len(nodes) for nodes in layers), default=1)
    return {"data": data, "layout": layout(
        showlegend=True, legend={"orientation": "h"}, height=max(360, 90 * count + 80),
        margin={"l": 20, "r": 20, "t": 20, "b": 40}, annotations=annotations,
        xaxis={"title": {"text": text(axis)}, "dtick": 1, "zeroline": False,
               "range": [FIRST_WAVE - 0.5,
                         max((p[0] for p in position.values()), default=FIRST_WAVE) + 0.5]},
        yaxis={"visible": False, "range": [-count + 0.4, 0.6]})}


def _arrow(start: tuple[int, int], end: tuple[int, int], critical: bool) -> dict[str, Any]:
    """An arrow from a prerequisite's position to its dependent's, bolder and red on the
    critical path."""
    return {"x": end[0], "y": end[1], "ax": start[0], "ay": start[1], "xref": "x", "yref": "y",
            "axref": "x", "ayref": "y", "showarrow": True, "arrowhead": 3, "arrowsize": 1.2,
            "standoff": 10, "startstandoff": 10, "text": "",
            "arrowwidth": 2.5 if critical else 1.2, "arrowcolor": CRITICAL if critical else MUTED}


def _node_trace(nodes: Sequence[int], position: Mapping[int, tuple[int, int]],
                titles: Mapping[int, str], marker: _Marker,
                link: Callable[[int], str]) -> dict[str, Any]:
    """The markers of one group of initiatives (the critical path's, those left out of the
    plan, the others), with their short titles below and their whole titles on hover."""
    return {"type": "scatter", "mode": "markers+text", "name": text(marker.name),
            "x": [position[n][0] for n in nodes], "y": [position[n][1] for n in nodes],
            "text": [text(_short(titles[n])) for n in nodes],
            "hovertext": [text(titles[n]) for n in nodes],
            "customdata": [link(n) for n in nodes],
            "textposition": "bottom center", "hovertemplate": "%{hovertext}<extra></extra>",
            "marker": {"size": marker.size, "color": marker.color}}


def _short(title: str) -> str:
    """The title cut to `LABEL_LIMIT` characters, an ellipsis marking the cut."""
    return title if len(title) <= LABEL_LIMIT else title[:LABEL_LIMIT - 1] + "…"
