"""Organization export and import: a round trip of the demo gives an identical export."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.builders import Scenario
from tracker.extensions import db
from tracker.models import Organization, Rating
from tracker.services import portability


def _demo_org_id(app) -> int:
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed", "frameworks"]).exit_code == 0
    result = runner.invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    return db.session.scalar(select(Organization.id))


def test_every_org_scoped_table_is_exported_or_deliberately_left_out():
    owned = {t.name for t in db.metadata.tables.values() if "org_id" in t.c} - {"organization"}
    exported = {t.name for t in portability.exported_tables()}

    assert owned - exported == set(portability.NOT_EXPORTED)
    assert set(portability.NOT_EXPORTED) <= owned  # no stale exclusions


def test_the_demo_organization_survives_a_round_trip(app, admin):
    org_id = _demo_org_id(app)
    exported = admin.get(f"/api/v1/orgs/{org_id}/export")
    assert exported.status_code == 200
    document = exported.json
    assert document["format_version"] == 1
    assert document["organization"]["name"] == "NovaTechna"
    assert len(document["assessment"]) == 2 and len(document["rating"]) >= 12 * 32
    assert document["rating"][0]["dimension_id"].startswith("dimension:pom-grid@1:")
    assert "survey_token" not in document["respondent"][0]
    ratings_before = db.session.scalar(select(func.count(Rating.id)))

    created = admin.post("/api/v1/orgs/import", json=document)

    assert created.status_code == 201, created.json
    again = admin.get(f"/api/v1/orgs/{created.json['id']}/export").json
    assert again == document
    assert db.session.scalar(select(func.count(Rating.id))) == 2 * ratings_before


def test_the_importer_becomes_lead_and_a_bad_reference_saves_nothing(lead, admin, make_api):
    scenario = Scenario(lead, admin)
    ann = scenario.add_respondent("Ann")
    scenario.rate([{"respondent_id": ann, "dimension": "a.one", "value": 4}])
    document = lead.get(scenario.url("/export")).json
    other = make_api("other@example.org")

    created = other.post("/api/v1/orgs/import", json=document)
    assert created.status_code == 201, created.json
    members = other.get(f"/api/v1/orgs/{created.json['id']}/members").json["items"]
    assert [(m["email"], m["role"]) for m in members] == [("other@example.org", "lead")]
    orgs_before = db.session.scalar(select(func.count(Organization.id)))

    document["rating"][0]["respondent_id"] = "respondent#9"
    broken = other.post("/api/v1/orgs/import", json=document)
    wrong_version = other.post("/api/v1/orgs/import", json={**document, "format_version": 2})

    assert broken.status_code == 422
    assert broken.json["errors"] == {"respondent#9": ["Unknown reference."]}
    assert wrong_version.status_code == 422
    assert db.session.scalar(select(func.count(Organization.id))) == orgs_before


def test_an_owned_framework_travels_with_its_organization(lead, admin):
    from tests.builders import framework_doc

    scenario = Scenario(lead, admin)
    doc = framework_doc(code="acme-grid", org_id=scenario.org["id"])
    doc["axes"][0]["dimensions"][0]["questions"] = [
        {"code": "a.one.q", "text": "Asked?", "answers": [{"text": "No", "value": 1},
                                                         {"text": "Yes", "value": 5}]}]
    owned = lead.post("/api/v1/frameworks", json=doc)
    assert owned.status_code == 201, owned.json
    assessment = lead.post(scenario.url("/assessments"), json={
        "framework_id": owned.json["id"], "title": "Own grid", "kind": "diagnostic"}).json
    base = scenario.url(f"/assessments/{assessment['id']}")
    ann = lead.post(f"{base}/respondents", json={"name": "Ann"}).json["id"]
    assert lead.put(f"{base}/ratings", json=[
        {"respondent_id": ann, "question": "a.one.q", "value": 5},
        {"respondent_id": ann, "dimension": "b.one", "value": 2}]).status_code == 200
    document = lead.get(scenario.url("/export")).json
    assert sorted((r["dimension_id"], r["value"]) for r in document["rating"]) == [
        ("dimension#1", 5.0), ("dimension#3", 2.0)]  # a.one from its question, b.one
    assert document["answer"][0]["question_id"] == "question#1"

    clash = lead.post("/api/v1/orgs/import", json=document)
    assert clash.status_code == 409  # acme-grid v1 exists on this instance
    db.session.delete(db.session.get(Organization, scenario.org["id"]))
    db.session.commit()
    created = lead.post("/api/v1/orgs/import", json=document)

    assert created.status_code == 201, created.json
    assert lead.get(f"/api/v1/orgs/{created.json['id']}/export").json == document
