"""The sponsor's charts: the scores' colour scale runs from dark to bright (relative
luminance rising with the value, on the pages' Plotly heatmap and the report's matplotlib
one), the heatmap's groups are on top with a colour bar, the radar's names wrap and its
ticks sit between two axes, and the email radar's legend covers no label."""

from __future__ import annotations

from itertools import pairwise

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex

from tracker.adapters.charts import figures, png

SCALE = (1.0, 5.0)
NAMES = ["Strategy and portfolio management", "Discovery and validation", "Delivery",
         "People and organization design", "Measurement and learning"]


def relative_luminance(hex_color: str) -> float:
    """WCAG 2 relative luminance of `#rrggbb`, computed here from its definition."""
    channels = [int(hex_color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_the_heatmap_colour_scale_gets_brighter_as_the_score_rises():
    figure = figures.heatmap(["A", "B"], ["Team"], [[1.0], [5.0]], SCALE, "Mean")
    trace = figure["data"][0]
    stops = trace["colorscale"]
    assert [position for position, _color in stops] == [0, 0.25, 0.5, 0.75, 1]
    lights = [relative_luminance(color) for _position, color in stops]
    # viridis: #440154 ≈ 0.019 (dark purple) … #fde725 ≈ 0.782 (bright yellow)
    assert lights == sorted(lights) and len(set(lights)) == len(lights)
    assert lights[-1] - lights[0] > 0.7
    assert "reversescale" not in trace and (trace["zmin"], trace["zmax"]) == SCALE
    assert trace["colorbar"]["title"]["text"] == "Mean" and trace["colorbar"]["dtick"] == 1
    assert figure["layout"]["xaxis"]["side"] == "top"  # group names above the rows


def test_the_report_heatmap_uses_the_same_scale_bright_for_high_scores():
    samples = [png.SCORE_COLORMAP(k / 40) for k in range(41)]
    lights = [relative_luminance(to_hex(color)) for color in samples]
    assert all(a < b for a, b in pairwise(lights))
    assert abs(png.luminance(samples[-1]) - lights[-1]) < 1e-9  # the cells' text contrast
    assert png.SCORE_COLORMAP(1.0)[:3] == tuple(int(figures.SCORE_SCALE[-1][i:i + 2], 16) / 255
                                                for i in (1, 3, 5))
    assert png.heatmap_chart(["A", "B"], ["All"], [[1.0], [None]], SCALE, "t").startswith(
        b"\x89PNG")


def test_the_radar_wraps_long_names_and_puts_its_ticks_between_two_axes():
    figure = figures.radar(NAMES, [("Current", [2, 3, 2.5, 1.5, 3])], SCALE)
    theta = figure["data"][0]["theta"]
    assert theta[0] == "Strategy and<br>portfolio<br>management"
    assert all(len(line) <= figures.RADAR_LABEL_WIDTH for name in theta
               for line in name.split("<br>"))
    polar = figure["layout"]["polar"]
    # 5 axes clockwise from the top (90°): the first two at 90° and 18°, the last at 162°;
    # the ticks run at 90 + 180 / 5 = 126°, halfway between the last and the first
    assert polar["radialaxis"]["angle"] == 126
    assert polar["radialaxis"]["dtick"] == 1
    assert polar["angularaxis"] == {"rotation": 90, "direction": "clockwise",
                                    "tickfont": {"size": 11}}
    hostile = figures.radar(["<b>x</b>", "b", "c"], [("s", [1, 2, 3])], SCALE)
    assert hostile["data"][0]["theta"][0] == "&lt;b&gt;x&lt;/b&gt;"


def test_the_email_radar_legend_covers_no_label():
    figure = png.radar_figure(NAMES, [("Initial diagnostic", [2, 3, 2.5, 1.5, 3]),
                                      ("Target", [4, 4, 4, 4, 4]),
                                      ("Pulse Q3 2026", [2.5, 3, 3, 2, 3.5])],
                              SCALE, "Maturity by axis")
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    (axes,) = figure.axes
    (legend,) = figure.legends
    box = legend.get_window_extent(renderer)
    labels = [label.get_window_extent(renderer) for label in
              (*axes.get_xticklabels(), *axes.get_yticklabels(), axes.title)
              if label.get_text()]
    assert len(labels) == 5 + 5 + 1  # the axis names, the ticks 1 to 5, the title
    assert not any(box.overlaps(label) for label in labels)
    assert not box.overlaps(axes.get_window_extent(renderer))  # outside the axes
    assert box.y0 >= 0 and box.x0 >= 0 and box.x1 <= figure.bbox.width  # on the image
