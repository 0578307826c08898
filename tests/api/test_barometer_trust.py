"""Trust in the trend (DESIGN section 3): the barometer's margins and significant changes,
one series across grid versions through a crosswalk, and the framework's crosswalk checks.
Figures by hand, with Student's t quantiles from the printed tables."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

import pytest

from tests.builders import Scenario, framework_doc
from tracker.extensions import db
from tracker.models import Assessment

# t(0.975, df) from the tables
T = {1: 12.7062047, 2: 4.3026527, 3: 3.1824463}

V2_AXES = [
    {"code": "a", "name": "Axis A", "weight": 1, "dimensions": [
        {"code": "a.first", "name": "A first", "weight": 1},   # renamed from a.one
        {"code": "a.two", "name": "A two", "weight": 3}]},
    {"code": "b", "name": "Axis B", "weight": 2, "dimensions": [
        {"code": "b.one", "name": "B one"},
        {"code": "b.two.x", "name": "B two, x"},               # b.two split in two
        {"code": "b.two.y", "name": "B two, y"},
        {"code": "b.new", "name": "B new"}]},                  # new in v2
]
CROSSWALK = [{"from": "a.one", "to": "a.first"}, {"from": "b.two", "to": "b.two.x"},
             {"from": "b.two", "to": "b.two.y"}]


def _campaign(scenario, lead, framework_id, title, rows_by_name, closed_on):
    """An assessment of `framework_id` rated by one respondent per name, closed on a day."""
    assessment_id = lead.post(scenario.url("/assessments"), json={
        "framework_id": framework_id, "title": title, "kind": "pulse"}).json["id"]
    base = scenario.url(f"/assessments/{assessment_id}")
    assert lead.patch(base, json={"status": "open"}).status_code == 200
    rows = []
    for name, values in rows_by_name.items():
        respondent = lead.post(f"{base}/respondents", json={"name": name}).json["id"]
        rows += [{"respondent_id": respondent, "dimension": code, "value": value}
                 for code, value in values.items()]
    assert lead.put(f"{base}/ratings", json=rows).status_code == 200
    assert lead.patch(base, json={"status": "closed"}).status_code == 200
    db.session.get(Assessment, assessment_id).closed_at = datetime.combine(
        closed_on, datetime.min.time(), tzinfo=UTC)
    db.session.commit()
    return assessment_id


def test_deltas_carry_their_margin_and_say_whether_they_are_significant(lead, admin):
    scenario = Scenario(lead, admin)
    fid = scenario.framework["id"]
    # a.one: 2, 3, 4 then 2, 3, 4.5 (+0.1667): both se are sd/√3; far from significant
    _campaign(scenario, lead, fid, "Q1", {"Ann": {"a.one": 2}, "Bob": {"a.one": 3},
                                          "Cat": {"a.one": 4}}, date(2027, 1, 15))
    _campaign(scenario, lead, fid, "Q2", {"Ann": {"a.one": 2}, "Bob": {"a.one": 3},
                                          "Cat": {"a.one": 4.5}}, date(2027, 4, 15))
    body = lead.get(scenario.url("/barometer")).json
    first, second = body["assessments"]
    dim = second["axes"][0]["dimensions"][0]
    # Q1: sd 1, se_a = 1/√3; Q2: mean 3.1667, sd = √(((−1.1667)² + (−0.1667)² + 1.3333²)/2)
    sd_b = math.sqrt(((2 - 19 / 6) ** 2 + (3 - 19 / 6) ** 2 + (4.5 - 19 / 6) ** 2) / 2)
    se_a, se_b = 1 / math.sqrt(3), sd_b / math.sqrt(3)
    se = math.sqrt(se_a ** 2 + se_b ** 2)
    df = math.floor(se ** 4 / (se_a ** 4 / 2 + se_b ** 4 / 2))
    # se_a² = 1/3, se_b² = 1.5833/3 = 0.5278: df = ⌊0.7415 / 0.1948⌋ = ⌊3.81⌋ = 3
    assert df == 3
    assert dim["delta_previous"] == pytest.approx(1 / 6)
    assert dim["delta_previous_margin"] == pytest.approx(T[3] * se, rel=1e-6)
    assert dim["delta_previous_significant"] is False
    assert dim["margin"] == pytest.approx(T[2] * se_b, rel=1e-6)
    # the first point has no previous: no verdict; its margin is Q1's own
    assert first["axes"][0]["dimensions"][0]["delta_previous_significant"] is None
    assert first["axes"][0]["dimensions"][0]["margin"] == pytest.approx(T[2] * se_a, rel=1e-6)


def test_a_crosswalked_second_version_keeps_one_series(lead, admin):
    scenario = Scenario(lead, admin)
    v1 = scenario.framework["id"]
    _campaign(scenario, lead, v1, "Diagnostic v1",
              {"Ann": {"a.one": 2, "a.two": 2, "b.one": 1, "b.two": 3}}, date(2027, 1, 15))
    response = admin.post("/api/v1/frameworks", json=framework_doc(
        axes=V2_AXES, version=2, previous_version=1, crosswalk=CROSSWALK))
    assert response.status_code == 201, response.json
    v2 = response.json["id"]
    _campaign(scenario, lead, v2, "Pulse v2",
              {"Ann": {"a.first": 3, "a.two": 2, "b.one": 2, "b.two.x": 3, "b.two.y": 4}},
              date(2027, 4, 15))

    body = lead.get(scenario.url("/barometer"), query_string={"framework": "test-grid"}).json
    old, new = body["assessments"]
    assert [p["version"] for p in (old, new)] == [1, 2]
    codes = [d["code"] for d in old["axes"][1]["dimensions"]]
    assert codes == ["b.one", "b.two.x", "b.two.y", "b.new"]
    old_dims = {d["code"]: d["score"] for a in old["axes"] for d in a["dimensions"]}
    # a.one's 2 carried to a.first; b.two's 3 to both halves; b.new has no old score
    assert old_dims == {"a.first": 2, "a.two": 2, "b.one": 1, "b.two.x": 3, "b.two.y": 3,
                        "b.new": None}
    assert old["breaks"] == {"new": ["b.new"], "gone": []}
    # v1 on the v2 grid: axis a (2 + 3·2)/4 = 2, axis b (1 + 3 + 3)/3 = 7/3,
    # overall (2 + 2·7/3)/3 = 20/9
    assert old["overall"] == pytest.approx(20 / 9)
    # v2: a (3 + 6)/4 = 2.25, b (2 + 3 + 4)/3 = 3, overall (2.25 + 6)/3 = 2.75
    assert new["overall"] == pytest.approx(2.75)
    assert new["delta_previous"] == pytest.approx(2.75 - 20 / 9)
    delta = {d["code"]: d["delta_previous"] for a in new["axes"] for d in a["dimensions"]}
    assert delta["a.first"] == pytest.approx(1.0)
    assert delta["b.two.y"] == pytest.approx(1.0)
    # the same series by default (the latest assessment's code), one version alone on demand
    assert len(lead.get(scenario.url("/barometer")).json["assessments"]) == 2
    alone = lead.get(scenario.url("/barometer"), query_string={"framework_id": v2}).json
    assert [p["title"] for p in alone["assessments"]] == ["Pulse v2"]


def test_a_crosswalk_must_name_real_dimensions(admin, lead):
    assert admin.post("/api/v1/frameworks", json=framework_doc()).status_code == 201
    unknown_target = admin.post("/api/v1/frameworks", json=framework_doc(
        axes=V2_AXES, version=2, crosswalk=[{"from": "a.one", "to": "a.nope"}]))
    assert unknown_target.status_code == 422
    assert "crosswalk.0.to" in unknown_target.json["errors"]
    unknown_source = admin.post("/api/v1/frameworks", json=framework_doc(
        axes=V2_AXES, version=2, crosswalk=[{"from": "a.gone", "to": "a.first"}]))
    assert unknown_source.status_code == 422
    assert "crosswalk.0.from" in unknown_source.json["errors"]
    no_previous = admin.post("/api/v1/frameworks", json=framework_doc(
        axes=V2_AXES, version=3, previous_version=2, crosswalk=CROSSWALK))
    assert no_previous.status_code == 422
    assert "previous_version" in no_previous.json["errors"]
    # a valid one is read back with its lineage
    created = admin.post("/api/v1/frameworks", json=framework_doc(
        axes=V2_AXES, version=2, crosswalk=CROSSWALK))
    assert created.status_code == 201, created.json
    read = admin.get(f"/api/v1/frameworks/{created.json['id']}").json
    assert read["previous_version"] == 1
    assert read["crosswalk"][1] == {"from": "b.two", "to": "b.two.x", "weight": 1.0}
