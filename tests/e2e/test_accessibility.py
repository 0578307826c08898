"""Every main page of the demo organization, seen by its lead in a real browser, has no
axe-core violation of impact serious or critical and logs no console error (issue 14)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tests.e2e.accessibility import Watched, assert_accessible, check_page
from tests.e2e.browser import sign_in
from tracker.extensions import db
from tracker.models import Assessment, Initiative, Organization, Respondent
from tracker.seeding import demo
from tracker.seeding import frameworks as seeds
from tracker.services.observe import assessments


def _demo() -> dict[str, Any]:
    """The demo organization, its latest assessment and its grid, an initiative, and the
    survey token of a respondent of an open pulse added for the survey page (the demo's are
    all closed)."""
    seeds.seed_frameworks()
    org_id = demo.load_demo().org_id
    org = db.session.get_one(Organization, org_id)
    latest = max(db.session.scalars(select(Assessment).where(Assessment.org_id == org_id)),
                 key=lambda a: a.id)
    initiative = db.session.scalars(select(Initiative).where(Initiative.org_id == org_id)
                                    .order_by(Initiative.id)).first()
    assert initiative is not None
    pulse = assessments.create_assessment(org, {"framework_id": latest.framework_id,
                                                "title": "Open pulse", "kind": "pulse"})
    assessments.update_assessment(org, pulse.id, {"status": "open"})
    respondent = assessments.add_respondent(org, pulse.id, {
        "name": "Ann Survey", "role": "engineer", "team": "claims", "level": "team",
        "source": "survey"})
    rated = db.session.scalar(select(Respondent.id).where(Respondent.assessment_id == latest.id)
                              .order_by(Respondent.id))
    return {"org": org_id, "assessment": latest.id, "initiative": initiative.id,
            "framework": latest.framework_id, "token": respondent.survey_token,
            "respondent": rated}


def _pages(ids: dict[str, Any]) -> dict[str, str]:
    """The main pages of the organization, by name, as paths."""
    org = f"/orgs/{ids['org']}"
    assessment = f"{org}/assessments/{ids['assessment']}"
    return {"home": "/", "assessments": f"{org}/assessments", "diagnostic": assessment,
            "report": f"{assessment}/report", "suggestions": f"{assessment}/suggestions",
            "backlog": f"{org}/backlog", "initiative": f"{org}/initiatives/{ids['initiative']}",
            "new initiative": f"{org}/initiatives/new", "dependencies": f"{org}/dependencies",
            "roadmap": f"{org}/roadmap", "barometer": f"{org}/barometer",
            "schedules": f"{org}/schedules", "decisions": f"{org}/decisions",
            "account": "/account", "audit log": f"{org}/audit",
            "not found": f"{org}/no-such-page",
            "new organization": "/orgs/new", "settings": f"{org}/settings",
            "members": f"{org}/members", "frameworks": f"{org}/frameworks",
            "grid": f"{org}/frameworks/{ids['framework']}",
            "grid upload": f"{org}/frameworks/upload", "targets": f"{org}/targets",
            "new assessment": f"{org}/assessments/new", "cockpit": f"{assessment}/cockpit",
            "respondents": f"{assessment}/respondents", "verbatims": f"{assessment}/evidence",
            "ratings upload": f"{assessment}/ratings/upload",
            "findings": f"{org}/findings?assessment_id={ids['assessment']}",
            "new finding": f"{org}/findings/new",
            "respondent answers": f"{assessment}/respondents/{ids['respondent']}",
            "edit assessment": f"{assessment}/edit", "kpis": f"{org}/kpis",
            "new kpi": f"{org}/kpis/new", "scorecard": f"{org}/scorecard",
            "phases": f"{org}/roadmap/phases", "baselines": f"{org}/roadmap/baselines",
            "new schedule": f"{org}/schedules/new"}


@pytest.mark.e2e
def test_every_main_page_of_the_demo_has_no_serious_axe_violation_nor_console_error(
        live_server, chromium):
    ids = _demo()
    watched = Watched(chromium.new_page(viewport={"width": 1280, "height": 900}))
    page = watched.page
    page.goto(f"{live_server}/login")
    problems = check_page(watched, "login")
    sign_in(page, live_server)
    for name, path in _pages(ids).items():
        response = page.goto(f"{live_server}{path}")
        assert response is not None, name
        assert response.status == (404 if name == "not found" else 200), name
        problems += check_page(watched, name)
    assert not problems, "\n".join(problems)


@pytest.mark.e2e
def test_a_respondent_survey_page_is_accessible_on_a_phone(live_server, chromium):
    ids = _demo()
    watched = Watched(chromium.new_page(viewport={"width": 390, "height": 844}))
    response = watched.page.goto(f"{live_server}/survey/{ids['token']}")
    assert response is not None and response.status == 200
    assert_accessible(watched, "survey")
