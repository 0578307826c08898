"""CSV import of ratings: POST .../ratings/import, and its CLI twin."""

from __future__ import annotations

from tests.builders import Scenario

HEADER = "name,role,team,level,source,email,a.one,a.two,b.one,b.two\n"


def _import(scenario: Scenario, text: str, multipart: bool = False):
    path = scenario.assessment_url("/ratings/import")
    if multipart:
        from io import BytesIO

        return scenario.api.post(path, data={"file": (BytesIO(text.encode()), "r.csv")},
                                 content_type="multipart/form-data")
    return scenario.api.post(path, data=text.encode(), headers={"Content-Type": "text/csv"})


def _respondents(scenario: Scenario) -> list[dict]:
    return scenario.api.get(scenario.assessment_url("/respondents")).json["items"]


def test_a_file_creates_respondents_and_ratings_with_cannot_say_and_blanks(lead, admin):
    scenario = Scenario(lead, admin)
    text = (HEADER
            + "Ann,engineer,claims,team,survey,ann@x.org,1,4,2,\n"
            + "Bob,pm,claims,leader,interview,,3,2,4,?\n"
            + "Cat,pm,billing,team,,,N/A,3,5,\n")

    response = _import(scenario, text)

    assert response.status_code == 201, response.json
    assert len(response.json["respondent_ids"]) == 3
    assert response.json["ratings"] == 10  # 3 + 4 + 3 non-empty cells ("?" and N/A count)
    people = _respondents(scenario)
    assert [(p["name"], p["level"], p["source"], p["email"]) for p in people] == [
        ("Ann", "team", "survey", "ann@x.org"), ("Bob", "leader", "interview", None),
        ("Cat", "team", "survey", None)]
    dims = {d["code"]: (d["score"], d["n"]) for axis in scenario.scores()["axes"]
            for d in axis["dimensions"]}
    # a.one: 1, 3 (Cat cannot say) → 2 ; a.two: 4, 2, 3 → 3 ; b.one: 2, 4, 5 → 11/3 ; b.two: null
    assert dims == {"a.one": (2.0, 2), "a.two": (3.0, 3), "b.one": (11 / 3, 3),
                    "b.two": (None, 0)}


def test_a_multipart_upload_is_accepted(lead, admin):
    scenario = Scenario(lead, admin)

    response = _import(scenario, HEADER + "Ann,engineer,claims,team,survey,,1,2,3,4\n",
                       multipart=True)

    assert response.status_code == 201, response.json
    assert response.json["ratings"] == 4


def test_a_rejected_file_names_every_bad_cell_and_saves_nothing(lead, admin):
    scenario = Scenario(lead, admin)
    scenario.add_respondent("Dan")
    text = ("name,role,team,level,source,a.one,a.two,colour\n"
            "Ann,engineer,claims,team,survey,7,2,red\n"
            "Bob,pm,claims,team,fax,abc,,blue\n"
            "ann,pm,claims,team,survey,1,1,\n"
            "Dan,pm,claims,team,survey,1,1,\n")

    response = _import(scenario, text)

    assert response.status_code == 422
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json["errors"] == {"row 1.colour": [
        "Unknown column: neither a respondent attribute nor a dimension code of this "
        "framework."]}
    fixed = text.replace(",colour", "").replace(",red", "").replace(",blue", "").replace(
        "1,1,\n", "1,1\n")
    response = _import(scenario, fixed)
    assert response.status_code == 422
    assert response.json["errors"] == {
        "row 2.a.one": ["7 is outside the scale 1–5"],
        "row 3.source": ["'fax' is not one of interview, document, observation, survey."],
        "row 3.a.one": ["'abc' is not a number (use ? or n/a for cannot say)"],
        "row 4.name": ["ann is already a respondent in row 2."],
        "row 5.name": ["Dan is already a respondent in the assessment."],
    }
    assert [p["name"] for p in _respondents(scenario)] == ["Dan"]
    assert all(d["n"] == 0 for axis in scenario.scores()["axes"] for d in axis["dimensions"])


def test_a_missing_required_column_is_named(lead, admin):
    scenario = Scenario(lead, admin)

    response = _import(scenario, "name,team,level,a.one\nAnn,claims,team,3\n")

    assert response.status_code == 422
    assert response.json["errors"] == {"row 1.role": ["Missing required column."],
                                       "row 1.source": ["Missing required column."]}


def test_no_csv_at_all_is_a_clear_error(lead, admin):
    scenario = Scenario(lead, admin)

    response = scenario.api.post(scenario.assessment_url("/ratings/import"), json={"a": 1})

    assert response.status_code == 422
    assert response.json["errors"] == {"file": ["Missing CSV."]}


def test_the_cli_imports_with_a_progress_bar_and_refuses_bad_files(app, lead, admin, tmp_path):
    scenario = Scenario(lead, admin)
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "".join(f"P{i},engineer,claims,team,survey,,{i % 5 + 1},,,\n"
                                     for i in range(40)), encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "Zed,engineer,claims,team,survey,,9,,,\n", encoding="utf-8")
    runner = app.test_cli_runner()
    base = ["ratings", "import", str(scenario.assessment["id"])]

    refused = runner.invoke(args=[*base, str(bad), "--org", str(scenario.org["id"])])
    done = runner.invoke(args=[*base, str(good), "--org", str(scenario.org["id"])])

    assert refused.exit_code != 0 and "row 2.a.one: 9 is outside the scale 1–5" in refused.output
    assert done.exit_code == 0, done.output
    assert "Imported 40 respondents and 40 ratings" in done.output
    a_one = scenario.scores()["axes"][0]["dimensions"][0]
    assert (a_one["n"], a_one["score"]) == (40, 3.0)  # values 1..5 eight times each
