// The schedule form's cron helper, live: while one types the cron expression, the interval
// or the time zone, ask the server (the scheduler's own engine) for the settings in words
// and the next runs, and show them where "Preview" would. Without this script, the
// "Preview" button does the same by reloading the form.
(function () {
  "use strict";
  var form = document.getElementById("schedule-form");
  if (!form || !window.fetch) { return; }
  var words = document.getElementById("preview-words");
  var runs = document.getElementById("preview-runs");
  var names = ["kind", "cron", "interval_days", "timezone"];
  var timer = null;

  function show(data) {
    runs.textContent = "";
    if (data.errors) {
      var messages = [];
      Object.keys(data.errors).forEach(function (key) {
        messages = messages.concat(data.errors[key]);
      });
      words.textContent = messages.join(" ");
      return;
    }
    words.textContent = data.description + " (" + data.timezone + ")";
    data.runs.forEach(function (text) {
      var item = document.createElement("li");
      item.textContent = text;
      runs.appendChild(item);
    });
  }

  function ask() {
    var url = new URL(form.dataset.previewUrl, window.location.href);
    names.forEach(function (name) {
      var field = form.elements[name];
      if (field && field.value) { url.searchParams.set(name, field.value); }
    });
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.json(); })
      .then(show)
      .catch(function () { /* the Preview button still works */ });
  }

  names.forEach(function (name) {
    var field = form.elements[name];
    if (!field) { return; }
    field.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 400);
    });
  });
}());
