"""Issue 15's acceptance for the KPIs, through the browser alone: from an empty list, create
a KPI (a dimension picked by typing in the picker), record two measurements (one refused
first, with its error beside the field), see the gap and the trend with its target line,
then archive the KPI and find it apart. Every page reached has no serious or critical
axe-core violation and logs no console error. With TRACKER_SCREENSHOTS=1, each step leaves
docs/screenshots/kpis-<nn>-<step>.png."""

from __future__ import annotations

import pytest

from tests.e2e.accessibility import Watched
from tests.e2e.campaign_steps import Campaign, id_in
from tracker.seeding import demo
from tracker.seeding import frameworks as seeds
from tracker.services.tenancy import accounts, organizations

LEAD = "lea@kpis.example"


def open_empty_list(campaign: Campaign) -> None:
    """A lead of an organization without KPIs signs in and opens the KPIs from the menu."""
    seeds.seed_frameworks()
    lead = accounts.create_user(LEAD, demo.DEMO_PASSWORD, name="Léa Lead")
    campaign.ids["org"] = organizations.create_organization(lead, {"name": "Kpi Co"}).id
    campaign.visit("/login", "sign in")
    campaign.page.fill("#email", LEAD)
    campaign.page.fill("#password", demo.DEMO_PASSWORD)
    campaign.page.click("main button[type=submit]")
    campaign.page.wait_for_selector("h1:has-text('Your organizations')")
    campaign.visit(campaign.org_path("/assessments"), "the organization")
    campaign.page.click("nav.sections a:has-text('KPIs')")
    campaign.page.wait_for_selector("#no-kpi")
    campaign.done("empty list")


def create_kpi(campaign: Campaign) -> None:
    """The empty state's link opens the form; a dimension is found by typing in the picker."""
    page = campaign.page
    page.click("#no-kpi a")
    page.wait_for_selector("h1:has-text('New KPI')")
    page.fill("#k-name", "Lead time of stories")
    page.fill("#k-unit", "days")
    page.select_option("#k-direction", "lower_is_better")
    page.fill("#k-target", "5")
    page.fill("#k-dimensions-filter", "continuous discovery")
    option = page.locator("#k-dimensions option:not([hidden])").first
    page.select_option("#k-dimensions", option.get_attribute("value"))
    assert page.locator(".chip").count() == 1
    campaign.done("new kpi form")
    page.click("#save-kpi")
    page.wait_for_selector("h1:has-text('Lead time of stories')")
    campaign.ids["kpi"] = id_in(page.url, "kpis")
    assert page.inner_text("#kpi-gap").strip() == "–"
    campaign.done("kpi created")


def record(campaign: Campaign, value: str, day: str, comment: str = "") -> None:
    """Fill and send the measurement form of the KPI's page."""
    page = campaign.page
    page.fill("#m-value", value)
    page.fill("#m-measured_at", day)
    page.fill("#m-comment", comment)
    page.click("#record-measurement")
    page.wait_for_load_state("load")


def record_two_measurements(campaign: Campaign) -> None:
    """A refused value first (its error beside the field, the comment kept), then 9 days in
    May and 7 days in October."""
    page = campaign.page
    record(campaign, "nine", "2026-05-31", "Before the pilot")
    page.wait_for_selector("#value-error")
    assert page.input_value("#m-comment") == "Before the pilot"
    campaign.done("refused measurement")
    record(campaign, "9", "2026-05-31", "Before the pilot")
    page.wait_for_selector("text=Measurement recorded.")
    record(campaign, "7", "2026-10-31", "Pilot teams on trunk-based development")
    page.wait_for_selector("text=2 measurements")
    # current 7 (the latest by date), target 5: gap 7 - 5 = 2; lower is better and 7 > 5,
    # so off target
    assert page.inner_text("#kpi-current").strip() == "7 days"
    assert page.inner_text("#kpi-gap").strip() == "2 days"
    assert page.inner_text("#kpi-on-target").strip() == "no"
    page.wait_for_selector("#trend .main-svg")
    assert page.locator("#trend .scatterlayer .trace").count() == 2  # values and target
    rows = page.locator("#measurements-table tbody tr")
    assert "Oct 31, 2026" in rows.nth(0).inner_text()  # newest first
    assert "Before the pilot" in rows.nth(1).inner_text()
    campaign.done("gap after two measurements")


def see_the_list(campaign: Campaign) -> None:
    """The list shows the KPI's gap; archiving it moves it to the archived list."""
    page = campaign.page
    page.click("nav.breadcrumb a:has-text('KPIs')")
    page.wait_for_selector("#kpis-table")
    row = page.locator("#kpis-table tbody tr").first.inner_text()
    assert "lower is better" in row and "\t2\t" in f"\t{row}\t".replace(" ", "")
    campaign.done("kpi list")
    page.click("#kpis-table a:has-text('Lead time of stories')")
    page.click("#kpi-archive")
    page.wait_for_selector("#archived-note")
    campaign.done("archived kpi")
    page.click("nav.breadcrumb a:has-text('Archived')")
    page.wait_for_selector("#kpis-table")
    assert page.locator("#kpis-table button:has-text('Restore')").count() == 1
    campaign.done("archived list")


@pytest.mark.e2e
def test_a_lead_creates_a_kpi_records_two_measurements_and_sees_the_gap(live_server, chromium,
                                                                        app):
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(15_000)
    campaign = Campaign(app, live_server, Watched(page), prefix="kpis", skip_missing=False)
    open_empty_list(campaign)
    create_kpi(campaign)
    record_two_measurements(campaign)
    see_the_list(campaign)
    campaign.assert_clean()
