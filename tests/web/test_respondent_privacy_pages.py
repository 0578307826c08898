"""Respondent privacy on the pages (issue 13, finding 5): no page shows a viewer or a
contributor who the respondents are, their emails, survey links or what each one rated;
ops and leads still see the ratings grid and the emails' recipients."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.web.test_pages import sign_in
from tracker.extensions import db
from tracker.models import Assessment, Rating, Respondent
from tracker.seeding import demo
from tracker.seeding import frameworks as seeds
from tracker.services.follow import outbox

NAME = "Zelda Quintessence"
EMAIL = "zelda@respondent.example"
COMMENT = "only-zelda-says-this"


@pytest.fixture
def demo_org(app) -> dict[str, Any]:
    """The demo, plus an interviewed respondent of its latest assessment who rated with a
    comment and was sent a survey email; the secrets no viewer may read."""
    seeds.seed_frameworks()
    org_id = demo.load_demo().org_id
    latest = db.session.scalars(db.select(Assessment).where(Assessment.org_id == org_id)
                                .order_by(Assessment.id.desc())).first()
    person = Respondent(org_id=org_id, assessment_id=latest.id, name=NAME, email=EMAIL,
                        source="interview", survey_token="tok-zelda-private")
    db.session.add(person)
    db.session.flush()
    dimension_id = db.session.scalar(db.select(Rating.dimension_id)
                                     .where(Rating.assessment_id == latest.id))
    db.session.add(Rating(org_id=org_id, assessment_id=latest.id, respondent_id=person.id,
                          dimension_id=dimension_id, value=1, comment=COMMENT))
    outbox.enqueue(org_id, [outbox.Email("test:zelda", EMAIL, "Your survey",
                                         "http://tracker.test/survey/tok-zelda-private")])
    db.session.commit()
    rows = db.session.execute(db.select(Respondent.email, Respondent.survey_token)
                              .where(Respondent.org_id == org_id)).all()
    secrets = {NAME, COMMENT, *(email for email, _ in rows if email),
               *(token for _, token in rows)}
    return {"org": org_id, "assessment": latest.id, "secrets": secrets}


def _org_pages(app: Flask, ids: dict[str, Any]) -> list[str]:
    """Every GET page of an organization, ids filled (the latest assessment, else 1)."""
    paths = []
    for rule in app.url_map.iter_rules():
        if (rule.endpoint.startswith("web.") and "GET" in (rule.methods or ())
                and "org_id" in rule.arguments):
            values = {name: 1 for name in rule.arguments}
            values.update(org_id=ids["org"], assessment_id=ids["assessment"])
            paths.append(rule.build(values)[1])
    assert len(paths) >= 10
    return paths


@pytest.mark.parametrize("who", ["sponsor", "contributor"])  # viewer, contributor
def test_no_page_shows_a_respondent_below_ops(app, client, demo_org, who):
    sign_in(client, who)
    pages = _org_pages(app, demo_org)
    diagnostic = f"/orgs/{demo_org['org']}/assessments/{demo_org['assessment']}"
    shown = 0
    for path in [*pages, f"{diagnostic}?by=team", f"{diagnostic}?by=level"]:
        response = client.get(path)
        assert response.status_code < 500, path
        body = response.get_data(as_text=True)
        leaked = [secret for secret in demo_org["secrets"] if secret in body]
        assert not leaked, (path, leaked)
        shown += response.status_code == 200
    assert shown >= 8


@pytest.mark.parametrize("who", ["sponsor", "contributor"])
def test_the_diagnostic_says_the_grid_is_for_ops_and_leads(client, demo_org, who):
    sign_in(client, who)
    url = f"/orgs/{demo_org['org']}/assessments/{demo_org['assessment']}"
    page = client.get(url).text
    assert 'id="respondents-private"' in page and 'name="cell:' not in page
    assert client.post(f"{url}/ratings", data={}).status_code == 403


def test_ops_see_the_grid_with_names_and_the_emails_recipients(client, demo_org):
    sign_in(client, "ops")
    page = client.get(f"/orgs/{demo_org['org']}/assessments/{demo_org['assessment']}").text
    assert NAME in page and 'id="respondents-private"' not in page
    assert EMAIL in client.get(f"/orgs/{demo_org['org']}/schedules").text
