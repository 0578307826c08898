"""Spreadsheet-safe CSV (issue 13, finding 6): a title that a spreadsheet would run as a
formula is exported as text, prefixed with `'`, by every CSV the product writes (backlog,
roadmap and decision log, through the API and the pages); numbers stay numbers."""

from __future__ import annotations

import csv
import io

import pytest

HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]
SAFE = ["Plain title", "Pay - as you go"]


@pytest.fixture
def org(lead) -> int:
    """An organization whose initiatives and decisions carry hostile and plain titles."""
    org_id = lead.post("/api/v1/orgs", json={"name": "Acme"}).json["id"]
    for title in HOSTILE + SAFE:
        created = lead.post(f"/api/v1/orgs/{org_id}/initiatives",
                            json={"title": title, "duration_weeks": 2})
        assert created.status_code == 201, created.json
        logged = lead.post(f"/api/v1/orgs/{org_id}/decisions", json={
            "title": title, "committee": "strategic", "decided_on": "2026-05-28",
            "participants": [title, "CTO"]})
        assert logged.status_code == 201, logged.json
    return org_id


def _rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"), newline="")))


def _titles(rows: list[dict[str, str]]) -> set[str]:
    return {row["title"] for row in rows}


EXPECTED = {f"'{title}" for title in HOSTILE} | set(SAFE)


@pytest.mark.parametrize("path", ["/api/v1/orgs/{org}/backlog.csv",
                                  "/api/v1/orgs/{org}/roadmap.csv?start=2026-01-05",
                                  "/api/v1/orgs/{org}/decisions.csv"])
def test_every_api_csv_prefixes_formula_titles(lead, org, path):
    rows = _rows(lead.get(path.format(org=org)))
    assert _titles(rows) == EXPECTED


def test_lists_joined_in_a_cell_are_prefixed_too(lead, org):
    rows = _rows(lead.get(f"/api/v1/orgs/{org}/decisions.csv"))
    assert {row["participants"] for row in rows} == {
        f"'{title}; CTO" for title in HOSTILE} | {f"{title}; CTO" for title in SAFE}


def test_numbers_stay_numbers(lead, org):
    rows = _rows(lead.get(f"/api/v1/orgs/{org}/roadmap.csv?start=2026-01-05"))
    assert {row["slack_weeks"] for row in rows} == {"0.0"}
    assert all(row["initiative_id"].isdigit() for row in rows)


@pytest.mark.parametrize("page", ["backlog.csv", "decisions.csv"])
def test_every_page_csv_prefixes_formula_titles(client, lead, org, page):
    signed_in = client.post("/login", data={"email": "lead@example.org",
                                            "password": "correct horse battery"})
    assert signed_in.status_code == 302
    assert _titles(_rows(client.get(f"/orgs/{org}/{page}"))) == EXPECTED
