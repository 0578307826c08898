"""Planned dates on the web: the create form's two date inputs, the edit page (title and
planned dates, errors beside the fields), the cockpit's time left in words and in its next
step, and the planned dates in the assessments list."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from tests.builders import Scenario
from tests.web import test_assessment_pages as pages
from tracker.extensions import db
from tracker.models import Assessment, Organization
from tracker.services.observe import assessments

#: Acme with a draft diagnostic on the test grid, an ops and a viewer member.
scenario = pages.scenario
_signed_in, _base, _field_errors = pages._signed_in, pages._base, pages._field_errors


def _page(scenario: Scenario, suffix: str) -> str:
    return f"{_base(scenario)}/{scenario.assessment['id']}/{suffix}"


def _today(scenario: Scenario):
    """Today on the organization's calendar."""
    return datetime.now(db.session.get_one(Organization, scenario.org["id"]).zone).date()


def _assessment(scenario: Scenario) -> Assessment:
    return db.session.get_one(Assessment, scenario.assessment["id"])


def _text(page: str) -> str:
    """The page's text, tags and runs of spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_ops_create_an_assessment_with_planned_dates(app, scenario):
    browser = _signed_in(app, "ops@example.org")
    form = browser.get(f"{_base(scenario)}/new").text
    for field in ("f-planned_open_on", "f-planned_close_on"):
        assert f'<label for="{field}">' in form

    response = browser.post(f"{_base(scenario)}/new", data={
        "title": "Pulse Q1", "kind": "pulse", "framework_id": scenario.framework["id"],
        "planned_open_on": "2020-01-06", "planned_close_on": "2020-01-31"})

    assert response.status_code == 303
    created = db.session.query(Assessment).filter_by(title="Pulse Q1").one()
    assert (created.planned_open_on.isoformat(), created.planned_close_on.isoformat()) == \
        ("2020-01-06", "2020-01-31")


def test_a_closing_before_the_opening_is_named_with_the_other_errors(app, scenario):
    browser = _signed_in(app, "ops@example.org")

    response = browser.post(f"{_base(scenario)}/new", data={
        "title": "", "kind": "pulse", "framework_id": scenario.framework["id"],
        "planned_open_on": "2027-03-15", "planned_close_on": "2027-03-01"})

    assert response.status_code == 422
    assert _field_errors(response.text) == {"title", "planned_close_on"}
    assert 'value="2027-03-15"' in response.text and 'value="2027-03-01"' in response.text


def test_ops_edit_the_title_and_planned_dates(app, scenario):
    browser = _signed_in(app, "ops@example.org")
    page = browser.get(_page(scenario, "edit"))
    assert page.status_code == 200
    for field in ("f-title", "f-planned_open_on", "f-planned_close_on"):
        assert f'<label for="{field}">' in page.text

    response = browser.post(_page(scenario, "edit"), data={
        "title": "Diagnostic 2027", "planned_open_on": "2027-03-01",
        "planned_close_on": "2027-03-15"})

    assert response.status_code == 303
    assert response.headers["Location"].endswith(_page(scenario, "cockpit"))
    saved = _assessment(scenario)
    assert (saved.title, saved.planned_open_on.isoformat(),
            saved.planned_close_on.isoformat()) == ("Diagnostic 2027", "2027-03-01", "2027-03-15")
    # an emptied date clears it
    browser.post(_page(scenario, "edit"), data={"title": "Diagnostic 2027",
                                                "planned_open_on": "2027-03-01",
                                                "planned_close_on": ""})
    assert _assessment(scenario).planned_close_on is None


def test_the_edit_page_shows_every_error_at_once_and_keeps_the_input(app, scenario):
    browser = _signed_in(app, "ops@example.org")

    response = browser.post(_page(scenario, "edit"), data={
        "title": "", "planned_open_on": "2027-03-15", "planned_close_on": "2027-03-14"})

    assert response.status_code == 422
    assert _field_errors(response.text) == {"title", "planned_close_on"}
    assert 'value="2027-03-14"' in response.text
    assert _assessment(scenario).planned_open_on is None


def test_a_viewer_cannot_edit_and_sees_no_edit_link(app, scenario):
    browser = _signed_in(app, "viewer@example.org")

    assert browser.get(_page(scenario, "edit")).status_code == 403
    assert browser.post(_page(scenario, "edit"), data={"title": "X"}).status_code == 403
    assert 'id="edit-link"' not in browser.get(_page(scenario, "cockpit")).text


def test_another_organization_gets_404(app, scenario, make_api):
    stranger = make_api("stranger@example.org")
    assert stranger.post("/api/v1/orgs", json={"name": "Other"}).status_code == 201

    assert _signed_in(app, "stranger@example.org").get(_page(scenario, "edit")).status_code \
        == 404


def test_the_cockpit_counts_the_days_left_of_an_open_campaign(app, scenario):
    close_on = _today(scenario) + timedelta(days=12)
    scenario.api.patch(scenario.assessment_url(), json={
        "status": "open", "planned_close_on": close_on.isoformat()})

    page = _signed_in(app, "ops@example.org").get(_page(scenario, "cockpit")).text

    # e.g. "12 days left, closes on Mar 15, 2027"
    left = re.search(r'id="time-left"[^>]*>([^<]+)<', page).group(1)
    assert left.startswith("12 days left, closes on ")
    assert str(close_on.year) in left
    assert "12 days left" in _text(re.search(r'id="next-step".*?</section>', page, re.S).group(0))
    assert 'data-step="remind"' in page


def test_a_passed_planned_close_says_so_and_the_next_step_is_to_close(app, scenario):
    scenario.add_respondent("Ann")
    passed = _today(scenario) - timedelta(days=3)
    scenario.api.patch(scenario.assessment_url(), json={
        "status": "open", "planned_close_on": passed.isoformat()})

    page = _signed_in(app, "ops@example.org").get(_page(scenario, "cockpit")).text

    said = "Planned close passed 3 days ago: close it or move the date"
    assert said in _text(re.search(r'id="next-step".*?</section>', page, re.S).group(0))
    assert said in _text(re.search(r'id="time-left"[^>]*>[^<]+<', page).group(0))
    assert 'data-step="close"' in page
    assert f'href="{_page(scenario, "edit")}"' in page


def test_a_draft_counts_the_days_to_its_planned_opening(app, scenario):
    open_on = _today(scenario) + timedelta(days=5)
    scenario.api.patch(scenario.assessment_url(), json={"planned_open_on": open_on.isoformat()})

    page = _signed_in(app, "viewer@example.org").get(_page(scenario, "cockpit")).text

    assert re.search(r'id="time-left"[^>]*>Opens in 5 days, on ', page)
    assert assessments.campaign_time_left(
        db.session.get_one(Organization, scenario.org["id"]), _assessment(scenario)).days == 5


def test_the_assessments_list_shows_the_planned_dates(app, scenario):
    scenario.api.patch(scenario.assessment_url(), json={
        "planned_open_on": "2027-03-01", "planned_close_on": "2027-03-15"})

    page = _signed_in(app, "viewer@example.org").get(_base(scenario)).text

    assert "<th scope=\"col\">Planned dates</th>" in page
    cell = re.search(r'<td class="planned">([^<]*)</td>', page).group(1)
    assert "2027" in cell and "→" in cell
    assert cell.startswith("Mar 1, 2027") and cell.endswith("Mar 15, 2027")
