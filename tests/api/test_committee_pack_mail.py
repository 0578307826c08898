"""The schedule kind `committee_pack`: it names a committee of the organization, and its job
emails the pack of the committee's next meeting to the members (HTML and text, in the
organization's language) through the outbox, once per committee, meeting and recipient,
delivered by a real SMTP server."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.builders import Scenario
from tests.smtp_server import SmtpServer
from tracker.extensions import db
from tracker.models import Organization
from tracker.models.outbox import OutboxMessage
from tracker.models.schedules import Schedule
from tracker.services.follow import outbox, schedules

MEMBERS = ["cpo@acme.test", "pmo@acme.test"]


@pytest.fixture
def scenario(lead, admin) -> Scenario:
    scenario = Scenario(lead, admin)
    assert lead.patch(scenario.url(), json={"timezone": "Europe/Paris"}).status_code == 200
    return scenario


def _committee(scenario, lead, **extra):
    response = lead.post(scenario.url("/committees"), json={
        "name": "Portfolio board", "level": "portfolio", "cron": "0 9 * * 1",
        "member_emails": MEMBERS, **extra})
    assert response.status_code == 201, response.json
    return response.json


def _schedule(scenario, lead, committee_id, **extra):
    # every Friday at 08:00, ahead of the Monday meeting
    response = lead.post(scenario.url("/schedules"), json={
        "kind": "committee_pack", "cron": "0 8 * * 5", "committee_id": committee_id,
        "recipients": ["sponsor@acme.test"], **extra})
    assert response.status_code == 201, response.json
    return response.json


def test_a_committee_pack_schedule_needs_a_committee_of_the_organization(scenario, lead):
    body = {"kind": "committee_pack", "cron": "0 8 * * 5"}
    missing = lead.post(scenario.url("/schedules"), json=body)
    assert missing.status_code == 422 and list(missing.json["errors"]) == ["committee_id"]
    unknown = lead.post(scenario.url("/schedules"), json={**body, "committee_id": 999})
    assert unknown.status_code == 422 and list(unknown.json["errors"]) == ["committee_id"]
    committee = _committee(scenario, lead)
    other_kind = lead.post(scenario.url("/schedules"), json={
        "kind": "pulse", "cron": "0 8 * * 5", "committee_id": committee["id"]})
    assert other_kind.status_code == 422 and "committee_id" in other_kind.json["errors"]
    created = _schedule(scenario, lead, committee["id"])
    assert created["committee_id"] == committee["id"]


def test_the_job_emails_the_next_meetings_pack_once_per_member(app, scenario, lead):
    committee = _committee(scenario, lead)
    schedule = _schedule(scenario, lead, committee["id"])
    org = db.session.get(Organization, scenario.org["id"])
    # Friday 2026-12-04 08:00 in Paris = 07:00 UTC: the next Monday meeting is 2026-12-07
    friday = datetime(2026, 12, 4, 7, 0, tzinfo=UTC)
    result = schedules.run_schedule(org, schedule["id"], app.config, friday)
    assert (result.ran, result.period) == (True, "2026-12-07")
    rows = db.session.query(OutboxMessage).order_by(OutboxMessage.recipient).all()
    assert [r.dedupe_key for r in rows] == [
        f"committee_pack:{committee['id']}:2026-12-07:{email}"
        for email in ("cpo@acme.test", "pmo@acme.test", "sponsor@acme.test")]
    assert "Portfolio board" in rows[0].subject and "December 7, 2026" in rows[0].subject
    assert "Pilots awaiting a decision (0)" in rows[0].text
    assert f"/committees/{committee['id']}/pack?date=2026-12-07" in rows[0].html
    # a re-run of the period does nothing, and even a forced one adds no message
    again = schedules.run_schedule(org, schedule["id"], app.config, friday)
    assert again.ran is False
    db.session.get(Schedule, schedule["id"]).last_period = None
    db.session.commit()
    forced = schedules.run_schedule(org, schedule["id"], app.config, friday)
    assert forced.ran is True and "0 recipient" in forced.detail
    assert db.session.query(OutboxMessage).count() == 3
    with SmtpServer() as smtp:
        assert outbox.deliver_pending({**app.config, **smtp.config}).sent == 3
        assert sorted(m["To"] for m in smtp.collector.messages) == [
            "cpo@acme.test", "pmo@acme.test", "sponsor@acme.test"]
        message = smtp.collector.messages[0]
        assert message.is_multipart()
        assert {part.get_content_type() for part in message.walk()} >= {
            "text/plain", "text/html"}


def test_the_pack_email_is_in_the_organizations_language(app, scenario, lead):
    assert lead.patch(scenario.url(), json={"locale": "fr"}).status_code == 200
    committee = _committee(scenario, lead)
    schedule = _schedule(scenario, lead, committee["id"], recipients=[])
    org = db.session.get(Organization, scenario.org["id"])
    schedules.run_schedule(org, schedule["id"], app.config,
                           datetime(2026, 12, 4, 7, 0, tzinfo=UTC))
    subjects = {r.subject for r in db.session.query(OutboxMessage)}
    assert subjects and all("décembre" in s for s in subjects), subjects
