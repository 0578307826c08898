"""Planned days of a campaign over the API: created and changed by ops (past days allowed),
a closing before the opening refused on `planned_close_on`, changes audited; the time left
counted on the organization's calendar."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from tests.builders import Scenario, add_member
from tracker.extensions import db
from tracker.models import Assessment, AuditEvent, Organization
from tracker.services.observe import assessments
from tracker.services.observe.assessments import PLAN_ACTION


@pytest.fixture
def scenario(lead, admin) -> Scenario:
    return Scenario(lead, admin)


def _ops(make_api, scenario: Scenario):
    api = make_api("ops@example.org")
    add_member(scenario.org["id"], "ops@example.org", "ops")
    return api


def _create(api, scenario: Scenario, **planned: str | None):
    return api.post(scenario.url("/assessments"), json={
        "framework_id": scenario.framework["id"], "title": "Pulse Q1", "kind": "pulse",
        **planned})


def test_ops_plan_a_campaign_with_past_or_future_days(scenario, make_api):
    ops = _ops(make_api, scenario)

    created = _create(ops, scenario, planned_open_on="2020-01-06", planned_close_on="2099-03-15")

    assert created.status_code == 201, created.json
    assert (created.json["planned_open_on"], created.json["planned_close_on"]) == \
        ("2020-01-06", "2099-03-15")
    again = ops.get(scenario.url(f"/assessments/{created.json['id']}")).json
    assert again["planned_close_on"] == "2099-03-15"


def test_without_planned_days_both_are_null(scenario):
    assert (scenario.assessment["planned_open_on"], scenario.assessment["planned_close_on"]) == \
        (None, None)


def test_a_closing_before_the_opening_is_refused_on_planned_close_on(scenario):
    created = _create(scenario.api, scenario, planned_open_on="2027-03-15",
                      planned_close_on="2027-03-14")
    assert created.status_code == 422
    assert list(created.json["errors"]) == ["planned_close_on"]

    patched = scenario.api.patch(scenario.assessment_url(), json={
        "planned_open_on": "2027-03-15", "planned_close_on": "2027-03-01"})
    assert patched.status_code == 422
    assert list(patched.json["errors"]) == ["planned_close_on"]
    # the stored opening counts too: a closing alone before it is refused
    assert scenario.api.patch(scenario.assessment_url(), json={
        "planned_open_on": "2027-03-15"}).status_code == 200
    alone = scenario.api.patch(scenario.assessment_url(), json={"planned_close_on": "2027-03-14"})
    assert alone.status_code == 422 and list(alone.json["errors"]) == ["planned_close_on"]
    assert scenario.api.get(scenario.assessment_url()).json["planned_close_on"] is None


def test_a_bad_date_is_refused_by_the_schema(scenario):
    response = _create(scenario.api, scenario, planned_open_on="15/03/2027")
    assert response.status_code == 422
    assert "planned_open_on" in response.json["errors"]


def test_ops_change_and_clear_the_planned_days_and_each_change_is_audited(scenario, make_api):
    ops = _ops(make_api, scenario)
    url = scenario.assessment_url()

    moved = ops.patch(url, json={"planned_open_on": "2027-03-01", "planned_close_on": "2027-03-15"})
    assert moved.status_code == 200, moved.json
    cleared = ops.patch(url, json={"planned_close_on": None, "title": "Diagnostic 2027"})
    assert cleared.status_code == 200, cleared.json
    assert (cleared.json["planned_open_on"], cleared.json["planned_close_on"],
            cleared.json["title"]) == ("2027-03-01", None, "Diagnostic 2027")
    assert ops.patch(url, json={"planned_open_on": "2027-03-01"}).status_code == 200  # no change

    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == PLAN_ACTION)
                                .order_by(AuditEvent.id)).all()
    assert [e.changes for e in events] == [
        {"planned_open_on": [None, "2027-03-01"], "planned_close_on": [None, "2027-03-15"]},
        {"planned_close_on": ["2027-03-15", None]}]
    # planning is not a correction of the campaign's history
    assert assessments.corrections(_org(scenario), scenario.assessment["id"]) == []


def test_a_contributor_cannot_plan(scenario, make_api):
    contributor = make_api("contributor@example.org")
    add_member(scenario.org["id"], "contributor@example.org", "contributor")

    response = contributor.patch(scenario.assessment_url(), json={"planned_open_on": "2027-03-01"})

    assert response.status_code == 403


def test_another_organization_cannot_plan_this_assessment(scenario, make_api):
    other = make_api("other@example.org")
    assert other.post("/api/v1/orgs", json={"name": "Other"}).status_code == 201

    response = other.patch(scenario.assessment_url(), json={"planned_open_on": "2027-03-01"})

    assert response.status_code == 404


def _org(scenario: Scenario) -> Organization:
    return db.session.get_one(Organization, scenario.org["id"])


def test_the_time_left_is_counted_on_the_organization_calendar(scenario):
    scenario.api.patch(scenario.url(), json={"timezone": "Pacific/Kiritimati"})
    scenario.api.patch(scenario.assessment_url(), json={"planned_close_on": "2027-03-15"})
    assert scenario.api.patch(scenario.assessment_url(),
                              json={"status": "open"}).status_code == 200
    org = _org(scenario)
    assessment = db.session.get_one(Assessment, scenario.assessment["id"])

    left = assessments.campaign_time_left(org, assessment, today=date(2027, 3, 3))
    # 15 Mar - 3 Mar = 12 days left
    assert (left.kind, left.days, left.on) == ("closes_in", 12, date(2027, 3, 15))
    late = assessments.campaign_time_left(org, assessment, today=date(2027, 3, 18))
    assert (late.kind, late.days) == ("overdue_close", 3)
    # without a day given, today is the organization's (UTC+14 here), never the server's
    today = datetime.now(org.zone).date()
    assert assessments.campaign_time_left(org, assessment).days == abs(
        (date(2027, 3, 15) - today).days)


def test_a_passed_planned_close_makes_closing_the_next_step(scenario):
    url = scenario.assessment_url()
    scenario.add_respondent("Ann")
    scenario.api.patch(url, json={"status": "open"})
    org = _org(scenario)
    assessment = db.session.get_one(Assessment, scenario.assessment["id"])
    progress = assessments.completion(org, assessment.id, actor=None)

    assert assessments.next_step(assessment, progress,
                                 assessments.campaign_time_left(org, assessment)) == "remind"
    scenario.api.patch(url, json={"planned_close_on": "2020-01-01"})
    assessment = db.session.get_one(Assessment, scenario.assessment["id"])
    assert assessments.next_step(assessment, progress,
                                 assessments.campaign_time_left(org, assessment)) == "close"
