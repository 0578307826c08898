"""The demo's profile, root causes and decision log, and the playbook's suggestions on its
diagnostic: roles are blurred and leadership not aligned, so product ops is not suggested."""

from __future__ import annotations

from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import Assessment, Finding, Organization, PlaybookTemplate
from tracker.seeding import demo
from tracker.seeding import frameworks as seeds
from tracker.seeding.playbook import seed_playbook
from tracker.services.decide import decisions, suggestions
from tracker.services.diagnose import root_causes
from tracker.services.frame import playbook


def test_the_demo_has_its_profile_root_causes_decisions_and_suggestions(app):
    seeds.seed_frameworks()
    assert seed_playbook().created >= 25
    org = db.session.get(Organization, demo.load_demo().org_id)
    diagnostic = db.session.scalar(select(Assessment).where(
        Assessment.org_id == org.id, Assessment.kind == "diagnostic"))

    profile = playbook.get_profile(org)
    assert (profile.size_band, profile.management_levels, profile.growth_outlook,
            profile.regulatory_constraints) == ("mid_size", 3, "strong", ["GDPR"])

    by_title = {f.title: f.id for f in db.session.scalars(
        select(Finding).where(Finding.org_id == org.id))}
    listed = root_causes.findings_root_causes_first(org)
    ops = next(f for f in listed if f["id"] == by_title["No product operations"])
    assert ops["root_causes"] == [by_title["Blurred product roles and no career path"]]

    log = decisions.log_entries(org, {"include_pilots": False})
    assert [e.committee for e in log] == ["operational", "portfolio", "strategic"]
    pilots = [e for e in decisions.log_entries(org, {}) if e.kind == "pilot"]
    assert log[0].pilot_ids and log[0].pilot_ids[0] in {p.id for p in pilots}

    result, _ = suggestions.suggest(org, diagnostic.id)
    suggested = {s.code for item in result for s in item.suggestions}
    assert "product-ops-role" not in suggested
    assert {"clarify-product-roles", "align-leadership"} <= suggested
    for item in result:
        values = [s.value for s in item.suggestions]
        assert values == sorted(values, reverse=True)


def test_seed_playbook_loads_the_built_in_templates_once(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed", "playbook"])
    again = runner.invoke(args=["seed", "playbook"])

    assert first.exit_code == 0 and again.exit_code == 0, first.output + again.output
    count = db.session.scalar(select(func.count(PlaybookTemplate.id)))
    assert first.output.strip() == f"playbook: {count} template(s) loaded, 0 already there"
    assert again.output.strip() == f"playbook: 0 template(s) loaded, {count} already there"
