"""The barometer: closed assessments in time order with deltas and progress to target,
loaded in a constant number of queries; realized uplift of done initiatives."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import event

from tests.builders import Scenario
from tracker.extensions import db
from tracker.models import Assessment, Initiative, Target, Uplift
from tracker.services.frame import frameworks

EXACT = {"abs": 1e-12}
# test grid: axis a (weight 1: a.one w1, a.two w3), axis b (weight 2: b.one, b.two)
FIRST = {"a.one": 2, "a.two": 2, "b.one": 1, "b.two": 3}    # a 2, b 2, overall 2
SECOND = {"a.one": 3, "a.two": 2, "b.one": 2, "b.two": 3}   # a 2.25, b 2.5, overall 7.25/3


def _campaign(scenario, lead, title, values, closed_on):
    """An assessment with one respondent rating `values`, closed on `closed_on`."""
    if title == "Diagnostic":
        assessment_id = scenario.assessment["id"]
    else:
        assessment_id = lead.post(scenario.url("/assessments"), json={
            "framework_id": scenario.framework["id"], "title": title, "kind": "pulse"}).json["id"]
    base = scenario.url(f"/assessments/{assessment_id}")
    assert lead.patch(base, json={"status": "open"}).status_code == 200
    respondent = lead.post(f"{base}/respondents", json={"name": "Ann"}).json["id"]
    rows = [{"respondent_id": respondent, "dimension": c, "value": v} for c, v in values.items()]
    assert lead.put(f"{base}/ratings", json=rows).status_code == 200
    assert lead.patch(base, json={"status": "closed"}).status_code == 200
    db.session.get(Assessment, assessment_id).closed_at = datetime.combine(
        closed_on, datetime.min.time(), tzinfo=UTC)
    db.session.commit()
    return assessment_id


def _targets(scenario, levels):
    framework = frameworks.load_framework(scenario.framework["id"])
    dims = frameworks.dimensions_by_code(framework)
    db.session.add_all(Target(org_id=scenario.org["id"], dimension_id=dims[c].id, level=v,
                              valid_from=date(2026, 1, 1)) for c, v in levels.items())
    db.session.commit()
    return dims


@pytest.fixture
def two_campaigns(lead, admin):
    scenario = Scenario(lead, admin)
    first = _campaign(scenario, lead, "Diagnostic", FIRST, date(2026, 5, 29))
    second = _campaign(scenario, lead, "Pulse", SECOND, date(2026, 9, 18))
    dims = _targets(scenario, {"a.one": 4, "a.two": 4, "b.one": 3, "b.two": 3})
    return scenario, first, second, dims


def test_the_barometer_lists_closed_assessments_in_time_order_with_deltas(two_campaigns, lead):
    scenario, first, second, _ = two_campaigns
    body = lead.get(scenario.url("/barometer")).json
    assert body["projected"] == []
    assert [p["id"] for p in body["assessments"]] == [first, second]
    one, two = body["assessments"]
    assert one["overall"] == 2.0
    assert one["delta_previous"] is None and one["delta_first"] == 0
    assert two["overall"] == pytest.approx(7.25 / 3, **EXACT)
    assert two["delta_previous"] == pytest.approx(1.25 / 3, **EXACT)
    assert two["delta_first"] == pytest.approx(1.25 / 3, **EXACT)
    # overall target (1·4 + 2·3) / 3 = 10/3: progress (7.25/3 - 2) / (10/3 - 2) = 0.3125
    assert two["progress_to_target"] == pytest.approx(0.3125, **EXACT)
    # gaps 1 + 2 + 1 + 0 over targets 14
    assert two["percent_to_target"] == pytest.approx(1 - 4 / 14, **EXACT)
    axes = {a["code"]: a for a in two["axes"]}
    assert (axes["a"]["score"], axes["a"]["delta_previous"]) == (2.25, 0.25)
    assert (axes["b"]["score"], axes["b"]["delta_previous"]) == (2.5, 0.5)
    dims = {d["code"]: d["delta_previous"] for d in axes["a"]["dimensions"]}
    assert dims == {"a.one": 1.0, "a.two": 0.0}


def test_open_assessments_are_not_on_the_barometer(two_campaigns, lead):
    scenario, first, second, _ = two_campaigns
    lead.post(scenario.url("/assessments"), json={
        "framework_id": scenario.framework["id"], "title": "Still open", "kind": "pulse"})
    body = lead.get(scenario.url(f"/barometer?framework_id={scenario.framework['id']}")).json
    assert [p["id"] for p in body["assessments"]] == [first, second]


def test_an_organization_without_closed_assessments_has_an_empty_barometer(lead, admin):
    scenario = Scenario(lead, admin)
    assert lead.get(scenario.url("/barometer")).json["assessments"] == []
    assert lead.get(scenario.url("/barometer/uplifts")).json["initiatives"] == []


def test_the_barometer_loads_in_a_constant_number_of_queries(lead, admin):
    scenario = Scenario(lead, admin)
    _campaign(scenario, lead, "Diagnostic", FIRST, date(2026, 1, 10))
    counts = []
    for k in range(3):
        _campaign(scenario, lead, f"Pulse {k}", SECOND, date(2026, 3 + k, 10))
        counts.append(_queries(lambda: lead.get(scenario.url("/barometer"))))
    assert counts[0] == counts[1] == counts[2]


def _queries(call) -> int:
    """How many SQL statements `call` runs."""
    statements = []

    def count(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert call().status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def _initiative(scenario, title, status, start, end, uplifts, dims):
    initiative = Initiative(org_id=scenario.org["id"], title=title, status=status,
                            actual_start=start, actual_end=end)
    initiative.uplifts = [Uplift(dimension_id=dims[c].id, expected=e) for c, e in uplifts.items()]
    db.session.add(initiative)
    db.session.commit()
    return initiative.id


def test_realized_uplift_compares_the_assessments_around_a_done_initiative(two_campaigns,
                                                                         lead):
    scenario, first, second, dims = two_campaigns
    moved = _initiative(scenario, "Discovery coaching", "done", date(2026, 6, 1),
                        date(2026, 8, 1), {"a.one": 1.0, "a.two": 0.5}, dims)
    flat = _initiative(scenario, "Rituals reset", "done", date(2026, 6, 1), date(2026, 8, 1),
                       {"a.two": 0.5}, dims)
    _initiative(scenario, "Still running", "in_progress", date(2026, 6, 1), None,
                {"a.one": 1.0}, dims)
    late = _initiative(scenario, "Finished after the pulse", "done", date(2026, 6, 1),
                       date(2026, 10, 1), {"b.one": 1.0}, dims)
    body = lead.get(scenario.url("/barometer/uplifts")).json
    assert "association" in body["note"]
    by_id = {i["initiative_id"]: i for i in body["initiatives"]}
    assert set(by_id) == {moved, flat, late}
    assert (by_id[moved]["before_assessment_id"], by_id[moved]["after_assessment_id"]) == (
        first, second)
    assert [(d["dimension"], d["expected"], d["before"], d["after"], d["realized"])
            for d in by_id[moved]["dimensions"]] == [("a.one", 1.0, 2.0, 3.0, 1.0),
                                                     ("a.two", 0.5, 2.0, 2.0, 0.0)]
    assert by_id[moved]["moved_nothing"] is False
    assert by_id[flat]["moved_nothing"] is True
    assert by_id[late]["dimensions"][0]["realized"] is None
    assert by_id[late]["moved_nothing"] is False


def test_the_demo_barometer_shows_the_diagnostic_then_the_pulse(app, admin):
    result = app.test_cli_runner().invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    org_id = int(result.output.split("organization id ")[1].split(")")[0])
    body = admin.get(f"/api/v1/orgs/{org_id}/barometer").json
    points = body["assessments"]
    assert [p["title"] for p in points] == ["Initial diagnostic", "Pulse Q3 2026"]
    scores = [admin.get(f"/api/v1/orgs/{org_id}/assessments/{p['id']}/scores").json
              for p in points]
    assert [p["overall"] for p in points] == [s["overall"] for s in scores]
    assert points[1]["delta_previous"] == points[1]["overall"] - points[0]["overall"]
    assert points[1]["delta_previous"] > 0
    for axis, scored in zip(points[1]["axes"], scores[1]["axes"], strict=True):
        assert axis["score"] == scored["score"]


def test_the_demo_barometer_shows_the_roadmap_projection_beside_the_measures(app, admin):
    result = app.test_cli_runner().invoke(args=["seed", "demo"])
    org_id = int(result.output.split("organization id ")[1].split(")")[0])
    body = admin.get(f"/api/v1/orgs/{org_id}/barometer").json
    measured = body["assessments"][-1]["overall"]
    projected = body["projected"]
    assert projected, "the demo's roadmap has phases"
    assert [p["date"] for p in projected] == sorted(p["date"] for p in projected)
    # uplifts only add (capped at the scale): every projection is at least the measure
    assert all(p["overall"] >= measured for p in projected)
