"""CSV exports open right in a spreadsheet of the organization's language (DESIGN section 9):
every file starts with a UTF-8 byte order mark; a French organization's files separate cells
with `;` and write decimal commas; `?sep=` chooses the separator (422 on another value). The
bytes themselves are tested: BOM, separator, decimal comma, accents."""

from __future__ import annotations

import csv
import io

import pytest

BOM = b"\xef\xbb\xbf"
QUICK_WINS = "Phase 1 — Quick wins"


def _org(lead, locale: str) -> int:
    """An organization in `locale` with a phase named with a dash, an initiative of 2.5
    weeks in it and a logged decision."""
    org = lead.post("/api/v1/orgs", json={"name": f"Acme {locale}", "locale": locale}).json["id"]
    assert lead.put(f"/api/v1/orgs/{org}/phases", json=[
        {"name": QUICK_WINS, "start": "2026-01-05", "end": "2026-06-29"}]).status_code == 200
    created = lead.post(f"/api/v1/orgs/{org}/initiatives", json={
        "title": "Équipes produit", "duration_weeks": 2.5, "status": "approved"})
    assert created.status_code == 201, created.json
    logged = lead.post(f"/api/v1/orgs/{org}/decisions", json={
        "title": "Généraliser", "committee": "strategic", "decided_on": "2026-05-28",
        "participants": ["DSI", "DRH"]})
    assert logged.status_code == 201, logged.json
    return org


@pytest.fixture
def french(lead) -> int:
    return _org(lead, "fr")


@pytest.fixture
def english(lead) -> int:
    return _org(lead, "en")


def _read(body: bytes, delimiter: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline=""),
                               delimiter=delimiter))


def test_a_french_roadmap_has_a_bom_semicolons_decimal_commas_and_its_accents(lead, french):
    body = lead.get(f"/api/v1/orgs/{french}/roadmap.csv?start=2026-01-05").get_data()

    assert body.startswith(BOM + b"initiative_id;title;start;end;wave;phase;")
    assert QUICK_WINS.encode("utf-8") in body  # "—" as E2 80 94, never "â€”"
    (row,) = _read(body, ";")
    # one initiative: starts on the plan start, 2.5 weeks, no slack on its own path
    assert (row["title"], row["phase"], row["slack_weeks"]) == ("Équipes produit",
                                                                QUICK_WINS, "0,0")


def test_an_english_roadmap_has_a_bom_commas_and_decimal_points(lead, english):
    body = lead.get(f"/api/v1/orgs/{english}/roadmap.csv?start=2026-01-05").get_data()

    assert body.startswith(BOM + b"initiative_id,title,start,end,")
    (row,) = _read(body, ",")
    assert (row["phase"], row["slack_weeks"]) == (QUICK_WINS, "0.0")


def test_the_french_backlog_writes_decimal_commas(lead, french):
    body = lead.get(f"/api/v1/orgs/{french}/backlog.csv?include_done=true").get_data()

    assert body.startswith(BOM + b"rank;id;title;")
    (row,) = _read(body, ";")
    assert row["title"] == "Équipes produit"
    assert all("." not in row[name] for name in ("value", "effort", "score"))


def test_the_french_decision_log_keeps_its_list_in_one_cell(lead, french):
    body = lead.get(f"/api/v1/orgs/{french}/decisions.csv").get_data()

    assert body.startswith(BOM + b"kind;")
    (row,) = _read(body, ";")
    assert (row["title"], row["participants"]) == ("Généraliser", "DSI; DRH")


@pytest.mark.parametrize(("sep", "delimiter", "slack"), [(",", ",", "0.0"), (";", ";", "0,0")])
def test_sep_chooses_the_separator(lead, french, sep, delimiter, slack):
    response = lead.get(f"/api/v1/orgs/{french}/roadmap.csv",
                        query_string={"start": "2026-01-05", "sep": sep})

    assert response.status_code == 200
    (row,) = _read(response.get_data(), delimiter)
    assert row["phase"] == QUICK_WINS and row["slack_weeks"] == slack


@pytest.mark.parametrize("path", ["roadmap.csv", "backlog.csv", "decisions.csv"])
def test_another_separator_is_refused(lead, english, path):
    response = lead.get(f"/api/v1/orgs/{english}/{path}", query_string={"sep": "|"})

    assert response.status_code == 422
    assert "sep" in response.get_data(as_text=True)


def test_the_web_downloads_follow_the_organization_too(client, lead, french):
    body = lead.get(f"/orgs/{french}/backlog.csv").get_data()
    decisions = lead.get(f"/orgs/{french}/decisions.csv").get_data()

    assert body.startswith(BOM + b"rank;id;title;")
    assert decisions.startswith(BOM + b"kind;")
    assert lead.get(f"/orgs/{french}/backlog.csv?sep=%7C").status_code == 422
