"""Calendar subscription (issue 19): a per-user, revocable feed URL opens the roadmap's
iCalendar without a Bearer token, and nothing else; its events carry SEQUENCE,
LAST-MODIFIED and URL, as icalendar reads them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import icalendar

from tests.api.roadmap_helpers import TEXTBOOK

START = "2025-01-06"


def _feed(lead, org: int, name: str = "Outlook") -> dict:
    created = lead.post("/api/v1/me/feeds", json={"org_id": org, "name": name})
    assert created.status_code == 201, created.json
    return created.json


def _path(url: str) -> str:
    """The feed's address as the test client requests it (no host), with the start."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}&start={START}"


def test_a_feed_is_fetched_without_a_bearer_token(client, lead, org, ids):
    feed = _feed(lead, org)
    assert set(feed) >= {"id", "url", "name"} and feed["name"] == "Outlook"
    assert feed["url"].startswith(f"http://localhost/api/v1/orgs/{org}/roadmap.ics?feed=cal_")
    response = client.get(_path(feed["url"]))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/calendar"
    events = icalendar.Calendar.from_ical(response.get_data()).walk("VEVENT")
    assert len(events) == len(TEXTBOOK)
    first = next(e for e in events if str(e["SUMMARY"]) == "A")
    assert int(first["SEQUENCE"]) == 1
    assert str(first["URL"]) == f"http://localhost/orgs/{org}/initiatives/{ids['A']}"
    modified = first["LAST-MODIFIED"].dt
    assert modified.tzinfo is not None
    assert abs(datetime.now(UTC) - modified) < timedelta(minutes=5)


def test_an_edit_raises_the_sequence_and_the_last_modified(client, lead, org, ids):
    feed = _feed(lead, org)
    initiative = lead.get(f"/api/v1/orgs/{org}/initiatives/{ids['B']}").json
    changed = lead.patch(f"/api/v1/orgs/{org}/initiatives/{ids['B']}",
                         json={"title": "B renamed", "version": initiative["version"]})
    assert changed.status_code == 200, changed.json
    events = icalendar.Calendar.from_ical(client.get(_path(feed["url"])).get_data())
    renamed = next(e for e in events.walk("VEVENT") if str(e["SUMMARY"]) == "B renamed")
    assert int(renamed["SEQUENCE"]) == initiative["version"] + 1 == 2


def test_the_feed_is_refused_after_revocation(client, lead, org, ids):
    feed = _feed(lead, org)
    assert client.get(_path(feed["url"])).status_code == 200
    assert lead.delete(f"/api/v1/me/feeds/{feed['id']}").status_code == 204
    refused = client.get(_path(feed["url"]))
    assert refused.status_code == 401
    assert refused.mimetype == "application/problem+json"


def test_a_wrong_secret_is_refused_and_no_secret_needs_a_sign_in(client, org, ids):
    assert client.get(f"/api/v1/orgs/{org}/roadmap.ics?feed=cal_guess").status_code == 401
    assert client.get(f"/api/v1/orgs/{org}/roadmap.ics").status_code == 401


def test_a_feed_opens_only_its_own_roadmap(client, lead, make_api, org, ids):
    other = make_api("bea@example.org")
    theirs = other.post("/api/v1/orgs", json={"name": "Other"}).json["id"]
    secret = parse_qs(urlsplit(_feed(lead, org)["url"]).query)["feed"][0]
    assert client.get(f"/api/v1/orgs/{theirs}/roadmap.ics?feed={secret}").status_code == 404
    assert client.get(f"/api/v1/orgs/{org}/roadmap.csv?feed={secret}").status_code == 401
    assert client.get(f"/api/v1/orgs/{org}/roadmap?feed={secret}").status_code == 401


def test_no_feed_for_an_organization_i_am_not_in(lead, make_api):
    other = make_api("bea@example.org")
    theirs = other.post("/api/v1/orgs", json={"name": "Other"}).json["id"]
    refused = lead.post("/api/v1/me/feeds", json={"org_id": theirs})
    assert refused.status_code == 404


def test_a_member_who_left_loses_the_feed(client, lead, make_api, org, ids):
    from tracker.extensions import db
    from tracker.models import Membership, User

    viewer = make_api("vic@example.org")
    vic = db.session.query(User.id).filter_by(email="vic@example.org").scalar()
    db.session.add(Membership(org_id=org, user_id=vic, role="viewer"))
    db.session.commit()
    feed = _feed(viewer, org)
    assert client.get(_path(feed["url"])).status_code == 200
    db.session.query(Membership).filter_by(org_id=org, user_id=vic).delete()
    db.session.commit()
    assert client.get(_path(feed["url"])).status_code == 404


def test_feeds_are_listed_without_their_secrets_and_use_is_recorded(client, lead, org, ids):
    feed = _feed(lead, org)
    listed = lead.get("/api/v1/me/feeds").json
    assert listed["total"] == 1
    assert listed["items"][0]["last_used_at"] is None
    assert "url" not in listed["items"][0] and "digest" not in listed["items"][0]
    client.get(_path(feed["url"]))
    again = lead.get(f"/api/v1/me/feeds?org_id={org}").json["items"][0]
    assert again["last_used_at"] is not None and again["revoked_at"] is None


def test_only_the_digest_is_stored(lead, org):
    from tracker.extensions import db
    from tracker.models import CalendarFeed
    from tracker.services.tenancy.accounts import digest

    secret = parse_qs(urlsplit(_feed(lead, org)["url"]).query)["feed"][0]
    stored = db.session.query(CalendarFeed).one()
    assert stored.digest == digest(secret) != secret


def test_someone_else_cannot_revoke_my_feed(lead, make_api, org):
    feed = _feed(lead, org)
    other = make_api("bea@example.org")
    assert other.delete(f"/api/v1/me/feeds/{feed['id']}").status_code == 404
    assert lead.get("/api/v1/me/feeds").json["items"][0]["revoked_at"] is None
