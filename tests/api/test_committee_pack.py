"""Committees through the API (settings, validation, delete refused once they decided) and
the meeting pack on a built case whose every section is listed by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tests.builders import Scenario
from tracker.extensions import db
from tracker.models import Dependency, Finding, Initiative, Pilot
from tracker.models.kpis import Kpi, Measurement


@pytest.fixture
def case(lead, admin):
    return Scenario(lead, admin)


def _committee(lead, case, **extra):
    body = {"name": "Portfolio board", "level": "portfolio", "cron": "0 9 * * 1",
            "timezone": "Europe/Paris", "member_emails": ["CPO@acme.test", "pmo@acme.test"],
            **extra}
    response = lead.post(case.url("/committees"), json=body)
    assert response.status_code == 201, response.json
    return response.json


def _decide(lead, case, committee_id, title, day, **extra):
    response = lead.post(case.url("/decisions"), json={
        "title": title, "committee_id": committee_id, "decided_on": day, **extra})
    assert response.status_code == 201, response.json
    return response.json


def test_a_committee_is_created_read_changed_and_listed(lead, case):
    created = _committee(lead, case)
    assert created["member_emails"] == ["cpo@acme.test", "pmo@acme.test"]  # lower-cased
    # "0 9 * * 1" is Monday 09:00 in Paris (UTC+1 in winter)
    assert all(datetime.fromisoformat(m).weekday() == 0 for m in created["next_meetings"])
    assert all(m.endswith("09:00:00+01:00") or m.endswith("09:00:00+02:00")
               for m in created["next_meetings"])
    changed = lead.patch(case.url(f"/committees/{created['id']}"),
                         json={"name": "Portfolio committee", "cron": None})
    assert changed.status_code == 200, changed.json
    assert changed.json["name"] == "Portfolio committee" and changed.json["next_meetings"] == []
    listed = lead.get(case.url("/committees")).json
    assert [c["name"] for c in listed["items"]] == ["Portfolio committee"]


def test_bad_settings_are_refused_by_field(lead, case):
    response = lead.post(case.url("/committees"), json={
        "name": "Board", "level": "board", "cron": "0 9 * *", "timezone": "Mars/Olympus",
        "member_emails": ["not-an-email"]})
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"level", "timezone", "member_emails[0]"}
    bad_cron = lead.post(case.url("/committees"), json={"name": "B", "level": "strategic",
                                                        "cron": "0 9 * *"})
    assert bad_cron.status_code == 422 and "cron" in bad_cron.json["errors"]


def test_a_committee_with_decisions_is_kept_and_one_without_is_deleted(lead, case):
    kept = _committee(lead, case)
    gone = _committee(lead, case, name="Ops")
    _decide(lead, case, kept["id"], "Approve the wave", "2026-11-30")
    refused = lead.delete(case.url(f"/committees/{kept['id']}"))
    assert refused.status_code == 409
    assert lead.delete(case.url(f"/committees/{gone['id']}")).status_code == 204
    assert lead.get(case.url(f"/committees/{gone['id']}")).status_code == 404


def test_a_decision_takes_its_level_from_its_committee_and_carries_its_dossier(lead, case):
    committee = _committee(lead, case)
    decision = _decide(lead, case, committee["id"], "Generalize release autonomy",
                       "2026-11-30", context="Pricing pilot met its criteria.",
                       options="Generalize; extend the pilot; stop.",
                       risks="Claims team not ready.", portfolio_impact="Wave 2 moves up.",
                       success_indicators="Lead time ≤ 5 days in 3 teams.")
    assert decision["committee"] == "portfolio" and decision["committee_id"] == committee["id"]
    read = lead.get(case.url(f"/decisions/{decision['id']}")).json
    assert read["options"] == "Generalize; extend the pilot; stop."
    assert read["success_indicators"] == "Lead time ≤ 5 days in 3 teams."
    listed = lead.get(case.url(f"/decisions?committee_id={committee['id']}")).json
    assert [d["id"] for d in listed["items"]] == [decision["id"]]


def test_a_committee_of_another_organization_is_refused_naming_the_field(lead, case):
    other = lead.post("/api/v1/orgs", json={"name": "Other"}).json
    foreign = lead.post(f"/api/v1/orgs/{other['id']}/committees",
                        json={"name": "Theirs", "level": "strategic"}).json
    response = lead.post(case.url("/decisions"), json={
        "title": "X", "committee_id": foreign["id"], "decided_on": "2026-11-30"})
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["committee_id"]
    neither = lead.post(case.url("/decisions"), json={"title": "X", "decided_on": "2026-11-30"})
    assert neither.status_code == 422 and list(neither.json["errors"]) == ["committee"]


def _initiative(org_id, title, status, **extra):
    initiative = Initiative(org_id=org_id, title=title, status=status, **extra)
    db.session.add(initiative)
    db.session.flush()
    return initiative


def _build(lead, case):
    """The case: a weekly Monday committee, its pack for Monday 2026-12-07 (previous
    meeting Monday 2026-11-30)."""
    org_id = case.org["id"]
    committee = _committee(lead, case)
    other = _committee(lead, case, name="Strategy", level="strategic")
    done = _initiative(org_id, "Role cards", "done", duration_weeks=2,
                       actual_start=date(2026, 9, 1), actual_end=date(2026, 9, 15))
    prereq = _initiative(org_id, "Product charter", "proposed")
    blocked_stalled = _initiative(org_id, "Team topologies", "in_progress", duration_weeks=4,
                                  actual_start=date(2026, 10, 1), owner="Ana")
    free = _initiative(org_id, "Discovery rituals", "approved")
    on_time = _initiative(org_id, "OKR cascade", "in_progress", duration_weeks=4,
                          actual_start=date(2026, 11, 16))
    waiting_proposed = _initiative(org_id, "Product ops", "proposed")
    archived = _initiative(org_id, "Old tooling", "in_progress", duration_weeks=1,
                           actual_start=date(2026, 1, 5),
                           archived_at=datetime(2026, 6, 1, tzinfo=UTC))
    for prerequisite, dependent in ((prereq, blocked_stalled), (done, free),
                                    (prereq, waiting_proposed), (prereq, archived)):
        db.session.add(Dependency(org_id=org_id, prerequisite_id=prerequisite.id,
                                  dependent_id=dependent.id))
    pilots = [Pilot(org_id=org_id, initiative_id=free.id, teams=["pricing"], status=status,
                    end=end, decision=decision)
              for status, end, decision in (("succeeded", date(2026, 11, 20), None),
                                            ("running", date(2026, 11, 30), None),
                                            ("running", date(2099, 12, 20), None),
                                            ("failed", date(2026, 11, 1), "stop"))]
    db.session.add_all(pilots)
    off = Kpi(org_id=org_id, name="Deploys per week", direction="higher_is_better", target=10)
    on = Kpi(org_id=org_id, name="Lead time", direction="lower_is_better", target=5)
    unmeasured = Kpi(org_id=org_id, name="NPS", direction="higher_is_better", target=30)
    db.session.add_all([off, on, unmeasured])
    db.session.flush()
    db.session.add_all([Measurement(org_id=org_id, kpi_id=kpi.id, value=value,
                                    measured_at=date(2026, 11, 25))
                        for kpi, value in ((off, 8), (on, 4))])
    assessment_id = case.assessment["id"]
    findings = {title: Finding(org_id=org_id, assessment_id=assessment_id, kind=kind,
                               title=title, status=status)
                for title, kind, status in (("No discovery", "gap", "accepted"),
                                            ("Blurred roles", "gap", "accepted"),
                                            ("Leaders see autonomy", "blind_spot", "suggested"),
                                            ("Dismissed one", "tension", "dismissed"),
                                            ("Strong delivery", "strength", "accepted"))}
    db.session.add_all(findings.values())
    db.session.flush()
    done.findings.append(findings["Blurred roles"])
    db.session.commit()
    ids = {"pilots": [p.id for p in pilots], "prereq": prereq.id, "on_time": on_time.id}
    baseline = lead.post(case.url("/roadmap/baselines"), json={"name": "Plan of record",
                                                              "start": "2026-11-02"})
    assert baseline.status_code == 201, baseline.json
    # planned 4 weeks from 2026-11-16: now two weeks later
    db.session.get(Initiative, ids["on_time"]).duration_weeks = 6
    db.session.commit()
    decisions = {title: _decide(lead, case, cid, title, day)["id"] for title, cid, day in (
        ("Before the last meeting", committee["id"], "2026-11-20"),
        ("At the last meeting", committee["id"], "2026-11-30"),
        ("Today", committee["id"], "2026-12-07"),
        ("Tomorrow", committee["id"], "2026-12-08"),
        ("Other committee", other["id"], "2026-12-01"))}
    return {"committee": committee, **ids, "decisions": decisions}


def test_the_pack_lists_what_the_committee_needs_for_its_meeting(lead, case):
    built = _build(lead, case)
    response = lead.get(case.url(f"/committees/{built['committee']['id']}/pack"
                                 "?date=2026-12-07"))
    assert response.status_code == 200, response.json
    pack = response.json
    # weekly on Mondays: the previous meeting before Monday 2026-12-07 is Monday 2026-11-30
    assert (pack["date"], pack["since"], pack["since_rule"]) == (
        "2026-12-07", "2026-11-30", "previous_meeting")
    # undecided and ended before today (2026-11-20, 2026-11-30); not the one running until
    # 2099, nor the decided one
    assert [p["pilot_id"] for p in pack["pilots_awaiting_decision"]] == [
        built["pilots"][0], built["pilots"][1]]
    # in progress and waiting on "Product charter" (proposed); "Discovery rituals" waits on
    # a done one, "Product ops" is only proposed, "Old tooling" is archived
    assert [(b["title"], b["blocked_by"]) for b in pack["blocked_initiatives"]] == [
        ("Team topologies", [built["prereq"]])]
    # (2026-12-07 − 2026-10-01) = 67 days = 9.571 weeks > 1.5 · 4 = 6; "OKR cascade" has
    # run 21 days = 3 weeks ≤ 1.5 · 6 = 9
    [stalled] = pack["stalled_initiatives"]
    assert stalled["title"] == "Team topologies" and stalled["limit_weeks"] == 6.0
    assert stalled["weeks_in_progress"] == pytest.approx(67 / 7)
    # 8 < 10 (higher is better) is off target; 4 ≤ 5 is on; NPS has no measurement
    assert [(k["name"], k["gap"]) for k in pack["kpis_off_target"]] == [
        ("Deploys per week", -2.0)]
    # OKR cascade: baseline end 2026-11-16 + 4 weeks = 2026-12-14, now + 6 weeks =
    # 2026-12-28: 14 days = 2.0 weeks late
    assert pack["baseline"]["name"] == "Plan of record"
    assert [(s["title"], s["baseline_end"], s["current_end"], s["slip_weeks"])
            for s in pack["slips"]] == [("OKR cascade", "2026-12-14", "2026-12-28", 2.0)]
    # not dismissed, not a strength, not answered ("Blurred roles" is, by "Role cards")
    assert [f["title"] for f in pack["findings_without_initiative"]] == [
        "No discovery", "Leaders see autonomy"]
    assert pack["assessment_id"] == case.assessment["id"]
    # within [2026-11-30, 2026-12-07], of this committee only, newest first
    assert [d["title"] for d in pack["decisions_since"]] == ["Today", "At the last meeting"]


def test_without_a_cron_the_pack_starts_at_the_last_decision_else_thirty_days_before(
        lead, case):
    committee = _committee(lead, case, cron=None)
    url = case.url(f"/committees/{committee['id']}/pack?date=2026-12-07")
    first = lead.get(url).json
    # no cron, no decision: 2026-12-07 − 30 days = 2026-11-07
    assert (first["since"], first["since_rule"]) == ("2026-11-07", "default")
    assert all(first[name] == [] for name in (
        "pilots_awaiting_decision", "blocked_initiatives", "stalled_initiatives",
        "kpis_off_target", "slips", "findings_without_initiative", "decisions_since"))
    _decide(lead, case, committee["id"], "Earlier", "2026-10-02")
    _decide(lead, case, committee["id"], "Last", "2026-10-15")
    second = lead.get(url).json
    assert (second["since"], second["since_rule"]) == ("2026-10-15", "last_decision")
    assert [d["title"] for d in second["decisions_since"]] == ["Last"]


def test_the_pack_of_an_unknown_committee_is_not_found(lead, case):
    assert lead.get(case.url("/committees/999/pack")).status_code == 404


def test_the_pack_prints_to_pdf(lead, case):
    from tracker.adapters import pdf
    if not pdf.available():
        pytest.skip("Chromium is not installed")
    committee = _committee(lead, case)
    response = lead.get(case.url(f"/committees/{committee['id']}/pack"
                                 "?date=2026-12-07&format=pdf"))
    assert response.status_code == 200
    assert response.content_type == "application/pdf" and response.data[:5] == b"%PDF-"
