"""The findings pages on the demo organization: a table of 60 findings laid out to fit the
page, writing and editing a finding with every bad field reported beside it, citing
verbatims through the picker, merging two findings (links moved, the merged one kept as
dismissed and marked merged, the merge audited), accepting several suggestions in one POST
(all or nothing), and the role rules (reads for members, writes for ops and leads)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.web_helpers import seed_demo, sign_in
from tracker.extensions import db
from tracker.models import (
    AuditEvent,
    Evidence,
    Finding,
    Initiative,
    Organization,
    finding_root_cause,
)
from tracker.services.diagnose import findings, root_causes

STRENGTH = "A strong delivery engine, carried by the platform team"
DISCOVERY = "Ideas go straight from request to build"
STATIC = Path(__file__).resolve().parents[2] / "static"


@pytest.fixture
def demo_org(app, client) -> int:
    org_id = seed_demo()
    sign_in(client, "lead@novatechna.example")
    return org_id


def finding(title: str) -> Finding:
    return db.session.scalars(select(Finding).where(Finding.title == title)).one()


def field_errors(page: str) -> set[str]:
    return set(re.findall(r'<p class="field-error" id="([\w-]+)-error">', page))


def org_of(org_id: int):
    return db.session.get(Organization, org_id)


def test_sixty_findings_fit_the_page_in_a_fixed_layout_table(client, demo_org):
    assessment_id = finding(STRENGTH).assessment_id
    org = org_of(demo_org)
    for n in range(60):
        findings.create_finding(org, {"assessment_id": assessment_id, "kind": "gap",
                                      "title": f"Finding {n} " + "long-title-" * 20,
                                      "description": "A long description. " * 30})

    page = client.get(f"/orgs/{demo_org}/findings?assessment_id={assessment_id}").text

    table = re.search(r'<table class="findings" id="findings-table">.*?</table>', page, re.S)
    assert table and len(re.findall(r'<tr class="finding"', table.group(0))) >= 60
    assert "style=" not in table.group(0) and "width=" not in table.group(0)
    assert '<col class="col-title">' in table.group(0)
    assert table.group(0).count('<details class="fold">') >= 60
    css = (STATIC / "css" / "findings.css").read_text()
    assert "table.findings { table-layout: fixed; width: 100%; }" in css
    assert "overflow-wrap: anywhere" in css
    assert re.search(r"css/findings\.[0-9a-f]{12}\.css", page)


def test_a_finding_with_bad_fields_reports_them_all_and_keeps_the_input(client, demo_org):
    assessment_id = finding(STRENGTH).assessment_id

    response = client.post(f"/orgs/{demo_org}/findings/new", data={
        "assessment_id": assessment_id, "title": "", "kind": "opinion",
        "description": "Kept when refused", "status": "accepted"})

    assert response.status_code == 422
    assert field_errors(response.text) == {"title", "kind"}
    assert "Kept when refused</textarea>" in response.text


def test_a_finding_written_by_hand_cites_the_picked_dimensions_and_verbatims(client, demo_org):
    assessment_id = finding(STRENGTH).assessment_id
    verbatims = list(db.session.scalars(select(Evidence.id).where(
        Evidence.assessment_id == assessment_id).order_by(Evidence.id).limit(2)))
    form = client.get(f"/orgs/{demo_org}/findings/new?assessment_id={assessment_id}").text
    assert '<label for="f-evidence_ids">' in form and 'id="f-evidence_ids"' in form
    assert "data-picker" in form and "<script>" not in form
    assert re.search(r"js/picker\.[0-9a-f]{12}\.js", form)

    response = client.post(f"/orgs/{demo_org}/findings/new", data={
        "assessment_id": assessment_id, "title": "Steering by dates", "kind": "tension",
        "status": "accepted", "dimensions": ["practices.prioritization"],
        "evidence_ids": [str(i) for i in verbatims]})

    assert response.status_code == 303
    created = finding("Steering by dates")
    assert [d.code for d in created.dimensions] == ["practices.prioritization"]
    assert sorted(e.id for e in created.evidence) == verbatims
    listed = client.get(response.headers["Location"]).text
    assert "Steering by dates" in listed


def test_an_edit_shows_its_errors_beside_the_fields_then_saves(client, demo_org):
    edited = finding(DISCOVERY)

    refused = client.post(f"/orgs/{demo_org}/findings/{edited.id}/edit", data={
        "title": "", "kind": "gap", "status": "sideways", "description": "New text"})
    assert refused.status_code == 422
    assert field_errors(refused.text) == {"title", "status"}
    assert db.session.get(Finding, edited.id).title == DISCOVERY

    saved = client.post(f"/orgs/{demo_org}/findings/{edited.id}/edit", data={
        "title": "No discovery before delivery", "kind": "gap", "status": "accepted",
        "description": "New text", "dimensions": ["practices.discovery"]})
    assert saved.status_code == 303
    db.session.expire_all()
    after = db.session.get(Finding, edited.id)
    assert (after.title, after.description) == ("No discovery before delivery", "New text")
    assert [d.code for d in after.dimensions] == ["practices.discovery"]
    assert after.evidence == []  # no verbatim picked: the edit cites none


def test_a_merge_moves_the_links_and_keeps_the_merged_finding_as_history(client, demo_org):
    org = org_of(demo_org)
    keep, merged = finding(DISCOVERY), finding(STRENGTH)
    other = finding("No product operations")
    root_causes.add_root_cause(org, other.id, merged.id)  # merged is a root cause of other
    merged_evidence = sorted(e.id for e in merged.evidence)
    linked = list(db.session.scalars(select(Initiative.id).where(
        Initiative.findings.any(Finding.id == merged.id))))
    assert linked

    refused = client.post(f"/orgs/{demo_org}/findings/{keep.id}/merge",
                          data={"other_id": merged.id, "keep": "this"})
    assert refused.status_code == 422 and field_errors(refused.text) == {"confirm"}

    response = client.post(f"/orgs/{demo_org}/findings/{keep.id}/merge",
                           data={"other_id": merged.id, "keep": "this", "confirm": "1"})

    assert response.status_code == 303
    db.session.expire_all()
    kept, gone = db.session.get(Finding, keep.id), db.session.get(Finding, merged.id)
    assert set(merged_evidence) <= {e.id for e in kept.evidence}
    assert gone.evidence == [] and gone.status == "dismissed"
    assert gone.metrics["merged_into"] == kept.id and gone.title == STRENGTH
    for initiative_id in linked:
        ids = {f.id for f in db.session.get(Initiative, initiative_id).findings}
        assert kept.id in ids and merged.id not in ids
    links = set(db.session.execute(select(finding_root_cause.c.root_cause_id,
                                          finding_root_cause.c.symptom_id)))
    assert (kept.id, other.id) in links and not any(merged.id in pair for pair in links)
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.entity == "finding", AuditEvent.entity_id == merged.id)).one()
    assert event.action == "merge" and event.changes["merged_into"] == [None, kept.id]
    assert event.changes["evidence_ids"][0] == merged_evidence
    page = client.get(response.headers["Location"]).text
    assert "merged into" in page
    audit_page = client.get(f"/orgs/{demo_org}/audit?entity=finding&action=merge")
    assert audit_page.status_code == 200
    assert f"finding #{merged.id}" in audit_page.text
    assert '<span class="change-label">Merged into</span>: – → #' in audit_page.text


def test_a_merge_that_would_close_a_root_cause_cycle_is_refused(client, demo_org):
    org = org_of(demo_org)
    a, b, c = finding(DISCOVERY), finding(STRENGTH), finding("No product operations")
    root_causes.add_root_cause(org, c.id, a.id)  # a → c
    root_causes.add_root_cause(org, b.id, c.id)  # c → b: merging a and b closes a → c → a

    response = client.post(f"/orgs/{demo_org}/findings/{a.id}/merge",
                           data={"other_id": b.id, "keep": "this", "confirm": "1"})

    assert response.status_code == 422
    assert "root-cause cycle" in response.text
    assert db.session.get(Finding, b.id).status != "dismissed"


def suggestions(client, org_id: int, assessment_id: int) -> list[Finding]:
    response = client.post(f"/orgs/{org_id}/findings/suggest",
                           data={"assessment_id": assessment_id})
    assert response.status_code == 303
    db.session.expire_all()
    return list(db.session.scalars(select(Finding).where(
        Finding.assessment_id == assessment_id, Finding.status == "suggested")
        .order_by(Finding.id)))


def test_two_suggestions_are_accepted_in_one_post(client, demo_org):
    assessment_id = finding(STRENGTH).assessment_id
    first, second = suggestions(client, demo_org, assessment_id)[:2]
    listed = client.get(f"/orgs/{demo_org}/findings?assessment_id={assessment_id}").text
    assert f'id="suggestion-{first.id}"' in listed and 'id="accept-selected"' in listed

    response = client.post(f"/orgs/{demo_org}/findings/review", data={
        "assessment_id": assessment_id, "status": "accepted",
        "finding_ids": [first.id, second.id]})

    assert response.status_code == 303
    db.session.expire_all()
    assert [db.session.get(Finding, f.id).status for f in (first, second)] == \
        ["accepted", "accepted"]


def test_a_review_with_one_bad_suggestion_changes_none(client, demo_org):
    assessment_id = finding(STRENGTH).assessment_id
    first = suggestions(client, demo_org, assessment_id)[0]
    reviewed = finding(STRENGTH)

    response = client.post(f"/orgs/{demo_org}/findings/review", data={
        "assessment_id": assessment_id, "status": "dismissed",
        "finding_ids": [first.id, reviewed.id]})

    assert response.status_code == 422
    assert f"Not a suggestion awaiting review: {reviewed.id}." in response.text
    assert f'value="{first.id}" id="suggestion-{first.id}"\n             checked' in response.text
    db.session.expire_all()
    assert db.session.get(Finding, first.id).status == "suggested"


@pytest.mark.parametrize("email", ["contributor@novatechna.example",
                                   "sponsor@novatechna.example"])
def test_members_below_ops_read_the_findings_but_cannot_write(app, client, email):
    org_id = seed_demo()
    sign_in(client, email)
    target = finding(DISCOVERY)

    page = client.get(f"/orgs/{org_id}/findings?assessment_id={target.assessment_id}")
    assert page.status_code == 200 and DISCOVERY in page.text
    assert "/edit" not in page.text and 'name="finding_ids"' not in page.text
    for url in (f"/orgs/{org_id}/findings/new", f"/orgs/{org_id}/findings/{target.id}/edit",
                f"/orgs/{org_id}/findings/{target.id}/merge"):
        assert client.get(url).status_code == 403
    assert client.post(f"/orgs/{org_id}/findings/review",
                       data={"status": "accepted", "finding_ids": [target.id]}
                       ).status_code == 403


def test_an_outsider_gets_404(client, demo_org):
    assert client.get(f"/orgs/{demo_org + 1000}/findings").status_code == 404
    assert client.get(f"/orgs/{demo_org + 1000}/findings/new").status_code == 404


def test_the_diagnostic_links_to_the_findings_and_the_initiative_form_has_the_picker(
        client, demo_org):
    assessment_id = finding(STRENGTH).assessment_id

    diagnostic = client.get(f"/orgs/{demo_org}/assessments/{assessment_id}").text
    initiative_form = client.get(f"/orgs/{demo_org}/initiatives/new").text

    assert f'href="/orgs/{demo_org}/findings?assessment_id={assessment_id}"' in diagnostic
    assert re.search(r'<select id="f-finding_ids"[^>]*data-picker', initiative_form)
    assert re.search(r"js/picker\.[0-9a-f]{12}\.js", initiative_form) and re.search(
        r"css/picker\.[0-9a-f]{12}\.css", initiative_form)
