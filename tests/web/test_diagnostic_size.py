"""The diagnostic page grows linearly with its findings: "symptom of" is one pair of
pickers for the whole table, not one select listing every other finding in each row (with
60 findings that made the page quadratic). Rendered server-side on the demo organization."""

from __future__ import annotations

from sqlalchemy import select

from tests.web_helpers import seed_demo, sign_in
from tracker.extensions import db
from tracker.models import Finding, Organization
from tracker.services.diagnose import findings, root_causes

STRENGTH = "A strong delivery engine, carried by the platform team"


def _add_findings(org: Organization, assessment_id: int, first: int, count: int) -> None:
    """`count` findings of the same length (numbers `first`..), so each adds the same text."""
    for n in range(first, first + count):
        findings.create_finding(org, {"assessment_id": assessment_id, "kind": "tension",
                                      "title": f"Finding number {n:03d} of the size test"})


def test_the_page_grows_linearly_with_its_findings(client):
    org_id = seed_demo()
    org = db.session.get(Organization, org_id)
    assessment_id = db.session.scalars(select(Finding.assessment_id)
                                       .where(Finding.title == STRENGTH)).one()
    sign_in(client, "ops@novatechna.example")
    url = f"/orgs/{org_id}/assessments/{assessment_id}"
    sizes = []
    for first, count in ((0, 10), (10, 25), (35, 25)):  # 10, then 35, then 60 more findings
        _add_findings(org, assessment_id, first, count)
        response = client.get(url)
        assert response.status_code == 200
        sizes.append(len(response.data))
    # Linear: the 25 findings from 35 to 60 cost what the 25 from 10 to 35 did. With one
    # select of every other finding per row, a finding costs in proportion to the number
    # of findings: the second batch would cost (35 + 60) / (10 + 35) = 2.1 times the first.
    first_batch, second_batch = sizes[1] - sizes[0], sizes[2] - sizes[1]
    assert 0.8 < second_batch / first_batch < 1.25, sizes
    page = client.get(url).text
    assert page.count('name="root_cause_id"') == 1 and page.count('name="symptom_id"') == 1


def test_one_form_marks_a_symptom_and_refuses_a_missing_choice(client):
    org_id = seed_demo()
    org = db.session.get(Organization, org_id)
    assessment_id = db.session.scalars(select(Finding.assessment_id)
                                       .where(Finding.title == STRENGTH)).one()
    _add_findings(org, assessment_id, 0, 2)
    symptom, cause = db.session.scalars(select(Finding.id).where(
        Finding.title.like("Finding number%")).order_by(Finding.id)).all()
    sign_in(client, "ops@novatechna.example")
    url = f"/orgs/{org_id}/assessments/{assessment_id}/symptoms"
    marked = client.post(url, data={"symptom_id": str(symptom), "root_cause_id": str(cause)})
    assert marked.status_code == 303 and marked.location.endswith("#findings")
    assert root_causes.finding_links(db.session.get(Organization, org_id), symptom)[
        "root_causes"] == [cause]
    refused = client.post(url, data={"root_cause_id": str(cause)}, follow_redirects=True)
    assert "Choose the symptom." in refused.text
    sign_in(client, "sponsor@novatechna.example")
    assert client.post(url, data={"symptom_id": str(cause),
                                  "root_cause_id": str(symptom)}).status_code == 403
