"""Roadmap exports: CSV, iCalendar, and the dependency graph as GraphML or node-link JSON."""

from __future__ import annotations

import csv
import io

import networkx as nx

from tests.api.roadmap_helpers import TEXTBOOK_EDGES


def test_the_roadmap_as_csv(lead, org, ids):
    response = lead.get(f"/api/v1/orgs/{org}/roadmap.csv?start=2025-01-06")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == f'attachment; filename="roadmap-{org}.csv"'
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert [r["title"] for r in rows] == ["A", "B", "C", "D", "F", "E", "G"]
    assert rows[0] == {"initiative_id": str(ids["A"]), "title": "A", "start": "2025-01-06",
                       "end": "2025-02-17", "wave": "1", "phase": "Phase 2",
                       "slack_weeks": "0.0", "critical": "true"}
    assert rows[2]["slack_weeks"] == "1.0" and rows[2]["critical"] == "false"


def test_the_roadmap_as_icalendar(lead, org, ids):
    from tracker.extensions import db
    from tracker.models import Initiative

    db.session.get(Initiative, ids["A"]).title = "Pilot; squads, tribes"
    db.session.commit()
    response = lead.get(f"/api/v1/orgs/{org}/roadmap.ics?start=2025-01-06")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Content-Disposition"] == f'attachment; filename="roadmap-{org}.ics"'
    text = response.get_data(as_text=True)
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert text.count("BEGIN:VEVENT\r\n") == 7
    assert f"UID:initiative-{ids['A']}@org-{org}.tracker\r\n" in text
    assert ("DTSTART;VALUE=DATE:20250106\r\nDTEND;VALUE=DATE:20250217\r\n"
            "SUMMARY:Pilot\\; squads\\, tribes\r\n") in text
    again = lead.get(f"/api/v1/orgs/{org}/roadmap.ics?start=2025-01-06").get_data(as_text=True)
    uids = [line for line in text.split("\r\n") if line.startswith("UID:")]
    assert uids == [line for line in again.split("\r\n") if line.startswith("UID:")]


def test_the_dependency_graph_as_node_link_json(lead, org, ids):
    response = lead.get(f"/api/v1/orgs/{org}/dependencies/graph?format=json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="dependencies-{org}.json"')
    graph = nx.node_link_graph(response.json, edges="links")
    assert sorted(graph.edges) == sorted((ids[a], ids[b]) for a, b in TEXTBOOK_EDGES)
    assert graph.nodes[ids["E"]] == {"title": "E", "status": "approved", "duration_weeks": 4.0}


def test_the_dependency_graph_as_graphml(lead, org, ids):
    response = lead.get(f"/api/v1/orgs/{org}/dependencies/graph?format=graphml")
    assert response.status_code == 200
    assert response.mimetype == "application/graphml+xml"
    assert response.headers["Content-Disposition"].endswith(f'dependencies-{org}.graphml"')
    graph = nx.parse_graphml(response.get_data(as_text=True), node_type=int)
    assert graph.number_of_nodes() == 7 and graph.number_of_edges() == 7
    assert graph[ids["A"]][ids["B"]]["lag"] == 0.0
    assert graph.nodes[ids["G"]]["title"] == "G"


def test_an_unknown_graph_format_is_422(lead, org):
    response = lead.get(f"/api/v1/orgs/{org}/dependencies/graph?format=dot")
    assert response.status_code == 422
    assert "format" in response.json["errors"]
