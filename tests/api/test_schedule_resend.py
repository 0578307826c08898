"""Resending a barometer schedule's email of the current period: to all its recipients
(new dedupe keys) or only to the new ones, never a second copy of a message still pending,
counted in the answer; a plain re-run of the period still sends nothing twice. Delivered
through a real SMTP server. Schedules also tell when they last ran, with the offset of
their time zone, like their next run."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest

from tests.builders import Scenario
from tests.smtp_server import SmtpServer
from tracker.extensions import db
from tracker.models import Organization
from tracker.services.follow import barometer_mail, outbox, schedules

ANN, BOB, CAT = "ann@example.org", "bob@example.org", "cat@example.org"


@pytest.fixture
def scenario(lead, admin) -> Scenario:
    scenario = Scenario(lead, admin)
    assert lead.patch(scenario.url(), json={"timezone": "Europe/Paris"}).status_code == 200
    return scenario


def _barometer_schedule(scenario: Scenario, lead, recipients: list[str]) -> str:
    created = lead.post(scenario.url("/schedules"), json={
        "kind": "barometer", "cron": "0 8 1 1,4,7,10 *", "recipients": recipients})
    assert created.status_code == 201, created.json
    return scenario.url(f"/schedules/{created.json['id']}")


def test_resend_to_all_or_to_new_recipients_never_duplicates_a_pending_message(
        app, scenario, lead):
    url = _barometer_schedule(scenario, lead, [ANN, BOB])
    assert lead.post(f"{url}/run").json["ran"] is True
    assert lead.post(f"{url}/run").json["ran"] is False  # "Already done"

    waiting = lead.post(f"{url}/resend", json={"to": "all"})
    assert waiting.status_code == 200, waiting.json
    assert (waiting.json["queued"], waiting.json["skipped"]) == (0, [ANN, BOB])

    with SmtpServer() as smtp:
        config = {**app.config, **smtp.config}
        assert outbox.deliver_pending(config).sent == 2
        again = lead.post(f"{url}/resend", json={"to": "all"}).json
        assert (again["queued"], again["recipients"], again["skipped"]) == (2, [ANN, BOB], [])
        assert again["period"] == waiting.json["period"]
        assert lead.post(f"{url}/resend", json={"to": "all"}).json["queued"] == 0  # pending
        assert outbox.deliver_pending(config).sent == 2

        assert lead.patch(url, json={"recipients": [ANN, BOB, CAT]}).status_code == 200
        new = lead.post(f"{url}/resend", json={"to": "new"}).json
        assert (new["to"], new["queued"], new["recipients"], new["skipped"]) == (
            "new", 1, [CAT], [ANN, BOB])
        assert outbox.deliver_pending(config).sent == 1

        # a plain run of the period, by the schedule or the command, sends nothing more
        assert lead.post(f"{url}/run").json["ran"] is False
        org = db.session.get(Organization, scenario.org["id"])
        assert barometer_mail.send_barometer(org, app.config, [ANN, BOB, CAT],
                                             new["period"]).queued == []
        assert outbox.deliver_pending(config).sent == 0
        received = Counter(m["To"] for m in smtp.collector.messages)
    assert received == {ANN: 2, BOB: 2, CAT: 1}


def test_resend_to_new_reaches_a_recipient_whose_message_failed(app, scenario, lead):
    url = _barometer_schedule(scenario, lead, [ANN])
    lead.post(f"{url}/run")
    with SmtpServer() as smtp:
        config = {**app.config, **smtp.config}
        smtp.collector.refusing = True
        moment = datetime.now(UTC)
        for _ in range(outbox.MAX_ATTEMPTS):
            outbox.deliver_pending(config, now=moment)
            moment += outbox.BACKOFF_MAX
        smtp.collector.refusing = False
        assert lead.post(f"{url}/resend", json={"to": "new"}).json["recipients"] == [ANN]
        assert outbox.deliver_pending(config).sent == 1
        assert [m["To"] for m in smtp.collector.messages] == [ANN]


@pytest.mark.parametrize("body", [{}, {"to": "everyone"}])
def test_resend_needs_all_or_new(scenario, lead, body):
    url = _barometer_schedule(scenario, lead, [ANN])
    response = lead.post(f"{url}/resend", json=body)
    assert response.status_code == 422 and "to" in response.json["errors"], response.json


def test_only_a_barometer_schedule_can_be_resent(scenario, lead):
    pulse = lead.post(scenario.url("/schedules"), json={"kind": "pulse",
                                                        "interval_days": 90}).json
    response = lead.post(scenario.url(f"/schedules/{pulse['id']}/resend"), json={"to": "all"})
    assert response.status_code == 409, response.json


def test_resend_is_documented_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").json
    operation = document["paths"]["/api/v1/orgs/{org_id}/schedules/{schedule_id}/resend"]["post"]
    assert {"200", "409", "422"} <= set(operation["responses"])
    assert "requestBody" in operation


def test_a_schedule_tells_when_it_last_ran_in_its_time_zone(app, scenario, lead):
    url = _barometer_schedule(scenario, lead, [ANN])
    created = lead.get(url).json
    assert created["last_run_at"] is None
    org = db.session.get(Organization, scenario.org["id"])
    schedule_id = int(url.rsplit("/", 1)[1])
    schedules.run_schedule(org, schedule_id, app.config,
                           datetime(2027, 1, 1, 7, 0, tzinfo=UTC))
    body = lead.get(url).json
    assert body["last_run_at"] == "2027-01-01T08:00:00+01:00"  # 07:00 UTC, 08:00 in Paris
    assert body["last_period"] == "2027-Q1"
    assert datetime.fromisoformat(body["next_run_at"]).utcoffset().total_seconds() in (
        3600, 7200)  # the next run keeps the offset of the zone, as before
