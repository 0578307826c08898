"""The pages a sponsor reads, in a real browser on the demo organization: the diagnostic
(radar and heatmap drawn), the barometer and the standalone report have no serious or
critical axe-core violation (the charts' container roles included) and log no console
error. With TRACKER_SCREENSHOTS=1 each page leaves docs/screenshots/sponsor-<nn>-<step>.png.
"""

from __future__ import annotations

import pytest

from tests.e2e.accessibility import Watched
from tests.e2e.browser import sign_in
from tests.e2e.campaign_steps import Campaign
from tests.e2e.test_web_diagnostic import seed_demo


@pytest.mark.e2e
def test_a_sponsor_reads_the_diagnostic_the_barometer_and_the_report(live_server, chromium,
                                                                      app):
    org_id, assessment_id = seed_demo()
    watched = Watched(chromium.new_page(viewport={"width": 1280, "height": 900}))
    tour = Campaign(app, live_server, watched, prefix="sponsor", skip_missing=False,
                    ids={"org": org_id, "assessment": assessment_id})
    sign_in(watched.page, live_server)

    tour.visit(tour.assessment_path(), "diagnostic")
    watched.page.wait_for_selector("#radar .main-svg")
    watched.page.wait_for_selector("#heatmap .main-svg")
    assert watched.page.locator("#heatmap .colorbar").count() == 1
    assert watched.page.is_visible("#percent-to-target-help")
    tour.done("diagnostic")

    tour.visit(tour.org_path("/barometer"), "barometer")
    watched.page.wait_for_selector("#trend .main-svg")
    tour.done("barometer")

    tour.visit(tour.assessment_path("/report"), "report")
    watched.page.wait_for_selector("#scores img")
    assert watched.page.is_visible("#percent-to-target-help")
    tour.done("report")
    tour.assert_clean()
