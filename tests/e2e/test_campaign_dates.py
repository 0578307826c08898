"""Planned dates and perspectives in the browser: a lead plans a campaign on the create form,
reads on the cockpit that the planned opening passed, moves it on the edit page, adds a
respondent with a perspective, opens the campaign and reads the days left; the assessments
list shows the planned dates and the diagnostic offers perception gaps by perspective.
Every page reached has no serious or critical axe-core violation and no console error.
With TRACKER_SCREENSHOTS=1, each step leaves docs/screenshots/campaign-dates-<nn>-<step>.png.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from tests.builders import Scenario
from tests.e2e.accessibility import Watched
from tests.e2e.campaign_steps import Campaign, id_in

PASSWORD = "correct horse battery"   # the one `make_api` gives its users


def test_a_lead_plans_a_campaign_and_reads_the_time_left(live_server, chromium, app, lead,
                                                          admin):
    scenario = Scenario(lead, admin)
    today = datetime.now(UTC).date()  # the organization's calendar: UTC by default
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(15_000)
    campaign = Campaign(app, live_server, Watched(page), prefix="campaign-dates",
                        skip_missing=False, ids={"org": scenario.org["id"]})

    campaign.visit("/login", "sign in")
    page.fill("#email", "lead@example.org")
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("h1")

    campaign.visit(campaign.org_path("/assessments/new"), "new assessment")
    page.fill("#f-title", "Cross self-assessment")
    page.select_option("#f-framework_id", str(scenario.framework["id"]))
    page.fill("#f-planned_open_on", (today - timedelta(days=2)).isoformat())
    page.fill("#f-planned_close_on", (today + timedelta(days=12)).isoformat())
    campaign.done("new assessment with planned dates")
    page.click("#create-assessment")
    page.wait_for_url(re.compile(r"/cockpit$"))
    campaign.ids["assessment"] = id_in(page.url, "assessments")
    assert page.inner_text("#time-left") == \
        "Planned opening passed 2 days ago: open it or move the date"
    campaign.done("cockpit planned opening passed")

    page.click("#edit-link")
    page.wait_for_selector("#assessment-edit-form")
    page.fill("#f-planned_open_on", today.isoformat())
    campaign.done("edit planned dates")
    page.click("#save-assessment")
    page.wait_for_url(re.compile(r"/cockpit$"))
    assert page.inner_text("#time-left").startswith("Planned to open today")

    campaign.visit(campaign.assessment_path("/respondents"), "respondents")
    page.fill("#r-name", "Carla Client")
    page.select_option("#r-perspective", "client")
    campaign.done("respondent with a perspective")
    page.click("#respondent-add-form button[type=submit]")
    page.wait_for_selector("td.perspective")
    assert page.inner_text("td.perspective") == "client"

    campaign.visit(campaign.assessment_path("/cockpit"), "cockpit")
    page.click("#open")
    page.wait_for_selector("#assessment-status:has-text('open')")
    assert page.inner_text("#time-left").startswith("12 days left, closes on ")
    campaign.done("cockpit days left")

    campaign.visit(campaign.org_path("/assessments"), "assessments")
    assert "→" in page.inner_text("td.planned >> nth=0")
    campaign.done("assessments with planned dates")

    campaign.visit(campaign.assessment_path("?by=perspective"), "diagnostic by perspective")
    assert page.locator("option[value=perspective]").first.get_attribute("selected") is not None
    campaign.done("diagnostic by perspective")
    campaign.assert_clean()
