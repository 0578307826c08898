"""Owner load in the roadmap read: each owner's weeks of work in flight per phase, and the
overload flag (`weeks > 1.5 × phase_weeks`). Numbers worked by hand below."""

from __future__ import annotations

from datetime import date

import pytest

from tests.api.roadmap_helpers import add_network
from tracker.extensions import db
from tracker.models import Organization
from tracker.services.plan.owner_load import owner_load

START = "2025-01-06"
#: Two stored phases of four weeks each: [Jan 6, Feb 3) and [Feb 3, Mar 3).
PHASES = [{"name": "P1", "start": "2025-01-06", "end": "2025-02-03"},
          {"name": "P2", "start": "2025-02-03", "end": "2025-03-03"}]
#: No dependencies: three 4-week initiatives of Ana, a 6-week one of Bo, one without owner.
DURATIONS = {"A1": 4, "A2": 4, "A3": 4, "B1": 6, "N": 2}
OWNERS = {"A1": {"owner": "Ana"}, "A2": {"owner": "Ana"}, "A3": {"owner": " ana "},
          "B1": {"owner": "Bo"}, "N": {}}


@pytest.fixture
def org(lead):
    org_id = lead.post("/api/v1/orgs", json={"name": "Acme"}).json["id"]
    add_network(org_id, DURATIONS, [], **OWNERS)
    assert lead.put(f"/api/v1/orgs/{org_id}/phases", json=PHASES).status_code == 200
    return org_id


def row(owner, phase, weeks, overloaded):
    return {"owner": owner, "phase": phase, "weeks": weeks, "phase_weeks": 4.0,
            "overloaded": overloaded}


def test_unlimited_capacity_piles_ana_s_work_into_the_first_phase(lead, org):
    body = lead.get(f"/api/v1/orgs/{org}/roadmap?start={START}").json
    # Everything starts on Jan 6. Ana: A1 + A2 + A3 = 4 + 4 + 4 = 12 weeks in P1, and
    # 12 > 1.5 × 4 = 6: overloaded; nothing in P2. Bo: B1 runs 6 weeks, 4 in P1, 2 in P2.
    # " ana " is Ana (trimmed, case ignored); N has no owner and is left out.
    assert body["owner_load"] == [row("Ana", "P1", 12.0, True), row("Bo", "P1", 4.0, False),
                                  row("Ana", "P2", 0.0, False), row("Bo", "P2", 2.0, False)]


def test_a_capacity_of_two_spreads_the_load(lead, org):
    body = lead.get(f"/api/v1/orgs/{org}/roadmap?start={START}&capacity=2").json
    # Unscored, ties break by id: A1 and A2 run weeks 0-4, A3 and B1 start at week 4
    # (A3 to week 8, B1 to week 10), N at week 8. Ana: 4 + 4 = 8 > 6 in P1 (overloaded),
    # A3's 4 weeks in P2 (4 ≤ 6). Bo: B1 from week 4, so 0 in P1 and 4 in P2.
    assert body["owner_load"] == [row("Ana", "P1", 8.0, True), row("Bo", "P1", 0.0, False),
                                  row("Ana", "P2", 4.0, False), row("Bo", "P2", 4.0, False)]


def test_the_service_plans_with_the_organization_s_settings(app, org):
    organization = db.session.get(Organization, org)
    organization.plan_capacity = 2
    organization.plan_start = date(2025, 1, 6)
    db.session.commit()
    load = owner_load(organization)
    # The same plan as with capacity=2 above.
    assert [(r.owner, r.phase, r.weeks, r.overloaded) for r in load] == [
        ("Ana", "P1", 8.0, True), ("Bo", "P1", 0.0, False), ("Ana", "P2", 4.0, False),
        ("Bo", "P2", 4.0, False)]


def test_without_owners_the_load_is_empty(lead):
    org_id = lead.post("/api/v1/orgs", json={"name": "Solo"}).json["id"]
    add_network(org_id, {"X": 3}, [])
    assert lead.get(f"/api/v1/orgs/{org_id}/roadmap?start={START}").json["owner_load"] == []
