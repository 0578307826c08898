"""The roadmap's table in a real browser (issue 20): a page of rows, the chart drawing the
same page, the pages keeping the plan, the filters and the critical-path switch sent by the
form, a what-if named with the picker, and axe-core finding nothing serious on the page
with all of them open."""

from __future__ import annotations

import re

import pytest

from tests.e2e.accessibility import Watched, check_page
from tests.e2e.browser import signed_in_page
from tracker.seeding import demo
from tracker.seeding import frameworks as seeds

START = "2026-06-01"


@pytest.mark.e2e
def test_the_roadmap_table_pages_filters_and_simulates_in_the_browser(live_server, chromium,
                                                                       app):
    seeds.seed_frameworks()
    org_id = demo.load_demo().org_id
    watched = Watched(signed_in_page(chromium, live_server))
    page = watched.page
    page.goto(f"{live_server}/orgs/{org_id}/roadmap?start={START}&per_page=5")
    page.wait_for_selector("#gantt .main-svg")

    assert page.locator("#timeline-table tbody tr").count() == 5
    assert page.locator("#gantt .bars path").count() == 5  # the chart draws the page
    first = page.locator("#timeline-table tbody tr").first.get_attribute("data-id")
    page.click("#timeline a[rel=next]")
    page.wait_for_url(re.compile(r".*page=2.*"))
    assert f"start={START}" in page.url and "per_page=5" in page.url
    assert page.locator("#timeline-table tbody tr").first.get_attribute("data-id") != first

    page.check("#timeline-filters input[name=critical]")
    page.click("#timeline-filters button[type=submit]")
    page.wait_for_url(re.compile(r".*critical=1.*"))
    rows = page.locator("#timeline-table tbody tr")
    assert rows.count() >= 1
    assert rows.count() == page.locator("#timeline-table tbody tr .badge",
                                        has_text="critical").count()

    page.fill("#whatif-delay", "#17")
    page.fill('input[name="delay_weeks"]', "3")
    page.click("text=Simulate")
    page.wait_for_selector("#whatif-result")
    assert "critical=1" in page.url  # the table's filters are kept
    assert "Makespan" in page.inner_text("#whatif-result")
    assert check_page(watched, "roadmap with filters and a what-if") == []
