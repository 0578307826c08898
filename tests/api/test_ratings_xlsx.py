"""Survey answers as an `.xlsx` workbook through POST .../ratings/import: its first sheet read
like the CSV (same columns, numbers as numbers, `?` as cannot say), recognised by its name or
by its content whatever the body type, and every bad cell named by its row in the sheet."""

from __future__ import annotations

import io

from openpyxl import Workbook

from tests.builders import Scenario

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["name", "role", "team", "level", "source", "a.one", "a.two"]


def workbook(*rows: list[object], first_sheet: str = "Answers") -> bytes:
    """An .xlsx whose first sheet holds the header and `rows`, and a second sheet that must
    not be read."""
    book = Workbook()
    sheet = book.active
    sheet.title = first_sheet
    for row in (HEADER, *rows):
        sheet.append(row)
    book.create_sheet("Notes").append(["name", "whatever"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _dimensions(scenario: Scenario) -> dict[str, tuple[float | None, int]]:
    return {d["code"]: (d["score"], d["n"]) for axis in scenario.scores()["axes"]
            for d in axis["dimensions"] if d["code"] in ("a.one", "a.two")}


def test_a_workbook_body_is_read_by_its_content_and_scored(lead, admin):
    scenario = Scenario(lead, admin)
    data = workbook(["Ann", "engineer", "claims", "team", "survey", 4, 3.5],
                    ["Bob", "pm", "claims", "leader", "survey", 2, "?"])

    response = scenario.api.post(scenario.assessment_url("/ratings/import"), data=data,
                                 headers={"Content-Type": "application/octet-stream"})

    assert response.status_code == 201, response.json
    assert len(response.json["respondent_ids"]) == 2
    assert response.json["ratings"] == 4  # Bob's "?" is a rating: cannot say
    assert response.json["warnings"] == []
    # a.one: (4 + 2) / 2 = 3 over 2 ratings; a.two: 3.5 alone (cannot say is not counted)
    assert _dimensions(scenario) == {"a.one": (3.0, 2), "a.two": (3.5, 1)}


def test_a_multipart_xlsx_and_an_xlsx_body_are_both_accepted(lead, admin):
    scenario = Scenario(lead, admin)
    path = scenario.assessment_url("/ratings/import")

    multipart = scenario.api.post(
        path, content_type="multipart/form-data",
        data={"file": (io.BytesIO(workbook(["Ann", "", "", "", "survey", 5, 1])),
                       "answers.xlsx")})
    typed = scenario.api.post(path, data=workbook(["Cat", "", "", "", "survey", 1, None]),
                              headers={"Content-Type": XLSX})

    assert (multipart.status_code, typed.status_code) == (201, 201), (multipart.json, typed.json)
    assert (multipart.json["ratings"], typed.json["ratings"]) == (2, 1)
    assert _dimensions(scenario) == {"a.one": (3.0, 2), "a.two": (1.0, 1)}


def test_every_bad_cell_is_named_by_its_row_in_the_sheet_and_nothing_is_saved(lead, admin):
    scenario = Scenario(lead, admin)
    data = workbook(["Ann", "engineer", "claims", "team", "survey", 4, 3],
                    [None] * 7,  # row 3 is blank: the next row is still row 4
                    ["Bob", "pm", "claims", "team", "survey", 9, 2],
                    ["Cat", "pm", "claims", "team", "fax", 1, "abc"])

    response = scenario.api.post(scenario.assessment_url("/ratings/import"), data=data,
                                 headers={"Content-Type": XLSX})

    assert response.status_code == 422
    assert response.json["errors"] == {
        "row 4.a.one": ["9 is outside the scale 1–5"],
        "row 5.source": ["'fax' is not one of interview, document, observation, survey."],
        "row 5.a.two": ["'abc' is not a number (use ? or n/a for cannot say)"]}
    assert scenario.api.get(scenario.assessment_url("/respondents")).json["items"] == []


def test_a_broken_workbook_is_refused_on_its_file(lead, admin):
    scenario = Scenario(lead, admin)

    response = scenario.api.post(scenario.assessment_url("/ratings/import"),
                                 data=b"PK\x03\x04 not really a zip",
                                 headers={"Content-Type": XLSX})

    assert response.status_code == 422
    assert list(response.json["errors"]) == ["file"]
    assert "Not an .xlsx workbook" in response.json["errors"]["file"][0]
