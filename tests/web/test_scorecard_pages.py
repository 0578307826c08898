"""The scorecard pages on the demo organization: a lead adds, edits, reorders and removes
criteria (a removal that erases scores says so and waits for a confirmation); ops score an
initiative on them from its page; the scorecard backlog without criteria shows an empty
state leading to the editor; errors are named per field (422); roles and tenancy hold."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import ApiClient
from tests.web.scoring_helpers import demo_signed_in, elsewhere
from tests.web_helpers import XSS, sign_in
from tracker.extensions import db
from tracker.models import Initiative, Organization, ScorecardCriterion
from tracker.services.decide import initiatives
from tracker.services.tenancy import accounts

INITIATIVE = 4


@pytest.fixture
def demo_org(app, client) -> int:
    return demo_signed_in(client, "lead@novatechna.example")


def add(client, org_id: int, name: str, kind: str = "benefit", weight: str = "1",
        hint: str = ""):
    return client.post(f"/orgs/{org_id}/scorecard",
                       data={"name": name, "kind": kind, "weight": weight, "hint": hint})


def criteria(org_id: int) -> list[ScorecardCriterion]:
    db.session.expire_all()
    return list(db.session.scalars(select(ScorecardCriterion).where(
        ScorecardCriterion.org_id == org_id).order_by(ScorecardCriterion.position)))


def scores_of(org_id: int, initiative_id: int = INITIATIVE) -> dict[str, float]:
    db.session.expire_all()
    org = db.session.get(Organization, org_id)
    return initiatives.criteria_scores(initiatives.get_initiative(org, initiative_id))


def three_criteria(client, org_id: int) -> list[int]:
    """Customer gain (benefit, weight 3), Reach (benefit, 1) and Cost (cost, 2); their ids."""
    assert add(client, org_id, "Customer gain", weight="3", hint="1 = none, 5 = decisive"
               ).status_code == 303
    assert add(client, org_id, "Reach", hint="1 = a team, 5 = the whole group").status_code == 303
    assert add(client, org_id, "Cost", kind="cost", weight="2").status_code == 303
    return [c.id for c in criteria(org_id)]


def test_a_lead_adds_three_criteria_and_reads_them_with_their_hints(app, client, demo_org):
    three_criteria(client, demo_org)
    rows = criteria(demo_org)

    assert [(c.code, c.name, c.kind, c.weight, c.hint) for c in rows] == [
        ("customer_gain", "Customer gain", "benefit", 3.0, "1 = none, 5 = decisive"),
        ("reach", "Reach", "benefit", 1.0, "1 = a team, 5 = the whole group"),
        ("cost", "Cost", "cost", 2.0, "")]
    page = client.get(f"/orgs/{demo_org}/scorecard").text
    assert 'id="criteria-table"' in page and "1 = a team, 5 = the whole group" in page
    assert 'id="criterion-form"' in page and '<label for="c-hint">' in page
    api = client.get(f"/api/v1/orgs/{demo_org}/scorecard").json["criteria"]
    assert [c["hint"] for c in api] == ["1 = none, 5 = decisive",
                                        "1 = a team, 5 = the whole group", ""]
    _, token = accounts.create_token(accounts.find_user("lead@novatechna.example"))
    api_client = ApiClient(app.test_client(), token)
    put = api_client.put(f"/api/v1/orgs/{demo_org}/scorecard", json={"criteria": [
        {"code": "reach", "name": "Reach", "kind": "benefit", "weight": 1, "hint": "teams"}]})
    assert put.status_code == 200 and put.json["criteria"][0]["hint"] == "teams"
    assert [(c.code, c.hint) for c in criteria(demo_org)] == [("reach", "teams")]


def test_editing_keeps_the_code_and_the_scores_and_moving_reorders(client, demo_org):
    gain, reach, cost = three_criteria(client, demo_org)
    initiatives.update_initiative(db.session.get(Organization, demo_org), None, INITIATIVE,
                                  {"criteria": {"reach": 4.0}})

    edit = client.get(f"/orgs/{demo_org}/scorecard/{reach}/edit")
    assert edit.status_code == 200 and 'value="Reach"' in edit.text
    saved = client.post(f"/orgs/{demo_org}/scorecard/{reach}/edit", data={
        "name": "Reach across teams", "kind": "benefit", "weight": "2", "hint": "teams"})
    assert saved.status_code == 303
    client.post(f"/orgs/{demo_org}/scorecard/{cost}/move", data={"direction": "up"})
    client.post(f"/orgs/{demo_org}/scorecard/{gain}/move", data={"direction": "up"})

    rows = criteria(demo_org)
    assert [c.code for c in rows] == ["customer_gain", "cost", "reach"]
    assert (rows[2].name, rows[2].weight, rows[2].hint) == ("Reach across teams", 2.0, "teams")
    assert scores_of(demo_org) == {"reach": 4.0}


def test_a_bad_criterion_is_refused_with_each_field_named_and_the_input_kept(client, demo_org):
    response = add(client, demo_org, "", kind="gain", weight="-1", hint="h" * 301)

    assert response.status_code == 422
    for field in ("name", "kind", "weight", "hint"):
        assert f'id="{field}-error"' in response.text, field
    assert 'value="-1"' in response.text and 'aria-invalid="true"' in response.text
    assert criteria(demo_org) == []
    only_cost = add(client, demo_org, "Cost", kind="cost")
    assert only_cost.status_code == 422
    assert "The benefit criteria weights must not sum to 0." in only_cost.text
    assert 'value="Cost"' in only_cost.text


def test_a_name_is_escaped_and_a_same_name_gets_its_own_code(client, demo_org):
    add(client, demo_org, XSS)
    add(client, demo_org, XSS)

    assert [c.code for c in criteria(demo_org)] == ["img_src_x_onerror_alert_1",
                                                    "img_src_x_onerror_alert_1_2"]
    page = client.get(f"/orgs/{demo_org}/scorecard").text
    assert XSS not in page and "&lt;img src=x" in page


def test_removing_a_scored_criterion_says_what_goes_and_waits_for_the_box(client, demo_org):
    gain, reach, _cost = three_criteria(client, demo_org)
    initiatives.update_initiative(db.session.get(Organization, demo_org), None, INITIATIVE,
                                  {"criteria": {"reach": 4.0, "customer_gain": 2.0}})

    confirm = client.get(f"/orgs/{demo_org}/scorecard/{reach}/remove").text
    assert "1 initiative has a score on this criterion" in confirm
    unconfirmed = client.post(f"/orgs/{demo_org}/scorecard/{reach}/remove", data={})
    assert unconfirmed.status_code == 422 and 'id="confirm-error"' in unconfirmed.text
    assert len(criteria(demo_org)) == 3

    done = client.post(f"/orgs/{demo_org}/scorecard/{reach}/remove", data={"confirm": "1"})
    assert done.status_code == 303
    assert [c.code for c in criteria(demo_org)] == ["customer_gain", "cost"]
    assert scores_of(demo_org) == {"customer_gain": 2.0}
    last_benefit = client.post(f"/orgs/{demo_org}/scorecard/{gain}/remove",
                               data={"confirm": "1"})
    assert last_benefit.status_code == 422
    assert "The benefit criteria weights must not sum to 0." in last_benefit.text
    assert len(criteria(demo_org)) == 2


def test_ops_score_an_initiative_beside_each_criterions_hint(client, demo_org):
    gain, reach, cost = three_criteria(client, demo_org)
    sign_in(client, "ops@novatechna.example")
    page = client.get(f"/orgs/{demo_org}/initiatives/{INITIATIVE}").text
    assert 'id="scores-form"' in page and f'<label for="score-{gain}">Customer gain' in page
    assert "1 = none, 5 = decisive" in page

    version = db.session.get(Initiative, INITIATIVE).version
    saved = client.post(f"/orgs/{demo_org}/initiatives/{INITIATIVE}/scores", data={
        f"score-{gain}": "4", f"score-{reach}": "2", f"score-{cost}": "2",
        "version": str(version)})
    assert saved.status_code == 303
    assert scores_of(demo_org) == {"customer_gain": 4.0, "reach": 2.0, "cost": 2.0}
    # value (3·4 + 1·2) / (3 + 1) = 3.5, effort 2·2 / 2 = 2, score 3.5 / 2 = 1.75
    page = client.get(f"/orgs/{demo_org}/initiatives/{INITIATIVE}").text
    assert "value 3.5, effort 2, score 1.75" in page

    bad = client.post(f"/orgs/{demo_org}/initiatives/{INITIATIVE}/scores", data={
        f"score-{gain}": "lots", f"score-{reach}": "", f"score-{cost}": "3"})
    assert bad.status_code == 422 and f'id="score-{gain}-error"' in bad.text
    assert 'value="lots"' in bad.text
    assert scores_of(demo_org) == {"customer_gain": 4.0, "reach": 2.0, "cost": 2.0}
    stale = client.post(f"/orgs/{demo_org}/initiatives/{INITIATIVE}/scores", data={
        f"score-{gain}": "1", "version": str(version)})
    assert stale.status_code == 422 and 'id="scores-error"' in stale.text
    cleared = client.post(f"/orgs/{demo_org}/initiatives/{INITIATIVE}/scores", data={
        f"score-{gain}": "5"})
    assert cleared.status_code == 303 and scores_of(demo_org) == {"customer_gain": 5.0}


def test_the_scorecard_backlog_without_criteria_says_what_to_do(client, demo_org):
    page = client.get(f"/orgs/{demo_org}/backlog?method=scorecard").text

    assert 'id="no-criteria"' in page and 'class="flash error"' not in page
    assert f'href="/orgs/{demo_org}/scorecard"' in page
    three_criteria(client, demo_org)
    ranked = client.get(f"/orgs/{demo_org}/backlog?method=scorecard").text
    assert 'id="backlog-table"' in ranked and 'id="no-criteria"' not in ranked
    assert 'id="scorecard-link"' in ranked


def test_only_leads_edit_criteria_and_viewers_score_nothing(client, demo_org):
    gain, *_ = three_criteria(client, demo_org)
    sign_in(client, "ops@novatechna.example")
    assert 'id="criterion-form"' not in client.get(f"/orgs/{demo_org}/scorecard").text
    assert add(client, demo_org, "Speed").status_code == 403
    for path in (f"{gain}/edit", f"{gain}/remove", f"{gain}/move"):
        assert client.post(f"/orgs/{demo_org}/scorecard/{path}",
                           data={"confirm": "1"}).status_code == 403
    sign_in(client, "sponsor@novatechna.example")
    page = client.get(f"/orgs/{demo_org}/initiatives/{INITIATIVE}").text
    assert 'id="scores-table"' in page and 'id="scores-form"' not in page
    assert client.post(f"/orgs/{demo_org}/initiatives/{INITIATIVE}/scores",
                       data={f"score-{gain}": "3"}).status_code == 403
    assert len(criteria(demo_org)) == 3 and scores_of(demo_org) == {}


def test_another_organizations_criteria_and_initiatives_are_not_found(client, demo_org):
    theirs = elsewhere()

    assert client.get(f"/orgs/{theirs['org']}/scorecard").status_code == 404
    for path in ("edit", "remove"):
        assert client.get(
            f"/orgs/{demo_org}/scorecard/{theirs['criterion']}/{path}").status_code == 404
    assert client.post(f"/orgs/{demo_org}/scorecard/{theirs['criterion']}/move",
                       data={"direction": "up"}).status_code == 404
    assert client.post(f"/orgs/{demo_org}/initiatives/{theirs['initiative']}/scores",
                       data={}).status_code == 404
