"""The roadmap's forecast section, issue 18's page part: the histogram of the plan's end
with its P50/P85/P95 marked, each phase's P50/P85 end, the page's moderate default of runs,
and refusals that name their field (DESIGN section 3, "Forecast").

The chain: Roles (duration 4 weeks, estimate 5/5/5: always 5 weeks) then Rituals (6 weeks,
no estimate). The plan without uncertainty ends after 4 + 6 = 10 weeks, on 15 Mar 2027;
every forecast run after 5 + 6 = 11 weeks, on 22 Mar 2027 (4 Jan + 77 days). The default
phases split the 70 days at 23 and 47 days: Phase 1 [4 Jan, 27 Jan) holds nothing, Phase 2
[27 Jan, 20 Feb) holds Roles (planned to end 1 Feb), Phase 3 [20 Feb, 15 Mar) Rituals."""

from __future__ import annotations

import html
import itertools
import json
import re
from typing import Any

import pytest

from tests.web.plan_helpers import lead_of_new_org
from tracker.extensions import db
from tracker.models import Dependency, Initiative

START = "2027-01-04"


@pytest.fixture
def chain(app, client) -> dict[str, Any]:
    org_id = lead_of_new_org(client, "lead@chain.example", "Chain")
    ids = []
    for title, weeks, estimate in (("Roles", 4.0, (5.0, 5.0, 5.0)), ("Rituals", 6.0, None)):
        low, likely, high = estimate or (None, None, None)
        initiative = Initiative(org_id=org_id, title=title, status="approved",
                                duration_weeks=weeks, estimate_optimistic=low,
                                estimate_likely=likely, estimate_pessimistic=high)
        db.session.add(initiative)
        db.session.flush()
        ids.append(initiative.id)
    db.session.add(Dependency(org_id=org_id, prerequisite_id=ids[0], dependent_id=ids[1]))
    db.session.commit()
    return {"org": org_id, "first": ids[0], "second": ids[1]}


def _figure(page: str, element_id: str) -> dict[str, Any]:
    found = re.search(rf'id="{element_id}"[^>]*data-figure=\'([^\']*)\'', page, re.S)
    assert found, element_id
    return json.loads(html.unescape(found.group(1)))


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def test_the_api_gives_the_histogram_and_each_phases_ends(client, chain):
    body = client.get(f"/api/v1/orgs/{chain['org']}/roadmap/forecast",
                      query_string={"start": START, "runs": 40}).json

    assert body["makespan_weeks"] == {"p50": 11.0, "p85": 11.0, "p95": 11.0}
    # every run ends in week 11: one bin [11, 12) weeks holding the 40 runs
    assert body["histogram"] == [{"start": "2027-03-22", "end": "2027-03-29", "runs": 40}]
    phases = {phase["name"]: phase for phase in body["phases"]}
    assert (phases["Phase 1"]["end_p50"], phases["Phase 1"]["end_p85"]) == (None, None)
    # Roles always ends after 5 weeks (8 Feb), before Phase 2's end (20 Feb): chance 1
    assert (phases["Phase 2"]["end_p50"], phases["Phase 2"]["end_p85"]) == (
        "2027-02-08", "2027-02-08")
    assert phases["Phase 2"]["probability"] == 1.0
    # Rituals always ends on 22 Mar, after Phase 3's end (15 Mar): chance 0
    assert phases["Phase 3"]["end_p85"] == "2027-03-22"
    assert phases["Phase 3"]["probability"] == 0.0


def test_the_page_draws_the_histogram_with_its_percentiles_at_500_runs(client, chain):
    page = client.get(f"/orgs/{chain['org']}/roadmap",
                      query_string={"start": START, "forecast": 1}).text

    assert "500 runs, seed 0." in page
    figure = _figure(page, "forecast-histogram")
    bars = figure["data"][0]
    assert bars["y"] == [500]
    assert bars["x"] == ["2027-03-25T12:00:00"]   # the middle of [22 Mar, 29 Mar)
    assert bars["width"] == [7 * 86_400_000]
    assert bars["text"] == ["500 runs end from Mar 22, 2027 to Mar 28, 2027"]
    lines = {trace["name"]: trace["x"][0] for trace in figure["data"][1:]}
    assert lines == {"Plan without uncertainty · Mar 15, 2027": "2027-03-15",
                     "Makespan P50 · Mar 22, 2027": "2027-03-22",
                     "Makespan P85 · Mar 22, 2027": "2027-03-22",
                     "Makespan P95 · Mar 22, 2027": "2027-03-22"}
    assert all(trace["y"] == [0, 500] for trace in figure["data"][1:])
    summary = re.search(r'id="histogram-summary">(.*?)</p>', page, re.S).group(1)
    assert _text(summary) == ("Half the runs end by Mar 22, 2027, 85 % by Mar 22, 2027 and "
                              "95 % by Mar 22, 2027; without uncertainty the plan ends "
                              "Mar 15, 2027.")
    table = re.search(r'id="forecast-histogram-table">(.*?)</table>', page, re.S).group(1)
    assert "<td>Mar 22, 2027</td><td>Mar 28, 2027</td><td class=\"num\">500</td>" in table
    phases = _text(re.search(r'id="forecast-phases">(.*?)</table>', page, re.S).group(1))
    assert "Phase 2 Feb 20, 2027 Feb 8, 2027 Feb 8, 2027 100 %" in phases
    assert "Phase 1 Jan 27, 2027 – – 100 %" in phases


def test_an_uncertain_plan_spreads_its_runs_over_several_weeks(client, chain):
    roles = db.session.get(Initiative, chain["first"])
    roles.estimate_optimistic, roles.estimate_likely, roles.estimate_pessimistic = 2, 4, 12
    db.session.commit()

    body = client.get(f"/api/v1/orgs/{chain['org']}/roadmap/forecast",
                      query_string={"start": START, "runs": 300, "seed": 4}).json

    bins = body["histogram"]
    # Roles lasts 2 to 12 weeks, so the plan ends in weeks 8 to 18: whole-week bins
    assert 2 <= len(bins) <= 11 and sum(b["runs"] for b in bins) == 300
    assert bins[0]["start"] >= "2027-03-01" and bins[-1]["end"] <= "2027-05-10"
    assert all(later["start"] == earlier["end"] for earlier, later in itertools.pairwise(bins))


@pytest.mark.parametrize(("field", "value", "message"), [
    ("runs", "0", "Runs: give a whole number from 1 to 20000."),
    ("runs", "many", "Runs: give a whole number from 1 to 20000."),
    ("seed", "-3", "Seed: give a whole number from 0 to 2147483647."),
    ("by", "next spring", "By: give a date, such as 2027-12-31."),
    ("level", "high", "Overall score to reach: give a number, such as 3.5 or 3,5."),
])
def test_a_refused_field_is_named_beside_it(client, chain, field: str, value: str,
                                            message: str):
    query = {"start": START, "forecast": 1, "level": "3", "by": "2027-12-31", field: value}
    response = client.get(f"/orgs/{chain['org']}/roadmap", query_string=query)

    assert response.status_code == 422
    found = re.findall(rf'<p class="field-error" id="forecast-{field}-error">(.*?)</p>',
                       response.text)
    assert found == [message]
    assert f'value="{value}"' in response.text
    assert 'id="forecast-histogram"' not in response.text


def test_a_level_without_a_date_names_the_missing_field(client, chain):
    response = client.get(f"/orgs/{chain['org']}/roadmap", query_string={
        "start": START, "forecast": 1, "level": "3"})

    assert response.status_code == 422
    assert re.findall(r'<p class="field-error" id="forecast-by-error">(.*?)</p>',
                      response.text) == [
        "Give both an overall score to reach and a date (by) to know the chance of reaching "
        "it, or neither."]
