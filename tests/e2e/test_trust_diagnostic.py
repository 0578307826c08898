"""The 95 % intervals on the demo's diagnostic page in a real browser: the overall score, an
axis and a dimension worded "score ± margin", in English then in French (the margin with
the page's decimal mark). With TRACKER_SCREENSHOTS=1, it leaves
docs/screenshots/trust-diagnostic-<nn>-<step>.png."""

from __future__ import annotations

import re

import pytest

from tests.e2e.accessibility import Watched
from tests.e2e.browser import sign_in
from tests.e2e.campaign_steps import Campaign
from tests.e2e.test_web_diagnostic import open_page, seed_demo


@pytest.mark.e2e
def test_the_demo_diagnostic_shows_every_score_with_its_margin(app, live_server, chromium):
    org_id, assessment_id = seed_demo()
    page, errors, _dialogs = open_page(chromium)
    shots = Campaign(app, live_server, Watched(page), prefix="trust-diagnostic")
    sign_in(page, live_server)
    page.goto(f"{live_server}/orgs/{org_id}/assessments/{assessment_id}")
    # the pulse's overall score and margin, the barometer's last point (2.60 ± 0.20)
    assert page.locator("#overall-score").inner_text() == "2.60 ± 0.20"
    assert page.locator("#margin-help").is_visible()
    cells = page.locator("#scores td[data-dimension]").all_inner_texts()
    assert len(cells) == 32
    assert all(re.fullmatch(r"\d\.\d\d ± \d\.\d\d", text.strip()) for text in cells)
    assert re.search(r"· \d\.\d\d ± \d\.\d\d",
                     page.locator("#scores th[data-axis]").first.inner_text())
    shots.screenshot(page, "overall score with its margin", number=1, full_page=False)
    page.locator("#scores").evaluate("table => table.scrollIntoView()")
    shots.screenshot(page, "scores with their margins", number=2, full_page=False)

    page.click("button[lang=fr]")
    page.wait_for_selector("h2:has-text('Scores des axes')")
    assert page.locator("#overall-score").inner_text() == "2,60 ± 0,20"
    assert errors == []
