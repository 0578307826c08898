/* Draws every `[data-figure]` element with Plotly. The figure (data + layout) is JSON built
   and escaped on the server; no inline script is needed, so the CSP forbids them all.
   A point whose `customdata` is a same-site path ("/...") opens that page when clicked.
   A chart's container is a `role="figure"` with its name (its children stay reachable: the
   mode bar's zoom buttons); one marked `role="img"` gets no mode bar, since an image must
   hold no focusable control.
   Charts speak the page's language (`<html lang>`): in French, month and day names, the
   decimal comma and the space between thousands (`2,40`, `1 234`), registered here as a
   Plotly locale since the bundle carries English only. */
(function () {
  "use strict";
  var FRENCH = {
    moduleType: "locale",
    name: "fr",
    dictionary: {
      "Autoscale": "Échelle automatique", "Box Select": "Sélection rectangulaire",
      "Lasso Select": "Sélection lasso", "Pan": "Translation", "Reset axes": "Réinitialiser les axes",
      "Zoom": "Zoom", "Zoom in": "Zoom avant", "Zoom out": "Zoom arrière",
      "Toggle Spike Lines": "Afficher/masquer les lignes de repère",
      "Show closest data on hover": "Données les plus proches au survol",
      "Compare data on hover": "Comparer les données au survol",
      "Double-click to zoom back out": "Double-cliquez pour revenir au zoom initial"
    },
    format: {
      days: ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
      shortDays: ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."],
      months: ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
               "septembre", "octobre", "novembre", "décembre"],
      shortMonths: ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août",
                    "sept.", "oct.", "nov.", "déc."],
      date: "%d/%m/%Y",
      decimal: ",",
      thousands: "\u202f"
    }
  };
  var locale = (document.documentElement.getAttribute("lang") || "en").slice(0, 2).toLowerCase();
  var config = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["toImage"] };
  var imageConfig = { responsive: true, displayModeBar: false };

  function localize() {
    if (locale === "fr") {
      window.Plotly.register(FRENCH);
      config.locale = "fr";
      imageConfig.locale = "fr";
    }
  }

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
    localize();
    Array.prototype.forEach.call(document.querySelectorAll("[data-figure]"), draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
}());
