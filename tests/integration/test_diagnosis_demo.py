"""The demo's targets and findings, and what the rules suggest on its diagnostic."""

from __future__ import annotations

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Assessment, Evidence, Finding, Organization
from tracker.seeding import demo
from tracker.seeding import frameworks as seeds
from tracker.services.diagnose import findings
from tracker.services.diagnose.scores import scored_assessment


def test_the_demo_loads_targets_and_findings_with_their_evidence(app):
    seeds.seed_frameworks()
    result = demo.load_demo()
    org = db.session.get(Organization, result.org_id)
    document = demo.demo_document()
    diagnostic = db.session.scalar(select(Assessment).where(
        Assessment.org_id == org.id, Assessment.kind == "diagnostic"))

    scored = scored_assessment(org, diagnostic.id)
    assert scored.targets == {row["dimension"]: row["level"] for row in document["targets"]}

    stored = db.session.scalars(select(Finding).where(Finding.org_id == org.id)).all()
    assert len(stored) == len(document["findings"])
    spec = document["findings"][0]
    first = next(f for f in stored if f.title == spec["title"])
    evidence = db.session.scalars(select(Evidence).where(
        Evidence.assessment_id == diagnostic.id).order_by(Evidence.id)).all()
    assert [e.id for e in first.evidence] == [evidence[i].id for i in spec["evidence"]]
    assert [d.code for d in first.dimensions] == spec["dimensions"]


def test_the_rules_find_the_demo_story_blind_spots(app):
    seeds.seed_frameworks()
    org = db.session.get(Organization, demo.load_demo().org_id)
    diagnostic = db.session.scalar(select(Assessment).where(
        Assessment.org_id == org.id, Assessment.kind == "diagnostic"))

    result = findings.suggest(org, diagnostic.id)

    keys = {f.suggestion_key for f in result.created}
    assert {"blind_spot:organisation.empowerment", "blind_spot:products.outcomes"} <= keys
    assert findings.suggest(org, diagnostic.id).created == []
