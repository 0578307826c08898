"""Suggested initiatives, root causes and dependency removal in the web pages, rendered
server-side on the demo organization: adoption, role-aware controls, escaping, CSP."""

from __future__ import annotations

import re

import pytest

from tracker.extensions import db
from tracker.models import Dependency, Finding, Initiative, Organization
from tracker.seeding import demo
from tracker.seeding import frameworks as seeds
from tracker.seeding.playbook import seed_playbook
from tracker.services.diagnose import root_causes

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture
def demo_org(app) -> int:
    seeds.seed_frameworks()
    seed_playbook()
    return demo.load_demo().org_id


def sign_in(client, email: str) -> None:
    response = client.post("/login", data={"email": email, "password": demo.DEMO_PASSWORD})
    assert response.status_code == 302, response.text


def test_adopting_a_prerequisite_chain_creates_initiatives_and_dependencies(client, demo_org):
    sign_in(client, "ops@novatechna.example")
    page = client.get(f"/orgs/{demo_org}/assessments/1/suggestions")
    assert page.status_code == 200
    assert 'value="align-leadership"' in page.text and "applies because" in page.text
    before = db.session.query(Initiative).count()
    response = client.post(f"/orgs/{demo_org}/assessments/1/suggestions", data={
        "template_codes": ["clarify-product-roles", "product-career-paths"]})
    assert response.status_code == 201, response.text
    created = db.session.query(Initiative).order_by(Initiative.id.desc()).limit(2).all()
    assert db.session.query(Initiative).count() == before + 2
    for item in created:
        assert f"/orgs/{demo_org}/initiatives/{item.id}" in response.text
    roles = next(i for i in created if i.title in response.text and i.findings)
    assert {f.id for f in roles.findings} >= {9}
    ids = {i.id for i in created}
    edges = db.session.query(Dependency).filter(Dependency.dependent_id.in_(ids)).all()
    assert [(e.prerequisite_id in ids) for e in edges] == [True]


def test_adopting_nothing_or_an_unknown_template_is_refused_and_nothing_is_created(
        client, demo_org):
    sign_in(client, "lead@novatechna.example")
    before = db.session.query(Initiative).count()
    assert client.post(f"/orgs/{demo_org}/assessments/1/suggestions",
                       data={}).status_code == 422
    refused = client.post(f"/orgs/{demo_org}/assessments/1/suggestions",
                          data={"template_codes": ["align-leadership", "no-such-template"]})
    assert refused.status_code == 422 and "no-such-template" in refused.text
    assert db.session.query(Initiative).count() == before


def test_viewers_see_no_adopt_root_cause_or_delete_controls(client, demo_org):
    sign_in(client, "sponsor@novatechna.example")
    suggestions = client.get(f"/orgs/{demo_org}/assessments/1/suggestions")
    assert suggestions.status_code == 200 and 'name="template_codes"' not in suggestions.text
    assert 'id="adopt"' not in suggestions.text
    diagnostic = client.get(f"/orgs/{demo_org}/assessments/1").text
    assert 'name="root_cause_id"' not in diagnostic
    assert "/dependencies/" not in client.get(f"/orgs/{demo_org}/dependencies").text
    assert client.post(f"/orgs/{demo_org}/assessments/1/suggestions",
                       data={"template_codes": ["align-leadership"]}).status_code == 403
    assert client.post(f"/orgs/{demo_org}/findings/7/root-causes",
                       data={"root_cause_id": "5"}).status_code == 403
    edge = db.session.query(Dependency).first()
    assert client.post(f"/orgs/{demo_org}/dependencies/{edge.id}/delete").status_code == 403


def test_findings_are_listed_root_causes_first_and_a_cycle_is_refused(client, demo_org):
    sign_in(client, "lead@novatechna.example")
    page = client.get(f"/orgs/{demo_org}/assessments/1").text
    order = [int(i) for i in re.findall(r'<td id="finding-(\d+)"', page)]
    assert order.index(9) < order.index(7) and order.index(3) < order.index(2)
    assert "symptom of" in page and "root cause of" in page
    assert f"/orgs/{demo_org}/assessments/1/suggestions" in page

    marked = client.post(f"/orgs/{demo_org}/findings/9/root-causes",
                         data={"root_cause_id": "5"}, follow_redirects=True)
    assert marked.status_code == 200
    assert root_causes.finding_links(db.session.get(Organization, demo_org), 9)[
        "root_causes"] == [5]
    refused = client.post(f"/orgs/{demo_org}/findings/5/root-causes",
                          data={"root_cause_id": "7"}, follow_redirects=True)
    assert "would close a cycle" in refused.text
    assert "Ideas go straight from request to build → No product operations" not in refused.text
    cycle = re.search(r"would close a cycle: ([^<]*)<", refused.text).group(1)
    assert cycle.split(" → ")[0] == cycle.split(" → ")[-1]
    assert set(cycle.split(" → ")) == {"Ideas go straight from request to build",
                                       "Blurred product roles and no career path",
                                       "No product operations"}


def test_the_backlog_flags_an_initiative_that_only_answers_symptoms(client, demo_org):
    org = db.session.get(Organization, demo_org)
    cause = Finding(org_id=org.id, assessment_id=1, kind="gap", title=f"Root {XSS}")
    symptom = db.session.get(Finding, 5)
    initiative = Initiative(org_id=org.id, title="Treats the symptom", findings=[symptom])
    db.session.add_all([cause, initiative])
    db.session.commit()
    root_causes.add_root_cause(org, symptom.id, cause.id)
    initiative_id = initiative.id
    sign_in(client, "lead@novatechna.example")
    page = client.get(f"/orgs/{demo_org}/backlog").text
    row = page[page.index(f'<tr data-id="{initiative_id}"'):]
    row = row[:row.index("</tr>")]
    assert "answers symptoms only" in row
    assert "Root &lt;img src=x onerror=alert(1)&gt;" in row and XSS not in page


def test_a_hostile_finding_title_shows_as_text_and_pages_carry_the_csp(client, demo_org):
    finding = db.session.get(Finding, 9)
    finding.title = XSS
    db.session.commit()
    sign_in(client, "lead@novatechna.example")
    for path in ("assessments/1/suggestions", "assessments/1"):
        response = client.get(f"/orgs/{demo_org}/{path}")
        assert response.status_code == 200
        assert XSS not in response.text and "&lt;img src=x onerror=alert(1)&gt;" in response.text
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1]


def test_ops_delete_a_dependency_and_outsiders_get_404(client, demo_org):
    sign_in(client, "ops@novatechna.example")
    edge = db.session.query(Dependency).order_by(Dependency.id).first()
    page = client.get(f"/orgs/{demo_org}/dependencies").text
    assert f"/dependencies/{edge.id}/delete" in page
    response = client.post(f"/orgs/{demo_org}/dependencies/{edge.id}/delete")
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Dependency, edge.id) is None
    other = Organization(name="Elsewhere")
    db.session.add(other)
    db.session.commit()
    assert client.get(f"/orgs/{other.id}/assessments/1/suggestions").status_code == 404
