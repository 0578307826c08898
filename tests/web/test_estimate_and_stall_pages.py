"""The three-point estimate in the initiative's forms and page, and stalled initiatives
tagged on the backlog and on their page (DESIGN section 3, "Forecast" and "Stalled")."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.web_helpers import seed_demo, sign_in
from tracker.extensions import db
from tracker.models import Initiative

# demo initiatives (seeds/demo/novatechna.yaml): 7 is approved, 12 is proposed
APPROVED, PROPOSED = 7, 12


@pytest.fixture
def demo_org(app, client) -> int:
    org_id = seed_demo()
    sign_in(client, "lead@novatechna.example")
    return org_id


def field_errors(page: str) -> dict[str, str]:
    return dict(re.findall(r'<p class="field-error" id="([\w-]+)-error">([^<]*)</p>', page))


def stalled_rows(page: str) -> set[int]:
    """The backlog rows carrying the "stalled" tag."""
    rows = re.findall(r'<tr data-id="(\d+)">(.*?)</tr>', page, re.S)
    return {int(i) for i, row in rows if '<span class="badge stalled"' in row}


def _edit(client, org_id, initiative_id, **estimate):
    initiative = db.session.get(Initiative, initiative_id)
    return client.post(f"/orgs/{org_id}/initiatives/{initiative_id}/edit", data={
        "title": initiative.title, "status": initiative.status,
        "duration_weeks": "4", **estimate})


def test_an_estimate_typed_with_a_decimal_comma_is_saved_shown_and_prefilled(client,
                                                                          demo_org):
    saved = _edit(client, demo_org, PROPOSED, estimate_optimistic="2,5",
                  estimate_likely="4", estimate_pessimistic="10,5")

    assert saved.status_code == 303
    initiative = db.session.get(Initiative, PROPOSED)
    assert initiative.estimate == {"optimistic": 2.5, "likely": 4.0, "pessimistic": 10.5}
    page = client.get(f"/orgs/{demo_org}/initiatives/{PROPOSED}").text
    assert 'id="initiative-estimate"' in page
    assert "2.5 / 4 / 10.5 weeks" in page
    form = client.get(f"/orgs/{demo_org}/initiatives/{PROPOSED}/edit").text
    assert 'name="estimate_optimistic" type="text" inputmode="decimal" value="2.5"' in form
    assert 'name="estimate_pessimistic" type="text" inputmode="decimal" value="10.5"' in form


def test_an_estimate_out_of_order_is_refused_beside_the_most_likely_weeks(client, demo_org):
    refused = _edit(client, demo_org, PROPOSED, estimate_optimistic="6",
                    estimate_likely="4", estimate_pessimistic="10")

    assert refused.status_code == 422
    assert field_errors(refused.text) == {
        "estimate_likely": "Give optimistic ≤ most likely ≤ pessimistic weeks."}
    assert 'id="f-estimate_likely" name="estimate_likely" type="text" inputmode="decimal" ' \
           'value="4"' in refused.text
    assert db.session.get(Initiative, PROPOSED).estimate is None


def test_a_missing_or_bad_point_is_named_beside_its_field(client, demo_org):
    new = client.post(f"/orgs/{demo_org}/initiatives/new", data={
        "title": "Rituals", "estimate_optimistic": "2", "estimate_likely": "",
        "estimate_pessimistic": "abc"})
    edit = _edit(client, demo_org, PROPOSED, estimate_optimistic="2", estimate_likely="",
                 estimate_pessimistic="-1")

    for refused in (new, edit):
        assert refused.status_code == 422
        errors = field_errors(refused.text)
        assert set(errors) == {"estimate_likely", "estimate_pessimistic"}
        assert errors["estimate_likely"].startswith("Give Most likely (weeks) too")
        assert errors["estimate_pessimistic"].startswith("Pessimistic (weeks) must be a number")
    assert db.session.get(Initiative, PROPOSED).estimate is None


def test_three_empty_fields_clear_the_estimate_and_an_old_form_keeps_it(client, demo_org):
    assert _edit(client, demo_org, PROPOSED, estimate_optimistic="2", estimate_likely="3",
                 estimate_pessimistic="5").status_code == 303
    assert _edit(client, demo_org, PROPOSED).status_code == 303  # fields not sent: kept
    assert db.session.get(Initiative, PROPOSED).estimate == {
        "optimistic": 2.0, "likely": 3.0, "pessimistic": 5.0}

    cleared = _edit(client, demo_org, PROPOSED, estimate_optimistic="",
                    estimate_likely=" ", estimate_pessimistic="")

    assert cleared.status_code == 303
    assert db.session.get(Initiative, PROPOSED).estimate is None
    assert 'id="initiative-estimate"' not in client.get(
        f"/orgs/{demo_org}/initiatives/{PROPOSED}").text


def test_an_initiative_in_progress_long_past_its_limit_is_tagged_stalled(client, demo_org):
    today = datetime.now(ZoneInfo("Europe/Paris")).date()
    before = stalled_rows(client.get(f"/orgs/{demo_org}/backlog").text)
    initiative = db.session.get(Initiative, APPROVED)
    # no estimate: the limit is 1.5 × 4 = 6 weeks; started 70 days ago = 10 weeks in progress
    initiative.status, initiative.duration_weeks = "in_progress", 4
    initiative.actual_start = today - timedelta(days=70)
    for point in ("optimistic", "likely", "pessimistic"):
        setattr(initiative, f"estimate_{point}", None)
    db.session.commit()

    page = client.get(f"/orgs/{demo_org}/backlog").text
    assert stalled_rows(page) == before | {APPROVED}
    only = client.get(f"/orgs/{demo_org}/backlog", query_string={"stalled": "1"}).text
    assert set(re.findall(r'<tr data-id="(\d+)"', only)) == {str(i) for i in before | {APPROVED}}
    assert 'id="only-stalled" checked' in only
    shown = client.get(f"/orgs/{demo_org}/initiatives/{APPROVED}").text
    assert 'id="initiative-stalled">stalled</span>' in shown
    assert "10 weeks in progress, limit 6 weeks" in shown

    # an estimate (4, 8, 16) has its P85 past 10 weeks: no longer stalled
    assert _edit(client, demo_org, APPROVED, estimate_optimistic="4", estimate_likely="8",
                 estimate_pessimistic="16").status_code == 303
    assert APPROVED not in stalled_rows(client.get(f"/orgs/{demo_org}/backlog").text)
    assert 'id="initiative-stalled"' not in client.get(
        f"/orgs/{demo_org}/initiatives/{APPROVED}").text


def test_the_stalled_filter_with_none_stalled_names_the_next_step(client, demo_org):
    for initiative in db.session.scalars(db.select(Initiative).where(
            Initiative.status == "in_progress")):
        initiative.actual_start = None
    db.session.commit()

    page = client.get(f"/orgs/{demo_org}/backlog", query_string={"stalled": "1"}).text

    assert 'id="no-stalled"' in page and "<tr data-id=" not in page
