"""Values written before they were checked, or by an import, never break a read, and every
move of an assessment is in the organization's audit log."""

from __future__ import annotations

from sqlalchemy import update

from tests.builders import Scenario
from tracker.extensions import db
from tracker.models import Organization


def _store_bad_zone(org_id: int) -> None:
    db.session.execute(update(Organization).where(Organization.id == org_id)
                       .values(timezone="Bad/Zone"))
    db.session.commit()


def test_an_unknown_stored_time_zone_reads_as_utc_in_plans_and_lifecycles(lead, admin):
    scenario = Scenario(lead, admin)
    initiative = lead.post(scenario.url("/initiatives"),
                           json={"title": "Role cards", "duration_weeks": 4}).json
    _store_bad_zone(scenario.org["id"])
    assert lead.get(scenario.url("/roadmap")).status_code == 200
    url = scenario.url(f"/initiatives/{initiative['id']}")
    assert lead.patch(url, json={"status": "approved"}).status_code == 200
    moved = lead.patch(url, json={"status": "in_progress"})
    assert moved.status_code == 200, moved.json
    opened = lead.patch(scenario.assessment_url(), json={"status": "open"})
    assert opened.status_code == 200, opened.json


def test_an_imported_organization_name_is_one_line(lead):
    document = {"format_version": 1, "organization": {"name": "Acme\r\nBcc: x@evil.test"}}
    response = lead.post("/api/v1/orgs/import", json=document)
    assert response.status_code == 422, response.json
    assert "organization.name" in response.json["errors"]
    assert lead.get("/api/v1/orgs").json["total"] == 0


def test_opening_and_closing_an_assessment_are_in_the_audit_log(lead, admin):
    scenario = Scenario(lead, admin)
    assert lead.patch(scenario.assessment_url(), json={"status": "open"}).status_code == 200
    assert lead.patch(scenario.assessment_url(), json={"status": "closed"}).status_code == 200
    log = lead.get(scenario.url("/audit?entity=assessment")).json
    moves = [(item["action"], item["changes"]) for item in log["items"]]
    assert moves == [("close", {"status": ["open", "closed"]}),
                     ("open", {"status": ["draft", "open"]})]
    corrections = lead.get(scenario.assessment_url()).json.get("corrections", [])
    assert corrections == []
