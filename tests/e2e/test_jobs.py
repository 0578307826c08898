"""The progress page of a background job in a real browser: "Download PDF" on the
diagnostic page starts the report's job, the progress bar fills as the page polls the API
with the session cookie, and the download link appears and gives the PDF; the page passes
axe-core and logs no error (no CSP violation). With TRACKER_SCREENSHOTS=1, it leaves
docs/screenshots/jobs-01-report-ready.png."""

from __future__ import annotations

import pytest

from tests.builders import Scenario
from tests.e2e.accessibility import Watched, assert_accessible
from tests.e2e.browser import sign_in
from tests.e2e.campaign_steps import Campaign
from tracker.adapters import pdf


@pytest.mark.e2e
@pytest.mark.skipif(not pdf.available(), reason="/usr/bin/chromium is absent")
def test_the_progress_bar_reaches_the_download_link(app, live_server, chromium, lead, admin):
    scenario = Scenario(lead, admin)
    page = chromium.new_page(viewport={"width": 1100, "height": 900})
    watched = Watched(page)
    shots = Campaign(app, live_server, watched, prefix="jobs")
    sign_in(page, live_server, "lead@example.org", "correct horse battery")
    page.goto(f"{live_server}/orgs/{scenario.org['id']}/assessments/"
              f"{scenario.assessment['id']}")

    page.get_by_role("button", name="Download PDF").click()

    page.wait_for_url(f"{live_server}/jobs/*")
    assert page.get_by_role("heading", level=1).inner_text() == "Diagnostic report (PDF)"
    assert page.get_by_role("link", name="Refresh").is_visible()  # for a reader without JS
    download = page.get_by_role("link", name="Download the file")
    download.wait_for(state="visible", timeout=60_000)
    bar = page.locator("#job-progress")
    assert bar.evaluate("b => [b.value, b.max]") == [2, 2]
    assert page.locator("#job-message").inner_text() == "The PDF report is ready."
    assert not page.get_by_role("link", name="Refresh").is_visible()
    assert_accessible(watched, "job page")
    shots.screenshot(page, "report ready", number=1)
    response = page.request.get(download.evaluate("a => a.href"))
    assert response.status == 200 and response.body().startswith(b"%PDF")
