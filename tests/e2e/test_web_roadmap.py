"""The roadmap in a real browser on the demo organization: the timeline renders, a
baseline comparison and a what-if answer, no console error."""

from __future__ import annotations

import pytest

from tests.e2e.browser import ARTIFACTS, signed_in_page
from tracker.seeding import demo
from tracker.seeding import frameworks as seeds


@pytest.mark.e2e
def test_the_roadmap_renders_compares_and_simulates(live_server, chromium, app):
    seeds.seed_frameworks()
    org_id = demo.load_demo().org_id
    errors: list[str] = []
    page = signed_in_page(chromium, live_server, errors)
    page.goto(f"{live_server}/orgs/{org_id}/roadmap?start=2026-06-01")
    page.wait_for_selector("#gantt .main-svg")
    assert page.locator("#gantt .bars path").count() >= 17
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "roadmap.png"), full_page=True)

    page.select_option('select[name="baseline"]', index=1)
    page.click("text=Compare")
    page.wait_for_selector("#slips")
    page.fill("#whatif-delay", "#17")  # a picker that searches (issue 20), not a select
    page.fill('input[name="delay_weeks"]', "3")
    page.click("text=Simulate")
    page.wait_for_selector("#whatif-result")
    assert "Makespan" in page.inner_text("#whatif-result")
    assert page.is_visible("#slips")  # the baseline choice is kept
    page.screenshot(path=str(ARTIFACTS / "roadmap-whatif.png"), full_page=True)
    assert errors == []
