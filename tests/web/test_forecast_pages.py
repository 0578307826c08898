"""The roadmap's forecast section: computed only when its form is sent, showing the same
figures as the API for the same seed, the target's chance, the phases' chances, the
latest initiatives' P50/P85 ends and a hint when no initiative carries an estimate; bad
input is shown again beside its field (DESIGN section 3, "Forecast")."""

from __future__ import annotations

import html
import json
import re
from datetime import date
from typing import Any

import pytest

from tests.web.plan_helpers import lead_of_new_org
from tests.web_helpers import seed_demo, sign_in
from tracker.extensions import db
from tracker.models import Dependency, Initiative, User
from tracker.web.i18n import day, number

START = "2027-01-04"
LEAD = "lead@novatechna.example"


@pytest.fixture
def chain(app, client) -> dict[str, Any]:
    """Roles (PERT 2, 4, 12; duration 4) then Rituals (6 weeks, no estimate)."""
    org_id = lead_of_new_org(client, "lead@acme.example", "Acme")
    first = Initiative(org_id=org_id, title="Roles", status="approved", duration_weeks=4.0,
                       estimate_optimistic=2.0, estimate_likely=4.0, estimate_pessimistic=12.0)
    second = Initiative(org_id=org_id, title="Rituals", status="approved", duration_weeks=6.0)
    db.session.add_all([first, second])
    db.session.flush()
    db.session.add(Dependency(org_id=org_id, prerequisite_id=first.id,
                              dependent_id=second.id, lag_weeks=0.0))
    db.session.commit()
    return {"org": org_id, "first": first.id, "second": second.id}


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _by_id(page: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</(div|p|table|span)>', page, re.S)
    assert match, element_id
    return _text(match.group(1))


def test_the_roadmap_computes_no_forecast_until_asked(client, chain):
    page = client.get(f"/orgs/{chain['org']}/roadmap", query_string={"start": START}).text

    assert 'id="forecast"' in page and 'id="forecast-idle"' in page
    assert 'id="forecast-runs" name="runs" type="number"  value="500"' in page  # PAGE_RUNS
    assert 'id="forecast-seed" name="seed" type="number"  value="0"' in page
    assert 'id="makespan-p50"' not in page


def test_the_forecast_shown_is_the_apis_for_the_same_seed(client, chain):
    query = {"start": START, "runs": 4000, "seed": 3}
    api = client.get(f"/api/v1/orgs/{chain['org']}/roadmap/forecast", query_string=query)
    assert api.status_code == 200, api.text
    body = api.json

    response = client.get(f"/orgs/{chain['org']}/roadmap",
                          query_string={**query, "forecast": 1})

    assert response.status_code == 200
    page = response.text
    with client.application.test_request_context():
        for name in ("p50", "p85", "p95"):
            assert _by_id(page, f"makespan-{name}") == \
                f"{number(body['makespan_weeks'][name])} weeks"
            assert day(_iso(body["makespan_dates"][name])) in page
        ends = {row["initiative_id"]: (day(_iso(row["end_p50"])), day(_iso(row["end_p85"])))
                for row in body["initiatives"]}
    # the chain's deterministic makespan: 4 + 6 = 10 weeks; one initiative is estimated
    assert _by_id(page, "makespan-deterministic") == "10 weeks"
    assert "1 initiative of the plan carries a three-point estimate." in page
    assert 'id="forecast-no-estimate"' not in page
    rows = re.findall(r'<tr data-id="(\d+)"><td>.*?</td>\s*<td>(.*?)</td><td>(.*?)</td></tr>',
                      page, re.S)
    # latest P85 first: Rituals waits for Roles
    assert [int(i) for i, _p50, _p85 in rows] == [chain["second"], chain["first"]]
    assert {int(i): (p50, p85) for i, p50, p85 in rows} == ends
    phases = _by_id(page, "forecast-phases")
    for phase in body["phases"]:
        assert f"{round(phase['probability'] * 100)} %" in phases
    figure = json.loads(html.unescape(re.search(
        r'id="forecast-fan"[^>]*data-figure=\'([^\']*)\'', page, re.S).group(1)))
    bars = figure["data"][0]
    assert bars["base"] == [next(r["end_p50"] for r in body["initiatives"]
                                 if r["initiative_id"] == i)
                            for i in (chain["second"], chain["first"])]
    lines = {trace["x"][0] for trace in figure["data"][1:]}
    assert lines == {*body["makespan_dates"].values(), "2027-03-15"}  # 4 Jan + 10 weeks


def test_a_target_without_a_closed_assessment_is_refused_beside_the_level(client, chain):
    # no closed assessment: the target cannot be projected, and the form says so
    refused = client.get(f"/orgs/{chain['org']}/roadmap", query_string={
        "start": START, "forecast": 1, "level": "3,5", "by": "2027-12-31"})
    assert refused.status_code == 422
    assert 'id="forecast-level-error"' in refused.text
    assert 'value="3,5"' in refused.text


def test_bad_forecast_input_is_shown_beside_its_field(client, chain):
    response = client.get(f"/orgs/{chain['org']}/roadmap", query_string={
        "start": START, "forecast": 1, "runs": "999999", "level": "3"})

    assert response.status_code == 422
    errors = set(re.findall(r'<p class="field-error" id="forecast-([\w-]+)-error">',
                            response.text))
    assert errors == {"runs", "by"}
    assert 'value="999999"' in response.text


def test_a_plan_without_estimates_names_the_next_step(client, chain):
    first = db.session.get(Initiative, chain["first"])
    first.estimate_optimistic = first.estimate_likely = first.estimate_pessimistic = None
    db.session.commit()

    page = client.get(f"/orgs/{chain['org']}/roadmap",
                      query_string={"start": START, "forecast": 1}).text

    assert 'id="forecast-no-estimate"' in page
    assert "give initiatives a three-point estimate in their form" in page
    # every run is the plan itself: P50 = P85 = P95 = 10 weeks
    assert _by_id(page, "makespan-p95") == "10 weeks"


def _iso(text: str) -> date:
    return date.fromisoformat(text)


def test_on_the_demo_the_target_chance_is_the_apis_in_the_readers_language(app, client):
    org_id = seed_demo()
    db.session.scalar(db.select(User).where(User.email == LEAD)).locale = "fr"
    db.session.commit()
    sign_in(client, LEAD)
    query = {"level": "3", "by": "2027-12-31", "seed": 5, "runs": 500}
    api = client.get(f"/api/v1/orgs/{org_id}/roadmap/forecast", query_string=query).json

    page = client.get(f"/orgs/{org_id}/roadmap", query_string={
        **query, "level": "3,0", "forecast": 1}).text

    percent = round(api["target"]["probability"] * 100)
    # French figures: 3,00 and 31 déc. 2027 (the words follow the catalog)
    target = _by_id(page, "forecast-target")
    assert target.startswith(f"{percent} %") and "3,00" in target and "31 déc. 2027" in target
    assert 'id="forecast-no-estimate"' in page  # the demo's initiatives carry no estimate
