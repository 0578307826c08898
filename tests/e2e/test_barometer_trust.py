"""Issue 18's trust in the trend through the browser, on the demo barometer: the scores
with their margins and the pulse's change worded "within the margin", the alignment section
with the empowerment and leadership gaps closing, the calibration line with the calibrated
projection, and the stalled initiatives. Every page reached has no serious or critical
axe-core violation and logs no console error. With TRACKER_SCREENSHOTS=1, each step leaves
docs/screenshots/barometer-trust-<nn>-<step>.png."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.e2e.accessibility import Watched
from tests.e2e.browser import sign_in
from tests.e2e.campaign_steps import Campaign
from tracker.extensions import db
from tracker.models import Initiative
from tracker.seeding import demo
from tracker.seeding import frameworks as seeds


@pytest.mark.e2e
def test_the_demo_barometer_shows_margins_alignment_calibration_and_stalls(
        live_server, chromium, app):
    seeds.seed_frameworks()
    org_id = demo.load_demo().org_id
    # 4 weeks planned, no estimate, 70 days in progress: 10 weeks past a 6-week limit
    db.session.add(Initiative(org_id=org_id, title="Slow migration", status="in_progress",
                              duration_weeks=4, actual_start=date.today() - timedelta(days=70)))
    db.session.commit()
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    campaign = Campaign(app, live_server, Watched(page), prefix="barometer-trust",
                        skip_missing=False, full_page=False)
    sign_in(page, live_server)

    campaign.visit(f"/orgs/{org_id}/barometer", "scores with their margins")
    page.wait_for_selector("#trend .plot-container", state="attached")
    table = page.locator("section[aria-labelledby=trend-title] table").inner_text()
    assert "2.60 ± 0.20" in table and "+0.08, within the margin of ±0.29" in table
    page.locator("#margin-help").scroll_into_view_if_needed()
    campaign.done("scores with their margins")

    alignment = page.locator("#alignment")
    page.locator("#alignment-title").evaluate("title => title.scrollIntoView()")
    empowerment = alignment.locator("tr", has_text="Team empowerment").inner_text()
    leadership = alignment.locator("tr", has_text="Leadership alignment").inner_text()
    assert "2.22 → 1.67" in empowerment and "closing by 0.45 a quarter" in empowerment
    assert "1.78 → 1.11" in leadership and "closing by 0.54 a quarter" in leadership
    campaign.done("alignment")

    calibration = page.locator("#calibration")
    page.locator("#calibration-title").evaluate("title => title.scrollIntoView()")
    assert "delivered 81 % of their expected uplift (4 pairs)" in calibration.inner_text()
    assert page.locator("#calibrated tbody tr").count() >= 1
    campaign.done("calibration")

    stalled = page.locator("#stalled")
    stalled.scroll_into_view_if_needed()
    assert "Slow migration" in stalled.inner_text()
    assert "10 weeks in progress, limit 6 weeks" in stalled.inner_text()
    campaign.done("stalled initiatives")
    stalled.get_by_role("link", name="Slow migration").click()
    page.wait_for_selector("h1:has-text('Slow migration')")
    campaign.assert_clean()
