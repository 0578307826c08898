"""Committees through the browser alone: from an empty list, create a committee (a bad cron
refused first, its error beside the field), see its next meetings, log a decision in it
with its dossier, find the dossier in the log and on the committee's page, then open the
committee's meeting pack for a date and find the decision in its last section. Every page
reached has no serious or critical axe-core violation and logs no console error. With
TRACKER_SCREENSHOTS=1, each step leaves docs/screenshots/committees-<nn>-<step>.png."""

from __future__ import annotations

import pytest

from tests.e2e import browser
from tests.e2e.accessibility import Watched
from tests.e2e.campaign_steps import Campaign, id_in
from tracker.seeding import demo
from tracker.services.tenancy import accounts, organizations

LEAD = "lea@committees.example"


def open_empty_list(campaign: Campaign) -> None:
    """A lead of a new organization signs in and opens the committees from the menu."""
    lead = accounts.create_user(LEAD, demo.DEMO_PASSWORD, name="Léa Lead")
    campaign.ids["org"] = organizations.create_organization(lead, {"name": "Board Co"}).id
    browser.sign_in(campaign.page, campaign.base, LEAD)
    campaign.visit(campaign.org_path("/committees"), "the committees")
    campaign.page.wait_for_selector("#no-committee")
    campaign.done("empty list")


def create_committee(campaign: Campaign) -> None:
    """A cron with four fields is refused beside its field; five fields are accepted."""
    page = campaign.page
    page.fill("#c-name", "Portfolio board")
    page.select_option("#c-level", "portfolio")
    page.fill("#c-cron", "0 9 * *")
    page.fill("#c-timezone", "Europe/Paris")
    page.fill("#c-members", "cpo@board.example\npmo@board.example")
    page.click("#committee-form button[type=submit]")
    page.wait_for_selector("#cron-error")
    assert page.input_value("#c-members") == "cpo@board.example\npmo@board.example"
    campaign.done("refused cron")
    page.fill("#c-cron", "0 9 * * 1")
    page.click("#committee-form button[type=submit]")
    page.wait_for_selector("h1:has-text('Portfolio board')")
    campaign.ids["committee"] = id_in(page.url, "committees")
    # every Monday at 9:00: five next meetings
    assert page.locator("#next-meetings li").count() == 5
    assert "Monday" in page.inner_text("#cadence-words")
    campaign.done("committee page")


def log_a_decision(campaign: Campaign) -> None:
    """From the committee's page, log a decision of it with its dossier."""
    page = campaign.page
    page.click("a:has-text('Log a decision of this committee')")
    page.wait_for_selector("#decision-form")
    page.fill("#decision-form input[name=title]", "Generalize release autonomy")
    page.select_option("#decision-form select[name=committee_id]",
                       str(campaign.ids["committee"]))
    page.fill("#decision-form input[name=decided_on]", "2026-11-30")
    page.fill("#decision-form textarea[name=context]", "The pricing pilot met its criteria.")
    page.fill("#decision-form textarea[name=options]", "Generalize; extend; stop.")
    page.fill("#decision-form textarea[name=risks]", "Claims is not ready.")
    page.fill("#decision-form textarea[name=success_indicators]", "Lead time ≤ 5 days.")
    campaign.done("decision form")
    page.click("#decision-form button[type=submit]")
    page.wait_for_selector("text=Decision logged.")
    row = page.locator("#decisions-table tbody tr", has_text="Generalize release autonomy")
    assert "portfolio" in row.inner_text() and "Portfolio board" in row.inner_text()
    row.locator("details.dossier summary").click()
    assert "Generalize; extend; stop." in row.inner_text()
    campaign.done("decision in the log")


def open_the_pack(campaign: Campaign) -> None:
    """The committee's page lists the decision; its pack for Monday 2026-12-07 starts at the
    previous meeting, Monday 2026-11-30, so the decision of that day is in it."""
    page = campaign.page
    page.click(f"#decisions-table a[href$='/committees/{campaign.ids['committee']}']")
    page.wait_for_selector("#committee-decisions")
    assert "Claims is not ready." in page.inner_text("#committee-decisions")
    page.click("#open-pack")
    page.wait_for_selector("#pack-summary")
    page.fill("#p-date", "2026-12-07")
    page.click("#pack-date button[type=submit]")
    page.wait_for_selector("#pack-period:has-text('Nov 30, 2026')")
    assert page.inner_text("[data-count=decisions_since]").strip() == "1"
    assert "Generalize release autonomy" in page.inner_text("#decisions_since")
    assert "No pilot awaits a decision." in page.inner_text("#pilots_awaiting_decision")
    assert page.get_attribute("#pack-pdf", "href").endswith("format=pdf")
    campaign.done("meeting pack")


@pytest.mark.e2e
def test_a_lead_creates_a_committee_logs_a_decision_and_opens_its_pack(live_server, chromium,
                                                                       app):
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(15_000)
    campaign = Campaign(app, live_server, Watched(page), prefix="committees",
                        skip_missing=False)
    open_empty_list(campaign)
    create_committee(campaign)
    log_a_decision(campaign)
    open_the_pack(campaign)
    campaign.assert_clean()
