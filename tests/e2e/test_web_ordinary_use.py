"""Issue 12's scenario in a real browser: a fresh organization with a closed diagnostic, an
initiative with only a title, another moved approved → in progress → done, and a pilot
decided `generalize`. The roadmap, barometer, dependency and report pages all answer 200,
say what the plan leaves out, and log no console error."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.e2e.browser import ARTIFACTS, signed_in_page
from tracker.seeding import demo
from tracker.seeding import frameworks as seeds
from tracker.services.tenancy import accounts


def _api(app: Flask) -> Any:
    """A test client of the same database, calling the API as the demo lead."""
    user = accounts.find_user("lead@novatechna.example")
    assert user is not None
    _token, secret = accounts.create_token(user, "e2e")
    client = app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}

    def call(method: str, path: str, body: Any = None, status: int = 200) -> Any:
        response = client.open(f"/api/v1{path}", method=method, json=body, headers=headers)
        assert response.status_code == status, (path, response.json)
        return response.json

    return call


def _fresh_organization(app: Flask) -> tuple[int, int, int]:
    """The scenario through the API; answers the org, the assessment and the idea's ids."""
    call = _api(app)
    org = call("POST", "/orgs", {"name": "Fresh client"}, 201)["id"]
    grid = next(f for f in call("GET", "/frameworks?per_page=200")["items"]
                if f["code"] == "pom-grid")
    base = f"/orgs/{org}"
    assessment = call("POST", f"{base}/assessments", {
        "framework_id": grid["id"], "title": "Diagnostic", "kind": "diagnostic"}, 201)["id"]
    call("PATCH", f"{base}/assessments/{assessment}", {"status": "open"})
    respondent = call("POST", f"{base}/assessments/{assessment}/respondents", {
        "name": "Ann", "role": "pm", "team": "claims", "level": "team",
        "source": "interview"}, 201)["id"]
    call("PUT", f"{base}/assessments/{assessment}/ratings", [
        {"respondent_id": respondent, "dimension": "organisation.roles", "value": 2}])
    call("PATCH", f"{base}/assessments/{assessment}", {"status": "closed"})
    idea = call("POST", f"{base}/initiatives", {"title": "Fresh idea"}, 201)["id"]
    roles = call("POST", f"{base}/initiatives", {
        "title": "Role cards", "duration_weeks": 4,
        "uplifts": [{"dimension": "organisation.roles", "expected": 0.5}]}, 201)["id"]
    for status in ("approved", "in_progress", "done"):
        call("PATCH", f"{base}/initiatives/{roles}", {"status": status})
    squad = call("POST", f"{base}/initiatives", {"title": "Pilot squad",
                                                 "duration_weeks": 6}, 201)["id"]
    pilot = call("POST", f"{base}/initiatives/{squad}/pilots", {
        "teams": ["claims"], "hypothesis": "A squad ships faster"}, 201)["id"]
    call("PATCH", f"{base}/pilots/{pilot}", {"status": "running"})
    call("PATCH", f"{base}/pilots/{pilot}", {"decision": "generalize"})
    return org, assessment, idea


@pytest.mark.e2e
def test_every_page_of_a_fresh_organization_in_ordinary_use_works(live_server, chromium,
                                                                   app):
    seeds.seed_frameworks()
    demo.load_demo()
    org, assessment, idea = _fresh_organization(app)
    errors: list[str] = []
    page = signed_in_page(chromium, live_server, errors)
    ARTIFACTS.mkdir(exist_ok=True)

    pages = {"roadmap": (f"/orgs/{org}/roadmap", "#unplanned"),
             "dependencies": (f"/orgs/{org}/dependencies", "#unplanned"),
             "barometer": (f"/orgs/{org}/barometer", "#left-out"),
             "report": (f"/orgs/{org}/assessments/{assessment}/report", "#left-out")}
    for name, (path, left_out) in pages.items():
        response = page.goto(f"{live_server}{path}")
        assert response is not None and response.status == 200, name
        assert "Fresh idea" in page.inner_text(left_out), name
        page.screenshot(path=str(ARTIFACTS / f"ordinary-use-{name}.png"), full_page=True)

    page.goto(f"{live_server}/orgs/{org}/roadmap")
    page.click("#unplanned >> text=Fresh idea")
    page.wait_for_url(f"**/orgs/{org}/initiatives/{idea}")
    assert errors == []
