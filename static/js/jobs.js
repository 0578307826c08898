// The progress page of a background job: polls GET /api/v1/jobs/{id} (with the session
// cookie) and shows its progress and message, then the download link or the error.
(function () {
  "use strict";
  var section = document.getElementById("job");
  if (!section) { return; }
  var url = section.getAttribute("data-job-url");
  var bar = document.getElementById("job-progress");
  var message = document.getElementById("job-message");
  var result = document.getElementById("job-result");
  var download = document.getElementById("job-download");
  var failure = document.getElementById("job-error");
  var refresh = document.getElementById("job-refresh");
  var delay = 500;

  function show(job) {
    bar.max = Math.max(job.total, 1);
    bar.value = job.status === "done" ? bar.max : job.progress;
    bar.textContent = bar.value + " / " + bar.max;
    if (message.textContent !== job.message) { message.textContent = job.message; }
    section.setAttribute("data-status", job.status);
    if (job.status === "done" && job.result_url) {
      download.href = job.result_url;
      result.hidden = false;
    }
    if (job.status === "failed") {
      failure.textContent = job.error || "";
      failure.hidden = false;
    }
    refresh.hidden = job.status === "done" || job.status === "failed";
    return !refresh.hidden;
  }

  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (job) {
        if (show(job)) { window.setTimeout(poll, delay); }
      })
      .catch(function () {
        delay = Math.min(delay * 2, 10000);  // the Refresh link stays for the reader
        window.setTimeout(poll, delay);
      });
  }

  if (section.getAttribute("data-status") !== "done"
      && section.getAttribute("data-status") !== "failed") {
    window.setTimeout(poll, delay);
  }
}());
