"""Excel exports (issue 19): the backlog, the roadmap and the decision log as `.xlsx`
beside their CSV files, read back with openpyxl: the CSV's columns and rows, the header
bold and frozen, numbers as numbers, dates as dates, flags as booleans, and formula-like
texts stored as text (prefixed with `'`), never as formulas."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from tests.api.roadmap_helpers import TEXTBOOK

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(A1)"]
START = "2025-01-06"


def _sheet(response):
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == XLSX
    return load_workbook(io.BytesIO(response.get_data())).active


def _values(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def test_the_roadmap_workbook_has_the_csv_columns_with_dates_and_numbers(lead, org, ids):
    sheet = _sheet(lead.get(f"/api/v1/orgs/{org}/roadmap.xlsx?start={START}"))
    rows = _values(sheet)
    table = _csv(lead.get(f"/api/v1/orgs/{org}/roadmap.csv?start={START}"))
    assert rows[0] == table[0]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1]) and not sheet["A2"].font.bold
    first = dict(zip(rows[0], rows[1], strict=True))
    # A: 6 weeks from the start (hand-computed from the textbook network), on the critical path.
    assert first == {"initiative_id": ids["A"], "title": "A", "start": datetime(2025, 1, 6),
                     "end": datetime(2025, 2, 17), "wave": 1, "phase": "Phase 2",
                     "slack_weeks": 0.0, "critical": True}
    assert sheet["C2"].is_date and sheet["C2"].number_format == "yyyy-mm-dd"
    assert sheet["A2"].data_type == "n" and sheet["H2"].data_type == "b"
    assert [r[1] for r in rows[1:]] == [r[1] for r in table[1:]]
    assert [r[2].date().isoformat() for r in rows[1:]] == [r[2] for r in table[1:]]


def test_the_backlog_workbook_matches_its_csv(lead, org, ids):
    sheet = _sheet(lead.get(f"/api/v1/orgs/{org}/backlog.xlsx"))
    rows, table = _values(sheet), _csv(lead.get(f"/api/v1/orgs/{org}/backlog.csv"))
    assert rows[0] == table[0] and len(rows) == len(table) == len(TEXTBOOK) + 1
    assert [r[2] for r in rows[1:]] == [r[2] for r in table[1:]]
    header = rows[0]
    ranks = [r[header.index("rank")] for r in rows[1:]]
    assert ranks == list(range(1, len(TEXTBOOK) + 1))
    assert all(isinstance(r[header.index("enabler")], bool) for r in rows[1:])


def test_the_decision_log_workbook_has_dates_and_joined_lists(lead, org, ids):
    logged = lead.post(f"/api/v1/orgs/{org}/decisions", json={
        "title": "Go for the platform", "committee": "strategic", "decided_on": "2026-05-28",
        "participants": ["CEO", "CTO"], "initiative_ids": [ids["A"], ids["B"]]})
    assert logged.status_code == 201, logged.json
    response = lead.get(f"/api/v1/orgs/{org}/decisions.xlsx")
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="decisions-{org}.xlsx"')
    rows = _values(_sheet(response))
    assert rows[0] == _csv(lead.get(f"/api/v1/orgs/{org}/decisions.csv"))[0]
    entry = dict(zip(rows[0], rows[1], strict=True))
    assert entry["decided_on"] == datetime(2026, 5, 28)
    assert entry["participants"] == "CEO; CTO"
    assert entry["initiative_ids"] == f"{ids['A']}; {ids['B']}"
    assert entry["id"] == logged.json["id"]


@pytest.mark.parametrize("path", ["backlog.xlsx", f"roadmap.xlsx?start={START}",
                                  "decisions.xlsx"])
def test_formula_like_texts_stay_text(lead, org, path):
    for title in HOSTILE:
        created = lead.post(f"/api/v1/orgs/{org}/initiatives",
                            json={"title": title, "duration_weeks": 2})
        assert created.status_code == 201
        lead.post(f"/api/v1/orgs/{org}/decisions", json={
            "title": title, "committee": "strategic", "decided_on": "2026-05-28"})
    sheet = _sheet(lead.get(f"/api/v1/orgs/{org}/{path}"))
    column = [c.value for c in sheet[1]].index("title") + 1
    cells = [sheet.cell(row=r, column=column) for r in range(2, sheet.max_row + 1)]
    assert {c.value for c in cells} == {f"'{title}" for title in HOSTILE}
    assert {c.data_type for c in cells} == {"s"}


def test_another_organization_gets_no_workbook(make_api, org, ids):
    other = make_api("bea@example.org")
    for path in ("backlog.xlsx", "roadmap.xlsx", "decisions.xlsx"):
        assert other.get(f"/api/v1/orgs/{org}/{path}").status_code == 404


def test_a_date_is_stored_as_a_date_not_text():
    from tracker.adapters.exporters.xlsx import workbook

    data = workbook(("on", "at"), [(date(2026, 1, 2), datetime(2026, 1, 2, 9, 30))], sheet="S")
    row = load_workbook(io.BytesIO(data)).active[2]
    assert [c.is_date for c in row] == [True, True]
    assert row[1].value == datetime(2026, 1, 2, 9, 30)
