"""Organization export and import: a round trip of the demo gives an identical export."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from tests.builders import Scenario
from tracker.extensions import db
from tracker.models import Organization, Rating
from tracker.services.tenancy import portability


def _demo_org_id(app) -> int:
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed", "frameworks"]).exit_code == 0
    result = runner.invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    return db.session.scalars(select(Organization.id)
                              .where(Organization.name == "NovaTechna")).one()


def _reaching_an_organization() -> set[str]:
    """Tables with an `org_id`, or whose foreign keys reach one, directly or via a parent."""
    reaching = {name for name, t in db.metadata.tables.items() if "org_id" in t.c}
    grew = True
    while grew:
        more = {name for name, t in db.metadata.tables.items()
                if any(fk.column.table.name in reaching for fk in t.foreign_keys)}
        grew = not more <= reaching
        reaching |= more
    return reaching - {"organization"}


def test_every_table_is_exported_or_deliberately_left_out():
    exported = {t.name for t in portability.exported_tables()}
    left_out = set(portability.NOT_EXPORTED)

    assert exported | left_out == set(db.metadata.tables) - {"organization"}
    assert exported.isdisjoint(left_out)
    assert _reaching_an_organization() - left_out <= exported
    assert {"finding_root_cause", "finding_dimension", "finding_evidence", "evidence_dimension",
            "initiative_finding", "kpi_dimension", "uplift", "criterion_score", "rater_input",
            "baseline_item", "answer", "question"} <= exported
    assert all(reason.strip() for reason in portability.NOT_EXPORTED.values())


def test_every_reference_of_an_exported_table_is_translated():
    """An integer `*_id` column without a foreign key would travel as a raw id of the
    original organization: it must be declared a soft reference."""
    for table in portability.exported_tables():
        for column in table.columns:
            if column.name.endswith("_id") and not column.foreign_keys:
                assert (table.name, column.name) in portability.SOFT_REFERENCES, column
    assert all(target in db.metadata.tables
               for target in portability.SOFT_REFERENCES.values())


def test_every_foreign_key_of_an_export_stays_inside_it():
    """A link out of the export could only travel as a natural key, and only shared grids
    have one (an account, for instance, never: an import cannot name another user)."""
    exported = {t.name for t in portability.exported_tables()}
    for table in portability.exported_tables():
        for fk in table.foreign_keys:
            assert fk.column.table.name in exported | {"organization"}, fk
    assert set(portability.NATURAL_KEYED) <= exported
    assert portability.grid_tables() == {"axis", "scale_level", "dimension", "question"}


def _by_title(items: list[dict[str, Any]], *keys: str) -> list[tuple[Any, ...]]:
    return sorted(tuple(item[key] for key in keys) for item in items)


def _computed(api, org_id: int, baseline_id: int) -> dict[str, Any]:
    """Results computed from the organization's records, without their ids."""
    base = f"/api/v1/orgs/{org_id}"
    roadmap = api.get(f"{base}/roadmap").json
    barometer = api.get(f"{base}/barometer").json
    compare = api.get(f"{base}/roadmap/baselines/{baseline_id}/compare").json
    return {
        "backlog": {method: [(i["rank"], i["title"], i["score"]) for i in api.get(
            f"{base}/backlog", query_string={"method": method, "per_page": 100}).json["items"]]
            for method in ("wsjf", "rice", "ice", "scorecard", "gap")},
        "makespan": (roadmap["start"], roadmap["end"], roadmap["makespan_weeks"]),
        "plan": _by_title(roadmap["initiatives"], "title", "start", "end"),
        "barometer": [(p["title"], p["overall"], p["delta_previous"], p["progress_to_target"])
                      for p in barometer["assessments"]],
        "slips": sorted((s["title"] or "", s["baseline_end"] or "", s["current_end"] or "",
                          s["slip_weeks"] or 0.0, s["status"]) for s in compare["items"]),
    }


def _enrich_demo(api, org_id: int) -> int:
    """What the demo leaves empty: a scorecard, a rater, a KPI's dimensions; and an
    initiative deleted after the baseline was saved (its baseline item outlives it)."""
    base = f"/api/v1/orgs/{org_id}"
    initiatives = api.get(f"{base}/initiatives", query_string={"per_page": 100}).json["items"]
    assert api.put(f"{base}/scorecard", json={"criteria": [
        {"code": "reach", "kind": "benefit", "weight": 2.0},
        {"code": "cost", "kind": "cost", "weight": 1.0}]}).status_code == 200
    for n, initiative in enumerate(initiatives[:3], start=1):
        assert api.patch(f"{base}/initiatives/{initiative['id']}", json={
            "criteria": {"reach": float(n), "cost": 4.0 - n}}).status_code == 200
    assert api.put(f"{base}/initiatives/{initiatives[1]['id']}/ratings/ann", json={
        "business_value": 5.0, "job_size": 3.0}).status_code == 200
    kpi = api.get(f"{base}/kpis").json["items"][0]
    assert api.patch(f"{base}/kpis/{kpi['id']}", json={
        "dimensions": ["practices.discovery"]}).status_code == 200
    assert api.delete(f"{base}/initiatives/{initiatives[-1]['id']}").status_code == 204
    return api.get(f"{base}/roadmap/baselines").json["items"][0]["id"]


def test_the_demo_organization_survives_a_round_trip(app, admin):
    org_id = _demo_org_id(app)
    baseline_id = _enrich_demo(admin, org_id)
    exported = admin.get(f"/api/v1/orgs/{org_id}/export")
    assert exported.status_code == 200
    document = exported.json
    assert document["format_version"] == 1
    assert document["organization"]["name"] == "NovaTechna"
    # the pom-grid diagnostic and pulse, and the tom-layers self-assessment
    assert len(document["assessment"]) == 3 and len(document["rating"]) >= 12 * 32
    assert document["rating"][0]["dimension_id"].startswith("dimension:pom-grid@1:")
    assert "survey_token" not in document["respondent"][0]
    empty = {t.name for t in portability.exported_tables() if not document[t.name]}
    assert empty <= {"framework", "axis", "scale_level", "dimension", "question", "answer",
                     "playbook_template"}  # the demo uses the shared grid, built-in templates
    assert document["finding_root_cause"][0]["symptom_id"].startswith("finding#")
    assert {item["initiative_id"] for item in document["baseline_item"]} == {
        *(f"initiative#{n}" for n in range(1, len(document["initiative"]) + 1)),
        "initiative#gone-1"}
    ratings_before = db.session.scalar(select(func.count(Rating.id)))

    created = admin.post("/api/v1/orgs/import", json=document)

    assert created.status_code == 201, created.json
    copy_id = created.json["id"]
    assert copy_id != org_id
    again = admin.get(f"/api/v1/orgs/{copy_id}/export").json
    assert again == document
    assert db.session.scalar(select(func.count(Rating.id))) == \
        ratings_before + len(document["rating"])
    copy_baseline = admin.get(f"/api/v1/orgs/{copy_id}/roadmap/baselines").json["items"][0]
    original = _computed(admin, org_id, baseline_id)
    assert original["makespan"][2] > 0 and original["barometer"][0][1] is not None
    assert "removed" in {slip[-1] for slip in original["slips"]}
    assert _computed(admin, copy_id, copy_baseline["id"]) == original


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


def test_an_import_checks_time_zones_and_value_types(lead):
    """An import is an edge like the others: a zone the scheduler cannot load, or a value
    that one database would store and another refuse, is a field error."""
    base = {"format_version": 1, "organization": {"name": "Acme"}}
    bad_zone = lead.post("/api/v1/orgs/import", json={
        **base, "organization": {"name": "Acme", "timezone": "Bad/Zone"}})
    bad_schedule = lead.post("/api/v1/orgs/import", json={**base, "schedule": [
        {"ref": "schedule#1", "kind": "barometer", "cron": "0 8 1 * *",
         "timezone": "Mars/Olympus", "recipients": []}]})
    too_long = lead.post("/api/v1/orgs/import", json={
        **base, "kpi": [{"ref": "kpi#1", "name": "x" * 201, "unit": "%",
                         "direction": "up", "target": 1.0}]})
    naive = lead.post("/api/v1/orgs/import", json={**base, "initiative": [
        {"ref": "initiative#1", "title": "T", "archived_at": "2026-01-01T00:00:00"}]})

    assert bad_zone.json["errors"] == {"organization.timezone": [
        "Expected an IANA time zone, e.g. Europe/Paris."]}
    assert set(bad_schedule.json["errors"]) == {"schedule.timezone"}
    assert set(too_long.json["errors"]) == {"kpi.name"}
    assert set(naive.json["errors"]) == {"initiative.archived_at"}
    assert db.session.scalar(select(func.count(Organization.id))) == 0


def test_pilot_criteria_travel_as_references_and_a_forged_kpi_id_is_refused(lead, admin):
    scenario = Scenario(lead, admin)
    base = scenario.url()
    kpi = lead.post(f"{base}/kpis", json={"name": "Lead time", "unit": "days",
                                           "direction": "lower_is_better", "target": 5}).json
    initiative = lead.post(f"{base}/initiatives", json={"title": "Autonomy"}).json
    pilot = lead.post(f"{base}/initiatives/{initiative['id']}/pilots", json={
        "teams": ["pricing"], "criteria": [{"kpi_id": kpi["id"], "threshold": 5}]})
    assert pilot.status_code == 201, pilot.json
    document = lead.get(scenario.url("/export")).json
    assert document["pilot"][0]["criteria"] == [{"kpi_id": "kpi#1", "threshold": 5}]

    created = lead.post("/api/v1/orgs/import", json=document)
    assert created.status_code == 201, created.json
    copy = created.json["id"]
    copied_kpi = lead.get(f"/api/v1/orgs/{copy}/kpis").json["items"][0]["id"]
    copied_pilot = lead.get(f"/api/v1/orgs/{copy}/initiatives").json["items"][0]["id"]
    pilots = lead.get(f"/api/v1/orgs/{copy}/initiatives/{copied_pilot}/pilots").json["items"]
    assert pilots[0]["criteria"][0]["kpi_id"] == copied_kpi != kpi["id"]

    # an id of the original organization's KPI is not a reference of the document
    document["pilot"][0]["criteria"] = [{"kpi_id": kpi["id"], "threshold": 5}]
    forged = lead.post("/api/v1/orgs/import", json=document)
    assert forged.status_code == 422
    assert "pilot.criteria" in forged.json["errors"]
