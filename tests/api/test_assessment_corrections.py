"""Corrections of assessments: a lead reopens a closed assessment with a reason (audited),
ratings are corrected and every number built on them follows once it closes again; a past
campaign is entered with its real dates and takes its place in the barometer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.builders import Scenario, add_member
from tracker.extensions import db
from tracker.models import AuditEvent, Organization, User
from tracker.models.base import utcnow
from tracker.services.follow import schedules
from tracker.services.observe.assessments import CORRECTION_ACTIONS

EXACT = {"abs": 1e-12}
REASON = "Bob's rating of A one was typed 4 instead of 5."
# test grid: axis a (weight 1: a.one w1, a.two w3), axis b (weight 2: b.one, b.two)


def _rated(api, url: str, values: dict[str, float]) -> dict[str, int]:
    """In the assessment at `url`, one respondent per name, each rating `a.one` with their
    value; their ids."""
    ids = {}
    for name in values:
        response = api.post(f"{url}/respondents", json={"name": name})
        assert response.status_code == 201, response.json
        ids[name] = response.json["id"]
    rows = [{"respondent_id": ids[name], "dimension": "a.one", "value": value}
            for name, value in values.items()]
    assert api.put(f"{url}/ratings", json=rows).status_code == 200
    return ids


def _past(api, scenario: Scenario, **dates: str) -> dict:
    """A new diagnostic entered with its real dates."""
    response = api.post(scenario.url("/assessments"), json={
        "framework_id": scenario.framework["id"], "title": "Diagnostic 2025",
        "kind": "diagnostic", **dates})
    assert response.status_code == 201, response.json
    return response.json


def _move(api, url: str, *statuses: str) -> dict:
    """PATCH each status in turn; the last representation."""
    body: dict = {}
    for status in statuses:
        response = api.patch(url, json={"status": status})
        assert response.status_code == 200, response.json
        body = response.json
    return body


def _reopen(api, url: str, reason: str = REASON):
    return api.patch(url, json={"status": "open", "reason": reason})


def _member(make_api, lead, scenario: Scenario, role: str):
    """A new member of the scenario's organization with `role`."""
    api = make_api(f"{role}@example.org")
    add_member(scenario.org["id"], f"{role}@example.org", role)
    return api


def _dimension(body: dict, code: str) -> dict:
    return next(d for axis in body["axes"] for d in axis["dimensions"] if d["code"] == code)


@pytest.fixture
def closed(lead, admin):
    """A closed diagnostic where Ann rates A one 2 and Bob 4: score 3.0."""
    scenario = Scenario(lead, admin)
    ids = _rated(lead, scenario.assessment_url(), {"Ann": 2, "Bob": 4})
    closed_body = _move(lead, scenario.assessment_url(), "open", "closed")
    return scenario, ids, closed_body


def test_a_reopened_assessment_is_corrected_and_its_scores_follow(closed, lead):
    scenario, ids, closed_body = closed
    assert _dimension(scenario.scores(), "a.one")["score"] == 3.0

    reopened = _reopen(lead, scenario.assessment_url())
    assert reopened.status_code == 200, reopened.json
    assert reopened.json["status"] == "open"
    assert reopened.json["closed_at"] == closed_body["closed_at"]
    assert lead.get(scenario.url("/barometer")).json["assessments"] == []
    corrected = scenario.rate([{"respondent_id": ids["Bob"], "dimension": "a.one",
                                "value": 5}])
    assert corrected.status_code == 200, corrected.json
    again = _move(lead, scenario.assessment_url(), "closed")

    # (2 + 5) / 2 = 3.5; A two, B one and B two have no rating: axis a and overall are 3.5
    assert again["closed_at"] == closed_body["closed_at"]
    scores = scenario.scores()
    assert _dimension(scores, "a.one")["score"] == 3.5
    assert scores["axes"][0]["score"] == 3.5 and scores["overall"] == 3.5
    (point,) = lead.get(scenario.url("/barometer")).json["assessments"]
    assert point["overall"] == 3.5
    assert _dimension(point, "a.one")["score"] == 3.5


def test_the_reopening_is_audited_with_who_when_why_and_the_status_move(closed, lead):
    scenario, _, _ = closed
    before = utcnow()

    assert _reopen(lead, scenario.assessment_url(), f"  {REASON} ").status_code == 200

    (event,) = _corrections()
    lead_id = db.session.scalar(select(User.id).where(User.email == "lead@example.org"))
    assert (event.entity_id, event.action, event.user_id, event.initiative_id) == (
        scenario.assessment["id"], "reopen", lead_id, None)
    assert event.changes == {"status": ["closed", "open"], "reason": REASON}
    assert before <= event.at <= utcnow()


@pytest.mark.parametrize("role", ["ops", "contributor", "viewer"])
def test_only_a_lead_may_reopen(closed, lead, make_api, role):
    scenario, _, _ = closed
    member = _member(make_api, lead, scenario, role)

    response = _reopen(member, scenario.assessment_url())

    assert response.status_code == 403, response.json
    assert lead.get(scenario.assessment_url()).json["status"] == "closed"
    assert _corrections() == []


def test_ops_keep_their_other_moves(lead, admin, make_api):
    scenario = Scenario(lead, admin)
    ops = _member(make_api, lead, scenario, "ops")

    assert _move(ops, scenario.assessment_url(), "open", "closed")["status"] == "closed"
    renamed = ops.patch(scenario.assessment_url(), json={"title": "Diagnostic 2026"})
    assert renamed.status_code == 200 and renamed.json["title"] == "Diagnostic 2026"


@pytest.mark.parametrize("body", [{"status": "open"}, {"status": "open", "reason": "  "}])
def test_a_reopening_needs_a_reason(closed, lead, body):
    scenario, _, _ = closed

    response = lead.patch(scenario.assessment_url(), json=body)

    assert response.status_code == 422, response.json
    assert response.json["errors"] == {"reason": ["Say why the assessment is reopened."]}
    assert lead.get(scenario.assessment_url()).json["status"] == "closed"


def test_a_reason_without_a_reopening_or_new_dates_is_refused(lead, admin):
    scenario = Scenario(lead, admin)

    response = lead.patch(scenario.assessment_url(), json={"title": "x", "reason": "Why"})

    assert response.status_code == 422
    assert response.json["errors"] == {
        "reason": ["A reason goes with a reopening or a change of dates."]}


def test_a_reopened_assessment_takes_survey_answers_again(closed, lead, client):
    scenario, _, _ = closed
    url = lead.get(scenario.assessment_url("/respondents")).json["items"][0]["survey_url"]
    path = url.removeprefix("http://tracker.test")
    assert client.get(path).status_code == 410

    _reopen(lead, scenario.assessment_url())

    assert client.post(path, data={"value:a.one": "3"}).status_code in (200, 303)
    _move(lead, scenario.assessment_url(), "closed")
    assert _dimension(scenario.scores(), "a.one")["score"] == 3.5   # Ann 3, Bob 4


def test_a_past_diagnostic_takes_its_place_in_the_barometer(lead, admin):
    scenario = Scenario(lead, admin)
    _rated(lead, scenario.assessment_url(), {"Ann": 3})
    _move(lead, scenario.assessment_url(), "open", "closed")
    created = _past(lead, scenario, opened_at="2025-09-01T09:00:00+00:00",
                    closed_at="2025-09-30T17:00:00Z")
    assert (created["status"], created["opened_at"], created["closed_at"]) == (
        "draft", "2025-09-01T09:00:00+00:00", "2025-09-30T17:00:00+00:00")
    url = scenario.url(f"/assessments/{created['id']}")
    _rated(lead, url, {"Cleo": 2})

    entered = _move(lead, url, "open", "closed")

    assert (entered["opened_at"], entered["closed_at"]) == (
        "2025-09-01T09:00:00+00:00", "2025-09-30T17:00:00+00:00")
    points = lead.get(scenario.url("/barometer")).json["assessments"]
    assert [p["id"] for p in points] == [created["id"], scenario.assessment["id"]]
    assert [p["overall"] for p in points] == [2.0, 3.0]
    assert points[1]["delta_previous"] == 1.0


def test_dates_without_a_zone_are_read_in_the_organization_time_zone(lead, admin):
    scenario = Scenario(lead, admin)
    assert lead.patch(scenario.url(), json={"timezone": "Europe/Paris"}).status_code == 200

    response = lead.patch(scenario.assessment_url(), json={"opened_at": "2025-09-01T09:00:00"})

    assert response.status_code == 200, response.json
    assert response.json["opened_at"] == "2025-09-01T07:00:00+00:00"   # CEST is UTC+2


def test_dates_are_checked_and_every_error_reported_at_once(closed, lead):
    scenario, _, closed_body = closed
    url = scenario.url("/assessments")
    base = {"framework_id": scenario.framework["id"], "title": "Past", "kind": "diagnostic"}
    tomorrow = (utcnow() + timedelta(days=1)).isoformat()

    backwards = lead.post(url, json={**base, "opened_at": "2025-09-30T00:00:00Z",
                                     "closed_at": "2025-09-01T00:00:00Z"})
    future = lead.post(url, json={**base, "closed_at": tomorrow})
    late_opening = lead.patch(scenario.assessment_url(), json={
        "opened_at": (utcnow() + timedelta(hours=1)).isoformat()})
    both = lead.patch(scenario.assessment_url(), json={"status": "open",
                                                      "closed_at": tomorrow})

    assert (backwards.status_code, list(backwards.json["errors"])) == (422, ["closed_at"])
    assert (future.status_code, list(future.json["errors"])) == (422, ["closed_at"])
    assert (late_opening.status_code, list(late_opening.json["errors"])) == (422, ["opened_at"])
    assert both.status_code == 422 and set(both.json["errors"]) == {"closed_at", "reason"}
    assert lead.get(scenario.assessment_url()).json == closed_body
    assert lead.get(url).json["total"] == 1


def test_only_a_lead_may_set_the_dates(closed, lead, make_api):
    scenario, _, _ = closed
    ops = _member(make_api, lead, scenario, "ops")
    body = {"framework_id": scenario.framework["id"], "title": "Past", "kind": "diagnostic"}

    created = ops.post(scenario.url("/assessments"), json={
        **body, "opened_at": "2025-09-01T09:00:00Z"})
    patched = ops.patch(scenario.assessment_url(), json={"closed_at": "2025-09-01T09:00:00Z"})

    assert (created.status_code, patched.status_code) == (403, 403)
    assert ops.post(scenario.url("/assessments"), json=body).status_code == 201


def test_dates_set_by_hand_are_audited_with_their_old_values(closed, lead):
    scenario, _, closed_body = closed
    _reopen(lead, scenario.assessment_url())

    response = lead.patch(scenario.assessment_url(), json={
        "status": "closed", "opened_at": "2026-06-01T08:00:00Z",
        "closed_at": "2026-06-30T12:00:00Z", "reason": "The campaign ran in June."})

    assert response.status_code == 200, response.json
    assert (response.json["opened_at"], response.json["closed_at"]) == (
        "2026-06-01T08:00:00+00:00", "2026-06-30T12:00:00+00:00")
    events = _corrections()
    assert [e.action for e in events] == ["reopen", "update"]
    assert events[1].changes == {
        "status": ["open", "closed"],
        "opened_at": [closed_body["opened_at"], "2026-06-01T08:00:00+00:00"],
        "closed_at": [closed_body["closed_at"], "2026-06-30T12:00:00+00:00"],
        "reason": "The campaign ran in June."}


def test_realized_uplift_follows_a_corrected_rating(lead, admin):
    scenario = Scenario(lead, admin)
    past = _past(lead, scenario, closed_at="2026-03-31T12:00:00Z")
    first = scenario.url(f"/assessments/{past['id']}")
    _rated(lead, first, {"Ann": 2, "Bob": 2})
    _move(lead, first, "open", "closed")
    ids = _rated(lead, scenario.assessment_url(), {"Cleo": 2, "Dan": 4})
    _move(lead, scenario.assessment_url(), "open", "closed")
    initiative = lead.post(scenario.url("/initiatives"), json={
        "title": "Discovery coaching", "status": "done", "actual_start": "2026-05-01",
        "actual_end": "2026-08-01", "uplifts": [{"dimension": "a.one", "expected": 1.0}]})
    assert initiative.status_code == 201, initiative.json

    def realized() -> tuple[float, float, float]:
        (item,) = lead.get(scenario.url("/barometer/uplifts")).json["initiatives"]
        (dimension,) = item["dimensions"]
        return dimension["before"], dimension["after"], dimension["realized"]

    assert realized() == (2.0, 3.0, 1.0)
    _reopen(lead, scenario.assessment_url())
    scenario.rate([{"respondent_id": ids["Dan"], "dimension": "a.one", "value": 5}])
    _move(lead, scenario.assessment_url(), "closed")

    # after (2 + 5) / 2 = 3.5, before 2.0
    assert realized() == (2.0, 3.5, 1.5)
    point = lead.get(scenario.url("/barometer")).json["assessments"][1]
    assert _dimension(point, "a.one")["delta_previous"] == 1.5


def test_the_pilot_effect_follows_a_corrected_rating(lead, admin):
    scenario = Scenario(lead, admin)
    inside = [scenario.add_respondent(f"pilot-{k}", team="pilot") for k in range(3)]
    outside = [scenario.add_respondent(f"other-{k}", team="other") for k in range(4)]
    scenario.rate([{"respondent_id": rid, "dimension": "a.one", "value": value}
                   for rid, value in zip(inside + outside, [4, 4, 5, 2, 3, 2, 1], strict=True)])
    _move(lead, scenario.assessment_url(), "open", "closed")
    initiative = lead.post(scenario.url("/initiatives"), json={
        "title": "Release autonomy", "uplifts": [{"dimension": "a.one", "expected": 0.5}]})
    lead.post(scenario.url(f"/initiatives/{initiative.json['id']}/pilots"), json={
        "teams": ["pilot"], "start": "2026-01-05", "hypothesis": "Teams release alone."})

    def effect() -> float:
        """The pilot-minus-rest difference now (no assessment closed before the pilot's
        start, so DESIGN's difference-in-differences `effect` itself is null)."""
        report = lead.get(scenario.url("/barometer/pilot-effects")).json
        (measure,) = report["pilots"][0]["measures"]
        assert measure["effect"] is None
        return measure["difference_now"]

    # inside (4 + 4 + 5) / 3 = 13/3, outside (2 + 3 + 2 + 1) / 4 = 2
    assert effect() == pytest.approx(13 / 3 - 2, **EXACT)
    _reopen(lead, scenario.assessment_url())
    scenario.rate([{"respondent_id": inside[0], "dimension": "a.one", "value": 1}])
    _move(lead, scenario.assessment_url(), "closed")

    # inside (1 + 4 + 5) / 3 = 10/3, outside (2 + 3 + 2 + 1) / 4 = 2
    assert effect() == pytest.approx(10 / 3 - 2, **EXACT)


def test_the_close_schedule_leaves_a_reopened_pulse_to_the_lead(app, lead, admin):
    scenario = Scenario(lead, admin)
    pulse = lead.post(scenario.url("/assessments"), json={
        "framework_id": scenario.framework["id"], "title": "Pulse", "kind": "pulse"}).json
    url = scenario.url(f"/assessments/{pulse['id']}")
    _move(lead, url, "open", "closed")
    assert _reopen(lead, url).status_code == 200
    close = lead.post(scenario.url("/schedules"), json={
        "kind": "close", "cron": "0 8 * * *", "close_after_days": 14})
    assert close.status_code == 201, close.json
    org = db.session.get(Organization, scenario.org["id"])

    later = datetime.now(UTC) + timedelta(days=30)
    result = schedules.run_schedule(org, close.json["id"], app.config, later)

    assert "No pulse" in result.detail
    assert lead.get(url).json["status"] == "open"


def _corrections() -> list[AuditEvent]:
    """The assessment's audited corrections (plain openings and closings are audited too,
    as `open` and `close`)."""
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.entity == "assessment", AuditEvent.action.in_(CORRECTION_ACTIONS))
        .order_by(AuditEvent.id)))
