"""The backlog's value/effort matrix as a Plotly figure: one trace per quadrant, each point
opening its initiative, the medians that split the quadrants drawn as dotted lines."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from tracker.adapters.charts.figures import MUTED, layout, text
from tracker.domain.prioritization import QUADRANTS

QUADRANT_COLORS = {"quick_win": "#15803d", "big_bet": "#1f5fbf", "fill_in": "#5b6475",
                   "money_pit": "#b91c1c", None: MUTED}


class Point(Protocol):
    """What the matrix reads of a backlog item."""

    @property
    def id(self) -> int: ...
    @property
    def rank(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def value(self) -> float | None: ...
    @property
    def effort(self) -> float | None: ...
    @property
    def quadrant(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class MatrixLabels:
    """The matrix's translated texts: each quadrant's name and the name of the items placed
    in none, the words of the hover text and the axis titles."""

    quadrants: Mapping[str, str]
    unplaced: str
    value: str
    effort: str
    value_axis: str
    effort_axis: str


def value_effort(items: Sequence[Point], median_value: float | None,
                 median_effort: float | None, labels: MatrixLabels,
                 link: Callable[[int], str]) -> dict[str, Any] | None:
    """The scatter of the items that have both a value and an effort (none: no figure);
    `link` gives the path of an initiative's page from its id."""
    placed = [i for i in items if i.value is not None and i.effort is not None]
    if not placed:
        return None
    data = [_quadrant_trace(quadrant, points, labels, link) for quadrant in (*QUADRANTS, None)
            if (points := [i for i in placed if i.quadrant == quadrant])]
    return {"data": data, "layout": layout(
        hovermode="closest", margin={"l": 60, "r": 20, "t": 20, "b": 50},
        legend={"orientation": "h"},
        xaxis={"title": {"text": text(labels.effort_axis)}, "zeroline": False},
        yaxis={"title": {"text": text(labels.value_axis)}, "zeroline": False},
        shapes=_medians(median_value, median_effort))}


def _quadrant_trace(quadrant: str | None, points: Sequence[Point], labels: MatrixLabels,
                    link: Callable[[int], str]) -> dict[str, Any]:
    """The markers of one quadrant, in its colour, each carrying its initiative's path."""
    name = labels.quadrants[quadrant] if quadrant else labels.unplaced
    return {"type": "scatter", "mode": "markers", "name": text(name),
            "x": [i.effort for i in points], "y": [i.value for i in points],
            "text": [text(f"#{i.rank} {i.title}") for i in points],
            "customdata": [link(i.id) for i in points],
            "marker": {"size": 13, "color": QUADRANT_COLORS[quadrant],
                       "line": {"width": 1, "color": "#fff"}},
            "hovertemplate": "%{text}<br>" + text(labels.value) + " %{y:.2f} · "
                             + text(labels.effort) + " %{x:.2f}<extra></extra>"}


def _medians(median_value: float | None, median_effort: float | None) -> list[dict[str, Any]]:
    """Dotted lines across the plot at the median effort and the median value, when known."""
    shapes = []
    if median_effort is not None:
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": median_effort,
                       "x1": median_effort, "y0": 0, "y1": 1,
                       "line": {"dash": "dot", "color": MUTED}})
    if median_value is not None:
        shapes.append({"type": "line", "xref": "paper", "yref": "y", "y0": median_value,
                       "y1": median_value, "x0": 0, "x1": 1,
                       "line": {"dash": "dot", "color": MUTED}})
    return shapes
