"""The barometer email's charts are drawn from the same data as its text and stored per
organization and content: a pulse closed since the first send gives new images that show
it, while the same data, whatever the period, reuses the images already stored."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.builders import Scenario
from tracker.adapters.charts import png as charts
from tracker.extensions import db
from tracker.models import Organization
from tracker.models.outbox import OutboxAsset, OutboxMessage
from tracker.services.follow import barometer_mail

# test grid: axis a (a.one w1, a.two w3), axis b (weight 2: b.one, b.two)
DIAGNOSTIC = {"a.one": 2, "a.two": 2, "b.one": 1, "b.two": 3}  # a 2, b 2, overall 2
PULSE = {"a.one": 4, "a.two": 4, "b.one": 3, "b.two": 3}       # a 4, b 3, overall 10/3


def _campaign(scenario: Scenario, lead, assessment_id: int, values: dict[str, int]) -> None:
    """Open the assessment, one respondent rates `values`, close it."""
    base = scenario.url(f"/assessments/{assessment_id}")
    assert lead.patch(base, json={"status": "open"}).status_code == 200
    respondent = lead.post(f"{base}/respondents", json={"name": "Ann"}).json["id"]
    assert lead.put(f"{base}/ratings", json=[
        {"respondent_id": respondent, "dimension": code, "value": value}
        for code, value in values.items()]).status_code == 200
    assert lead.patch(base, json={"status": "closed"}).status_code == 200


def _close_pulse(scenario: Scenario, lead) -> None:
    pulse = lead.post(scenario.url("/assessments"), json={
        "framework_id": scenario.framework["id"], "title": "Pulse", "kind": "pulse"}).json
    _campaign(scenario, lead, pulse["id"], PULSE)


@pytest.fixture
def scenario(lead, admin) -> Scenario:
    scenario = Scenario(lead, admin)
    _campaign(scenario, lead, scenario.assessment["id"], DIAGNOSTIC)
    return scenario


def _org(scenario: Scenario) -> Organization:
    return db.session.get(Organization, scenario.org["id"])


def _images(recipient: str) -> dict[str, bytes]:
    """The chart images of the recipient's barometer email, by Content-ID."""
    message = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.recipient == recipient))
    return {a["cid"]: db.session.scalar(select(OutboxAsset.content).where(
        OutboxAsset.key == a["asset"])) for a in message.attachments}


def test_after_a_pulse_closes_the_charts_show_it_like_the_text(app, scenario, lead):
    barometer_mail.send_barometer(_org(scenario), app.config, ["early@example.org"],
                                  "2027-Q1")
    before = _images("early@example.org")
    _close_pulse(scenario, lead)
    rendered = charts.renders()
    late = barometer_mail.send_barometer(_org(scenario), app.config, ["late@example.org"],
                                         "2027-Q1")
    assert charts.renders() - rendered == 2  # new data: a new trend and a new radar
    assert "Measured in: Pulse" in late.text and "Overall: 3.33" in late.text
    after = _images("late@example.org")
    scale = (1.0, 5.0)
    assert after[barometer_mail.TREND_CID] == charts.trend_chart(
        ["Diagnostic", "Pulse"], [2.0, 10 / 3], scale, "Overall · Global")
    assert after[barometer_mail.RADAR_CID] == charts.radar_chart(
        ["Axis A", "Axis B"], [("Diagnostic", [2.0, 2.0]), ("Pulse", [4.0, 3.0])], scale,
        "Axes")
    assert before[barometer_mail.TREND_CID] == charts.trend_chart(
        ["Diagnostic"], [2.0], scale, "Overall · Global")
    assert before != after


def test_the_same_data_reuses_its_images_whatever_the_period(app, scenario):
    barometer_mail.send_barometer(_org(scenario), app.config, ["ann@example.org"], "2027-Q1")
    rendered = charts.renders()
    barometer_mail.send_barometer(_org(scenario), app.config, ["ann@example.org"], "2027-Q2")
    assert charts.renders() == rendered
    keys = {tuple(a["asset"] for a in m.attachments)
            for m in db.session.scalars(select(OutboxMessage))}
    assert len(keys) == 1  # both periods' emails point at the same two images
    assert db.session.scalar(select(db.func.count(OutboxAsset.id))) == 2
