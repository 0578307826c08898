"""The decision log: committee decisions with their links, search, filters, pagination,
pilot go/no-go decisions listed beside them, CSV export."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from tracker.extensions import db
from tracker.models import Initiative, Pilot


@pytest.fixture
def org(lead):
    org = lead.post("/api/v1/orgs", json={"name": "Acme"}).json
    org["url"] = f"/api/v1/orgs/{org['id']}/decisions"
    return org


def _decide(lead, org, title, committee, day, **extra):
    response = lead.post(org["url"], json={"title": title, "committee": committee,
                                           "decided_on": day, **extra})
    assert response.status_code == 201, response.json
    return response.json


def _pilot(org_id: int) -> tuple[int, int]:
    initiative = Initiative(org_id=org_id, title="Release autonomy")
    db.session.add(initiative)
    db.session.flush()
    pilot = Pilot(org_id=org_id, initiative_id=initiative.id, teams=["pricing"],
                  status="succeeded", decision="generalize", decision_date=date(2026, 9, 30),
                  decided_by="Portfolio committee", rationale="Lead time fell from 7 to 4 days.")
    db.session.add(pilot)
    db.session.commit()
    return initiative.id, pilot.id


def test_a_decision_is_logged_with_its_links_and_read_back(lead, org):
    initiative_id, pilot_id = _pilot(org["id"])
    finding = lead.post(f"/api/v1/orgs/{org['id']}/findings",
                        json={"kind": "gap", "title": "No discovery", "dimensions": []}).json

    created = _decide(lead, org, "Launch the transformation", "strategic", "2026-05-28",
                      participants=["CPO", "CTO"], rationale="Feature factory.",
                      initiative_ids=[initiative_id], pilot_ids=[pilot_id],
                      finding_ids=[finding["id"]])

    assert created["kind"] == "decision"
    read = lead.get(f"{org['url']}/{created['id']}").json
    assert read == created
    assert read["participants"] == ["CPO", "CTO"]
    assert (read["initiative_ids"], read["pilot_ids"], read["finding_ids"]) == (
        [initiative_id], [pilot_id], [finding["id"]])


def test_unknown_links_and_committees_are_refused(lead, org):
    response = lead.post(org["url"], json={"title": "X", "committee": "strategic",
                                           "decided_on": "2026-01-01",
                                           "initiative_ids": [999], "finding_ids": [998]})
    assert response.status_code == 422
    assert response.json["errors"] == {"initiative_ids": ["Initiative 999 not found."],
                                       "finding_ids": ["Finding 998 not found."]}
    bad = lead.post(org["url"], json={"title": "X", "committee": "board",
                                      "decided_on": "2026-01-01"})
    assert bad.status_code == 422 and "committee" in bad.json["errors"]
    assert lead.get(org["url"]).json["total"] == 0


def test_the_log_lists_pilot_decisions_and_filters_search_and_paginates(lead, org):
    _, pilot_id = _pilot(org["id"])
    launch = _decide(lead, org, "Launch the transformation", "strategic", "2026-05-28",
                     rationale="The diagnostic shows a feature factory.")
    wave = _decide(lead, org, "Approve the first wave", "portfolio", "2026-06-09",
                   rationale="Quick wins first, roles before product ops.")
    pricing = _decide(lead, org, "Run the pricing pilot", "operational", "2026-07-02")

    log = lead.get(org["url"]).json
    # newest first: the pilot's go decision (2026-09-30) then the three decisions
    assert [(e["kind"], e["id"]) for e in log["items"]] == [
        ("pilot", pilot_id), ("decision", pricing["id"]), ("decision", wave["id"]),
        ("decision", launch["id"])]
    pilot = log["items"][0]
    assert pilot["decision"] == "generalize" and pilot["committee"] == "operational"
    assert pilot["title"] == "Pilot of “Release autonomy”: generalize"
    assert pilot["participants"] == ["Portfolio committee"]

    def ids(**query):
        return [e["id"] for e in lead.get(org["url"], query_string=query).json["items"]]

    assert ids(q="FEATURE factory") == [launch["id"]]
    assert ids(q="lead time") == [pilot_id]
    assert ids(committee="operational") == [pilot_id, pricing["id"]]
    assert ids(**{"from": "2026-06-01", "to": "2026-07-31"}) == [pricing["id"], wave["id"]]
    page = lead.get(org["url"], query_string={"page": 2, "per_page": 3}).json
    assert page["total"] == 4 and [e["id"] for e in page["items"]] == [launch["id"]]


def test_the_log_exports_as_csv(lead, org):
    _decide(lead, org, "Launch, at last", "strategic", "2026-05-28",
            participants=["CPO", "CTO"], rationale="Line one\nline two")

    response = lead.get(f"{org['url']}.csv")

    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert len(rows) == 1
    assert rows[0]["title"] == "Launch, at last"
    assert rows[0]["participants"] == "CPO; CTO"
    assert rows[0]["rationale"] == "Line one\nline two"
    assert rows[0]["kind"] == "decision" and rows[0]["decided_on"] == "2026-05-28"


def test_a_decision_of_another_organization_is_not_found(lead, org):
    other = lead.post("/api/v1/orgs", json={"name": "Other"}).json
    theirs = _decide(lead, {"url": f"/api/v1/orgs/{other['id']}/decisions"}, "Theirs",
                     "strategic", "2026-01-01")
    assert lead.get(f"{org['url']}/{theirs['id']}").status_code == 404
