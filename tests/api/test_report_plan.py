"""The report's trajectory: projected from the reported assessment's own scores (so the
initial diagnostic's report prints the diagnostic's score as measured, not the later
pulse's), under the organization's plan, which it names, with what that plan leaves out."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from tests.api.test_report import report_url
from tracker.extensions import db
from tracker.models import Assessment, Initiative

MEASURED = re.compile(r'<td>Measured in ([^<]*)</td><td>[^<]*</td>\s*'
                      r'<td class="num">([^<]*)</td>')
PROJECTED = re.compile(r'<tr><td>([^<]*)</td><td>[^<]*</td>\s*<td class="num">([^<]*)</td>')


@pytest.fixture
def demo(app) -> dict[str, Any]:
    """The demo organization, its initial diagnostic and its later pulse (both closed)."""
    result = app.test_cli_runner().invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    org_id = int(result.output.split("organization id ")[1].split(")")[0])
    by_title = {a.title: a for a in db.session.scalars(
        select(Assessment).where(Assessment.org_id == org_id))}
    return {"org": org_id, "diagnostic": by_title["Initial diagnostic"].id,
            "pulse": by_title["Pulse Q3 2026"].id,
            "framework": by_title["Pulse Q3 2026"].framework_id}


def overall(admin, org: int, assessment: int) -> str:
    """An assessment's overall score as the report prints it (two decimals)."""
    score = admin.get(f"/api/v1/orgs/{org}/assessments/{assessment}/scores").json["overall"]
    return f"{score:.2f}"


def test_the_diagnostic_report_prints_the_diagnostic_score_as_measured(demo, admin):
    diagnostic = overall(admin, demo["org"], demo["diagnostic"])
    pulse = overall(admin, demo["org"], demo["pulse"])
    assert diagnostic != pulse  # the demo's pulse moved

    html = admin.get(report_url(demo["org"], demo["diagnostic"])).text
    assert MEASURED.findall(html) == [("Initial diagnostic", diagnostic)]
    html = admin.get(report_url(demo["org"], demo["pulse"])).text
    assert MEASURED.findall(html) == [("Pulse Q3 2026", pulse)]


def test_the_pulse_report_projects_what_the_trajectory_projects_under_the_plan(demo, admin):
    """The pulse is the latest closed assessment: the report's projected overall scores are
    the API trajectory's under the same saved plan, and a tighter plan lowers the first."""
    org = demo["org"]
    assert admin.patch(f"/api/v1/orgs/{org}", json={
        "plan_start": "2026-06-01", "plan_capacity": 1}).status_code == 200
    api = admin.get(f"/api/v1/orgs/{org}/roadmap/trajectory?framework_id="
                    f"{demo['framework']}").json
    assert api["plan"]["source"] == "settings" and api["assessment_id"] == demo["pulse"]
    html = admin.get(report_url(org, demo["pulse"])).text
    trajectory = html.split('id="trajectory"')[1]
    printed = PROJECTED.findall(trajectory.split("Measured in")[1])
    assert printed == [(p["phase"], f"{p['overall']:.2f}") for p in api["checkpoints"]]
    unlimited = admin.get(f"/api/v1/orgs/{org}/roadmap/trajectory?framework_id="
                          f"{demo['framework']}&start=2026-06-01").json
    assert api["checkpoints"][0]["overall"] < unlimited["checkpoints"][0]["overall"]


def test_the_report_names_the_plan_it_used(demo, admin):
    org = demo["org"]
    html = admin.get(report_url(org, demo["diagnostic"])).text
    assert "No plan saved yet: planned from today (" in html
    assert admin.patch(f"/api/v1/orgs/{org}", json={
        "plan_start": "2026-06-01", "plan_capacity": 2}).status_code == 200
    html = admin.get(report_url(org, demo["diagnostic"])).text
    assert ("Planned with the organization's plan: from Jun 1, 2026, 2 initiatives at "
            "once.") in html
    html = admin.get(report_url(org, demo["diagnostic"], "?lang=fr")).text
    assert "Planifié selon le plan de l'organisation : à partir du 1 juin 2026, " \
           "2 initiatives à la fois." in html


def test_the_report_says_what_the_plan_leaves_out(demo, admin):
    db.session.add_all([Initiative(org_id=demo["org"], title=title, status="proposed")
                        for title in ("Idea without estimate", "Another idea")])
    db.session.commit()
    response = admin.get(report_url(demo["org"], demo["diagnostic"]))
    assert response.status_code == 200
    assert ("2 initiatives are left out of the plan and their uplifts are not projected: "
            "Idea without estimate, Another idea.") in response.text
    assert MEASURED.findall(response.text)[0][0] == "Initial diagnostic"

