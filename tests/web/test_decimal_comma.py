"""Every web form that reads a number accepts a decimal comma (`0,8`, `2,5`) and a space
between thousands (`1 234,5`), stores a float, and refuses a text that is no number with a
message naming the field (tracker/web/forms.py)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.web_helpers import seed_demo, sign_in
from tracker.extensions import db
from tracker.models import Initiative, Kpi, Organization, Pilot, ScorecardCriterion
from tracker.services.decide import initiatives
from tracker.web.forms import form_number

PROPOSED = 12  # demo initiative "Map the product portfolio by lifecycle stage", proposed


@pytest.fixture
def demo_org(app, client) -> int:
    org_id = seed_demo()
    sign_in(client, "lead@novatechna.example")
    return org_id


def fresh(model, key):
    db.session.expire_all()
    return db.session.get(model, key)


@pytest.mark.parametrize(("typed", "read"), [
    ("0,8", "0.8"), ("2.5", "2.5"), ("1 234,5", "1234.5"), ("1\u202f234,5", "1234.5"),
    ("1\u00a0234", "1234"), ("1.234,5", "1234.5"), ("1,234.5", "1234.5"), ("-3,25", "-3.25"),
    (",5", ".5"), ("  7 ", "7"), ("lots", "lots"), ("1 2 a", "1 2 a"), ("", "")])
def test_a_typed_number_reads_in_the_schemas_notation(typed, read):
    assert form_number(typed) == read


def test_the_initiative_form_reads_decimal_commas_in_its_fields_and_uplifts(client, demo_org):
    version = fresh(Initiative, PROPOSED).version
    response = client.post(f"/orgs/{demo_org}/initiatives/{PROPOSED}/edit", data={
        "title": "Map the portfolio", "duration_weeks": "2,5", "load": "1 234,5",
        "confidence": "0,8", "uplift_dimension": ["organisation.roles"],
        "uplift_expected": ["0,5"], "version": str(version)})

    assert response.status_code == 303, response.text
    initiative = fresh(Initiative, PROPOSED)
    assert (initiative.duration_weeks, initiative.load, initiative.confidence) == \
        (2.5, 1234.5, 0.8)
    assert [u.expected for u in initiative.uplifts] == [0.5]


def test_a_word_in_a_number_field_is_refused_naming_the_field(client, demo_org):
    response = client.post(f"/orgs/{demo_org}/initiatives/new", data={
        "title": "Outcome reviews", "duration_weeks": "two"})

    assert response.status_code == 422
    assert "Duration (weeks) must be a number, such as 2.5 or 2,5." in response.text
    assert "Not a valid number." not in response.text
    assert 'value="two"' in response.text  # the input kept


def test_the_pilot_form_reads_a_decimal_comma_threshold(client, demo_org):
    initiative = Initiative(org_id=demo_org, title="Outcome reviews")
    db.session.add(initiative)
    db.session.commit()
    page = f"/orgs/{demo_org}/initiatives/{initiative.id}"

    bad = client.post(f"{page}/pilots", data={"teams": "claims", "threshold": "many"})
    created = client.post(f"{page}/pilots", data={"teams": "claims", "kpi": "reviews",
                                                  "threshold": "2,5"})

    assert bad.status_code == 422 and "Threshold must be a number" in bad.text
    assert created.status_code == 303, created.text
    assert db.session.scalars(select(Pilot.threshold).where(
        Pilot.initiative_id == initiative.id)).one() == 2.5


def test_the_rater_form_reads_decimal_commas(client, demo_org):
    response = client.post(f"/orgs/{demo_org}/initiatives/{PROPOSED}/raters", data={
        "rater": "Ann", "business_value": "8", "job_size": "3", "confidence": "0,8"})

    assert response.status_code == 303, response.text
    inputs = fresh(Initiative, PROPOSED).rater_inputs
    assert [(r.rater, r.confidence) for r in inputs] == [("Ann", 0.8)]


def test_the_scorecard_reads_a_decimal_comma_weight_and_scores(client, demo_org):
    added = client.post(f"/orgs/{demo_org}/scorecard", data={
        "name": "Customer gain", "kind": "benefit", "weight": "2,5", "hint": ""})
    assert added.status_code == 303, added.text
    criterion = db.session.scalars(select(ScorecardCriterion).where(
        ScorecardCriterion.org_id == demo_org)).one()
    assert criterion.weight == 2.5
    score = f"score-{criterion.id}"

    scored = client.post(f"/orgs/{demo_org}/initiatives/{PROPOSED}/scores", data={
        score: "3,5", "version": str(fresh(Initiative, PROPOSED).version)})
    refused = client.post(f"/orgs/{demo_org}/initiatives/{PROPOSED}/scores", data={
        score: "lots"})

    assert scored.status_code == 303, scored.text
    org = fresh(Organization, demo_org)
    scores = initiatives.criteria_scores(initiatives.get_initiative(org, PROPOSED))
    assert scores == {"customer_gain": 3.5}
    assert refused.status_code == 422
    assert "Customer gain must be a number, such as 2.5 or 2,5." in refused.text


def test_the_kpi_forms_read_decimal_commas(client, demo_org):
    created = client.post(f"/orgs/{demo_org}/kpis/new", data={
        "name": "Lead time", "unit": "days", "direction": "lower_is_better", "target": "1 234,5"})
    assert created.status_code == 303, created.text
    kpi = db.session.scalars(select(Kpi).where(Kpi.org_id == demo_org,
                                               Kpi.name == "Lead time")).one()
    kpi_id = kpi.id
    assert kpi.target == 1234.5

    measured = client.post(f"/orgs/{demo_org}/kpis/{kpi_id}/measurements", data={
        "value": "2,5", "measured_at": "2026-11-02", "comment": ""})
    assert measured.status_code == 303, measured.text
    assert [m.value for m in fresh(Kpi, kpi_id).measurements] == [2.5]


def test_the_settings_read_decimal_commas(client, demo_org):
    org = fresh(Organization, demo_org)
    form = client.get(f"/orgs/{demo_org}/settings").text
    values = dict(re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', form))
    response = client.post(f"/orgs/{demo_org}/settings", data={
        **values, "name": org.name, "locale": org.locale, "timezone": org.timezone,
        "default_method": org.default_method, "perception_gap_threshold": "0,8",
        "quick_win_max_weeks": "5,5"})

    assert response.status_code == 303, response.text
    org = fresh(Organization, demo_org)
    assert (org.perception_gap_threshold, org.quick_win_max_weeks) == (0.8, 5.5)

