"""Issue 17's readiness checks and cross self-assessment in a real browser, on the demo
organization at desktop size: the suggestions page shows a "not yet" block for the Product
Ops template (leadership 2.67 and roles 2.08 under 3, the findings to answer first, the
Product Ops initiative already approved); the diagnostic compares consultant and client
views once respondents carry a perspective. Every page has no serious or critical axe-core
violation and logs no console error. With TRACKER_SCREENSHOTS=1, each step leaves
docs/screenshots/readiness-<nn>-<step>.png."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.e2e.accessibility import Watched
from tests.e2e.browser import sign_in
from tests.e2e.campaign_steps import Campaign
from tracker.extensions import db
from tracker.models import Assessment, Respondent
from tracker.seeding import demo
from tracker.seeding import frameworks as seeds
from tracker.seeding.playbook import seed_playbook


def give_perspectives(org_id: int) -> int:
    """The demo diagnostic's first three respondents become consultants and the next
    three clients (the default `min_group_size` is 3), the others none; the diagnostic's
    id."""
    diagnostic = db.session.scalar(select(Assessment).where(
        Assessment.org_id == org_id, Assessment.kind == "diagnostic").order_by(Assessment.id))
    people = list(db.session.scalars(select(Respondent).where(
        Respondent.assessment_id == diagnostic.id).order_by(Respondent.id)))
    for index, person in enumerate(people):
        person.perspective = ("consultant" if index < 3 else "client" if index < 6
                              else None)
    db.session.commit()
    return diagnostic.id


@pytest.mark.e2e
def test_the_suggestions_say_why_product_ops_waits_and_the_diagnostic_crosses_views(
        live_server, chromium, app):
    seeds.seed_frameworks()
    seed_playbook()
    org_id = demo.load_demo().org_id
    diagnostic = give_perspectives(org_id)
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    campaign = Campaign(app, live_server, Watched(page), prefix="readiness",
                        skip_missing=False, full_page=False)
    sign_in(page, live_server)

    campaign.visit(f"/orgs/{org_id}/assessments/{diagnostic}/suggestions", "suggestions")
    # the finding it would answer points to the block
    page.locator("p.held-back a", has_text="Create a product operations role").first.click()
    block = page.locator('#readiness article[data-code="product-ops-role"]')
    text = block.inner_text()
    assert "Not yet:" in text and "2.67 < 3" in text and "2.08 < 3" in text
    assert "Blurred product roles and no career path" in text
    assert "Create a product operations function" in text  # approved before it is ready
    assert block.locator("li.failed").count() == 2
    block.scroll_into_view_if_needed()
    campaign.done("not yet ready")

    block.locator("p.lifted-by a").first.click()  # jumps to the finding to answer first
    assert page.url.split("#")[1].startswith("finding-")
    campaign.done("finding to answer first")

    campaign.visit(f"/orgs/{org_id}/assessments/{diagnostic}", "diagnostic")
    table = page.locator("#perspectives-table")
    assert table.locator("tbody tr").count() >= 10
    assert "3 consultants, 3 clients" in page.locator("#perspectives").inner_text()
    page.locator("#perspectives").scroll_into_view_if_needed()
    campaign.done("cross self-assessment")
    campaign.assert_clean()
