"""The schedules page of the demo organization (Europe/Paris): every time shown in the
organization's or the schedule's time zone with the zone's name, and the barometer's
"Resend" for ops and leads, saying how many messages were queued."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_datetime
from sqlalchemy import select

from tests.web.test_pages import sign_in
from tracker.extensions import db
from tracker.models import Organization, Schedule
from tracker.models.outbox import OutboxMessage
from tracker.seeding import demo
from tracker.seeding import frameworks as seeds
from tracker.services.follow import outbox, schedules

PARIS = ZoneInfo("Europe/Paris")
# 06:30 UTC on a summer day is 08:30 in Paris (CEST)
RAN = datetime(2026, 7, 1, 6, 30, tzinfo=UTC)


@pytest.fixture
def demo_org(app) -> Organization:
    seeds.seed_frameworks()
    return db.session.get(Organization, demo.load_demo().org_id)


def _barometer(org: Organization) -> Schedule:
    return db.session.scalar(select(Schedule).where(Schedule.org_id == org.id,
                                                    Schedule.kind == "barometer"))


def _shown(moment: datetime, zone: ZoneInfo | type[UTC] = PARIS) -> str:
    """How the page writes a moment in English, in `zone`."""
    return format_datetime(moment.astimezone(zone), format="short", locale="en")


def test_times_are_shown_in_the_organization_time_zone_with_its_name(app, client,
                                                                     demo_org):
    schedule_id, url = _barometer(demo_org).id, f"/orgs/{demo_org.id}/schedules"
    schedules.run_schedule(demo_org, schedule_id, app.config, RAN)
    outbox.deliver_pending(app.config)
    message = db.session.scalar(select(OutboxMessage))
    queued, sent = message.created_at, message.sent_at
    next_run = schedules.get_schedule(demo_org, schedule_id).next_run_at
    sign_in(client, "lead")
    page = client.get(url).text
    assert f"{_shown(next_run)} Europe/Paris" in page
    assert f"{_shown(RAN)} Europe/Paris" in page  # the last run: 08:30 in Paris
    assert _shown(RAN, UTC) not in page  # never the UTC time (06:30)
    assert f"{_shown(queued)} Europe/Paris" in page
    assert f"{_shown(sent)} Europe/Paris" in page


def test_ops_resend_the_barometer_and_are_told_how_many_were_queued(app, client, demo_org):
    schedule_id = _barometer(demo_org).id
    schedules.run_schedule(demo_org, schedule_id, app.config)
    outbox.deliver_pending(app.config)
    url = f"/orgs/{demo_org.id}/schedules"
    sign_in(client, "ops")
    assert "Resend" in client.get(url).text
    response = client.post(f"{url}/{schedule_id}/resend", data={"to": "all"},
                           follow_redirects=True)
    assert response.status_code == 200
    assert "queued for 2 recipients." in response.text
    again = client.post(f"{url}/{schedule_id}/resend", data={"to": "new"},
                        follow_redirects=True)
    assert "queued for 0 recipients. 2 skipped" in again.text
    assert db.session.scalar(select(db.func.count(OutboxMessage.id))) == 4


def test_a_viewer_has_no_resend(client, demo_org):
    schedule_id = _barometer(demo_org).id
    url = f"/orgs/{demo_org.id}/schedules"
    sign_in(client, "sponsor")  # viewer
    assert "Resend" not in client.get(url).text
    assert client.post(f"{url}/{schedule_id}/resend", data={"to": "all"}).status_code == 403
