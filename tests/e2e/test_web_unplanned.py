"""In a real browser, an initiative with only a title breaks neither the roadmap nor the
dependency page: both draw their charts, list it as left out of the plan with a link to
it, and log no console error."""

from __future__ import annotations

import pytest

from tests.e2e.browser import ARTIFACTS, signed_in_page
from tracker.extensions import db
from tracker.models import Initiative
from tracker.seeding import demo
from tracker.seeding import frameworks as seeds


@pytest.mark.e2e
def test_a_title_only_initiative_is_listed_as_left_out(live_server, chromium, app):
    seeds.seed_frameworks()
    org_id = demo.load_demo().org_id
    idea = Initiative(org_id=org_id, title="Fresh idea", status="proposed")
    db.session.add(idea)
    db.session.commit()
    idea_id = idea.id
    errors: list[str] = []
    page = signed_in_page(chromium, live_server, errors)

    page.goto(f"{live_server}/orgs/{org_id}/roadmap?start=2026-06-01")
    page.wait_for_selector("#gantt .main-svg")
    assert "no duration yet" in page.inner_text("#unplanned")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "roadmap-unplanned.png"), full_page=True)
    # the dependency page draws focused views only: the idea's neighbourhood greys it
    page.goto(f"{live_server}/orgs/{org_id}/dependencies?focus={idea_id}")
    page.wait_for_selector("#dependency-graph .main-svg")
    assert page.locator("#dependency-graph .legendtext", has_text="left out of the plan").count()
    page.click("#unplanned >> text=Fresh idea")
    page.wait_for_url(f"**/orgs/{org_id}/initiatives/{idea_id}")
    assert errors == []
