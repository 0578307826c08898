"""The demo organization comes with its roadmap phases and a "Plan of record" baseline."""

from __future__ import annotations

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Organization, Phase, RoadmapBaseline
from tracker.seeding import demo
from tracker.seeding import frameworks as seeds
from tracker.services.plan import roadmap


def test_the_demo_has_three_phases_and_a_plan_of_record_matching_the_plan(app):
    seeds.seed_frameworks()
    org = db.session.get(Organization, demo.load_demo().org_id)
    phases = db.session.scalars(select(Phase).where(Phase.org_id == org.id)
                                .order_by(Phase.position)).all()
    # the Target Operating Model article's transition phases, in brackets
    assert [p.name for p in phases] == [
        "Phase 1 — Quick wins and pilots (Delivery and Support)",
        "Phase 2 — Generalize and restructure (Innovation)",
        "Phase 3 — Steer by outcomes and value (Consolidation)"]
    baseline = db.session.scalar(select(RoadmapBaseline).where(RoadmapBaseline.org_id == org.id))
    assert (baseline.name, baseline.params["start"]) == ("Plan of record", "2026-06-01")
    planned = roadmap.get_roadmap(org, roadmap.PlanParams(start=phases[0].start))
    assert len(baseline.items) == len(planned.initiatives) >= 10
    comparison = roadmap.compare_baseline(org, baseline.id, roadmap.PlanParams())
    assert {item["status"] for item in comparison["items"]} == {"on_time"}
    assert not any(p.proposed for p in planned.phases)
