"""Server-rendered diagnostic, barometer and schedules pages on the demo organization:
role-aware controls, escaping, CSP on every page, the ratings grid all or nothing, and the
accept / dismiss and pause / resume forms going through the services."""

from __future__ import annotations

import pytest

from tracker.extensions import db
from tracker.models import Assessment, Finding, Respondent, Schedule
from tracker.seeding import demo
from tracker.seeding import frameworks as seeds

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def demo_org(app) -> dict[str, int]:
    seeds.seed_frameworks()
    org_id = demo.load_demo().org_id
    rows = db.session.scalars(db.select(Assessment).where(Assessment.org_id == org_id)
                              .order_by(Assessment.id)).all()
    return {"org": org_id, "first": rows[0].id, "latest": rows[-1].id}


def sign_in(client, who: str) -> None:
    response = client.post("/login", data={"email": f"{who}@novatechna.example",
                                           "password": demo.DEMO_PASSWORD})
    assert response.status_code == 302


def pages(ids: dict[str, int]) -> list[str]:
    org = ids["org"]
    return [f"/orgs/{org}/assessments", f"/orgs/{org}/assessments/{ids['latest']}",
            f"/orgs/{org}/assessments/{ids['first']}?by=team", f"/orgs/{org}/barometer",
            f"/orgs/{org}/schedules"]


def test_every_page_renders_with_a_csp_forbidding_inline_scripts(client, demo_org):
    sign_in(client, "lead")
    for path in pages(demo_org):
        response = client.get(path)
        assert response.status_code == 200, path
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self';" in csp and "frame-ancestors 'none'" in csp, path
        assert "<script>" not in response.text and " onclick=" not in response.text, path


def test_a_viewer_sees_no_edit_control_and_cannot_post(client, demo_org):
    sign_in(client, "sponsor")  # viewer in the demo
    org, latest = demo_org["org"], demo_org["latest"]
    diagnostic = client.get(f"/orgs/{org}/assessments/{latest}").text
    assert "Suggest findings" not in diagnostic and 'name="cell:' not in diagnostic
    assert "Run now" not in client.get(f"/orgs/{org}/schedules").text
    assert client.post(f"/orgs/{org}/assessments/{latest}/suggest").status_code == 403
    schedule = db.session.scalar(db.select(Schedule.id).where(Schedule.org_id == org))
    assert client.post(f"/orgs/{org}/schedules/{schedule}/run").status_code == 403


def test_a_hostile_finding_title_is_escaped_in_the_page(client, demo_org):
    db.session.add(Finding(org_id=demo_org["org"], assessment_id=demo_org["latest"],
                           kind="gap", title=HOSTILE, status="suggested", metrics={}))
    db.session.commit()
    sign_in(client, "lead")
    page = client.get(f"/orgs/{demo_org['org']}/assessments/{demo_org['latest']}").text
    assert HOSTILE not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_accepting_a_suggestion_goes_through_the_service(client, demo_org):
    finding = Finding(org_id=demo_org["org"], assessment_id=demo_org["latest"], kind="gap",
                      title="Discovery is rare", status="suggested", metrics={})
    db.session.add(finding)
    db.session.commit()
    finding_id = finding.id
    sign_in(client, "contributor")
    refused = client.post(f"/orgs/{demo_org['org']}/findings/{finding_id}/status",
                          data={"status": "accepted"})
    assert refused.status_code == 403  # findings are written by ops and leads
    sign_in(client, "ops")
    response = client.post(f"/orgs/{demo_org['org']}/findings/{finding_id}/status",
                           data={"status": "accepted"})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Finding, finding_id).status == "accepted"


def test_the_ratings_grid_saves_all_or_nothing_with_errors_next_to_cells(client, demo_org):
    org = demo_org["org"]
    assessment = Assessment(org_id=org, framework_id=db.session.get(
        Assessment, demo_org["latest"]).framework_id, title="Interviews", kind="diagnostic",
        status="open")
    db.session.add(assessment)
    db.session.flush()
    person = Respondent(org_id=org, assessment_id=assessment.id, name="Ann",
                        source="interview", survey_token="tok-ann")
    db.session.add(person)
    db.session.commit()
    ids = (assessment.id, person.id)
    sign_in(client, "lead")
    page = client.get(f"/orgs/{org}/assessments/{ids[0]}").text
    codes = [part.split('"')[0] for part in page.split(f'name="cell:{ids[1]}:')[1:]]
    assert len(codes) >= 2

    bad = client.post(f"/orgs/{org}/assessments/{ids[0]}/ratings",
                      data={f"cell:{ids[1]}:{codes[0]}": "4", f"cell:{ids[1]}:{codes[1]}": "9"})
    assert bad.status_code == 422
    assert "Outside the scale." in bad.text and 'aria-invalid="true"' in bad.text
    untouched = client.get(f"/api/v1/orgs/{org}/assessments/{ids[0]}/scores").json
    assert untouched["overall"] is None  # the valid cell was not saved either
    ok = client.post(f"/orgs/{org}/assessments/{ids[0]}/ratings",
                     data={f"cell:{ids[1]}:{codes[0]}": "4", f"cell:{ids[1]}:{codes[1]}": "2,5"})
    assert ok.status_code == 303
    scores = client.get(f"/api/v1/orgs/{org}/assessments/{ids[0]}/scores").json
    by_code = {d["code"]: d["score"] for a in scores["axes"] for d in a["dimensions"]}
    assert by_code[codes[0]] == 4.0 and by_code[codes[1]] == 2.5


def test_pages_in_french_use_french_numbers(client, demo_org):
    sign_in(client, "lead")
    client.post("/locale", data={"locale": "fr"})
    page = client.get(f"/orgs/{demo_org['org']}/barometer").text
    assert "Baromètre de NovaTechna" in page and "association, pas une preuve" in page
    assert "2,53" in page  # overall of the initial diagnostic, two decimals, French comma
