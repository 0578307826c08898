"""Issue 18's forecast and stalls through the browser, on the demo organization: a lead
gives an initiative a three-point estimate in its form (a decimal comma, and an order error
shown beside the field first), marks another one long in progress, sees it tagged stalled on
the backlog and on its page, then asks the roadmap for a forecast with a target and reads
the makespan's P50/P85/P95, the fan of end dates, the phases' chances and the target's.
Every page reached has no serious or critical axe-core violation and logs no console error.
With TRACKER_SCREENSHOTS=1, each step leaves docs/screenshots/forecast-<nn>-<step>.png."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.e2e.accessibility import Watched
from tests.e2e.browser import sign_in
from tests.e2e.campaign_steps import Campaign
from tracker.extensions import db
from tracker.models import Initiative
from tracker.seeding import demo
from tracker.seeding import frameworks as seeds


def _initiative(org_id: int, title_start: str) -> Initiative:
    initiative = db.session.scalar(select(Initiative).where(
        Initiative.org_id == org_id, Initiative.title.startswith(title_start)))
    assert initiative is not None, title_start
    return initiative


@pytest.mark.e2e
def test_a_lead_estimates_sees_a_stall_and_forecasts_the_roadmap(live_server, chromium, app):
    seeds.seed_frameworks()
    org_id = demo.load_demo().org_id
    estimated = _initiative(org_id, "Fund persistent teams")
    stalled = _initiative(org_id, "Map the product portfolio")
    # no estimate: the limit is 1.5 × 4 = 6 weeks; 70 days = 10 weeks in progress
    stalled.status, stalled.duration_weeks = "in_progress", 4.0
    stalled.actual_start = date.today() - timedelta(days=70)
    db.session.commit()
    ids = estimated.id, stalled.id
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    campaign = Campaign(app, live_server, Watched(page), prefix="forecast",
                        skip_missing=False)
    sign_in(page, live_server)

    campaign.visit(f"/orgs/{org_id}/initiatives/{ids[0]}/edit", "estimate form")
    page.fill("#f-estimate_optimistic", "6")
    page.fill("#f-estimate_likely", "4")
    page.fill("#f-estimate_pessimistic", "12,5")
    page.click("form.initiative-form div.wide button[type=submit]")
    page.wait_for_selector("#estimate_likely-error")
    assert "optimistic ≤ most likely ≤ pessimistic" in page.inner_text("#estimate_likely-error")
    page.locator("#estimate").scroll_into_view_if_needed()
    campaign.done("estimate out of order")
    page.fill("#f-estimate_optimistic", "2,5")
    page.click("form.initiative-form div.wide button[type=submit]")
    page.wait_for_selector("#initiative-estimate")
    assert "2.5 / 4 / 12.5 weeks" in page.inner_text("#initiative-estimate")
    campaign.done("estimate saved")

    campaign.visit(f"/orgs/{org_id}/backlog?stalled=1", "stalled backlog")
    rows = page.locator("#backlog-table tbody tr")
    assert rows.count() >= 1
    row = page.locator(f'#backlog-table tr[data-id="{ids[1]}"]')
    assert row.locator(".badge.stalled").inner_text() == "stalled"
    campaign.done("stalled backlog")
    campaign.visit(f"/orgs/{org_id}/initiatives/{ids[1]}", "stalled initiative")
    assert "10 weeks in progress, limit 6 weeks" in page.inner_text("#stall-weeks")
    campaign.done("stalled initiative")

    campaign.visit(f"/orgs/{org_id}/roadmap", "roadmap")
    assert page.locator("#forecast-idle").count() == 1
    page.fill("#forecast-level", "3,5")
    page.fill("#forecast-by", "2028-12-31")
    page.click("#forecast-submit")
    page.wait_for_selector("#forecast-fan .main-svg")
    assert "1 initiative of the plan carries" in page.inner_text("#forecast-estimated")
    p50, p95 = (float(page.inner_text(f"#makespan-{n}").split()[0].replace(",", "."))
                for n in ("p50", "p95"))
    assert p50 <= p95
    assert "chance of reaching 3.50 by Dec 31, 2028" in page.inner_text("#forecast-target")
    assert page.locator("#forecast-phases tbody tr").count() >= 1
    page.locator("#forecast").scroll_into_view_if_needed()
    campaign.done("forecast")
    campaign.assert_clean()
