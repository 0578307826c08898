"""The roadmap and baseline pages show a page (issue 20): the same number of SQL
statements at 30 and at 120 initiatives, at most a page of rows in the table and in the
chart, and a table that filters, sorts and pages as hand-computed on the textbook network.

Textbook network (`tests.api.roadmap_helpers.TEXTBOOK`), unlimited capacity, from Monday
2025-01-06, in weeks: A 0-6; B 6-8; C 6-8; D 8-11; F 8-10; E 11-15; G 15-16. The critical
path is A B D E G (16 weeks); C and F have 1 week of slack (E waits for D until week 11).
Ids follow the order A B C D F E G.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from tests.api.roadmap_helpers import TEXTBOOK, TEXTBOOK_EDGES, add_network
from tests.web.plan_helpers import lead_of_new_org
from tracker.extensions import db
from tracker.models import Dependency, Initiative
from tracker.services import derived
from tracker.services.plan import forecast

START = "2025-01-06"
LEAD = "lead@scale.example"


class Statements:
    """The SQL statements sent while counting (as bench/scale.py counts them)."""

    count = 0


@contextmanager
def counting() -> Iterator[Statements]:
    seen = Statements()

    def count(*_args: Any) -> None:
        seen.count += 1

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def add_layers(org_id: int, count: int) -> list[int]:
    """`count` initiatives, each depending on the one before it and on the third before
    it (about 2 dependencies each), lasting 1 to 5 weeks; their ids in order."""
    items = [Initiative(org_id=org_id, title=f"Item {k}", duration_weeks=k % 5 + 1,
                        status="approved", business_value=k % 7 + 1, time_criticality=2,
                        risk_reduction=1, job_size=k % 3 + 1) for k in range(count)]
    db.session.add_all(items)
    db.session.flush()
    db.session.add_all(Dependency(org_id=org_id, prerequisite_id=items[k - step].id,
                                  dependent_id=items[k].id, lag_weeks=0.0)
                       for k in range(count) for step in (1, 3) if k >= step)
    db.session.commit()
    return [item.id for item in items]


def table_ids(page: str) -> list[int]:
    """The initiatives of the timeline table, in its order."""
    table = re.search(r'<table id="timeline-table">.*?</table>', page, re.S)
    return [int(n) for n in re.findall(r'<tr data-id="(\d+)"', table.group(0))] if table else []


def bars(page: str) -> int:
    """How many bars the Gantt chart draws."""
    found = re.search(r'id="gantt"[^>]*data-figure=\'([^\']*)\'', page, re.S)
    assert found, "no chart"
    figure = json.loads(html.unescape(found.group(1)))
    return sum(len(trace["y"]) for trace in figure["data"])


def measure(client: Any, url: str) -> tuple[int, int, str]:
    """Statements of the first (cold) and second (warm) GET of `url`, and the page."""
    with counting() as cold:
        first = client.get(url)
    with counting() as warm:
        second = client.get(url)
    assert first.status_code == second.status_code == 200, first.text[:300]
    return cold.count, warm.count, second.text


def pages_at(client: Any, size: int, name: str) -> dict[str, Any]:
    """The roadmap and a baseline page of a new organization of `size` initiatives."""
    org = lead_of_new_org(client, f"lead{size}@scale.example", name)
    first = add_layers(org, size)[0]
    saved = client.post(f"/orgs/{org}/roadmap/baselines?start={START}",
                        data={"name": "Plan of record"})
    assert saved.status_code == 303
    baseline = int(re.search(r"baseline=(\d+)", saved.headers["Location"]).group(1))
    client.get(f"/orgs/{org}/roadmap")  # the session's first page
    found = {"roadmap": measure(client, f"/orgs/{org}/roadmap?start={START}"),
             "baseline": measure(client, f"/orgs/{org}/roadmap/baselines/{baseline}"),
             "compared": measure(client, f"/orgs/{org}/roadmap?start={START}"
                                 f"&baseline={baseline}&delay_id=%23{first}&delay_weeks=1")}
    client.post("/logout")
    return found


def test_the_plan_pages_cost_the_same_statements_at_30_and_120_initiatives(app, client):
    small, large = pages_at(client, 30, "Small"), pages_at(client, 120, "Large")

    for name in ("roadmap", "baseline", "compared"):
        assert small[name][:2] == large[name][:2], name
    # a page of rows: 30 fit in one page; of 120, the first 50 (the table and the chart)
    assert len(table_ids(small["roadmap"][2])) == 30 and bars(small["roadmap"][2]) == 30
    assert len(table_ids(large["roadmap"][2])) == 50 and bars(large["roadmap"][2]) == 50
    assert "The chart draws the 50 initiatives of this page of the table below, of 120" in (
        large["roadmap"][2])
    assert large["baseline"][2].count("<tr data-status=") == 50
    assert "120 initiatives compared." in large["baseline"][2]


@pytest.fixture
def org(app, client) -> int:
    return lead_of_new_org(client, LEAD, "Textbook")


@pytest.fixture
def ids(org) -> dict[str, int]:
    return add_network(org, TEXTBOOK, TEXTBOOK_EDGES, G={"status": "proposed"}, C={
        "business_value": 5, "time_criticality": 3, "risk_reduction": 2, "job_size": 1},
        F={"business_value": 10, "time_criticality": 5, "risk_reduction": 5, "job_size": 1})


def shown(client, org: int, ids: dict[str, int], query: str = "") -> str:
    """The table's titles, in order, of the roadmap under `query`."""
    page = client.get(f"/orgs/{org}/roadmap?start={START}{query}")
    assert page.status_code == 200
    names = {v: k for k, v in ids.items()}
    return "".join(names[n] for n in table_ids(page.text))


#: Queries of the table and the titles it shows, in order, on the textbook network.
TABLE_CASES = [
    ("", "ABCDFEG"),  # by start, ties by id
    ("&q=e", "E"),  # the title holds "e", case ignored
    ("&q=zzz", ""),
    ("&status=proposed", "G"),
    ("&critical=1", "ABDEG"),
    # proposed phases: 16 weeks = 112 days in three, 2025-01-06 → 02-12 → 03-22 → 04-28;
    # a phase holds what ends in it: A ends 02-17, B and C 03-03, F 03-17, D 03-24
    ("&phase=Phase+2", "ABCF"),
    ("&sort=start&dir=desc", "GEFDCBA"),
    ("&sort=end", "ABCFDEG"),
    ("&sort=slack", "ABDEGCF"),
    ("&sort=slack&dir=desc", "FCGEDBA"),
    # WSJF: F 20, C 10 (raised to 20 by F, which waits on it), A 20 (C and F wait on it);
    # B, D, E, G unscored, last, by start
    ("&sort=priority", "ACFBDEG"),
    ("&sort=nonsense", "ABCDFEG"),
    ("&critical=1&sort=end&dir=desc", "GEDBA"),
    ("&per_page=3&page=2", "DFE"),
    ("&per_page=3&page=3", "G"),
    ("&per_page=3&page=9", "G"),  # past the end: the last
]


@pytest.mark.parametrize(("query", "expected"), TABLE_CASES)
def test_the_table_filters_sorts_and_pages(client, org, ids, query, expected):
    assert shown(client, org, ids, query) == expected


def test_the_table_pages_keep_the_plan_and_the_filters(client, org, ids):
    page = client.get(f"/orgs/{org}/roadmap?start={START}&capacity=5&sort=end&per_page=3").text

    pagination = re.search(r'<nav class="toolbar pagination".*?</nav>', page, re.S).group(0)
    following = html.unescape(re.search(r'href="([^"]+)" rel="next"', pagination).group(1))
    assert following == (f"/orgs/{org}/roadmap?start={START}&capacity=5&sort=end&page=2"
                         "&per_page=3#timeline")
    assert "Page 1 of 3" in pagination
    assert bars(page) == 3
    # the sorted column's header sorts the other way round, from page 1
    header = re.search(r'<th scope="col" aria-sort="ascending"><a href="([^"]+)">End</a>', page)
    assert html.unescape(header.group(1)) == (
        f"/orgs/{org}/roadmap?start={START}&capacity=5&sort=end&dir=desc&per_page=3#timeline")
    # the other forms keep the plan, the filters and the page size, and start at page 1
    what_if = page.split('id="whatif-title"')[1]
    assert '<input type="hidden" name="per_page" value="3">' in what_if
    assert '<input type="hidden" name="sort" value="end">' in what_if
    second = client.get(f"/orgs/{org}/roadmap?start={START}&per_page=3&page=2").text
    assert 'name="page"' not in second.split('id="whatif-title"')[1]


def test_the_what_if_names_an_initiative_with_the_picker_and_counts_the_moves(client, org,
                                                                              ids):
    page = client.get(f"/orgs/{org}/roadmap?start={START}&delay_id=A&delay_weeks=2").text

    assert "Makespan: 16 → 18 weeks (+2)" in page
    # every initiative starts 2 weeks later, A included
    assert "7 initiatives move:" in page and "7 later" in page and "0 earlier" in page
    assert 'name="delay_id" value="A"' in page and "<select name=\"delay_id\"" not in page
    unknown = client.get(f"/orgs/{org}/roadmap?start={START}&delay_id=Nope&delay_weeks=2")
    assert "Delay: no initiative is called “Nope”" in unknown.text


def test_a_comparison_lists_one_status_at_a_time(client, org, ids):
    client.post(f"/orgs/{org}/roadmap/baselines?start={START}", data={"name": "Record"})
    db.session.get(Initiative, ids["D"]).duration_weeks = 5  # D and what follows: +2
    db.session.commit()
    baseline = client.get(f"/orgs/{org}/roadmap/baselines").text
    address = re.search(r'href="(/orgs/\d+/roadmap/baselines/\d+)"', baseline).group(1)

    late = client.get(f"{address}?status=late").text

    titles = re.findall(r'<tr data-status="late"[^>]*>\s*<td><a [^>]*>([^<]+)</a>', late)
    assert titles == ["D", "E", "G"] and "3 initiatives late." in late
    assert 'data-status="on_time"' not in late
    assert client.get(f"{address}?per_page=2&page=2").text.count("<tr data-status=") == 2


def test_one_request_computes_the_plan_once_for_the_comparison_what_if_and_forecast(
        client, org, ids):
    saved = client.post(f"/orgs/{org}/roadmap/baselines?start={START}", data={"name": "R"})
    baseline = re.search(r"baseline=(\d+)", saved.headers["Location"]).group(1)
    derived.clear()
    url = (f"/orgs/{org}/roadmap?start={START}&baseline={baseline}&delay_id=A&delay_weeks=1"
           "&forecast=1&runs=20&seed=3")

    page = client.get(url)

    assert page.status_code == 200 and 'id="slips"' in page.text
    assert 'id="whatif-result"' in page.text and 'id="forecast-makespan"' in page.text
    assert (derived.computes["network"], derived.computes["plan"],
            derived.computes["roadmap"], derived.computes["forecast"]) == (1, 1, 1, 1)
    assert client.get(url).status_code == 200  # the same view again: nothing computed
    assert client.get(f"/api/v1/orgs/{org}/roadmap.csv?start={START}").status_code == 200
    assert (derived.computes["plan"], derived.computes["forecast"],
            derived.computes["what-if"]) == (1, 1, 1)


def test_the_page_forecast_keeps_within_its_budget_of_runs(client, org, ids, monkeypatch):
    monkeypatch.setattr(forecast, "PAGE_BUDGET", 70)  # 7 planned initiatives: 10 runs

    idle = client.get(f"/orgs/{org}/roadmap?start={START}").text
    refused = client.get(f"/orgs/{org}/roadmap?start={START}&forecast=1&runs=11")
    allowed = client.get(f"/orgs/{org}/roadmap?start={START}&forecast=1&runs=10")

    assert re.search(r'id="forecast-runs"[^>]*value="10"', idle)  # the most, proposed
    assert refused.status_code == 422
    assert ("Runs: give at most 10 runs for a plan of 7 initiatives (the API takes more)."
            in refused.text)
    assert allowed.status_code == 200 and "10 runs, seed 0." in allowed.text
