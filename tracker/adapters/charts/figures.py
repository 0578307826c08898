"""Plotly figures (plain dicts) for the pages: radar, heatmap and lines, and what every
figure shares (font, colours, layout, escaping); the planning charts are beside it
(`matrix`, `network`, `gantt`).

Every text a figure shows (names, labels, hover text) goes through `text`, which escapes
HTML, because Plotly renders a subset of HTML in labels and tooltips: a finding or group
named `<img src=x onerror=...>` is then drawn as text. Figures go into `data-figure`
attributes (autoescaped by Jinja) and `static/js/charts.js` draws them; a point's
`customdata`, when given, is the path charts.js opens on click.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any, NamedTuple

from markupsafe import escape

PALETTE = ("#1f5fbf", "#c2410c", "#5b6475", "#15803d", "#7e22ce", "#b91c1c")
FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 13}
TRANSPARENT = "rgba(0,0,0,0)"
#: The planning charts' colours: the initiatives, those on the critical path, and grey for
#: what only guides the eye (medians, plain dependencies, unplaced initiatives).
INITIATIVE = "#1f5fbf"
CRITICAL = "#b91c1c"
MUTED = "#8a93a5"
#: The scores' colour scale, low to high: viridis, sequential and colour-blind safe, its
#: lightness rising with the value, so a high score is the brightest cell and a low one the
#: darkest (never an empty-looking pale cell). The pages' heatmaps (Plotly) and the report's
#: (matplotlib, `png`) use these same stops.
SCORE_SCALE = ("#440154", "#3b528b", "#21918c", "#5ec962", "#fde725")
#: The heatmap's colour bar: this long, at the top beside the first rows however tall.
COLORBAR_PIXELS = 240
#: A radar's axis names wrap at this many characters, so neighbouring labels do not overlap.
RADAR_LABEL_WIDTH = 16


class Legend(NamedTuple):
    """The translated names of a planning chart's two traces."""

    initiative: str
    critical: str


def text(value: Any) -> str:
    """A label safe for Plotly: HTML special characters escaped."""
    return str(escape("" if value is None else str(value)))


def layout(**settings: Any) -> dict[str, Any]:
    """A layout in the pages' font on a transparent background, then the chart's settings."""
    return {"font": FONT, "paper_bgcolor": TRANSPARENT, **settings}


def _layout(**extra: Any) -> dict[str, Any]:
    """The score charts' layout: small margins and a horizontal legend by default."""
    return {"font": FONT, "margin": {"l": 40, "r": 20, "t": 30, "b": 40},
            "paper_bgcolor": TRANSPARENT, "legend": {"orientation": "h"}, **extra}


def plotly_scale() -> list[list[float | str]]:
    """`SCORE_SCALE` as a Plotly colorscale: its stops spread evenly from 0 to 1."""
    last = len(SCORE_SCALE) - 1
    return [[index / last, color] for index, color in enumerate(SCORE_SCALE)]


def wrapped(label: str, width: int = RADAR_LABEL_WIDTH) -> str:
    """A label escaped, then broken into lines of about `width` characters (`<br>`)."""
    return "<br>".join(text(line) for line in textwrap.wrap(str(label), width)) or text(label)


def radar(labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]],
          scale: tuple[float, float]) -> dict[str, Any]:
    """A radar of one value per axis for each named series (missing values leave a gap).
    The first axis is at the top, the others clockwise; the radial ticks (one per scale
    step) run between the first and the last axis, away from every axis name."""
    theta = [wrapped(label) for label in labels]
    data = []
    for index, (name, values) in enumerate(series):
        data.append({"type": "scatterpolar", "r": [*values, values[0]] if values else [],
                     "theta": [*theta, theta[0]] if theta else [], "name": text(name),
                     "mode": "lines+markers", "fill": "toself" if index == 0 else "none",
                     "line": {"color": PALETTE[index % len(PALETTE)],
                              "dash": "solid" if index == 0 else ("dash", "dot")[index % 2]},
                     "hovertemplate": "%{theta}: %{r:.2f}<extra>" + text(name) + "</extra>"})
    between = 90 + 180 / len(theta) if theta else 90
    polar = {"radialaxis": {"range": list(scale), "dtick": 1, "angle": between,
                            "tickangle": between, "tickfont": {"size": 10}},
             "angularaxis": {"rotation": 90, "direction": "clockwise",
                             "tickfont": {"size": 11}}}
    return {"data": data, "layout": _layout(polar=polar,
                                            margin={"l": 90, "r": 90, "t": 50, "b": 40})}


def heatmap(rows: Sequence[str], columns: Sequence[str],
            values: Sequence[Sequence[float | None]], scale: tuple[float, float],
            colorbar: str) -> dict[str, Any]:
    """A heatmap of `values[row][column]` on `SCORE_SCALE` (higher is brighter), the column
    (group) names on top, so they are read before the rows, and a colour bar titled
    `colorbar` with a tick per scale step, at the top; empty cells stay blank."""
    cells = [[None if v is None else round(v, 2) for v in row] for row in values]
    return {"data": [{"type": "heatmap", "z": cells, "x": [text(c) for c in columns],
                      "y": [text(r) for r in rows], "zmin": scale[0], "zmax": scale[1],
                      "colorscale": plotly_scale(), "hoverongaps": False,
                      "colorbar": {"title": {"text": text(colorbar), "side": "right"},
                                   "dtick": 1, "thickness": 14, "lenmode": "pixels",
                                   "len": COLORBAR_PIXELS, "y": 1, "yanchor": "top"},
                      "texttemplate": "%{z:.2f}",
                      "hovertemplate": "%{y} · %{x}: %{z:.2f}<extra></extra>"}],
            "layout": _layout(margin={"l": 220, "r": 20, "t": 80, "b": 20},
                              height=max(320, 28 * len(rows) + 120),
                              yaxis={"autorange": "reversed", "automargin": True},
                              xaxis={"side": "top", "automargin": True, "tickangle": -30})}


def lines(series: Sequence[tuple[str, Sequence[str], Sequence[float | None], bool]],
          y_range: tuple[float, float], y_title: str,
          margins: Sequence[Sequence[float | None] | None] = ()) -> dict[str, Any]:
    """Lines over dates: (name, ISO dates, values, dashed) per series; where `margins`
    gives a series' ± margin per point (the 95 % interval), error bars of that size."""
    data = []
    seen = {False: 0, True: 0}  # a dashed series takes the colour of the solid one of its rank
    for index, (name, xs, ys, dashed) in enumerate(series):
        color = PALETTE[seen[dashed] % len(PALETTE)]
        seen[dashed] += 1
        line: dict[str, Any] = {
            "type": "scatter", "mode": "lines+markers", "name": text(name),
            "x": list(xs), "y": list(ys), "connectgaps": False,
            "line": {"color": color, "dash": "dash" if dashed else "solid"},
            "hovertemplate": "%{x|%Y-%m-%d}: %{y:.2f}<extra>" + text(name) + "</extra>"}
        margin = margins[index] if index < len(margins) else None
        if margin is not None and any(m is not None for m in margin):
            line["error_y"] = {"type": "data", "array": [m or 0.0 for m in margin],
                               "visible": True, "color": color, "thickness": 1, "width": 4}
        data.append(line)
    return {"data": data, "layout": _layout(yaxis={"range": list(y_range),
                                                   "title": {"text": text(y_title)}},
                                            xaxis={"type": "date"})}
