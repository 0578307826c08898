"""The diagnostic page of a closed assessment: its dates, a lead's reopen form (a reason,
errors beside it), the corrections made through the grid, and closing it again."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.builders import Scenario, add_member
from tracker.extensions import db
from tracker.models import Assessment
from tracker.models.base import utcnow

PASSWORD = "correct horse battery"   # the one `make_api` gives its users
REASON = "Bob's rating of A one was typed 4 instead of 5."


@pytest.fixture
def closed(lead, admin):
    """A closed diagnostic where two interviewees rate A one 2 and 4 (score 3.0)."""
    scenario = Scenario(lead, admin)
    ids = [scenario.add_respondent(name, source="interview") for name in ("Ann", "Bob")]
    assert scenario.rate([{"respondent_id": rid, "dimension": "a.one", "value": value}
                          for rid, value in zip(ids, (2, 4), strict=True)]).status_code == 200
    for status in ("open", "closed"):
        assert lead.patch(scenario.assessment_url(), json={"status": status}).status_code == 200
    return scenario, ids


@pytest.fixture
def browser(app):
    """A person's own browser: its own cookies, signed in by `_sign_in`."""
    return app.test_client()


def _sign_in(browser, email: str) -> None:
    response = browser.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.text


def _page(scenario: Scenario) -> str:
    return f"/orgs/{scenario.org['id']}/assessments/{scenario.assessment['id']}"


def _status(scenario: Scenario) -> str:
    return db.session.get(Assessment, scenario.assessment["id"]).status


def test_a_lead_sees_the_dates_and_a_reopen_form_with_a_labelled_reason(closed, browser):
    scenario, _ = closed
    _sign_in(browser, "lead@example.org")

    page = browser.get(_page(scenario)).text

    assert 'id="reopen-form"' in page
    assert '<label for="reopen-reason">Why reopen it?</label>' in page
    assert 'id="reopen-reason" name="reason"' in page
    for field in ("opened-at", "closed-at"):
        date = page.split(f'class="{field}">')[1].split("</span>")[0]
        assert date not in ("", "–"), field
    assert 'name="cell:' not in page   # closed: the grid is read-only


def test_ops_see_no_reopen_form_and_may_not_reopen(closed, browser, make_api, lead):
    scenario, _ = closed
    make_api("ops@example.org")
    add_member(scenario.org["id"], "ops@example.org", "ops")
    _sign_in(browser, "ops@example.org")

    page = browser.get(_page(scenario)).text
    response = browser.post(f"{_page(scenario)}/status",
                            data={"status": "open", "reason": REASON})

    assert 'id="reopen-form"' not in page
    assert response.status_code == 403
    assert _status(scenario) == "closed"


def test_a_reopening_without_a_reason_shows_the_error_beside_the_field(closed, browser):
    scenario, _ = closed
    _sign_in(browser, "lead@example.org")

    response = browser.post(f"{_page(scenario)}/status", data={"status": "open", "reason": " "})

    assert response.status_code == 422
    field = response.text.split('id="reopen-reason"')[1].split("</p>")[0]
    assert 'aria-invalid="true" aria-describedby="reopen-reason-error"' in field
    assert ('<span class="field-error" id="reopen-reason-error">'
            "Say why the assessment is reopened.</span>") in field
    assert _status(scenario) == "closed"


def test_a_lead_reopens_corrects_in_the_grid_and_closes_again(closed, browser, lead):
    scenario, (_, bob) = closed
    _sign_in(browser, "lead@example.org")

    reopened = browser.post(f"{_page(scenario)}/status",
                            data={"status": "open", "reason": REASON})
    page = browser.get(_page(scenario)).text
    saved = browser.post(f"{_page(scenario)}/ratings", data={f"cell:{bob}:a.one": "5"})
    closed_again = browser.post(f"{_page(scenario)}/status", data={"status": "closed"})

    assert (reopened.status_code, saved.status_code, closed_again.status_code) == (303, 303,
                                                                                   303)
    corrections = page.split('<table class="corrections">')[1].split("</table>")[0]
    assert "Reopened" in corrections and "lead@example.org" in corrections
    assert REASON.replace("'", "&#39;") in corrections
    assert f'name="cell:{bob}:a.one"' in page   # open again: the grid is editable
    assert _status(scenario) == "closed"
    # (2 + 5) / 2 = 3.5
    a_one = scenario.scores()["axes"][0]["dimensions"][0]
    assert (a_one["code"], a_one["score"]) == ("a.one", 3.5)
    assert "3.50" in browser.get(_page(scenario)).text


def test_a_refused_close_says_why_on_the_page(lead, admin, browser):
    scenario = Scenario(lead, admin)
    planned = lead.patch(scenario.assessment_url(), json={
        "status": "open", "opened_at": (utcnow() + timedelta(days=7)).isoformat()})
    assert planned.status_code == 200, planned.json
    _sign_in(browser, "lead@example.org")

    response = browser.post(f"{_page(scenario)}/status", data={"status": "closed"})

    assert response.status_code == 422
    assert ('<p class="field-error" role="alert">'
            "The closing date cannot be before the opening date.</p>") in response.text
    assert _status(scenario) == "open"
