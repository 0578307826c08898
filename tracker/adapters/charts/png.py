"""Charts as PNG bytes, for what cannot run Plotly: the barometer email (trend with its 95 %
intervals as error bars, radar) and the standalone report (radar, heatmap, inlined as
`data:` URIs).

matplotlib's `Figure` on the Agg canvas: no display and no pyplot global state, so
scheduler threads can render safely. `renders()` counts chart renderings, so the bench and
the tests can prove that charts are rendered once per organization and content, not once per
recipient.
"""

from __future__ import annotations

import base64
import io
import math
import textwrap
from collections.abc import Sequence
from typing import Literal, cast

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LinearSegmentedColormap, Normalize, to_rgb
from matplotlib.figure import Figure
from matplotlib.projections.polar import PolarAxes
from matplotlib.typing import ColorType

from tracker.adapters.charts.figures import RADAR_LABEL_WIDTH, SCORE_SCALE
from tracker.adapters.charts.numbers import decimal_text, tick_formatter

#: The heatmap's colours: the pages' scale (`figures.SCORE_SCALE`), higher is brighter.
SCORE_COLORMAP = LinearSegmentedColormap.from_list("score", SCORE_SCALE)
#: A cell's value is written in black above this relative luminance, in white below it.
DARK_TEXT_ABOVE = 0.18

_rendered = [0]


def renders() -> int:
    """How many charts this process has rendered."""
    return _rendered[0]


def data_uri(png: bytes) -> str:
    """A PNG as a `data:` URI, so the HTML report works offline as a single file."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _figure(width: float, height: float,
            layout: Literal["tight", "constrained"] = "tight") -> Figure:
    """A new figure of that size in inches at 100 dpi, laid out tightly (or `constrained`,
    which also makes room for a legend placed outside the axes)."""
    return Figure(figsize=(width, height), dpi=100, layout=layout)


def luminance(color: ColorType) -> float:
    """The WCAG relative luminance of a colour (0 black, 1 white)."""
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4
    red, green, blue = (linear(c) for c in to_rgb(color))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _png(figure: Figure) -> bytes:
    """The figure drawn as PNG bytes, counted in `renders()`."""
    buffer = io.BytesIO()
    FigureCanvasAgg(figure).print_png(buffer)
    _rendered[0] += 1
    return buffer.getvalue()


def trend_chart(labels: Sequence[str], overall: Sequence[float | None],
                scale: tuple[float, float], title: str, locale: str | None = None,
                margins: Sequence[float | None] | None = None) -> bytes:
    """The overall score of each closed assessment, in time order, with its 95 % interval
    as an error bar where `margins` gives one; its numbers in `locale` (by default the one
    Flask-Babel renders in: `chart_locale`)."""
    return _png(trend_figure(labels, overall, scale, title, locale, margins))


def trend_figure(labels: Sequence[str], overall: Sequence[float | None],
                 scale: tuple[float, float], title: str, locale: str | None = None,
                 margins: Sequence[float | None] | None = None) -> Figure:
    """The chart of `trend_chart`, not drawn yet (so its error bars can be read): each
    point labelled with its score, and "± margin" beside it where the margin is known."""
    figure = _figure(6, 2.6)
    axes = figure.subplots()
    known = list(margins or [])
    points = [(k, v, known[k] if k < len(known) else None)
              for k, v in enumerate(overall) if v is not None]
    axes.plot([k for k, _, _ in points], [v for _, v, _ in points], marker="o",
              color="#1f5fa8")
    bars = [(k, v, m) for k, v, m in points if m is not None]
    if bars:
        axes.errorbar([k for k, _, _ in bars], [v for _, v, _ in bars],
                      yerr=[m for _, _, m in bars], fmt="none", ecolor="#1f5fa8",
                      elinewidth=1, capsize=4, alpha=0.7)
    for k, value, margin in points:
        text = decimal_text(value, 2, locale)
        if margin is not None:
            text = f"{text} ± {decimal_text(margin, 2, locale)}"
        axes.annotate(text, (k, value), textcoords="offset points",
                      xytext=(8, 4) if margin is not None else (0, 7),
                      ha="left" if margin is not None else "center", fontsize=8)
    axes.set_xticks(range(len(labels)), labels, fontsize=8)
    axes.set_xlim(-0.5, max(len(labels) - 0.5, 0.5))
    axes.set_ylim(scale[0], scale[1])
    axes.yaxis.set_major_formatter(tick_formatter(locale))
    axes.set_title(title, fontsize=10)
    axes.grid(axis="y", alpha=0.3)
    return figure


def radar_chart(names: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]],
                scale: tuple[float, float], title: str) -> bytes:
    """Axis scores on a radar, one polygon per series (e.g. first and latest assessment):
    the first axis at the top and the others clockwise, as on the pages, the axis names
    wrapped, the radial ticks between the first and the last axis, and the legend below
    the chart, outside the axes, so it covers no label."""
    return _png(radar_figure(names, series, scale, title))


def radar_figure(names: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]],
                 scale: tuple[float, float], title: str) -> Figure:
    """The radar of `radar_chart`, not drawn yet (so its layout can be measured)."""
    angles = [2 * math.pi * k / len(names) for k in range(len(names))]
    figure = _figure(4.8, 5.2, layout="constrained")
    axes = cast(PolarAxes, figure.add_subplot(polar=True))
    axes.set_theta_zero_location("N")
    axes.set_theta_direction(-1)
    for label, values in series:
        closed = [v if v is not None else scale[0] for v in values]
        axes.plot([*angles, angles[0]], [*closed, closed[0]], label=label)
        axes.fill([*angles, angles[0]], [*closed, closed[0]], alpha=0.15)
    axes.set_xticks(angles, ["\n".join(textwrap.wrap(name, RADAR_LABEL_WIDTH)) or name
                             for name in names], fontsize=8)
    axes.set_ylim(scale[0] - 1 if scale[0] > 0 else 0, scale[1])
    axes.set_yticks(range(math.ceil(scale[0]), math.floor(scale[1]) + 1))
    axes.set_rlabel_position(-180 / len(names))
    axes.tick_params(axis="y", labelsize=7)
    axes.set_title(title, fontsize=10)
    figure.legend(loc="outside lower center", ncols=max(1, min(len(series), 3)), fontsize=7,
                  frameon=False)
    return figure


def heatmap_chart(rows: Sequence[str], columns: Sequence[str],
                  values: Sequence[Sequence[float | None]], scale: tuple[float, float],
                  title: str, locale: str | None = None) -> bytes:
    """A grid of scores (one row per dimension, one column per group), each cell coloured
    on the framework's scale (the pages' colours: higher is brighter) and labelled with its
    value in `locale`, in black or white for contrast; the groups on top; empty cells stay
    blank."""
    figure = _figure(max(4.5, 1.1 * len(columns) + 3), max(2.5, 0.32 * len(rows) + 1.2))
    axes = figure.subplots()
    grid = [[float("nan") if v is None else v for v in row] for row in values]
    image = axes.imshow(grid, cmap=SCORE_COLORMAP, vmin=scale[0], vmax=scale[1],
                        aspect="auto")
    norm = Normalize(scale[0], scale[1])
    for y, row in enumerate(values):
        for x, value in enumerate(row):
            if value is not None:
                dark = luminance(SCORE_COLORMAP(norm(value))) > DARK_TEXT_ABOVE
                axes.text(x, y, decimal_text(value, 1, locale), ha="center", va="center",
                          fontsize=7, color="black" if dark else "white")
    axes.set_xticks(range(len(columns)), columns, fontsize=8)
    axes.set_yticks(range(len(rows)), rows, fontsize=7)
    axes.xaxis.tick_top()
    axes.set_title(title, fontsize=10)
    figure.colorbar(image, ax=axes, fraction=0.04).ax.yaxis.set_major_formatter(
        tick_formatter(locale))
    return _png(figure)
