"""Which plan the projections use (`services.plan.trajectory.plan_in_use`), through the
services and the database, and a barometer that keeps its measured series when the plan
cannot be computed."""

from __future__ import annotations

from datetime import date

import pytest

from tests.api.roadmap_helpers import add_network
from tests.builders import Scenario
from tracker.domain.errors import InvalidInput
from tracker.extensions import db
from tracker.models import Initiative, Organization
from tracker.services.follow import barometer
from tracker.services.plan import roadmap, trajectory
from tracker.services.tenancy import organizations

START = date(2025, 1, 6)


@pytest.fixture
def org(lead) -> Organization:
    body = lead.post("/api/v1/orgs", json={"name": "Acme"}).json
    found = db.session.get(Organization, body["id"])
    assert found is not None
    return found


def test_the_settings_are_the_plan_until_cleared(org):
    assert trajectory.plan_in_use(org) == trajectory.PlanChoice(
        "default", roadmap.PlanParams())
    organizations.update_organization(org, {"plan_start": START, "plan_points": 4.0})
    assert trajectory.plan_in_use(org) == trajectory.PlanChoice(
        "settings", roadmap.PlanParams(START, None, 4.0))
    organizations.update_organization(org, {"plan_start": None, "plan_points": None})
    assert trajectory.plan_in_use(org).source == "default"


def test_a_baseline_and_a_request_take_precedence_over_the_settings(org):
    organizations.update_organization(org, {"plan_start": START, "plan_capacity": 3})
    roadmap.create_baseline(org, {"name": "Points", "start": date(2025, 2, 3), "points": 2.5})

    choice = trajectory.plan_in_use(org, "Points")
    assert choice == trajectory.PlanChoice(
        "baseline", roadmap.PlanParams(date(2025, 2, 3), None, 2.5), "Points")
    assert choice.describe(date(2025, 2, 3)) == {
        "source": "baseline", "start": date(2025, 2, 3), "capacity": None, "points": 2.5,
        "baseline": "Points"}
    asked = roadmap.PlanParams(None, 1, None)
    assert trajectory.plan_in_use(org, None, asked) == trajectory.PlanChoice("request", asked)
    with pytest.raises(InvalidInput) as refused:
        trajectory.plan_in_use(org, "Points", asked)
    assert "baseline" in refused.value.errors


def test_another_organizations_baseline_is_unknown(org, lead):
    other = db.session.get(Organization, lead.post("/api/v1/orgs", json={"name": "Other"})
                           .json["id"])
    assert other is not None
    roadmap.create_baseline(other, {"name": "Theirs", "start": START})
    with pytest.raises(InvalidInput):
        trajectory.plan_in_use(org, "Theirs")


def test_a_plan_that_cannot_be_computed_leaves_the_measured_barometer_intact(lead, admin):
    """A pinned date before its prerequisite ends makes the roadmap a 409; the barometer
    still lists the closed assessment and says why nothing is projected."""
    scenario = Scenario(lead, admin)
    assert lead.patch(scenario.assessment_url(), json={"status": "open"}).status_code == 200
    respondent = scenario.add_respondent()
    assert scenario.rate([{"respondent_id": respondent, "dimension": "a.one",
                           "value": 3}]).status_code == 200
    assert lead.patch(scenario.assessment_url(), json={"status": "closed"}).status_code == 200
    ids = add_network(scenario.org["id"], {"A": 4, "B": 1}, [("A", "B")])
    pinned = db.session.get(Initiative, ids["B"])
    assert pinned is not None
    pinned.pinned_start = START
    db.session.commit()
    assert lead.get(scenario.url("/roadmap?start=2025-01-06")).status_code == 409
    organization = db.session.get(Organization, scenario.org["id"])
    assert organization is not None
    organizations.update_organization(organization, {"plan_start": START})

    result = barometer.barometer(organization)
    assert [p.overall for p in result.assessments] == [3.0]
    assert result.projected == [] and result.plan is None
    assert result.projection_error is not None and "pinned" in result.projection_error
