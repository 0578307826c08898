"""The initiative form on the demo organization: expected uplifts picked from the grid's
dimensions by name (any number of rows, more added without JavaScript), a bad expected
uplift named by its dimension beside its row (422, nothing saved), findings in a searchable
picker, each prioritization input with its scale, the computed class beside the override,
and other organizations' initiatives out of reach."""

from __future__ import annotations

import html
import re

import pytest

from tests.web_helpers import seed_demo, sign_in
from tracker.extensions import db
from tracker.models import Initiative, Organization
from tracker.services.decide import backlog, initiatives
from tracker.web.labels import INPUT_HINTS

PROPOSED = 12  # demo: "Map the product portfolio by lifecycle stage", proposed


@pytest.fixture
def demo_org(app, client) -> int:
    org_id = seed_demo()
    sign_in(client, "ops@novatechna.example")
    return org_id


def dimension_options(page: str, row: int) -> dict[str, str]:
    """The options (code → text) of an uplift row's dimension select."""
    select = re.search(rf'<select id="f-uplift-dimension-{row}".*?</select>', page, re.S)
    return {code: html.unescape(text) for code, text in
            re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(0))}


def test_the_uplift_rows_offer_the_dimensions_by_name_in_a_picker(client, demo_org):
    page = client.get(f"/orgs/{demo_org}/initiatives/new").text
    org = db.session.get(Organization, demo_org)
    roles = initiatives.usable_dimensions(org)["organisation.roles"]

    options = dimension_options(page, 1)
    assert options["organisation.roles"] == f"{roles.name} (organisation.roles)"
    assert options[""] == "no dimension"
    assert re.search(r'<select id="f-uplift-dimension-1" name="uplift_dimension" data-picker',
                     page)
    assert page.count('name="uplift_dimension"') == 3  # three blank rows without JavaScript
    assert 'name="more_uplifts"' in page and re.search(r"js/uplifts\.[0-9a-f]{12}\.js", page)
    assert 'list="dimension-codes"' not in page  # no code typed by hand any more


def test_add_a_row_without_javascript_keeps_the_rows_and_saves_nothing(client, demo_org):
    before = db.session.query(Initiative).count()
    response = client.post(f"/orgs/{demo_org}/initiatives/new", data={
        "title": "Many uplifts", "more_uplifts": "1",
        "uplift_dimension": ["organisation.roles", "", ""], "uplift_expected": ["0.5", "", ""]})

    assert response.status_code == 200
    assert db.session.query(Initiative).count() == before
    # the filled row kept, its 2 blank rows and 3 more: 6 rows
    assert response.text.count('name="uplift_dimension"') == 6
    assert re.search(r'<option value="organisation.roles" selected>', response.text)
    assert 'value="Many uplifts"' in response.text


def test_three_uplifts_picked_by_dimension_are_saved(client, demo_org):
    response = client.post(f"/orgs/{demo_org}/initiatives/new", data={
        "title": "Three uplifts", "status": "proposed",
        "uplift_dimension": ["organisation.roles", "data.delivery_metrics",
                             "organisation.leadership", ""],
        "uplift_expected": ["0.5", "1.25", "2", ""]})

    assert response.status_code == 303, response.text
    created = db.session.query(Initiative).filter_by(title="Three uplifts").one()
    assert initiatives.uplifts(created) == [
        {"dimension": "data.delivery_metrics", "expected": 1.25},
        {"dimension": "organisation.leadership", "expected": 2.0},
        {"dimension": "organisation.roles", "expected": 0.5}]
    edit = client.get(f"/orgs/{demo_org}/initiatives/{created.id}/edit").text
    # its three rows and three blank ones
    assert edit.count('name="uplift_dimension"') == 6
    assert re.search(r'<option value="organisation.leadership" selected>', edit)


def test_a_bad_expected_uplift_is_named_by_its_dimension_beside_its_row(client, demo_org):
    org = db.session.get(Organization, demo_org)
    name = initiatives.usable_dimensions(org)["data.delivery_metrics"].name
    before = db.session.query(Initiative).count()

    response = client.post(f"/orgs/{demo_org}/initiatives/new", data={
        "title": "Bad levels", "uplift_dimension": ["organisation.roles",
                                                    "data.delivery_metrics", ""],
        "uplift_expected": ["0.5", "lots", "1"]})

    assert response.status_code == 422
    text = html.unescape(response.text)
    assert (f'<p class="field-error" id="uplift-2-error">The expected uplift for {name} must '
            "be a number of levels, 0 or more (got lots).</p>") in text
    # the third row has a level and no dimension: it says to choose one
    assert ('<p class="field-error" id="uplift-3-error">Choose the dimension this uplift '
            "lifts.</p>") in text
    assert 'id="uplift-1-error"' not in text
    assert 'aria-describedby="uplift-2-error"' in text
    assert 'value="lots"' in text  # input kept
    assert db.session.query(Initiative).count() == before


def test_a_negative_or_missing_level_is_named_too(client, demo_org):
    org = db.session.get(Organization, demo_org)
    name = initiatives.usable_dimensions(org)["organisation.roles"].name
    response = client.post(f"/orgs/{demo_org}/initiatives/new", data={
        "title": "Backwards", "uplift_dimension": ["organisation.roles", "organisation.roles"],
        "uplift_expected": ["-1", ""]})

    assert response.status_code == 422
    text = html.unescape(response.text)
    assert f"The expected uplift for {name} must be a number of levels, 0 or more (got -1)." \
        in text
    assert f"Give the expected uplift for {name}, in levels of the grid's scale." in text


def test_findings_use_the_picker_and_every_input_shows_its_scale(client, demo_org):
    page = html.unescape(client.get(f"/orgs/{demo_org}/initiatives/{PROPOSED}/edit").text)

    assert re.search(r'<select id="f-finding_ids" name="finding_ids" multiple[^>]*data-picker',
                     page)
    for name, hint in INPUT_HINTS.items():
        assert f'<p class="hint" id="{name}-hint">{hint}</p>' in page
        assert re.search(rf'<input id="f-{name}"[^>]*aria-describedby="{name}-hint"', page)


def test_the_override_shows_the_computed_class(client, demo_org):
    org = db.session.get(Organization, demo_org)
    computed = next(item.computed_class for item in
                    backlog.ranked_backlog(org, include_done=True).items if item.id == PROPOSED)
    words = {"quick_win": "quick win", "structural_lever": "structural lever",
             "standard": "standard"}[computed]

    page = client.get(f"/orgs/{demo_org}/initiatives/{PROPOSED}/edit").text
    new = client.get(f"/orgs/{demo_org}/initiatives/new").text

    assert f'<option value="">computed: {words}</option>' in page
    assert f"Computed: {words}." in page
    assert '<option value="">computed</option>' in new


def test_another_organizations_initiative_form_is_not_found(client, demo_org):
    other = Organization(name="Elsewhere")
    db.session.add(other)
    db.session.flush()
    theirs = Initiative(org_id=other.id, title="Theirs")
    db.session.add(theirs)
    db.session.commit()
    other_id, theirs_id = other.id, theirs.id

    assert client.get(f"/orgs/{demo_org}/initiatives/{theirs_id}/edit").status_code == 404
    assert client.post(f"/orgs/{demo_org}/initiatives/{theirs_id}/edit", data={
        "title": "Mine now", "more_uplifts": "1"}).status_code == 404
    assert client.get(f"/orgs/{other_id}/initiatives/new").status_code == 404
    assert db.session.get(Initiative, theirs_id).title == "Theirs"
