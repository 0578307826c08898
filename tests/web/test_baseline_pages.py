"""Baselines in the browser: ops and leads save the plan shown on the roadmap page under a
name (a refused name answers 422 beside the field, kept); everyone lists the baselines and
compares the current plan with one (late, early, on time, added, removed, with the slip in
weeks). The roadmap links its CSV, iCalendar and GraphML files, which a signed-in browser
session downloads, and waves read from 1 on every page and in the calendar."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from datetime import UTC, datetime

import networkx as nx
import pytest
from sqlalchemy import select

from tests.api.roadmap_helpers import TEXTBOOK, TEXTBOOK_EDGES, add_network
from tests.web.plan_helpers import lead_of_new_org, member_signed_in, outsider_signed_in
from tracker.extensions import db
from tracker.models import Initiative, RoadmapBaseline

LEAD = "lead@baselines.example"
START = "2025-01-06"


@pytest.fixture
def org(app, client) -> int:
    return lead_of_new_org(client, LEAD, "Baselined")


@pytest.fixture
def ids(org) -> dict[str, int]:
    return add_network(org, TEXTBOOK, TEXTBOOK_EDGES)


def save(client, org: int, name: str) -> object:
    return client.post(f"/orgs/{org}/roadmap/baselines?start={START}", data={"name": name})


def baseline_id(name: str) -> int:
    found = db.session.scalar(select(RoadmapBaseline.id).where(RoadmapBaseline.name == name))
    assert found is not None
    return found


def rows(page: str) -> dict[str, tuple[str, str]]:
    """The comparison table: initiative title → (slip cell, status cell)."""
    table = re.search(r'<table id="slips">.*?</table>', page, re.S)
    assert table, "no comparison table"
    found = re.findall(r'<tr data-status="[a-z_]+"[^>]*>\s*<td>(?:<a [^>]*>)?([^<]+).*?'
                       r'<td class="num">([^<]*)</td>\s*<td>(?:<span[^>]*>)?([^<]+)',
                       table.group(0), re.S)
    return {title: (slip, status) for title, slip, status in found}


def slip_duration(initiative_id: int, weeks: float) -> None:
    db.session.get(Initiative, initiative_id).duration_weeks = weeks
    db.session.commit()


def test_saving_a_baseline_from_the_roadmap_then_comparing_with_it(client, org, ids):
    page = client.get(f"/orgs/{org}/roadmap?start={START}").text
    assert '<label for="baseline-name">' in page
    assert f'action="/orgs/{org}/roadmap/baselines?start={START}"' in page

    response = save(client, org, "Plan of record")

    saved = baseline_id("Plan of record")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/orgs/{org}/roadmap?baseline={saved}&start={START}"
    shown = client.get(response.headers["Location"]).text
    assert "Baseline Plan of record saved" in shown
    # nothing changed yet: all seven on time, 0 weeks
    assert set(rows(shown).values()) == {("0", "on time")} and len(rows(shown)) == 7


def test_a_slip_shows_late_added_and_removed_on_the_comparison_page(client, org, ids):
    save(client, org, "Plan of record")
    # D takes 5 weeks instead of 3: D 03-03 → 04-07 instead of 03-24 (+14 days = +2 w);
    # E waits for D (F ends 03-17): 04-07 → 05-05 instead of 04-21 (+2 w).
    slip_duration(ids["D"], 5)
    # G (after E) leaves the plan (archived): removed; H is new (1 w, no prerequisite).
    db.session.get(Initiative, ids["G"]).archived_at = datetime.now(UTC)
    db.session.add(Initiative(org_id=org, title="H", status="approved", duration_weeks=1))
    db.session.commit()

    page = client.get(f"/orgs/{org}/roadmap/baselines/{baseline_id('Plan of record')}")

    assert page.status_code == 200
    table = rows(page.text)
    assert table["D"] == ("+2", "late") and table["E"] == ("+2", "late")
    assert table["G"] == ("–", "removed since") and table["H"] == ("–", "added since")
    assert {table[n] for n in "ABCF"} == {("0", "on time")}
    counts = re.search(r'<ul class="kpis" id="slip-counts">(.*?)</ul>', page.text, re.S)
    assert counts
    # each count links to the list of its status (issue 20: the list is paginated)
    assert re.findall(r"<span>([^<]+)</span><div class=\"value\"><a [^>]*>([^<]+)</a></div>",
                      counts.group(1)) == [("late", "2 initiatives"),
                                           ("removed since", "1 initiative"),
                                           ("added since", "1 initiative"),
                                           ("on time", "4 initiatives")]
    roadmap_page = client.get(f"/orgs/{org}/roadmap?start={START}"
                              f"&baseline={baseline_id('Plan of record')}").text
    assert rows(roadmap_page)["D"] == ("+2", "late")


def test_an_early_initiative_reads_early(client, org, ids):
    save(client, org, "Plan of record")
    slip_duration(ids["G"], 0.5)  # G 04-21 → 04-24.5: 04-28 becomes 04-25 (−3 days = −0.4 w)
    page = client.get(f"/orgs/{org}/roadmap/baselines/{baseline_id('Plan of record')}").text
    assert rows(page)["G"] == ("-0.4", "early")


def test_a_baseline_needs_a_new_name_and_the_refusal_keeps_the_input(client, org, ids):
    empty = save(client, org, "  ")
    assert empty.status_code == 422
    assert 'id="baseline-name-error"' in empty.text and 'id="gantt"' in empty.text
    save(client, org, "Plan of record")
    twice = save(client, org, "Plan of record")
    assert twice.status_code == 422
    assert re.search(r'id="baseline-name"[^>]*value="Plan of record"[^>]*aria-invalid="true"',
                     twice.text.replace("\n", " "))
    assert "already used" in twice.text
    assert db.session.scalars(select(RoadmapBaseline)).all().__len__() == 1


def test_the_baselines_page_lists_them_with_their_plan(client, org, ids):
    empty = client.get(f"/orgs/{org}/roadmap/baselines").text
    assert "No baseline saved yet." in empty
    assert f'href="/orgs/{org}/roadmap#baseline-title"' in empty
    save(client, org, "Plan of record")
    client.post(f"/orgs/{org}/roadmap/baselines?start=2025-02-03&capacity=2",
                data={"name": "Two at once"})
    page = client.get(f"/orgs/{org}/roadmap/baselines").text
    listed = page[page.index('<table id="baselines">'):]
    assert listed.index("Two at once") < listed.index("Plan of record")  # newest first
    assert "Feb 3, 2025" in page and "2 initiatives at once" in page and "unlimited" in page
    assert f'href="/orgs/{org}/roadmap/baselines/{baseline_id("Two at once")}"' in page
    assert f'href="/orgs/{org}/roadmap/baselines"' in client.get(f"/orgs/{org}/roadmap").text


def test_viewers_compare_but_do_not_save_and_outsiders_get_404(client, org, ids):
    save(client, org, "Plan of record")
    saved = baseline_id("Plan of record")
    member_signed_in(client, "viewer@baselines.example", org, "viewer")
    assert 'id="baseline-form"' not in client.get(f"/orgs/{org}/roadmap").text
    assert save(client, org, "Mine").status_code == 403
    assert client.get(f"/orgs/{org}/roadmap/baselines/{saved}").status_code == 200
    other = outsider_signed_in(client)
    assert client.get(f"/orgs/{org}/roadmap/baselines").status_code == 404
    assert client.get(f"/orgs/{other}/roadmap/baselines/{saved}").status_code == 404


def download_links(page: str) -> dict[str, str]:
    """The roadmap page's download links by kind (csv, ics, graphml)."""
    return {kind: html.unescape(link) for link, kind in re.findall(
        r'<a href="([^"]+)" download id="download-(\w+)"', page)}


def test_the_roadmap_links_its_three_files_and_a_signed_in_session_downloads_them(
        client, org, ids):
    links = download_links(client.get(f"/orgs/{org}/roadmap?start={START}").text)
    assert links == {
        "csv": f"/api/v1/orgs/{org}/roadmap.csv?start={START}",
        "ics": f"/api/v1/orgs/{org}/roadmap.ics?start={START}",
        "graphml": f"/api/v1/orgs/{org}/dependencies/graph?format=graphml"}
    table = list(csv.DictReader(io.StringIO(client.get(links["csv"]).get_data(as_text=True))))
    assert [(r["title"], r["end"]) for r in table][:2] == [("A", "2025-02-17"),
                                                         ("B", "2025-03-03")]
    calendar = client.get(links["ics"]).get_data(as_text=True)
    assert calendar.count("BEGIN:VEVENT") == 7
    graph = nx.parse_graphml(client.get(links["graphml"]).get_data(as_text=True))
    assert graph.number_of_nodes() == 7 and graph.number_of_edges() == 7


def test_waves_count_from_one_on_the_table_the_graph_and_the_calendar(client, org, ids):
    # Waves: A 1; B, C 2; D, F 3; E 4; G 5 (the API's `wave` counts from 0: A 0 ... G 4).
    page = client.get(f"/orgs/{org}/roadmap?start={START}").text
    cells = re.findall(r'>([A-G])</a>.*?<td class="num">(\d+)</td>', page, re.S)
    assert dict(cells) == {"A": "1", "B": "2", "C": "2", "D": "3", "F": "3", "E": "4", "G": "5"}
    graph_page = client.get(f"/orgs/{org}/dependencies").text
    figure = json.loads(html.unescape(re.search(r"data-figure='([^']+)'", graph_page).group(1)))
    xs = {title: x for trace in figure["data"] for title, x in zip(trace["hovertext"],
                                                                    trace["x"], strict=True)}
    # The page charts a focused view (the critical chain), each node at its wave.
    waves = {"A": 1, "B": 2, "C": 2, "D": 3, "F": 3, "E": 4, "G": 5}
    assert len(xs) >= 3 and xs == {title: waves[title] for title in xs}
    assert figure["layout"]["xaxis"]["range"] == [0.5, 5.5]
    assert "numbered from 1" in graph_page
    counts = re.findall(r'<tr data-wave="(\d+)"><th scope="row">\1</th><td class="num">(\d+)</td>',
                        graph_page)
    assert counts == [("1", "1"), ("2", "2"), ("3", "2"), ("4", "1"), ("5", "1")]
    calendar = client.get(f"/api/v1/orgs/{org}/roadmap.ics?start={START}").get_data(
        as_text=True).replace("\r\n ", "")
    assert "SUMMARY:A\r\nDESCRIPTION:Phase: Phase 2\\; wave 1\\;" in calendar
    assert "SUMMARY:G\r\nDESCRIPTION:Phase: Phase 3\\; wave 5\\;" in calendar
