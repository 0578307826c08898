"""The schedules page of an organization whose stored time zone is unknown (written before
zones were checked, or imported) answers 200, shows its times in UTC and says so; a
schedule's last failure and a schedule whose trigger cannot be computed are shown."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from tracker.extensions import db
from tracker.models import Membership, Organization, Schedule
from tracker.models.base import utcnow
from tracker.services.follow import outbox, schedules
from tracker.services.tenancy import accounts

PASSWORD = "schedules-page-Pw-2027"


def _bad_zone_page(client: Any, **schedule: Any) -> tuple[int, str]:
    """The schedules page, seen by its lead, of an organization whose time zone is
    `Bad/Zone` in the database, with one schedule stored unchecked; the schedule's id."""
    org = Organization(name="Badzone")
    db.session.add(org)
    db.session.flush()
    user = accounts.create_user("lead@badzone.example", PASSWORD)
    db.session.add(Membership(org_id=org.id, user_id=user.id, role="lead"))
    row = Schedule(org_id=org.id, created_at=utcnow(), **schedule)
    db.session.add(row)
    db.session.commit()
    org_id, schedule_id = org.id, row.id
    db.session.execute(update(Organization).where(Organization.id == org_id)
                       .values(timezone="Bad/Zone"))
    db.session.commit()
    schedules.record_error(schedule_id, KeyError("bogus"))
    outbox.enqueue(org_id, [outbox.Email("k", "sponsor@example.org", "Hi", "T")])
    db.session.commit()
    response = client.post("/login", data={"email": "lead@badzone.example",
                                           "password": PASSWORD})
    assert response.status_code == 302, response.text
    page = client.get(f"/orgs/{org_id}/schedules")
    assert page.status_code == 200
    return schedule_id, page.text


def test_an_unknown_stored_time_zone_gives_the_page_with_a_warning(client):
    schedule_id, page = _bad_zone_page(client, kind="barometer", cron="0 8 1 1,4,7,10 *",
                                       recipients=["sponsor@example.org"])
    assert 'id="zone-warning"' in page and "Unknown time zone Bad/Zone" in page
    assert f'id="schedule-warning-{schedule_id}"' in page
    assert "KeyError: &#39;bogus&#39;" in page  # its last failure
    assert " UTC" in page  # next run and queued time, in UTC


def test_a_broken_stored_trigger_gives_the_page_with_a_warning(client):
    _, page = _bad_zone_page(client, kind="close", cron="61 * * * *", timezone="Nowhere/X")
    assert "This schedule cannot be planned" in page
