"""Issue 17's pilots judged on evidence, through the browser: create a KPI, a pilot of an
initiative with that KPI as its success criterion (no measurement yet: no data, no
suggestion), record a measurement on the KPI, see the verdict `met` with its value and date
and the suggested decision, then record the decision the form offers. Every page reached has
no serious or critical axe-core violation and logs no console error. With
TRACKER_SCREENSHOTS=1, each step leaves docs/screenshots/pilot-criteria-<nn>-<step>.png."""

from __future__ import annotations

import pytest

from tests.e2e.accessibility import Watched
from tests.e2e.campaign_steps import Campaign, id_in
from tracker.seeding import demo
from tracker.seeding import frameworks as seeds
from tracker.services.decide import initiatives
from tracker.services.tenancy import accounts, organizations

LEAD = "lea@pilots.example"


def sign_in_with_an_initiative(campaign: Campaign) -> None:
    """A lead of an organization with one initiative signs in."""
    seeds.seed_frameworks()
    lead = accounts.create_user(LEAD, demo.DEMO_PASSWORD, name="Léa Lead")
    org = organizations.create_organization(lead, {"name": "Pilot Co"})
    campaign.ids["org"] = org.id
    campaign.ids["initiative"] = initiatives.create_initiative(
        org, lead, {"title": "Release autonomy"}).id
    campaign.visit("/login", "sign in")
    campaign.page.fill("#email", LEAD)
    campaign.page.fill("#password", demo.DEMO_PASSWORD)
    campaign.page.click("main button[type=submit]")
    campaign.page.wait_for_selector("h1:has-text('Your organizations')")


def create_kpi(campaign: Campaign) -> None:
    """A KPI, lower is better, from the KPI form."""
    page = campaign.page
    campaign.visit(campaign.org_path("/kpis/new"), "new kpi")
    page.fill("#k-name", "Lead time of stories")
    page.fill("#k-unit", "days")
    page.select_option("#k-direction", "lower_is_better")
    page.fill("#k-target", "5")
    page.click("#save-kpi")
    page.wait_for_selector("h1:has-text('Lead time of stories')")
    campaign.ids["kpi"] = id_in(page.url, "kpis")
    campaign.done("kpi created")


def create_pilot(campaign: Campaign) -> None:
    """The initiative's new pilot form: a criterion row picks the KPI, threshold 5,5 (decimal
    comma); "Add a criterion" first adds a row without saving."""
    page = campaign.page
    campaign.visit(campaign.org_path(f"/initiatives/{campaign.ids['initiative']}"),
                   "initiative")
    page.click("summary:has-text('New pilot')")
    page.fill("#pilot-form input[name=teams]", "pricing")
    page.fill("#pilot-form input[name=start]", "2026-10-01")
    page.fill("#pilot-form input[name=end]", "2026-11-30")
    assert page.locator("#pilot-form select[name=criterion_kpi]").count() == 3
    page.click("#pilot-form button[name=add_criterion]")
    page.wait_for_selector("#new-criterion-kpi-3")
    assert page.input_value("#pilot-form input[name=teams]") == "pricing"
    page.select_option("#new-criterion-kpi-0", str(campaign.ids["kpi"]))
    page.fill("#new-criterion-threshold-0", "5,5")
    campaign.done("pilot form with a criterion")
    page.click("#pilot-form button:has-text('Create the pilot')")
    page.wait_for_selector("text=Pilot created.")
    verdict = page.locator(f"li[data-kpi='{campaign.ids['kpi']}']")
    assert verdict.get_attribute("data-verdict") == "no_data"
    assert "no data" in verdict.inner_text()
    assert page.locator("p.suggestion").get_attribute("data-suggested") == ""
    campaign.done("pilot without data")


def record_measurement(campaign: Campaign) -> None:
    """4 days on 2026-11-20 (inside 2026-10-01 .. 2026-11-30 + 14 days)."""
    page = campaign.page
    campaign.visit(campaign.org_path(f"/kpis/{campaign.ids['kpi']}"), "kpi")
    page.fill("#m-value", "4")
    page.fill("#m-measured_at", "2026-11-20")
    page.click("#record-measurement")
    page.wait_for_selector("text=Measurement recorded.")
    campaign.done("measurement recorded")


def see_verdict_and_decide(campaign: Campaign) -> None:
    """4 ≤ 5.5 with lower is better: met; the only criterion: generalize, which the decision
    form selects; recording it shows the decision."""
    page = campaign.page
    campaign.visit(campaign.org_path(f"/initiatives/{campaign.ids['initiative']}"),
                   "initiative judged")
    verdict = page.locator(f"li[data-kpi='{campaign.ids['kpi']}']")
    assert verdict.get_attribute("data-verdict") == "met"
    text = " ".join(verdict.inner_text().split())
    # numbers show up to two decimals, trailing zeros dropped
    assert text == "Lead time of stories ≤ 5.5: met 4 on Nov 20, 2026"
    suggestion = page.locator("p.suggestion")
    assert suggestion.get_attribute("data-suggested") == "generalize"
    assert "Suggested by the criteria: generalize" in " ".join(suggestion.inner_text().split())
    page.click("summary:has-text('Record a decision')")
    assert page.input_value("form.pilot-decision select[name=decision]") == "generalize"
    page.fill("form.pilot-decision input[name=decision_date]", "2026-12-01")
    page.fill("form.pilot-decision input[name=decided_by]", "Portfolio committee")
    campaign.done("verdict and suggested decision")
    page.click("form.pilot-decision button:has-text('Record')")
    page.wait_for_selector("text=Pilot updated.")
    row = page.locator("tr[data-pilot] td").last.inner_text()
    assert "generalize" in row and "Portfolio committee" in row
    campaign.done("decision recorded")


@pytest.mark.e2e
def test_a_pilot_is_judged_on_its_kpi_and_decided(live_server, chromium, app):
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(15_000)
    campaign = Campaign(app, live_server, Watched(page), prefix="pilot-criteria",
                        skip_missing=False)
    sign_in_with_an_initiative(campaign)
    create_kpi(campaign)
    create_pilot(campaign)
    record_measurement(campaign)
    see_verdict_and_decide(campaign)
    campaign.assert_clean()
