"""The roadmap page's "Subscribe in your calendar" block (issue 19): a member creates a
calendar feed, sees its address once, and a calendar (a client with no session) fetches the
roadmap with it until the member revokes it from the same block."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import icalendar
import pytest

from tests.api.roadmap_helpers import TEXTBOOK, TEXTBOOK_EDGES, add_network
from tests.web.plan_helpers import lead_of_new_org, member_signed_in, outsider_signed_in

LEAD = "lead@feeds.example"


@pytest.fixture
def org(app, client) -> int:
    return lead_of_new_org(client, LEAD, "Subscribed")


@pytest.fixture
def ids(org) -> dict[str, int]:
    return add_network(org, TEXTBOOK, TEXTBOOK_EDGES)


def _created_url(page: str) -> str:
    found = re.search(r'<code id="new-feed-url">([^<]+)</code>', page)
    assert found, "no feed address on the page"
    return html.unescape(found.group(1))


def _calendar(app, url: str):
    """What a calendar application receives: a request without any session or token."""
    parts = urlsplit(url)
    return app.test_client().get(f"{parts.path}?{parts.query}")


def test_the_block_names_the_next_step_when_there_is_no_feed(client, org, ids):
    page = client.get(f"/orgs/{org}/roadmap").get_data(as_text=True)
    assert 'id="subscribe"' in page and "Subscribe in your calendar" in page
    assert 'id="feeds-empty"' in page
    assert f'action="/orgs/{org}/roadmap/feeds"' in page


def test_a_feed_is_shown_once_and_opens_the_roadmap_without_a_session(app, client, org, ids):
    created = client.post(f"/orgs/{org}/roadmap/feeds", data={"name": "Outlook"})
    assert created.status_code == 201
    page = created.get_data(as_text=True)
    url = _created_url(page)
    assert "it will not be shown again" in page and 'id="feed-instructions"' in page
    answer = _calendar(app, url)
    assert answer.status_code == 200 and answer.mimetype == "text/calendar"
    events = icalendar.Calendar.from_ical(answer.get_data()).walk("VEVENT")
    assert sorted(str(e["SUMMARY"]) for e in events) == sorted(TEXTBOOK)
    again = client.get(f"/orgs/{org}/roadmap").get_data(as_text=True)
    assert url not in again and urlsplit(url).query not in again
    assert re.search(r'<table id="feeds-table">.*Outlook.*Revoke', again, re.S)


def test_revoking_from_the_block_stops_the_calendar(app, client, org, ids):
    from tracker.extensions import db
    from tracker.models import CalendarFeed

    url = _created_url(client.post(f"/orgs/{org}/roadmap/feeds",
                                   data={"name": "Phone"}).get_data(as_text=True))
    feed_id = db.session.query(CalendarFeed.id).scalar()
    revoked = client.post(f"/orgs/{org}/roadmap/feeds/{feed_id}/revoke")
    assert revoked.status_code == 303
    assert revoked.headers["Location"].endswith(f"/orgs/{org}/roadmap#subscribe")
    page = client.get(f"/orgs/{org}/roadmap").get_data(as_text=True)
    assert "The calendar feed “Phone” is revoked" in page
    assert re.search(r'<table id="feeds-table">.*Phone.*revoked', page, re.S)
    assert _calendar(app, url).status_code == 401


def test_a_viewer_may_subscribe(app, client, org, ids):
    member_signed_in(client, "viewer@feeds.example", org, "viewer")
    created = client.post(f"/orgs/{org}/roadmap/feeds", data={"name": ""})
    assert created.status_code == 201
    assert "Your calendar feed “Roadmap”" in created.get_data(as_text=True)
    assert _calendar(app, _created_url(created.get_data(as_text=True))).status_code == 200


def test_a_name_too_long_is_refused_beside_the_field(client, org, ids):
    refused = client.post(f"/orgs/{org}/roadmap/feeds", data={"name": "x" * 101})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert 'id="feed-name-error"' in page and 'id="new-feed-url"' not in page


def test_an_outsider_cannot_subscribe_to_the_roadmap(client, org, ids):
    outsider_signed_in(client)
    assert client.post(f"/orgs/{org}/roadmap/feeds", data={"name": "Spy"}).status_code == 404
