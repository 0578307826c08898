"""Issue 17's owner load and classes through the browser, on the demo organization: the
backlog shows *Role cards* as a quick win tagged enabler; a lead gives an initiative an
owner picked among the members (the form's suggestions); the roadmap's owner × phase table
then shows each owner's weeks in flight, an overloaded cell saying so in words. Every page
reached has no serious or critical axe-core violation and logs no console error. With
TRACKER_SCREENSHOTS=1, each step leaves docs/screenshots/owner-load-<nn>-<step>.png."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.e2e.accessibility import Watched
from tests.e2e.browser import sign_in
from tests.e2e.campaign_steps import Campaign
from tracker.extensions import db
from tracker.models import Initiative
from tracker.seeding import demo
from tracker.seeding import frameworks as seeds


def crowd_phase_one(org_id: int) -> int:
    """Hélène Marchal takes over every initiative Thomas Berger owned: her Phase 1 load
    (17.9 + 25.4 ≈ 43.3 weeks) nears 1.5 × its 30.4 weeks; the id of one more initiative to
    give her."""
    for initiative in db.session.scalars(select(Initiative).where(
            Initiative.org_id == org_id, Initiative.owner == "Thomas Berger")):
        initiative.owner = "Hélène Marchal"
    db.session.commit()
    return db.session.scalar(select(Initiative.id).where(
        Initiative.org_id == org_id, Initiative.title.startswith("Delivery metrics")))


@pytest.mark.e2e
def test_a_lead_picks_an_owner_and_sees_the_overload_on_the_roadmap(live_server, chromium,
                                                                     app):
    seeds.seed_frameworks()
    org_id = demo.load_demo().org_id
    extra = crowd_phase_one(org_id)
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    campaign = Campaign(app, live_server, Watched(page), prefix="owner-load",
                        skip_missing=False)
    sign_in(page, live_server)

    campaign.visit(f"/orgs/{org_id}/backlog?include_done=1", "backlog classes")
    row = page.locator("#backlog-table tr", has_text="Role cards")
    assert "quick win" in row.inner_text() and row.locator(".badge.enabler").count() == 1
    assert "structural lever" not in row.inner_text()
    campaign.done("backlog classes")

    campaign.visit(f"/orgs/{org_id}/initiatives/{extra}/edit", "owner form")
    names = page.locator("#owner-names option").evaluate_all(
        "options => options.map(o => o.value)")
    assert "Léa Vidal" in names and "Hugo Mercier" in names
    page.fill("#f-owner", "Hélène Marchal")
    campaign.done("owner picked")
    page.click("form.initiative-form div.wide button[type=submit]")
    page.wait_for_selector("text=Owner: Hélène Marchal")

    campaign.visit(f"/orgs/{org_id}/roadmap", "roadmap")
    page.wait_for_selector("#owner-load-table")
    helene = page.locator("#owner-load-table tbody tr", has_text="Hélène Marchal")
    assert helene.locator("td.overloaded").count() >= 1
    assert "overloaded" in helene.locator("td.overloaded").first.inner_text()
    assert page.locator("#owner-load-table td.overloaded").count() == \
        page.locator("#owner-load-table td .badge", has_text="overloaded").count()
    page.locator("#owner-load").scroll_into_view_if_needed()
    campaign.done("owner load")
    campaign.assert_clean()
