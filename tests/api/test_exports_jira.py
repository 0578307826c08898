"""The backlog as a Jira CSV (issue 19): Jira's own column names, statuses under Jira's
names, one `Outward issue link (Blocks)` column per blocked issue (the header repeated), and
a round trip: the export imported into a fresh organization with `preset=jira` gives the
same initiatives (titles, statuses, keys) and the same dependency links."""

from __future__ import annotations

import csv
import io

import pytest

BLOCKS = "Outward issue link (Blocks)"
INITIATIVES = [
    {"title": "Platform team", "status": "in_progress", "external_key": "PLAT-7",
     "job_size": 5, "description": "Stand up the platform team"},
    {"title": "Self-service CI", "status": "approved", "external_key": "PLAT-9"},
    {"title": "Product discovery, coached", "status": "proposed"},
    {"title": "Legacy portal", "status": "done", "external_key": "OPS-2"},
    {"title": "Big-bang rewrite", "status": "dropped"},
]
#: (prerequisite, dependent) by title: the platform team blocks two initiatives.
LINKS = [("Platform team", "Self-service CI"), ("Platform team", "Product discovery, coached"),
         ("Self-service CI", "Legacy portal")]


@pytest.fixture
def org(lead) -> int:
    org_id = lead.post("/api/v1/orgs", json={"name": "Source"}).json["id"]
    ids = {}
    for body in INITIATIVES:
        created = lead.post(f"/api/v1/orgs/{org_id}/initiatives", json=body)
        assert created.status_code == 201, created.json
        ids[body["title"]] = created.json["id"]
    for prerequisite, dependent in LINKS:
        linked = lead.post(f"/api/v1/orgs/{org_id}/dependencies", json={
            "prerequisite_id": ids[prerequisite], "dependent_id": ids[dependent]})
        assert linked.status_code == 201, linked.json
    return org_id


def _export(lead, org: int) -> bytes:
    response = lead.get(f"/api/v1/orgs/{org}/backlog.jira.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="backlog-{org}.jira.csv"')
    return response.get_data()


def _snapshot(lead, org: int) -> tuple[list[tuple], set[tuple[str, str]]]:
    """The organization's initiatives (title, status, key) and links by title."""
    items = lead.get(f"/api/v1/orgs/{org}/initiatives?per_page=200").json["items"]
    by_id = {item["id"]: item["title"] for item in items}
    edges = lead.get(f"/api/v1/orgs/{org}/dependencies?per_page=200").json["items"]
    return (sorted((i["title"], i["status"], i["external_key"]) for i in items),
            {(by_id[e["prerequisite_id"]], by_id[e["dependent_id"]]) for e in edges})


def test_the_export_has_jira_columns_and_a_column_per_blocked_issue(lead, org):
    rows = list(csv.reader(io.StringIO(_export(lead, org).decode("utf-8-sig"))))
    assert rows[0] == ["Summary", "Issue key", "Status", "Description",
                       "Custom field (Story Points)", BLOCKS, BLOCKS]
    by_summary = {row[0]: row for row in rows[1:]}
    assert by_summary["Platform team"][1:5] == ["PLAT-7", "In Progress",
                                                "Stand up the platform team", "5.0"]
    assert sorted(by_summary["Platform team"][5:]) == sorted(
        ["PLAT-9", by_summary["Product discovery, coached"][1]])
    assert by_summary["Self-service CI"][2] == "Planned"
    assert by_summary["Self-service CI"][5:] == ["OPS-2", ""]
    assert by_summary["Legacy portal"][2] == "Done"
    assert by_summary["Big-bang rewrite"][2] == "Will Not Implement"
    unkeyed = by_summary["Product discovery, coached"][1]
    assert unkeyed.startswith("TRK-") and unkeyed[4:].isdigit()


def test_the_export_imports_back_into_a_fresh_organization(lead, org):
    exported = _export(lead, org)
    fresh = lead.post("/api/v1/orgs", json={"name": "Target"}).json["id"]
    imported = lead.post(f"/api/v1/orgs/{fresh}/initiatives/import?preset=jira",
                         data=exported, content_type="text/csv")
    assert imported.status_code == 201, imported.json
    (before, links_before), (after, links_after) = _snapshot(lead, org), _snapshot(lead, fresh)
    keys = {title: key for title, _, key in after}
    assert [(t, s) for t, s, _ in after] == [(t, s) for t, s, _ in before]
    assert {t: k for t, _, k in before if k} == {t: keys[t] for t, _, k in before if k}
    assert keys["Product discovery, coached"].startswith("TRK-")
    assert links_after == links_before == set(LINKS)
    items = lead.get(f"/api/v1/orgs/{fresh}/initiatives?per_page=200").json["items"]
    platform = next(i for i in items if i["title"] == "Platform team")
    assert platform["job_size"] == 5.0
    assert platform["description"] == "Stand up the platform team"


def test_an_empty_backlog_still_has_the_link_header(lead):
    org = lead.post("/api/v1/orgs", json={"name": "Empty"}).json["id"]
    rows = list(csv.reader(io.StringIO(_export(lead, org).decode("utf-8-sig"))))
    assert rows == [["Summary", "Issue key", "Status", "Description",
                     "Custom field (Story Points)", BLOCKS]]


def test_another_organization_cannot_export_my_backlog(make_api, org):
    other = make_api("bea@example.org")
    assert other.get(f"/api/v1/orgs/{org}/backlog.jira.csv").status_code == 404
