"""The initiative forms edit expected uplifts and linked findings through the initiatives
service (errors beside their fields, nothing saved on a refusal), and ops remove a
root-cause link from the diagnostic page; rendered server-side on the demo organization."""

from __future__ import annotations

import pytest

from tests.web_helpers import seed_demo, sign_in
from tracker.extensions import db
from tracker.models import Finding, Initiative, Organization
from tracker.services.decide import initiatives
from tracker.services.diagnose import root_causes


@pytest.fixture
def demo_org(app) -> int:
    return seed_demo()


def demo_findings(org_id: int) -> list[Finding]:
    return list(db.session.query(Finding).filter_by(org_id=org_id).order_by(Finding.id))


def test_creating_an_initiative_with_two_uplifts_and_a_finding(client, demo_org):
    sign_in(client, "ops@novatechna.example")
    form = client.get(f"/orgs/{demo_org}/initiatives/new").text
    assert 'name="uplift_dimension"' in form and 'name="finding_ids"' in form
    assert '<option value="organisation.roles">' in form
    finding = demo_findings(demo_org)[1]
    assert f'<option value="{finding.id}" >' in form
    before = db.session.query(Initiative).count()

    response = client.post(f"/orgs/{demo_org}/initiatives/new", data={
        "title": "Shared roadmap rituals", "status": "proposed",
        "uplift_dimension": ["organisation.roles", "data.delivery_metrics", ""],
        "uplift_expected": ["0.5", "1.25", ""], "finding_ids": [str(finding.id)]})

    assert response.status_code == 303, response.text
    created = db.session.query(Initiative).order_by(Initiative.id.desc()).first()
    assert db.session.query(Initiative).count() == before + 1
    assert response.headers["Location"].endswith(f"/orgs/{demo_org}/initiatives/{created.id}")
    assert initiatives.uplifts(created) == [
        {"dimension": "data.delivery_metrics", "expected": 1.25},
        {"dimension": "organisation.roles", "expected": 0.5}]
    assert initiatives.finding_ids(created) == [finding.id]
    page = client.get(response.headers["Location"]).text
    assert finding.title in page and "+1.25" in page


def test_a_bad_dimension_is_shown_beside_the_uplifts_and_nothing_is_saved(client, demo_org):
    sign_in(client, "ops@novatechna.example")
    before = db.session.query(Initiative).count()

    response = client.post(f"/orgs/{demo_org}/initiatives/new", data={
        "title": "Nowhere", "uplift_dimension": ["organisation.roles", "no.such.dimension"],
        "uplift_expected": ["0.5", "1"]})

    assert response.status_code == 422
    assert '<p class="field-error" id="uplifts-error">Unknown dimension ' \
           '&#39;no.such.dimension&#39;.</p>' in response.text
    assert 'value="no.such.dimension"' in response.text
    assert db.session.query(Initiative).count() == before


def test_a_negative_uplift_names_its_row(client, demo_org):
    sign_in(client, "ops@novatechna.example")
    response = client.post(f"/orgs/{demo_org}/initiatives/new", data={
        "title": "Backwards", "uplift_dimension": ["organisation.roles"],
        "uplift_expected": ["-1"]})
    assert response.status_code == 422
    assert 'id="uplift-1-error">The expected uplift for ' in response.text
    assert "(got -1)." in response.text


def test_editing_replaces_the_uplifts_and_findings(client, demo_org):
    sign_in(client, "lead@novatechna.example")
    initiative = db.session.query(Initiative).filter_by(org_id=demo_org).order_by(
        Initiative.id).first()
    initiative_id, title, status = initiative.id, initiative.title, initiative.status
    current = initiatives.uplifts(initiative)
    first, second = (f.id for f in demo_findings(demo_org)[:2])
    form = client.get(f"/orgs/{demo_org}/initiatives/{initiative_id}/edit").text
    assert current and all(f'value="{u["dimension"]}"' in form for u in current)

    response = client.post(f"/orgs/{demo_org}/initiatives/{initiative_id}/edit", data={
        "title": title, "status": status,
        "uplift_dimension": ["organisation.leadership"], "uplift_expected": ["0.75"],
        "finding_ids": [str(first), str(second)]})

    assert response.status_code == 303, response.text
    changed = initiatives.get_initiative(db.session.get(Organization, demo_org), initiative_id)
    assert initiatives.uplifts(changed) == [
        {"dimension": "organisation.leadership", "expected": 0.75}]
    assert initiatives.finding_ids(changed) == sorted([first, second])


def test_ops_remove_a_root_cause_link_from_the_diagnostic_page(client, demo_org):
    org = db.session.get(Organization, demo_org)
    link = next(row for row in root_causes.findings_root_causes_first(org) if row["root_causes"])
    symptom, cause = link["id"], link["root_causes"][0]
    assessment_id = db.session.get(Finding, symptom).assessment_id
    action = f"/orgs/{demo_org}/findings/{symptom}/root-causes/{cause}/delete"

    sign_in(client, "sponsor@novatechna.example")
    assert action not in client.get(f"/orgs/{demo_org}/assessments/{assessment_id}").text
    assert client.post(action).status_code == 403

    sign_in(client, "ops@novatechna.example")
    assert action in client.get(f"/orgs/{demo_org}/assessments/{assessment_id}").text
    response = client.post(action)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        f"/orgs/{demo_org}/assessments/{assessment_id}#findings")
    assert cause not in root_causes.finding_links(org, symptom)["root_causes"]
    assert client.post(action).status_code == 404
