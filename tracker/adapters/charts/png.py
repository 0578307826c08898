"""The barometer's charts as PNG bytes (matplotlib's `Figure` on the Agg canvas: no
display and no pyplot global state, so scheduler threads can render safely).

`RENDERS` counts chart renderings, so the bench and the tests can prove that charts are
rendered once per organization and period, not once per recipient.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

_rendered = [0]


def renders() -> int:
    """How many charts this process has rendered."""
    return _rendered[0]


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    FigureCanvasAgg(figure).print_png(buffer)
    _rendered[0] += 1
    return buffer.getvalue()


def trend_chart(labels: Sequence[str], overall: Sequence[float | None],
                scale: tuple[float, float], title: str) -> bytes:
    """The overall score of each closed assessment, in time order."""
    figure = Figure(figsize=(6, 2.6), dpi=100, layout="tight")
    axes = figure.subplots()
    points = [(k, v) for k, v in enumerate(overall) if v is not None]
    axes.plot([k for k, _ in points], [v for _, v in points], marker="o", color="#1f5fa8")
    for k, value in points:
        axes.annotate(f"{value:.2f}", (k, value), textcoords="offset points", xytext=(0, 7),
                      ha="center", fontsize=8)
    axes.set_xticks(range(len(labels)), labels, fontsize=8)
    axes.set_ylim(scale[0], scale[1])
    axes.set_title(title, fontsize=10)
    axes.grid(axis="y", alpha=0.3)
    return _png(figure)


def radar_chart(names: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]],
                scale: tuple[float, float], title: str) -> bytes:
    """Axis scores on a radar, one polygon per series (e.g. first and latest assessment)."""
    angles = [2 * math.pi * k / len(names) for k in range(len(names))]
    figure = Figure(figsize=(4.5, 4.5), dpi=100, layout="tight")
    axes = figure.add_subplot(polar=True)
    for label, values in series:
        closed = [v if v is not None else scale[0] for v in values]
        axes.plot([*angles, angles[0]], [*closed, closed[0]], label=label)
        axes.fill([*angles, angles[0]], [*closed, closed[0]], alpha=0.15)
    axes.set_xticks(angles, names, fontsize=8)
    axes.set_ylim(scale[0] - 1 if scale[0] > 0 else 0, scale[1])
    axes.set_title(title, fontsize=10)
    axes.legend(loc="lower right", fontsize=7, bbox_to_anchor=(1.2, -0.1))
    return _png(figure)
