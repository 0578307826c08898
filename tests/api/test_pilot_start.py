"""Starting a pilot (status `running`) moves its initiative to `piloting` when the allowed
transitions permit it, at creation or later, and leaves it alone otherwise."""

from __future__ import annotations

from tests.builders import Scenario


def _initiative(lead, scenario: Scenario, status: str | None = None) -> int:
    created = lead.post(scenario.url("/initiatives"), json={"title": "Release autonomy"})
    assert created.status_code == 201, created.json
    for step in {"approved": ["approved"], "in_progress": ["approved", "in_progress"],
                 "done": ["approved", "in_progress", "done"]}.get(status or "", []):
        moved = lead.patch(scenario.url(f"/initiatives/{created.json['id']}"),
                           json={"status": step})
        assert moved.status_code == 200, moved.json
    return created.json["id"]


def _status(lead, scenario: Scenario, initiative_id: int) -> str:
    return lead.get(scenario.url(f"/initiatives/{initiative_id}")).json["status"]


def test_a_pilot_created_running_puts_a_proposed_initiative_in_piloting(lead, admin):
    scenario = Scenario(lead, admin)
    initiative_id = _initiative(lead, scenario)
    pilot = lead.post(scenario.url(f"/initiatives/{initiative_id}/pilots"),
                      json={"teams": ["pricing"], "status": "running"})
    assert pilot.status_code == 201, pilot.json
    assert _status(lead, scenario, initiative_id) == "piloting"
    trail = lead.get(scenario.url(f"/initiatives/{initiative_id}/audit")).json["items"]
    assert any(e["entity"] == "initiative" and e["changes"].get("status") == [
        "proposed", "piloting"] for e in trail)


def test_a_planned_pilot_changes_nothing_until_it_starts(lead, admin):
    scenario = Scenario(lead, admin)
    initiative_id = _initiative(lead, scenario, "approved")
    pilot = lead.post(scenario.url(f"/initiatives/{initiative_id}/pilots"),
                      json={"teams": ["pricing"]})
    assert pilot.json["status"] == "planned"
    assert _status(lead, scenario, initiative_id) == "approved"
    started = lead.patch(scenario.url(f"/pilots/{pilot.json['id']}"), json={"status": "running"})
    assert started.status_code == 200, started.json
    assert _status(lead, scenario, initiative_id) == "piloting"


def test_an_initiative_past_piloting_keeps_its_status_when_a_pilot_starts(lead, admin):
    scenario = Scenario(lead, admin)
    for status in ("in_progress", "done"):
        initiative_id = _initiative(lead, scenario, status)
        pilot = lead.post(scenario.url(f"/initiatives/{initiative_id}/pilots"),
                          json={"teams": ["claims"], "status": "running"})
        assert pilot.status_code == 201, pilot.json
        assert _status(lead, scenario, initiative_id) == status
