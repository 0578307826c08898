"""Every link of a rendered email leads to a page that exists, built from TRACKER_BASE_URL:
the barometer email's dashboard link opens the barometer page for its signed-in reader (a
signed-out one is sent to sign in first), a survey email's link opens the survey."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.builders import Scenario
from tracker.extensions import db
from tracker.models import Organization
from tracker.models.outbox import OutboxMessage
from tracker.seeding import demo
from tracker.seeding import frameworks as seeds
from tracker.services.follow import barometer_mail, schedules

BASE_URL = "http://tracker.test"
LINK = re.compile(r"https?://[^\s\"'<>]+")


def _links(message: OutboxMessage) -> set[str]:
    """The paths of every link of the message (text and HTML), each checked to start with
    the base URL."""
    urls = set(LINK.findall(message.text)) | set(LINK.findall(message.html or ""))
    assert urls, "the email has no link"
    assert all(url.startswith(f"{BASE_URL}/") for url in urls), urls
    return {url.removeprefix(BASE_URL) for url in urls}


def test_the_barometer_email_links_open_the_barometer_page(app, client):
    seeds.seed_frameworks()
    org = db.session.get(Organization, demo.load_demo().org_id)
    barometer_mail.send_barometer(org, app.config, period="2026-Q4")
    message = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.recipient == "sponsor@novatechna.example"))
    paths = _links(message)
    assert f"/orgs/{org.id}/barometer" in paths
    for path in paths:
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.location, path
    signed_in = client.post("/login", data={"email": "sponsor@novatechna.example",
                                            "password": demo.DEMO_PASSWORD})
    assert signed_in.status_code == 302
    for path in paths:
        assert client.get(path).status_code == 200, path


def test_the_survey_email_link_opens_the_survey(app, client, lead, admin):
    scenario = Scenario(lead, admin)
    base = scenario.assessment_url()
    assert lead.patch(base, json={"status": "open"}).status_code == 200
    scenario.add_respondent("Ann", email="ann@example.org")
    assert lead.patch(base, json={"status": "closed"}).status_code == 200
    pulse = lead.post(scenario.url("/schedules"), json={"kind": "pulse",
                                                        "cron": "0 8 1 * *"}).json["id"]
    org = db.session.get(Organization, scenario.org["id"])
    assert schedules.run_schedule(org, pulse, app.config).ran
    message = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.recipient == "ann@example.org"))
    paths = _links(message)
    assert len(paths) == 1 and next(iter(paths)).startswith("/survey/")
    for path in paths:
        assert client.get(path).status_code == 200, path
