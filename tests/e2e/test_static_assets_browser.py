"""The vendored partial Plotly bundle in Chromium, under the pages' CSP: it loads from its
fingerprinted URL, draws every trace type the figure builders use, and only those."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tracker.web.assets import fingerprinted

#: The trace types of `tracker/adapters/charts` (radar, heatmap, lines, matrix, network,
#: gantt, fan, trend) and the DOM each one draws.
BUNDLED = {"scatter": ".scatterlayer .trace path", "bar": ".barlayer .point path",
           "heatmap": ".heatmaplayer image", "scatterpolar": ".polarlayer .trace path"}
#: Figures of each type, with the fields a drawing needs.
FIGURES = {
    "scatter": {"type": "scatter", "x": [1, 2, 3], "y": [2, 1, 3]},
    "bar": {"type": "bar", "orientation": "h", "x": [3, 5], "y": ["a", "b"]},
    "heatmap": {"type": "heatmap", "z": [[1, 2], [3, 4]]},
    "scatterpolar": {"type": "scatterpolar", "r": [1, 2, 3, 1], "theta": ["a", "b", "c", "a"],
                     "fill": "toself"},
    "pie": {"type": "pie", "values": [1, 2]},
}
DRAW = """async ([figure, selector]) => {
  const element = document.createElement("div");
  document.body.append(element);
  await window.Plotly.newPlot(element, [figure], {width: 400, height: 300});
  return [element._fullData[0].visible === true, element.querySelectorAll(selector).length];
}"""


@pytest.mark.e2e
def test_the_bundle_draws_the_pages_trace_types_under_the_csp(app, live_server, chromium):
    page = chromium.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    login = page.goto(f"{live_server}/login")
    assert "script-src 'self'" in login.headers["content-security-policy"]
    url = re.search(r'/static/js/picker\.[0-9a-f]{12}\.js', page.content())
    assert url, "the sign-in page links its script by a fingerprinted name"
    name = "vendor/plotly.min.js"
    hashed = fingerprinted(name, (Path(app.static_folder) / name).read_bytes())
    page.add_script_tag(url=f"{live_server}/static/{hashed}")
    assert page.evaluate("window.Plotly.version") == "4.1.1"
    for trace, selector in BUNDLED.items():
        visible, drawn = page.evaluate(DRAW, [FIGURES[trace], selector])
        assert visible and drawn >= 1, trace
    visible, _ = page.evaluate(DRAW, [FIGURES["pie"], ".pielayer path"])
    assert not visible  # outside the partial bundle: a new trace type needs a rebuild
    assert errors == []
