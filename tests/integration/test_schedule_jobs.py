"""The schedules' jobs, end to end with a real SMTP server: a pulse opens cloned from the
last assessment and mails working survey links, a reminder reaches those who did not answer,
the pulse closes after N days, the barometer arrives; re-running a period does nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.builders import Scenario
from tests.smtp_server import SmtpServer
from tracker.extensions import db
from tracker.models import Assessment, Organization, Respondent
from tracker.models.base import utcnow
from tracker.models.outbox import OutboxMessage
from tracker.services.follow import outbox, schedules


@pytest.fixture
def org_with_diagnostic(lead, admin):
    scenario = Scenario(lead, admin)
    base = scenario.assessment_url()
    lead.patch(base, json={"status": "open"})
    people = [scenario.add_respondent(f"P{k}", email=f"p{k}@example.org") for k in range(3)]
    scenario.add_respondent("Docs", source="document")  # no email: never mailed
    lead.put(f"{base}/ratings", json=[{"respondent_id": p, "dimension": "a.one", "value": 2}
                                      for p in people])
    lead.patch(base, json={"status": "closed"})
    return scenario


def _schedule(lead, scenario, **body):
    response = lead.post(scenario.url("/schedules"), json=body)
    assert response.status_code == 201, response.json
    return response.json["id"]


def test_pulse_reminder_close_and_barometer_run_once_per_period(app, lead,
                                                               org_with_diagnostic):
    scenario = org_with_diagnostic
    org = db.session.get(Organization, scenario.org["id"])
    pulse = _schedule(lead, scenario, kind="pulse", cron="0 8 1 3,6,9,12 *")
    reminder = _schedule(lead, scenario, kind="reminder", cron="0 8 * * 1")
    close = _schedule(lead, scenario, kind="close", cron="0 8 * * *", close_after_days=14)
    sponsor = _schedule(lead, scenario, kind="barometer", cron="0 8 1 1,4,7,10 *",
                        recipients=["sponsor@example.org"])
    now = utcnow()

    response = lead.post(scenario.url(f"/schedules/{pulse}/run"))
    assert response.status_code == 200 and response.json["ran"] is True
    assert lead.post(scenario.url(f"/schedules/{pulse}/run")).json["ran"] is False
    opened = db.session.scalar(select(Assessment).where(Assessment.status == "open"))
    assert (opened.kind, opened.framework_id) == ("pulse", scenario.framework["id"])
    opened_id = opened.id
    clones = db.session.scalars(select(Respondent).where(
        Respondent.assessment_id == opened.id).order_by(Respondent.id)).all()
    assert [r.name for r in clones] == ["P0", "P1", "P2", "Docs"]
    with SmtpServer() as smtp:
        config = {**app.config, **smtp.config}
        assert outbox.deliver_pending(config).sent == 3
        links = {m["To"]: m.get_body(("plain",)).get_content() for m in smtp.collector.messages}
        for clone in clones[:3]:
            assert f"http://tracker.test/survey/{clone.survey_token}" in links[clone.email]

        # P0 answers; the reminder reaches P1 and P2 only
        lead.put(scenario.url(f"/assessments/{opened_id}/ratings"), json=[
            {"respondent_id": clones[0].id, "dimension": "a.one", "value": 3}])
        assert lead.post(scenario.url(f"/schedules/{reminder}/run")).json["ran"] is True
        assert outbox.deliver_pending(config).sent == 2
        reminded = sorted(m["To"] for m in smtp.collector.messages[3:])
        assert reminded == ["p1@example.org", "p2@example.org"]

        # not 14 days yet: nothing closes; 15 days later it does, once
        assert "No pulse" in schedules.run_schedule(org, close, app.config, now).detail
        later = now + timedelta(days=15)
        result = schedules.run_schedule(org, close, app.config, later)
        assert result.detail == f"Closed pulse {opened_id}."
        assert db.session.get(Assessment, opened_id).status == "closed"

        assert lead.post(scenario.url(f"/schedules/{sponsor}/run")).json["ran"] is True
        assert lead.post(scenario.url(f"/schedules/{sponsor}/run")).json["ran"] is False
        assert outbox.deliver_pending(config).sent == 1
        barometer = smtp.collector.messages[-1]
        assert barometer["To"] == "sponsor@example.org"
        assert sum(p.get_content_type() == "image/png" for p in barometer.walk()) == 2
        assert outbox.deliver_pending(config).sent == 0
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 6
