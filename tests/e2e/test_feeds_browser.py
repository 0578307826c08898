"""Subscribing to the roadmap in a real browser (issue 19): the lead creates a calendar
feed on the roadmap page, copies the address shown once, and a calendar (a plain HTTP
client, no cookie, no token) fetches it until the lead revokes it from the same block; the
page has no serious axe-core violation and logs no console error. With TRACKER_SCREENSHOTS=1,
each step leaves docs/screenshots/feeds-<nn>-<step>.png."""

from __future__ import annotations

import urllib.error
import urllib.request

import icalendar
import pytest

from tests.e2e.accessibility import Watched, assert_accessible
from tests.e2e.browser import sign_in
from tests.e2e.campaign_steps import Campaign
from tracker.seeding import demo
from tracker.seeding import frameworks as seeds


def _fetch(url: str) -> tuple[int, bytes]:
    """What a calendar application receives from the address."""
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as refused:
        return refused.code, b""


@pytest.mark.e2e
def test_the_lead_subscribes_then_revokes_from_the_roadmap(live_server, chromium, app):
    seeds.seed_frameworks()
    org_id = demo.load_demo().org_id
    watched = Watched(chromium.new_page(viewport={"width": 1280, "height": 900}))
    page = watched.page
    shots = Campaign(app, live_server, watched, prefix="feeds")
    sign_in(page, live_server)
    page.goto(f"{live_server}/orgs/{org_id}/roadmap")
    page.get_by_label("Name of the feed (where you use it)").fill("Outlook at work")
    page.get_by_role("button", name="Create a calendar feed").click()
    url = page.inner_text("#new-feed-url").strip()
    assert url.startswith(f"{live_server}/api/v1/orgs/{org_id}/roadmap.ics?feed=cal_")
    assert page.is_visible("#feed-instructions")
    assert_accessible(watched, "roadmap with a new feed")
    page.locator("#subscribe-title").evaluate("title => title.scrollIntoView()")
    shots.screenshot(page, "new feed address", number=1, full_page=False)

    status, body = _fetch(url)
    assert status == 200
    events = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert events and all("SEQUENCE" in e and "LAST-MODIFIED" in e and "URL" in e
                          for e in events)

    page.goto(f"{live_server}/orgs/{org_id}/roadmap")
    assert page.locator("#new-feed-url").count() == 0
    page.get_by_role("button", name="Revoke the calendar feed Outlook at work").click()
    page.wait_for_selector("#feeds-table .badge")
    assert "revoked" in page.inner_text("#feeds-table")
    assert_accessible(watched, "roadmap after revoking")
    page.locator("#subscribe-title").evaluate("title => title.scrollIntoView()")
    shots.screenshot(page, "feed revoked", number=2, full_page=False)
    assert _fetch(url)[0] == 401
