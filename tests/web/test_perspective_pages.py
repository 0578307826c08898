"""The cross self-assessment (issue 17): consultant and client means per dimension and
their gap, with the anonymity rule, on the diagnostic page and in the report; an empty
state naming the next step when no respondent carries a perspective
(tests/perspectives_scenario.py holds the numbers, computed by hand)."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.builders import Scenario
from tests.french_orgs import PASSWORD
from tests.perspectives_scenario import EXPECTED, perspectives_scenario
from tracker.extensions import db
from tracker.models import Organization
from tracker.services.diagnose import perception


def _browser(app):
    browser = app.test_client()
    response = browser.post("/login", data={"email": "lead@example.org", "password": PASSWORD})
    assert response.status_code == 302, response.text
    return browser


def _rows(html: str, table: str) -> dict[str, list[str]]:
    body = re.search(rf'<table id="{table}">.*?</table>', html, re.S)
    assert body, table
    rows = {}
    for row in re.findall(r"<tr.*?</tr>", body.group(0), re.S)[1:]:
        cells = [" ".join(unescape(re.sub(r"<[^>]+>", " ", c)).split())
                 for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        rows[cells[0]] = cells[1:]
    return rows


def test_the_service_compares_consultant_and_client_means(lead, admin):
    scenario = perspectives_scenario(lead, admin)
    org = db.session.get(Organization, scenario.org["id"])

    result = perception.cross_assessment(org, scenario.assessment["id"])

    assert result["respondents"] == {"consultant": 3, "client": 3}
    got = {r["dimension"]: (r["consultant_mean"], r["client_mean"], r["gap"], r["flagged"])
           for r in result["dimensions"]}
    for code, (consultant, client, gap, flagged) in EXPECTED.items():
        assert got[code][0] == pytest.approx(consultant) if consultant else got[code][0] is None
        assert got[code][1] == pytest.approx(client) if client else got[code][1] is None
        assert got[code][2] == pytest.approx(gap) if gap else got[code][2] is None
        assert got[code][3] is flagged
    sizes = {r["dimension"]: (r["n_consultant"], r["n_client"]) for r in result["dimensions"]}
    assert sizes == {"a.one": (3, 3), "a.two": (3, 3), "b.one": (3, 2), "b.two": (1, 3)}


def test_the_diagnostic_page_shows_both_views_and_hides_small_groups(app, lead, admin):
    scenario = perspectives_scenario(lead, admin)
    page = _browser(app).get(f"/orgs/{scenario.org['id']}/assessments/"
                             f"{scenario.assessment['id']}")
    assert page.status_code == 200

    rows = _rows(page.text, "perspectives-table")
    assert rows["A one"] == ["3.00", "1.00", "2.00 perception gap"]
    assert rows["A two"] == ["1.33", "2.00", "-0.67"] or rows["A two"] == ["1.33", "2.00",
                                                                            "−0.67"]
    assert rows["B one"] == ["3.00", "hidden (2)", "–"]
    assert rows["B two"] == ["hidden (1)", "3.00", "–"]
    assert "3 consultants, 3 clients" in page.text


def test_the_report_compares_the_two_views(lead, admin):
    scenario = perspectives_scenario(lead, admin)
    response = lead.get(scenario.assessment_url("/report?format=html"))
    assert response.status_code == 200

    rows = _rows(response.text, "perspectives-table")
    assert rows["A one"] == ["3.00", "1.00", "2.00"]
    assert rows["B one"][1] == "–" and rows["B one"][2] == "–"


def test_without_perspectives_the_page_and_report_say_how_to_start(app, lead, admin):
    scenario = Scenario(lead, admin)
    ann = scenario.add_respondent()
    assert scenario.rate([{"respondent_id": ann, "dimension": "a.one",
                           "value": 3}]).status_code == 200

    page = _browser(app).get(f"/orgs/{scenario.org['id']}/assessments/"
                             f"{scenario.assessment['id']}")
    report = lead.get(scenario.assessment_url("/report?format=html"))

    assert "No respondent carries the consultant or client perspective yet" in page.text
    assert 'id="perspectives-table"' not in page.text
    assert "no cross self-assessment in this assessment" in report.text
