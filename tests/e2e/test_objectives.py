"""Issue 17's objectives through the browser: create two KPIs with their family and
perimeter, an objective measured by both, record measurements and see the objective's
status move (no data → at risk → on track) on its page, the list and the barometer. Every
page reached has no serious or critical axe-core violation and logs no console error. With
TRACKER_SCREENSHOTS=1, each step leaves docs/screenshots/objectives-<nn>-<step>.png."""

from __future__ import annotations

import pytest

from tests.e2e import browser
from tests.e2e.accessibility import Watched
from tests.e2e.campaign_steps import Campaign, id_in
from tracker.seeding import demo
from tracker.seeding import frameworks as seeds
from tracker.services.tenancy import accounts, organizations

LEAD = "lea@objectives.example"


def sign_in(campaign: Campaign) -> None:
    """A lead of an organization without objectives signs in and opens them from the menu."""
    seeds.seed_frameworks()
    lead = accounts.create_user(LEAD, demo.DEMO_PASSWORD, name="Léa Lead")
    campaign.ids["org"] = organizations.create_organization(lead, {"name": "Aim Co"}).id
    browser.sign_in(campaign.page, campaign.base, LEAD)
    campaign.visit(campaign.org_path("/assessments"), "the organization")
    campaign.page.click("nav.sections a:has-text('Objectives')")
    campaign.page.wait_for_selector("#no-objective")
    campaign.done("empty objectives")


def create_kpi(campaign: Campaign, name: str, direction: str, target: str, family: str,
               perimeter: tuple[str, str]) -> None:
    """The KPI form with its family and perimeter (a nameless team refused first)."""
    page = campaign.page
    campaign.visit(campaign.org_path("/kpis/new"), f"new kpi {family}")
    page.fill("#k-name", name)
    page.select_option("#k-direction", direction)
    page.fill("#k-target", target)
    page.select_option("#k-family", family)
    page.fill("#k-owner", "Léa Lead")
    page.select_option("#k-perimeter_kind", perimeter[0])
    if perimeter[0] != "organization":
        page.click("#save-kpi")
        page.wait_for_selector("#perimeter_name-error")
        campaign.done("perimeter needs a name")
        page.fill("#k-perimeter_name", perimeter[1])
    page.click("#save-kpi")
    page.wait_for_selector(f"h1:has-text('{name}')")
    campaign.ids[name] = id_in(page.url, "kpis")
    assert family in page.inner_text("#kpi-family")
    campaign.done(f"kpi {family}")


def record(campaign: Campaign, name: str, value: str, day: str) -> None:
    page = campaign.page
    campaign.visit(campaign.org_path(f"/kpis/{campaign.ids[name]}"), f"kpi {name}")
    page.fill("#m-value", value)
    page.fill("#m-measured_at", day)
    page.click("#record-measurement")
    page.wait_for_selector("text=Measurement recorded.")


def create_objective(campaign: Campaign) -> None:
    """The empty state's link opens the form; both KPIs are picked."""
    page = campaign.page
    campaign.visit(campaign.org_path("/objectives"), "objectives again")
    page.click("#no-objective a")
    page.wait_for_selector("h1:has-text('New objective')")
    page.fill("#o-title", "Cut story lead time by 30 %")
    page.fill("#o-horizon", "2027-06-30")
    page.select_option("#o-kpi_ids", [str(campaign.ids["Lead time"]),
                                      str(campaign.ids["Adoption"])])
    campaign.done("new objective form")
    page.click("#save-objective")
    page.wait_for_selector("h1:has-text('Cut story lead time')")
    campaign.ids["objective"] = id_in(page.url, "objectives")
    assert page.inner_text("#objective-status").strip() == "no data"
    assert page.inner_text("#objective-on-target").strip() == "0 of 2"
    campaign.done("objective without data")


def see_status(campaign: Campaign) -> None:
    """Lead time 7 > 5 (lower is better) off, adoption 85 ≥ 80 on: at risk, 1 of 2; then
    lead time 4 ≤ 5: on track, 2 of 2."""
    page = campaign.page
    record(campaign, "Lead time", "7", "2026-10-31")
    record(campaign, "Adoption", "85", "2026-10-31")
    campaign.visit(campaign.org_path(f"/objectives/{campaign.ids['objective']}"), "at risk")
    assert page.inner_text("#objective-status").strip() == "at risk"
    assert page.inner_text("#objective-on-target").strip() == "1 of 2"
    campaign.done("objective at risk")
    record(campaign, "Lead time", "4", "2026-11-30")
    campaign.visit(campaign.org_path("/objectives"), "objective list")
    row = page.locator("#objectives-table tbody tr").first.inner_text()
    assert "on track" in row and "2 of 2" in row
    campaign.done("objective on track")
    campaign.visit(campaign.org_path("/barometer"), "barometer")
    assert "on track" in page.inner_text("#objectives")
    assert page.locator("h3.kpi-family").all_inner_texts() == ["Adoption", "Flow"]
    campaign.done("barometer objectives and families")
    campaign.visit(campaign.org_path("/kpis?family=flow"), "kpis of a family")
    assert page.locator("#kpis-table tbody tr").count() == 1
    campaign.done("kpis of one family")


@pytest.mark.e2e
def test_a_lead_sets_an_objective_measured_by_two_kpis_and_sees_its_status(live_server,
                                                                           chromium, app):
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(15_000)
    campaign = Campaign(app, live_server, Watched(page), prefix="objectives",
                        skip_missing=False)
    sign_in(campaign)
    create_kpi(campaign, "Lead time", "lower_is_better", "5", "flow", ("team", "Delivery"))
    create_kpi(campaign, "Adoption", "higher_is_better", "80", "adoption",
               ("organization", ""))
    create_objective(campaign)
    see_status(campaign)
    campaign.assert_clean()
