"""Roadmap phases: named date windows that leads define, validated, used by the roadmap."""

from __future__ import annotations

from tests.api.roadmap_helpers import TEXTBOOK, TEXTBOOK_EDGES, add_network
from tests.builders import add_member

PHASES = [{"name": "Quick wins and pilots", "start": "2025-01-06", "end": "2025-03-03"},
          {"name": "Generalize", "start": "2025-03-03", "end": "2025-06-02"}]


def test_phases_are_replaced_listed_in_order_and_used_by_the_roadmap(lead, org):
    add_network(org, TEXTBOOK, TEXTBOOK_EDGES)
    response = lead.put(f"/api/v1/orgs/{org}/phases", json=list(reversed(PHASES)))
    assert response.status_code == 200, response.json
    listed = lead.get(f"/api/v1/orgs/{org}/phases").json
    assert [(p["name"], p["start"], p["end"]) for p in listed["items"]] == [
        (p["name"], p["start"], p["end"]) for p in PHASES]
    body = lead.get(f"/api/v1/orgs/{org}/roadmap?start=2025-01-06").json
    assert [p["name"] for p in body["phases"]] == [p["name"] for p in PHASES]
    assert not any(p["proposed"] for p in body["phases"])
    phase_of = {i["title"]: i["phase"] for i in body["initiatives"]}
    # A ends 02-17 and B, C 03-03 (in phase 1, ends exclusive); D ends 03-24
    assert (phase_of["A"], phase_of["B"], phase_of["D"], phase_of["G"]) == (
        "Quick wins and pilots", "Quick wins and pilots", "Generalize", "Generalize")


def test_putting_phases_again_replaces_them_all(lead, org):
    lead.put(f"/api/v1/orgs/{org}/phases", json=PHASES)
    lead.put(f"/api/v1/orgs/{org}/phases", json=PHASES[:1])
    assert lead.get(f"/api/v1/orgs/{org}/phases").json["total"] == 1


def test_a_phase_must_end_after_it_starts(lead, org):
    response = lead.put(f"/api/v1/orgs/{org}/phases", json=[
        {"name": "Backwards", "start": "2025-03-03", "end": "2025-03-03"}])
    assert response.status_code == 422
    assert "[0].end" in response.json["errors"]


def test_overlapping_phases_are_refused_and_nothing_is_saved(lead, org):
    response = lead.put(f"/api/v1/orgs/{org}/phases", json=[
        PHASES[0], {"name": "Overlap", "start": "2025-02-24", "end": "2025-04-01"}])
    assert response.status_code == 422
    assert response.json["errors"] == {"[1].start": ["overlaps phase 'Quick wins and pilots'"]}
    assert lead.get(f"/api/v1/orgs/{org}/phases").json["total"] == 0


def test_a_phase_needs_a_name_and_real_dates(lead, org):
    response = lead.put(f"/api/v1/orgs/{org}/phases", json=[
        {"name": "", "start": "soon", "end": "2025-01-01"}])
    assert response.status_code == 422
    assert {"[0].name", "[0].start"} <= set(response.json["errors"])


def test_only_leads_define_phases(lead, org, make_api):
    ops = make_api("ops2@example.org")
    add_member(org, "ops2@example.org", "ops")
    assert ops.put(f"/api/v1/orgs/{org}/phases", json=PHASES).status_code == 403
