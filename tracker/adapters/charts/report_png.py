"""The report's charts as PNG bytes and data: URIs: the axis radar reuses the barometer's
helper; the heatmap of dimension scores by team is drawn here (matplotlib `Figure` on the Agg
canvas, no pyplot global state)."""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from tracker.adapters.charts.png import radar_chart

__all__ = ["data_uri", "heatmap_chart", "radar_chart"]


def data_uri(png: bytes) -> str:
    """A PNG as a `data:` URI, so the HTML report works offline as a single file."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def heatmap_chart(rows: Sequence[str], columns: Sequence[str],
                  values: Sequence[Sequence[float | None]], scale: tuple[float, float],
                  title: str) -> bytes:
    """A grid of scores (one row per dimension, one column per group), each cell coloured
    on the framework's scale and labelled with its value; empty cells stay blank."""
    height = max(2.5, 0.32 * len(rows) + 1.2)
    figure = Figure(figsize=(max(4.5, 1.1 * len(columns) + 3), height), dpi=100,
                    layout="tight")
    axes = figure.subplots()
    grid = [[float("nan") if v is None else v for v in row] for row in values]
    image = axes.imshow(grid, cmap="RdYlGn", vmin=scale[0], vmax=scale[1], aspect="auto")
    for y, row in enumerate(values):
        for x, value in enumerate(row):
            if value is not None:
                axes.text(x, y, f"{value:.1f}", ha="center", va="center", fontsize=7)
    axes.set_xticks(range(len(columns)), columns, fontsize=8)
    axes.set_yticks(range(len(rows)), rows, fontsize=7)
    axes.xaxis.tick_top()
    axes.set_title(title, fontsize=10)
    figure.colorbar(image, ax=axes, fraction=0.04)
    buffer = io.BytesIO()
    FigureCanvasAgg(figure).print_png(buffer)
    return buffer.getvalue()
