"""Schedules: CRUD, next run times in the organization's time zone, pause and resume,
validation of cron expressions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.builders import Scenario


@pytest.fixture
def scenario(lead, admin):
    scenario = Scenario(lead, admin)
    assert lead.patch(scenario.url(), json={"timezone": "Europe/Paris"}).status_code == 200
    return scenario


def test_a_schedule_shows_its_next_run_in_the_organization_time_zone(scenario, lead):
    response = lead.post(scenario.url("/schedules"), json={
        "kind": "barometer", "cron": "0 8 1 1,4,7,10 *",
        "recipients": ["sponsor@example.org"]})
    assert response.status_code == 201, response.json
    body = response.json
    assert body["timezone"] == "Europe/Paris"
    next_run = datetime.fromisoformat(body["next_run_at"])
    # 08:00 in Paris on the first day of a quarter: 07:00 UTC in winter, 06:00 in summer
    assert (next_run.day, next_run.month in (1, 4, 7, 10)) == (1, True)
    assert next_run.utcoffset().total_seconds() in (3600, 7200)
    assert (next_run.hour, next_run.minute) == (8, 0)
    assert next_run > datetime.now(UTC)


def test_pausing_hides_the_next_run_and_resuming_restores_it(scenario, lead):
    created = lead.post(scenario.url("/schedules"), json={
        "kind": "pulse", "interval_days": 90}).json
    url = scenario.url(f"/schedules/{created['id']}")
    assert created["next_run_at"] is not None
    assert lead.patch(url, json={"paused": True}).json["next_run_at"] is None
    resumed = lead.patch(url, json={"paused": False}).json
    assert resumed["next_run_at"] == created["next_run_at"]
    assert lead.get(scenario.url("/schedules")).json["total"] == 1
    assert lead.delete(url).status_code == 204
    assert lead.get(url).status_code == 404


@pytest.mark.parametrize("body,field", [
    ({"kind": "pulse", "cron": "every monday"}, "cron"),
    ({"kind": "pulse", "cron": "0 8 * * *", "interval_days": 7}, "cron"),
    ({"kind": "pulse"}, "cron"),
    ({"kind": "pulse", "cron": "0 8 * * *", "timezone": "Mars/Olympus"}, "timezone"),
    ({"kind": "dance", "cron": "0 8 * * *"}, "kind"),
    ({"kind": "barometer", "cron": "0 8 * * *", "recipients": ["not-an-email"]},
     "recipients[0]"),
])
def test_invalid_schedules_are_refused_with_the_field_named(scenario, lead, body, field):
    response = lead.post(scenario.url("/schedules"), json=body)
    assert response.status_code == 422
    assert field in response.json["errors"], response.json


def test_an_invalid_cron_patch_is_refused(scenario, lead):
    created = lead.post(scenario.url("/schedules"), json={"kind": "close", "cron": "0 8 * * 1",
                                                          "close_after_days": 14}).json
    response = lead.patch(scenario.url(f"/schedules/{created['id']}"), json={"cron": "61 * * * *"})
    assert response.status_code == 422 and "cron" in response.json["errors"]
