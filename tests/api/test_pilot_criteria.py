"""Pilots judged on evidence (DESIGN section 3, "Pilot criteria"): each criterion's verdict
from the latest measurement of its KPI within `[start, end + 14 days]`, the suggested
decision, validation naming the criterion's field, tenancy, and one measurement query."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from tests.builders import Scenario
from tracker.extensions import db


@pytest.fixture
def scenario(lead, admin):
    return Scenario(lead, admin)


def kpi(scenario, api, name: str, direction: str, *readings: tuple[str, float]) -> int:
    created = api.post(scenario.url("/kpis"), json={"name": name, "direction": direction,
                                                    "target": 1})
    assert created.status_code == 201, created.json
    for measured_at, value in readings:
        added = api.post(scenario.url(f"/kpis/{created.json['id']}/measurements"),
                         json={"value": value, "measured_at": measured_at})
        assert added.status_code == 201, added.json
    return int(created.json["id"])


def initiative(scenario, api) -> int:
    created = api.post(scenario.url("/initiatives"), json={"title": "Release autonomy"})
    assert created.status_code == 201, created.json
    return int(created.json["id"])


def pilot(scenario, api, initiative_id: int, **fields):
    return api.post(scenario.url(f"/initiatives/{initiative_id}/pilots"),
                    json={"teams": ["pricing"], "start": "2026-01-01", "end": "2026-03-31",
                          **fields})


def verdicts(body) -> list[tuple[str, float | None, str | None]]:
    return [(v["status"], v["value"], v["measured_at"]) for v in body["verdicts"]]


def test_verdicts_read_the_latest_measurement_in_the_window(scenario, lead):
    # lead time, lower is better, threshold 5: readings 2025-12-20 (3, before the start, out),
    # 2026-02-01 (6), 2026-04-10 (4: end 2026-03-31 + 14 days = 2026-04-14, in) -> 4 <= 5 met
    lead_time = kpi(scenario, lead, "Lead time", "lower_is_better",
                    ("2025-12-20", 3), ("2026-02-01", 6), ("2026-04-10", 4))
    # adoption, higher is better, threshold 0.8: 2026-03-01 (0.7), 2026-04-20 (0.9, after
    # 2026-04-14, out) -> latest in the window 0.7 < 0.8 not met
    adoption = kpi(scenario, lead, "Adoption", "higher_is_better",
                   ("2026-03-01", 0.7), ("2026-04-20", 0.9))
    created = pilot(scenario, lead, initiative(scenario, lead), criteria=[
        {"kpi_id": lead_time, "threshold": 5}, {"kpi_id": adoption, "threshold": 0.8}])

    assert created.status_code == 201, created.json
    assert created.json["criteria"] == [{"kpi_id": lead_time, "threshold": 5.0},
                                        {"kpi_id": adoption, "threshold": 0.8}]
    assert verdicts(created.json) == [("met", 4.0, "2026-04-10"),
                                      ("not_met", 0.7, "2026-03-01")]
    # one met, one not: adjust
    assert created.json["suggested_decision"] == "adjust"


def test_the_suggested_decision_follows_the_verdicts(scenario, lead):
    # cycle time 8 on 2026-02-15, lower is better
    cycle = kpi(scenario, lead, "Cycle time", "lower_is_better", ("2026-02-15", 8))
    empty = kpi(scenario, lead, "Never measured", "higher_is_better")
    initiative_id = initiative(scenario, lead)
    cases = [([(cycle, 8)], "generalize"),  # 8 <= 8: met (equal counts)
             ([(cycle, 7.5)], "stop"),  # 8 > 7.5: not met, none met
             ([(cycle, 9), (empty, 1)], None),  # one no_data: no suggestion yet
             ([], None)]  # nothing to judge on
    for pairs, expected in cases:
        created = pilot(scenario, lead, initiative_id,
                        criteria=[{"kpi_id": k, "threshold": t} for k, t in pairs])
        assert created.status_code == 201, created.json
        assert created.json["suggested_decision"] == expected, pairs
    listed = lead.get(scenario.url(f"/initiatives/{initiative_id}/pilots")).json["items"]
    assert [p["suggested_decision"] for p in listed] == ["generalize", "stop", None, None]
    assert [v["status"] for v in listed[2]["verdicts"]] == ["met", "no_data"]
    assert listed[2]["verdicts"][1] == {"kpi_id": empty, "threshold": 1.0, "status": "no_data",
                                        "value": None, "measured_at": None}


def test_a_patch_changes_the_criteria_and_the_old_free_text_stays(scenario, lead):
    cycle = kpi(scenario, lead, "Cycle time", "lower_is_better", ("2026-02-15", 8))
    created = pilot(scenario, lead, initiative(scenario, lead), kpi="cycle time",
                    threshold=10, success_criteria="shorter cycles")
    assert created.json["verdicts"] == [] and created.json["suggested_decision"] is None
    changed = lead.patch(scenario.url(f"/pilots/{created.json['id']}"),
                         json={"criteria": [{"kpi_id": cycle, "threshold": 10}]})
    assert changed.status_code == 200, changed.json
    # 8 <= 10: met, all met
    assert changed.json["suggested_decision"] == "generalize"
    assert (changed.json["kpi"], changed.json["threshold"],
            changed.json["success_criteria"]) == ("cycle time", 10.0, "shorter cycles")
    # a pilot without a start has no window: no_data
    unstarted = lead.patch(scenario.url(f"/pilots/{created.json['id']}"), json={"start": None})
    assert verdicts(unstarted.json) == [("no_data", None, None)]


@pytest.mark.parametrize("criteria,field", [
    ([{"kpi_id": 999999, "threshold": 1}], "criteria[0].kpi_id"),
    ([{"kpi_id": "KPI", "threshold": 1}], "criteria[0].kpi_id"),
    ([{"threshold": 1}], "criteria[0].kpi_id"),
    ([{"kpi_id": 1, "threshold": "high"}], "criteria[0].threshold"),
    ([{"kpi_id": 1}], "criteria[0].threshold"),
])
def test_a_bad_criterion_is_refused_naming_its_field(scenario, lead, criteria, field):
    own = kpi(scenario, lead, "Lead time", "lower_is_better")
    rows = [{**c, "kpi_id": own} if c.get("kpi_id") == 1 else c for c in criteria]
    refused = pilot(scenario, lead, initiative(scenario, lead), criteria=rows)
    assert refused.status_code == 422, refused.json
    assert field in refused.json["errors"], refused.json


def test_another_organizations_kpi_or_an_archived_one_is_refused(scenario, lead):
    other_org = lead.post("/api/v1/orgs", json={"name": "Other"}).json["id"]
    foreign = lead.post(f"/api/v1/orgs/{other_org}/kpis", json={
        "name": "Theirs", "direction": "higher_is_better", "target": 1}).json["id"]
    own = kpi(scenario, lead, "Ours", "higher_is_better")
    archived = kpi(scenario, lead, "Old", "higher_is_better")
    lead.post(scenario.url(f"/kpis/{archived}/archive"))
    initiative_id = initiative(scenario, lead)

    refused = pilot(scenario, lead, initiative_id, criteria=[
        {"kpi_id": own, "threshold": 1}, {"kpi_id": foreign, "threshold": 1},
        {"kpi_id": archived, "threshold": 1}])

    assert refused.status_code == 422, refused.json
    assert set(refused.json["errors"]) == {"criteria[1].kpi_id", "criteria[2].kpi_id"}
    created = pilot(scenario, lead, initiative_id)
    patched = lead.patch(scenario.url(f"/pilots/{created.json['id']}"),
                         json={"criteria": [{"kpi_id": foreign, "threshold": 1}]})
    assert patched.status_code == 422 and "criteria[0].kpi_id" in patched.json["errors"]


def test_the_list_reads_every_measurement_in_one_query(scenario, lead):
    initiative_id = initiative(scenario, lead)
    for n in range(4):
        measured = kpi(scenario, lead, f"KPI {n}", "higher_is_better", ("2026-02-01", n))
        pilot(scenario, lead, initiative_id, criteria=[{"kpi_id": measured, "threshold": 2}])
    statements: list[str] = []

    def count(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        listed = lead.get(scenario.url(f"/initiatives/{initiative_id}/pilots")).json
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    # values 0, 1, 2, 3 against 2 (higher is better): stop, stop, generalize, generalize
    assert [p["suggested_decision"] for p in listed["items"]] == [
        "stop", "stop", "generalize", "generalize"]
    assert len([s for s in statements if "FROM measurement" in s]) == 1


def test_pilots_awaiting_a_decision(scenario, lead, app):
    from tracker.models import Organization
    from tracker.services.decide.pilots import pilots_awaiting_decision

    cycle = kpi(scenario, lead, "Cycle time", "lower_is_better", ("2026-02-15", 8))
    initiative_id = initiative(scenario, lead)
    # all verdicts in (8 <= 9 met), no decision: awaiting
    judged = pilot(scenario, lead, initiative_id, end="2099-12-31",
                   criteria=[{"kpi_id": cycle, "threshold": 9}]).json["id"]
    # ended 2026-03-31 (past), no criterion: awaiting
    ended = pilot(scenario, lead, initiative_id).json["id"]
    # still running, no measurement yet for its KPI: not awaiting
    empty = kpi(scenario, lead, "Empty", "lower_is_better")
    pilot(scenario, lead, initiative_id, end="2099-12-31",
          criteria=[{"kpi_id": empty, "threshold": 9}])
    # decided: not awaiting
    decided = pilot(scenario, lead, initiative_id).json["id"]
    lead.patch(scenario.url(f"/pilots/{decided}"),
               json={"decision": "adjust", "decision_date": "2026-04-20"})
    with app.app_context():
        org = db.session.get(Organization, scenario.org["id"])
        awaiting = pilots_awaiting_decision(org)
        assert [p.id for p in awaiting] == [ended, judged]
        assert awaiting[1].suggested_decision == "generalize"
