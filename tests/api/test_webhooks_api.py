"""The webhooks API: CRUD (archive on DELETE), the write-only secret, field errors, roles and
tenancy, and events emitted by real actions delivered to a real HTTP server."""

from __future__ import annotations

import json

import pytest

from tests.builders import Scenario, add_member
from tests.integration.test_webhooks import Receiver, independent_signature

ALL_EVENTS = ["assessment.opened", "assessment.closed", "barometer.sent",
              "initiative.status_changed", "pilot.decided", "decision.logged"]


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


@pytest.fixture
def scenario(lead, admin):
    return Scenario(lead, admin)


def _create(api, scenario, url, **fields):
    response = api.post(scenario.url("/webhooks"),
                        json={"url": url, "events": ALL_EVENTS, **fields})
    assert response.status_code == 201, response.json
    return response.json


def _flush(app):
    result = app.test_cli_runner().invoke(args=["outbox", "flush"])
    assert result.exit_code == 0, result.output


def test_the_secret_is_shown_once_then_masked(lead, scenario, receiver):
    created = _create(lead, scenario, receiver.url)
    assert len(created["secret"]) == 64
    assert created["secret_hint"] == "…" + created["secret"][-4:]
    read = lead.get(scenario.url(f"/webhooks/{created['id']}")).json
    assert "secret" not in read and read["secret_hint"] == created["secret_hint"]
    listed = lead.get(scenario.url("/webhooks")).json
    assert listed["total"] == 1 and "secret" not in listed["items"][0]
    assert (read["format"], read["active"], read["events"]) == ("json", True, ALL_EVENTS)


def test_a_given_secret_signs_and_a_patch_changes_it(app, lead, scenario, receiver):
    created = _create(lead, scenario, receiver.url, secret="first-secret")
    assert created["secret"] == "first-secret"
    patched = lead.patch(scenario.url(f"/webhooks/{created['id']}"),
                         json={"secret": "second-secret", "format": "slack"})
    assert patched.status_code == 200 and "secret" not in patched.json
    assert patched.json["format"] == "slack"
    sent = lead.post(scenario.url(f"/webhooks/{created['id']}/test"))
    assert sent.status_code == 201 and sent.json["status"] == "sent"
    call = receiver.requests[0]
    assert call["headers"]["X-Tracker-Signature"] == independent_signature("second-secret",
                                                                            call["body"])


@pytest.mark.parametrize(("fields", "field"), [
    ({"url": "ftp://example.org/x"}, "url"),
    ({"url": "not a url"}, "url"),
    ({"events": ["assessment.deleted"]}, "events"),
    ({"events": []}, "events"),
    ({"format": "xml"}, "format"),
])
def test_bad_settings_are_refused_naming_the_field(lead, scenario, fields, field):
    body = {"url": "https://hooks.example.org/x", "events": ["decision.logged"], **fields}
    response = lead.post(scenario.url("/webhooks"), json=body)
    assert response.status_code == 422, response.json
    assert list(response.json["errors"]) == [field]


def test_delete_archives_and_keeps_the_deliveries(app, lead, scenario, receiver):
    created = _create(lead, scenario, receiver.url)
    lead.post(scenario.url("/decisions"), json={"title": "Go", "committee": "strategic",
                                                "decided_on": "2026-05-28"})
    assert lead.delete(scenario.url(f"/webhooks/{created['id']}")).status_code == 204
    assert lead.get(scenario.url("/webhooks")).json["total"] == 0
    archived = lead.get(scenario.url("/webhooks?archived=true")).json["items"]
    assert archived[0]["archived_at"] is not None
    log = lead.get(scenario.url(f"/webhooks/{created['id']}/deliveries")).json
    assert [d["event"] for d in log["items"]] == ["decision.logged"]


def test_closing_an_assessment_through_the_api_is_delivered(app, lead, scenario, receiver):
    created = _create(lead, scenario, receiver.url, events=["assessment.closed"])
    assert lead.patch(scenario.assessment_url(), json={"status": "open"}).status_code == 200
    assert lead.patch(scenario.assessment_url(), json={"status": "closed"}).status_code == 200
    _flush(app)

    [call] = receiver.requests
    body = json.loads(call["body"])
    assert body["event"] == "assessment.closed"
    assert body["data"]["assessment_id"] == scenario.assessment["id"]
    assert body["data"]["status"] == "closed" and body["data"]["closed_at"]
    assert call["headers"]["X-Tracker-Signature"] == independent_signature(
        created["secret"], call["body"])
    [delivery] = lead.get(scenario.url(f"/webhooks/{created['id']}/deliveries")).json["items"]
    assert (delivery["status"], delivery["attempts"], delivery["response_status"]) == (
        "sent", 1, 200)
    assert delivery["body"].encode() == call["body"]


def test_opening_an_assessment_is_its_own_event(app, lead, scenario, receiver):
    _create(lead, scenario, receiver.url, events=["assessment.opened"])
    lead.patch(scenario.assessment_url(), json={"status": "open"})
    lead.patch(scenario.assessment_url(), json={"status": "closed"})
    _flush(app)
    assert [json.loads(r["body"])["event"] for r in receiver.requests] == [
        "assessment.opened"]


def test_logging_a_decision_through_the_api_is_delivered(app, lead, scenario, receiver):
    _create(lead, scenario, receiver.url, events=["decision.logged"], format="slack")
    response = lead.post(scenario.url("/decisions"), json={
        "title": "Generalize the pilot", "committee": "portfolio", "decided_on": "2026-05-28"})
    assert response.status_code == 201
    _flush(app)
    body = json.loads(receiver.requests[0]["body"])
    assert body["text"] == "A decision is logged: “Generalize the pilot”."


def test_a_status_move_and_a_pilot_decision_are_delivered(app, lead, scenario, receiver):
    _create(lead, scenario, receiver.url,
            events=["initiative.status_changed", "pilot.decided"])
    initiative = lead.post(scenario.url("/initiatives"), json={"title": "Release trains"}).json
    moved = lead.patch(scenario.url(f"/initiatives/{initiative['id']}"),
                       json={"status": "approved"})
    assert moved.status_code == 200, moved.json
    pilot = lead.post(scenario.url(f"/initiatives/{initiative['id']}/pilots"),
                      json={"teams": ["pricing"], "status": "running"}).json
    decided = lead.patch(scenario.url(f"/pilots/{pilot['id']}"),
                         json={"status": "succeeded", "decision": "generalize"})
    assert decided.status_code == 200, decided.json
    _flush(app)

    events = [json.loads(r["body"]) for r in receiver.requests]
    moves = [(e["data"]["from"], e["data"]["to"]) for e in events
             if e["event"] == "initiative.status_changed"]
    # by hand, then by the running pilot, then by its decision
    assert moves == [("proposed", "approved"), ("approved", "piloting"),
                     ("piloting", "in_progress")]
    [decision] = [e for e in events if e["event"] == "pilot.decided"]
    assert (decision["data"]["pilot_id"], decision["data"]["decision"]) == (
        pilot["id"], "generalize")


def test_another_organization_cannot_read_or_change_the_webhooks(lead, scenario, make_api,
                                                                 receiver):
    created = _create(lead, scenario, receiver.url)
    outsider = make_api("b@example.org")
    their_org = outsider.post("/api/v1/orgs", json={"name": "B"}).json
    assert outsider.get(f"/api/v1/orgs/{their_org['id']}/webhooks").json["total"] == 0
    for method, path in [("GET", "/webhooks"), ("GET", f"/webhooks/{created['id']}"),
                         ("PATCH", f"/webhooks/{created['id']}"),
                         ("DELETE", f"/webhooks/{created['id']}"),
                         ("GET", f"/webhooks/{created['id']}/deliveries")]:
        response = outsider.request(method, scenario.url(path), json={"active": False})
        assert response.status_code == 404, (method, path)
    # nor reach A's webhook through their own organization
    assert outsider.get(f"/api/v1/orgs/{their_org['id']}/webhooks/{created['id']}"
                        ).status_code == 404


@pytest.mark.parametrize("role", ["viewer", "contributor"])
def test_only_ops_and_leads_manage_webhooks(lead, scenario, make_api, role):
    member = make_api(f"{role}@example.org")
    add_member(scenario.org["id"], f"{role}@example.org", role)
    assert member.get(scenario.url("/webhooks")).status_code == 403
    assert member.post(scenario.url("/webhooks"), json={
        "url": "https://x.org", "events": ALL_EVENTS}).status_code == 403


def test_an_ops_member_manages_webhooks(lead, scenario, make_api, receiver):
    ops = make_api("ops@example.org")
    add_member(scenario.org["id"], "ops@example.org", "ops")
    created = _create(ops, scenario, receiver.url)
    assert ops.get(scenario.url("/webhooks")).json["items"][0]["id"] == created["id"]


def test_sending_the_barometer_is_delivered_once_per_send(app, lead, scenario, receiver):
    from tracker.extensions import db
    from tracker.models import Organization
    from tracker.services.follow import barometer_mail

    _create(lead, scenario, receiver.url, events=["barometer.sent"])
    lead.patch(scenario.assessment_url(), json={"status": "open"})
    lead.patch(scenario.assessment_url(), json={"status": "closed"})
    org = db.session.get(Organization, scenario.org["id"])
    recipients = ["ann@example.org", "bob@example.org"]
    barometer_mail.send_barometer(org, app.config, recipients, "2027-Q1")
    barometer_mail.send_barometer(org, app.config, recipients, "2027-Q1")  # nothing new
    _flush(app)  # a resend waits until the first emails are out
    barometer_mail.resend_barometer(org, app.config, ["ann@example.org"], "2027-Q1", "all")
    _flush(app)

    bodies = [json.loads(r["body"]) for r in receiver.requests]
    assert [(b["event"], b["data"]) for b in bodies] == [
        ("barometer.sent", {"period": "2027-Q1", "recipients": 2}),
        ("barometer.sent", {"period": "2027-Q1", "recipients": 1})]


def test_a_pilot_created_with_its_decision_is_delivered_once(app, lead, scenario, receiver):
    _create(lead, scenario, receiver.url, events=["pilot.decided"])
    initiative = lead.post(scenario.url("/initiatives"), json={"title": "Trains"}).json
    pilot = lead.post(scenario.url(f"/initiatives/{initiative['id']}/pilots"), json={
        "teams": ["pricing"], "status": "succeeded", "decision": "stop",
        "decision_date": "2026-09-30"}).json
    lead.patch(scenario.url(f"/pilots/{pilot['id']}"), json={"rationale": "Noted."})
    _flush(app)
    [call] = receiver.requests
    data = json.loads(call["body"])["data"]
    assert (data["pilot_id"], data["decision"], data["initiative_status"]) == (
        pilot["id"], "stop", "dropped")
