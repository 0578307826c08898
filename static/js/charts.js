/* Draws every `[data-figure]` element with Plotly. The figure (data + layout) is JSON built
   and escaped on the server; no inline script is needed, so the CSP forbids them all.
   A point whose `customdata` is a same-site path ("/...") opens that page when clicked.
   A chart's container is a `role="figure"` with its name (its children stay reachable: the
   mode bar's zoom buttons); one marked `role="img"` gets no mode bar, since an image must
   hold no focusable control. */
(function () {
  "use strict";
  var config = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["toImage"] };
  var imageConfig = { responsive: true, displayModeBar: false };

  function draw(element) {
    var figure;
    try {
      figure = JSON.parse(element.getAttribute("data-figure"));
    } catch (error) {
      element.textContent = element.getAttribute("data-error") || "Chart unavailable.";
      return;
    }
    var options = element.getAttribute("role") === "img" ? imageConfig : config;
    window.Plotly.newPlot(element, figure.data, figure.layout || {}, options).then(function () {
      element.on("plotly_click", function (event) {
        var point = event && event.points && event.points[0];
        var target = point && point.customdata;
        if (typeof target === "string" && target.charAt(0) === "/" && target.charAt(1) !== "/") {
          window.location.assign(target);
        }
      });
    });
  }

  function drawAll() {
    if (!window.Plotly) { return; }
    Array.prototype.forEach.call(document.querySelectorAll("[data-figure]"), draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
}());
