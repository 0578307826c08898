"""The pulse and reminder emails speak the organization's language (`locale`), plain text
and HTML, with the respondent's name escaped in the HTML."""

from __future__ import annotations

from sqlalchemy import select

from tests.builders import Scenario
from tracker.extensions import db
from tracker.models import Assessment, Respondent
from tracker.models.outbox import OutboxMessage


def _org(lead, admin, locale: str) -> Scenario:
    """A closed diagnostic with one respondent who has an email (<Zoé> tests escaping)."""
    scenario = Scenario(lead, admin)
    assert lead.patch(scenario.url(), json={"locale": locale}).status_code == 200
    lead.patch(scenario.assessment_url(), json={"status": "open"})
    scenario.add_respondent("<Zoé>", email="zoe@example.org")
    lead.patch(scenario.assessment_url(), json={"status": "closed"})
    return scenario


def _run(lead, scenario: Scenario, kind: str) -> None:
    schedule = lead.post(scenario.url("/schedules"), json={"kind": kind, "cron": "0 8 * * 1"})
    assert schedule.status_code == 201, schedule.json
    assert lead.post(scenario.url(f"/schedules/{schedule.json['id']}/run")).json["ran"]


def _mail(kind: str) -> OutboxMessage:
    return db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.dedupe_key.startswith(f"{kind}:"))).one()


def test_a_french_organizations_pulse_and_reminder_are_in_french(app, lead, admin):
    scenario = _org(lead, admin, "fr")
    name = scenario.org["name"]

    _run(lead, scenario, "pulse")
    _run(lead, scenario, "reminder")

    pulse, reminder = _mail("pulse"), _mail("reminder")
    period = pulse.dedupe_key.split(":")[2]
    token = db.session.scalars(select(Respondent.survey_token).join(
        Assessment, Assessment.id == Respondent.assessment_id).where(
        Assessment.kind == "pulse")).one()
    link = f"http://tracker.test/survey/{token}"
    assert pulse.subject == f"{name} : votre enquête pulse de maturité {period}"
    assert pulse.text == (
        "Bonjour <Zoé>,\n\nUne nouvelle enquête pulse de maturité est ouverte. Y répondre "
        f"vous prendra une dizaine de minutes :\n\n{link}\n\nMerci.")
    assert pulse.html.startswith("<p>Bonjour &lt;Zoé&gt;,</p><p>Une nouvelle enquête")
    assert pulse.html.endswith(f'<p><a href="{link}">{link}</a></p><p>Merci.</p>')
    assert reminder.subject == f"{name} : rappel, votre enquête pulse de maturité"
    assert "Nous attendons encore vos réponses à l&#39;enquête pulse" in reminder.html
    assert "Hello" not in pulse.text + reminder.text


def test_an_english_organizations_pulse_stays_in_english(app, lead, admin):
    scenario = _org(lead, admin, "en")

    _run(lead, scenario, "pulse")

    pulse = _mail("pulse")
    assert pulse.subject.startswith(f"{scenario.org['name']}: your maturity pulse ")
    assert pulse.text.startswith("Hello <Zoé>,\n\nA new maturity pulse is open.")
    assert pulse.html.startswith("<p>Hello &lt;Zoé&gt;,</p>")
    assert pulse.text.endswith("\n\nThank you.")
