"""The small trend chart of a KPI: its measurements over time and its target as a dashed
line, a Plotly figure (a plain dict) drawn by `static/js/charts.js` from `data-figure`.

Every text goes through `figures.text` (escaped: Plotly renders a subset of HTML); the
captions come translated from the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from tracker.adapters.charts.figures import INITIATIVE, MUTED, layout, text

#: The chart's height in pixels: a small chart beside the KPI's figures.
HEIGHT = 280


class TrendNames(NamedTuple):
    """The translated names of the trend's two traces and its value axis."""

    measured: str
    target: str
    axis: str


def kpi_trend(dates: Sequence[str], values: Sequence[float], target: float | None,
              names: TrendNames) -> dict[str, Any]:
    """Measured values over ISO `dates` (oldest first) and, when the KPI has one, the
    target as a dashed horizontal line across the same dates.

    >>> figure = kpi_trend(["2026-05-31", "2026-10-31"], [9, 7], 5,
    ...                    TrendNames("Measured", "Target", "days"))
    >>> [trace["name"] for trace in figure["data"]], figure["data"][1]["y"]
    (['Measured', 'Target'], [5, 5])
    """
    marker = "lines+markers" if len(dates) > 1 else "markers"
    data = [{"type": "scatter", "mode": marker, "name": text(names.measured),
             "x": list(dates), "y": list(values), "line": {"color": INITIATIVE},
             "hovertemplate": "%{x|%Y-%m-%d}: %{y}<extra>" + text(names.measured)
             + "</extra>"}]
    if target is not None and dates:
        data.append({"type": "scatter", "mode": marker, "name": text(names.target),
                     "x": list(dates), "y": [target] * len(dates),
                     "line": {"color": MUTED, "dash": "dash"}, "marker": {"color": MUTED},
                     "hovertemplate": "%{y}<extra>" + text(names.target) + "</extra>"})
    return {"data": data, "layout": layout(
        height=HEIGHT, margin={"l": 50, "r": 20, "t": 20, "b": 40},
        legend={"orientation": "h"}, xaxis={"type": "date"},
        yaxis={"title": {"text": text(names.axis)}, "rangemode": "normal"})}
