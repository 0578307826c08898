"""The decision log page and the pilot forms of the initiative page, rendered server-side on
the demo organization: search, filters, pages, CSV, the create form, pilot decisions."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.web_helpers import XSS, seed_demo, sign_in
from tracker.extensions import db
from tracker.models import Decision, Initiative, Organization, Pilot


@pytest.fixture
def demo_org(app) -> int:
    return seed_demo()


def rows(page: str) -> list[tuple[str, int]]:
    return [(k, int(i)) for k, i in re.findall(r'<tr data-kind="(\w+)" data-id="(\d+)"', page)]


def test_the_log_lists_committee_and_pilot_decisions_newest_first(client, demo_org):
    sign_in(client, "sponsor@novatechna.example")
    page = client.get(f"/orgs/{demo_org}/decisions")
    assert page.status_code == 200 and "Decision log" in page.text
    listed = rows(page.text)
    # three committee decisions of the demo and the generalized release autonomy pilot
    assert listed[0] == ("pilot", 1) and sorted(k for k, _ in listed) == [
        "decision", "decision", "decision", "pilot"]
    assert 'id="decision-form"' not in page.text
    assert f"/orgs/{demo_org}/decisions" in page.text  # in the menu
    assert client.post(f"/orgs/{demo_org}/decisions", data={"title": "x"}).status_code == 403


def test_search_committee_and_date_filters_and_csv(client, demo_org):
    sign_in(client, "lead@novatechna.example")
    base = f"/orgs/{demo_org}/decisions"
    # the committee decision and the pilot's own go decision both speak of the pricing pilot
    assert rows(client.get(f"{base}?q=pilot+pricing").text) == [("pilot", 1), ("decision", 3)]
    assert rows(client.get(f"{base}?q=pilot+pricing+three-month").text) == [("decision", 3)]
    assert rows(client.get(f"{base}?committee=strategic").text) == [("decision", 1)]
    dated = rows(client.get(f"{base}?from=2026-06-01&to=2026-06-30").text)
    assert dated == [("decision", 2)]
    bad = client.get(f"{base}?from=yesterday")
    assert bad.status_code == 200 and len(rows(bad.text)) == 4
    csv = client.get(f"{base}.csv?committee=portfolio")
    lines = csv.get_data().decode("utf-8-sig").splitlines()
    assert csv.mimetype == "text/csv" and lines[0].startswith("kind,id,decided_on")
    assert len(lines) == 2 and "Approve the first wave" in lines[1]


def test_ops_log_a_decision_with_links_and_errors_show_next_to_fields(client, demo_org):
    sign_in(client, "ops@novatechna.example")
    base = f"/orgs/{demo_org}/decisions"
    refused = client.post(base, data={"title": "", "committee": "board",
                                      "decided_on": "2026-13-01"})
    assert refused.status_code == 422 and refused.text.count('class="field-error"') >= 3
    created = client.post(base, data={
        "title": f"Fund teams {XSS}", "committee": "portfolio", "decided_on": "2026-11-02",
        "participants": "Léa Vidal, Hugo Mercier", "rationale": "Outcome budgets.",
        "initiative_ids": ["2", "4"], "finding_ids": ["8"], "pilot_ids": ["1"]})
    assert created.status_code == 303, created.text
    decision = db.session.query(Decision).order_by(Decision.id.desc()).first()
    assert (decision.participants, decision.initiative_ids, decision.pilot_ids,
            decision.finding_ids) == (["Léa Vidal", "Hugo Mercier"], [2, 4], [1], [8])
    page = client.get(base).text
    assert rows(page)[0] == ("decision", decision.id) and XSS not in page
    other = Organization(name="Elsewhere")
    db.session.add(other)
    db.session.commit()
    assert client.get(f"/orgs/{other.id}/decisions").status_code == 404


def test_the_log_is_paginated(client, demo_org):
    for day in range(1, 25):
        db.session.add(Decision(org_id=demo_org, title=f"Weekly {day}", committee="operational",
                                decided_on=date(2026, 8, day), participants=[]))
    db.session.commit()
    sign_in(client, "lead@novatechna.example")
    first = client.get(f"/orgs/{demo_org}/decisions").text
    second = client.get(f"/orgs/{demo_org}/decisions?page=2").text
    assert len(rows(first)) == 20 and len(rows(second)) == 8
    assert "Page 1 of 2" in first and "page=2" in first and not set(rows(first)) & set(
        rows(second))


def test_a_pilot_is_created_started_and_decided_from_the_initiative_page(client, demo_org):
    initiative = Initiative(org_id=demo_org, title="Outcome reviews")
    db.session.add(initiative)
    db.session.commit()
    initiative_id = initiative.id
    sign_in(client, "ops@novatechna.example")
    page = f"/orgs/{demo_org}/initiatives/{initiative_id}"
    assert 'id="pilot-form"' in client.get(page).text
    bad = client.post(f"{page}/pilots", data={"teams": "claims", "threshold": "many"})
    assert bad.status_code == 422 and 'class="field-error"' in bad.text
    created = client.post(f"{page}/pilots", data={
        "teams": "claims, pricing", "hypothesis": "Reviews shift talk to outcomes",
        "success_criteria": "Two outcome reviews a month", "kpi": "reviews", "threshold": "2",
        "start": "2026-12-01", "end": "2027-02-28", "status": "planned"})
    assert created.status_code == 303, created.text
    pilot = db.session.query(Pilot).filter_by(initiative_id=initiative_id).one()
    assert pilot.teams == ["claims", "pricing"] and pilot.threshold == 2
    pilot_id = pilot.id
    assert client.post(f"/orgs/{demo_org}/pilots/{pilot_id}",
                       data={"status": "running"}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Initiative, initiative_id).status == "piloting"
    decided = client.post(f"/orgs/{demo_org}/pilots/{pilot_id}", data={
        "decision": "stop", "decision_date": "2027-03-01", "rationale": "No change",
        "decided_by": "Léa Vidal", "keep_initiative": "on"})
    assert decided.status_code == 303
    db.session.expire_all()
    assert db.session.get(Initiative, initiative_id).status == "proposed"
    log = client.get(f"/orgs/{demo_org}/decisions").text
    assert ("pilot", pilot_id) in rows(log)


def test_viewers_see_no_pilot_controls(client, demo_org):
    sign_in(client, "sponsor@novatechna.example")
    page = client.get(f"/orgs/{demo_org}/initiatives/4").text
    assert 'id="pilot-form"' not in page and 'class="pilot-decision"' not in page
    assert client.post(f"/orgs/{demo_org}/pilots/1", data={"status": "failed"}).status_code == 403
