"""The targets page: a level per dimension, a level applied to a whole axis, a valid-from
date, bad levels named beside their fields (nothing saved), the role rules, and the
diagnostic page's percent to target."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.builders import Scenario, add_member
from tracker.extensions import db
from tracker.models import Target

PASSWORD = "correct horse battery"   # the one `make_api` gives its users


@pytest.fixture
def scenario(lead, admin, make_api) -> Scenario:
    """Acme on the test grid (axis a: a.one, a.two; axis b: b.one, b.two), with a viewer."""
    built = Scenario(lead, admin)
    make_api("viewer@example.org")
    add_member(built.org["id"], "viewer@example.org", "viewer")
    return built


def _signed_in(app, email: str):
    browser = app.test_client()
    assert browser.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return browser


def _url(scenario: Scenario) -> str:
    return f"/orgs/{scenario.org['id']}/targets?framework_id={scenario.framework['id']}"


def _levels(scenario: Scenario) -> dict[str, float]:
    answer = scenario.api.get(scenario.url(f"/targets?framework_id={scenario.framework['id']}"))
    return {row["dimension"]: row["level"] for row in answer.json["targets"]}


def _field_errors(page: str) -> set[str]:
    return set(re.findall(r'<p class="field-error" id="([\w.:-]+)-error">', page))


def test_the_page_groups_dimensions_by_axis_with_labelled_fields(app, scenario):
    page = _signed_in(app, "lead@example.org").get(_url(scenario)).text

    assert "<legend>Axis A</legend>" in page and "<legend>Axis B</legend>" in page
    for code, name in (("a.one", "A one"), ("b.two", "B two")):
        assert f'<label for="t-{code}">{name}</label>' in page
    assert '<label for="axis-a">Apply to all dimensions of Axis A</label>' in page
    assert '<label for="valid_from">' in page


def test_levels_are_saved_per_dimension_with_decimals_and_a_valid_from_date(app, scenario):
    browser = _signed_in(app, "lead@example.org")

    response = browser.post(_url(scenario), data={
        "level:a.one": "3,5", "level:b.one": "4", "valid_from": "2026-01-05"})

    assert response.status_code == 303
    assert _levels(scenario) == {"a.one": 3.5, "b.one": 4.0}
    assert {t.valid_from for t in db.session.query(Target)} == {date(2026, 1, 5)}
    assert 'value="3.5"' in browser.get(_url(scenario)).text


def test_an_axis_level_applies_to_every_dimension_of_its_axis(app, scenario):
    browser = _signed_in(app, "lead@example.org")

    response = browser.post(_url(scenario), data={
        "axis:a": "4", "level:a.one": "2", "level:b.two": "3"})

    assert response.status_code == 303
    assert _levels(scenario) == {"a.one": 4.0, "a.two": 4.0, "b.two": 3.0}


def test_bad_levels_are_named_beside_their_fields_and_nothing_is_saved(app, scenario):
    browser = _signed_in(app, "lead@example.org")

    response = browser.post(_url(scenario), data={
        "level:a.one": "abc", "level:a.two": "4", "axis:b": "9", "valid_from": "soon"})
    outside = browser.post(_url(scenario), data={"level:a.one": "0", "axis:b": "6"})

    assert response.status_code == outside.status_code == 422
    assert _field_errors(response.text) == {"t-a.one", "axis-b", "valid_from"}
    assert 'value="abc"' in response.text
    assert _field_errors(outside.text) == {"t-a.one", "axis-b"}
    assert "6 is outside the scale 1–5." in outside.text
    assert _levels(scenario) == {}


def test_a_viewer_reads_the_targets_but_cannot_save_them(app, scenario):
    browser = _signed_in(app, "viewer@example.org")

    page = browser.get(_url(scenario)).text

    assert 'id="save-targets"' not in page
    assert browser.post(_url(scenario), data={"level:a.one": "3"}).status_code == 403
    assert _levels(scenario) == {}


def test_without_a_framework_the_page_asks_for_one(app, scenario):
    page = _signed_in(app, "lead@example.org").get(f"/orgs/{scenario.org['id']}/targets").text

    assert "Choose the framework" in page and 'id="targets-form"' not in page


def test_the_diagnostic_shows_the_percent_to_target(app, scenario):
    rid = scenario.add_respondent("Ann", source="interview")
    scenario.rate([{"respondent_id": rid, "dimension": "a.one", "value": 3},
                   {"respondent_id": rid, "dimension": "b.one", "value": 4}])
    browser = _signed_in(app, "lead@example.org")
    browser.post(_url(scenario), data={"level:a.one": "4", "level:b.one": "4"})

    page = browser.get(f"/orgs/{scenario.org['id']}/assessments/"
                       f"{scenario.assessment['id']}").text

    # 1 - (1 + 0) / (4 + 4) = 0.875
    assert re.search(r'id="percent-to-target"[^>]*>88 %<', page)
    assert 'id="report-link"' in page and 'id="cockpit-link"' in page
