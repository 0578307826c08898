"""A respondent's perspective on the respondents pages: the select of the add and edit forms
(none, client, consultant), the list's column, a pasted list's `perspective` column
(a bad value named, nothing added), and the diagnostic's "by" choice."""

from __future__ import annotations

import pytest

from tests.builders import Scenario
from tracker.extensions import db
from tracker.models import Respondent

PASSWORD = "correct horse battery"   # the one `make_api` gives its users


@pytest.fixture
def scenario(lead, admin) -> Scenario:
    return Scenario(lead, admin)


@pytest.fixture
def browser(app, scenario):
    """The lead, signed in."""
    client = app.test_client()
    response = client.post("/login", data={"email": "lead@example.org", "password": PASSWORD})
    assert response.status_code == 302, response.text
    return client


def _base(scenario: Scenario) -> str:
    return f"/orgs/{scenario.org['id']}/assessments/{scenario.assessment['id']}/respondents"


def _perspectives() -> dict[str, str | None]:
    return dict(db.session.execute(db.select(Respondent.name, Respondent.perspective)
                                   .order_by(Respondent.id)).all())


def test_the_add_form_offers_the_perspective_and_the_list_shows_it(scenario, browser):
    page = browser.get(_base(scenario)).text
    assert '<label for="r-perspective">Perspective</label>' in page
    assert '<option value="">none</option>' in page
    assert '<option value="consultant" >consultant</option>' in page

    added = browser.post(f"{_base(scenario)}/new", data={
        "name": "Ann", "source": "survey", "perspective": "consultant"})
    browser.post(f"{_base(scenario)}/new", data={"name": "Bob", "source": "survey",
                                                 "perspective": ""})

    assert added.status_code == 303
    assert _perspectives() == {"Ann": "consultant", "Bob": None}
    listed = browser.get(_base(scenario)).text
    assert '<td class="perspective">consultant</td>' in listed
    assert '<td class="perspective">–</td>' in listed


def test_a_bad_perspective_is_named_beside_the_field_and_the_input_kept(scenario, browser):
    response = browser.post(f"{_base(scenario)}/new", data={
        "name": "Ann", "source": "survey", "perspective": "partner"})

    assert response.status_code == 422
    assert 'id="r-perspective-error"' in response.text
    assert 'value="Ann"' in response.text
    assert _perspectives() == {}


def test_the_edit_form_changes_the_perspective(scenario, browser):
    ann = scenario.add_respondent("Ann", perspective="client")
    edit = f"{_base(scenario)}/{ann}/edit"
    assert '<option value="client" selected>client</option>' in browser.get(edit).text

    response = browser.post(edit, data={"name": "Ann", "source": "survey",
                                        "perspective": "consultant"})

    assert response.status_code == 303
    assert _perspectives() == {"Ann": "consultant"}


def test_a_pasted_list_gives_the_perspective_all_or_nothing(scenario, browser):
    bad = "name,perspective\nAnn,client\nBob,partner\n"
    preview = browser.post(f"{_base(scenario)}/import", data={"step": "preview", "list": bad})
    assert preview.status_code == 422
    assert "row 3, perspective" in preview.text
    assert browser.post(f"{_base(scenario)}/import",
                        data={"step": "confirm", "list": bad}).status_code == 422
    assert _perspectives() == {}

    good = "name,perspective\nAnn,client\nBob,consultant\nCat,\n"
    preview = browser.post(f"{_base(scenario)}/import", data={"step": "preview", "list": good})
    assert preview.status_code == 200
    added = browser.post(f"{_base(scenario)}/import", data={"step": "confirm", "list": good})

    assert added.status_code == 303
    assert _perspectives() == {"Ann": "client", "Bob": "consultant", "Cat": None}


def test_the_diagnostic_offers_perception_gaps_by_perspective(scenario, browser):
    page = browser.get(f"/orgs/{scenario.org['id']}/assessments/{scenario.assessment['id']}"
                       "?by=perspective")

    assert page.status_code == 200
    assert '<option value="perspective" selected>perspective</option>' in page.text
