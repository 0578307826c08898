"""The meeting pack of a committee for a date: what it needs to decide on evidence.

- `since`: the committee's previous meeting before `date` by its cron (in its time zone);
  without a cron (or no meeting in the year before), the date of its last decision before
  `date`; without one, 30 days before `date` (`DEFAULT_SINCE_DAYS`).
- `pilots_awaiting_decision`: the pilots service's list (`pilots.pilots_awaiting_decision`):
  pilots of initiatives in play without a decision that ended before today (the
  organization's calendar, not the pack's date) or whose every criterion has a verdict,
  with their suggested decision.
- `blocked_initiatives`: initiatives `approved` or `in_progress` (not archived) that the
  backlog says wait on a prerequisite not done (`blocked_by`, `tracker.services.decide.
  backlog`).
- `stalled_initiatives`: `in_progress` initiatives whose weeks since `actual_start` at
  `date` exceed their estimate's P85, or `1.5 · duration_weeks` without an estimate (DESIGN
  "Stalled"; `tracker.services.plan.forecast.stalled_initiatives`).
- `kpis_off_target`: the KPIs in use whose latest measurement is off target.
- `slips`: the initiatives late against the newest roadmap baseline (`slip_weeks > 0`),
  worst first, with the baseline named in `baseline`.
- `findings_without_initiative`: the findings of the latest assessment that has findings,
  not dismissed and not strengths (a strength asks for no answer), that no initiative
  still in play (not archived, not dropped) answers.
- `decisions_since`: the committee's decisions decided within `[since, date]`.
- `owner_overloads`: the owners the plan overloads in a phase (`owner_load`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy import exists, func, select

from tracker.adapters import pdf
from tracker.adapters.email import committee_pack as pack_email
from tracker.adapters.report import render
from tracker.extensions import db
from tracker.models import Assessment, Finding, Initiative, Organization
from tracker.models.backlog import initiative_finding
from tracker.models.decisions import Committee, Decision
from tracker.models.roadmap import RoadmapBaseline
from tracker.models.schedules import Schedule
from tracker.services.decide import backlog, pilots
from tracker.services.decide.graph import load_active_graph
from tracker.services.follow import committees, kpis, outbox
from tracker.services.plan import forecast, roadmap
from tracker.services.plan.owner_load import owner_load
from tracker.services.unit_of_work import transaction

DEFAULT_SINCE_DAYS = 30
Day = date  # the pack's field `date` hides the type's name inside its class
#: The statuses of an initiative a committee expects to move: blocked ones are flagged.
UNDER_WAY = ("approved", "in_progress")


@dataclass(frozen=True)
class CommitteePack:
    """The pack of one committee for one meeting date (see the module's doc)."""

    committee_id: int
    committee_name: str
    level: str
    date: Day
    since: Day
    since_rule: str
    pilots_awaiting_decision: list[dict[str, Any]] = field(default_factory=list)
    blocked_initiatives: list[dict[str, Any]] = field(default_factory=list)
    stalled_initiatives: list[dict[str, Any]] = field(default_factory=list)
    kpis_off_target: list[dict[str, Any]] = field(default_factory=list)
    slips: list[dict[str, Any]] = field(default_factory=list)
    baseline: dict[str, Any] | None = None
    findings_without_initiative: list[dict[str, Any]] = field(default_factory=list)
    assessment_id: int | None = None
    decisions_since: list[dict[str, Any]] = field(default_factory=list)
    owner_overloads: list[dict[str, Any]] = field(default_factory=list)

    @property
    def sections(self) -> dict[str, list[dict[str, Any]]]:
        """The lists of the pack by name, in the order a meeting reads them."""
        return {name: getattr(self, name) for name in SECTIONS}


SECTIONS = ("pilots_awaiting_decision", "blocked_initiatives", "stalled_initiatives",
            "kpis_off_target", "slips", "findings_without_initiative", "decisions_since",
            "owner_overloads")


def since_of(org: Organization, committee: Committee, day: date) -> tuple[date, str]:
    """The start of the pack's period and the rule that gave it (`previous_meeting`,
    `last_decision` or `default`)."""
    previous = committees.previous_meeting_date(committee, org, day)
    if previous is not None:
        return previous, "previous_meeting"
    last = committees.last_decision_date(org, committee, day)
    if last is not None:
        return last, "last_decision"
    return day - timedelta(days=DEFAULT_SINCE_DAYS), "default"


def meeting_pack(org: Organization, committee_id: int, day: date) -> CommitteePack:
    """The committee's pack for the meeting on `day` (404 outside the organization)."""
    committee = committees.get_committee(org, committee_id)
    since, rule = since_of(org, committee, day)
    baseline, slips = _slips(org)
    assessment_id, findings = _findings_without_initiative(org)
    return CommitteePack(
        committee.id, committee.name, committee.level, day, since, rule,
        pilots_awaiting_decision=_pilots_awaiting_decision(org),
        blocked_initiatives=_blocked(org), stalled_initiatives=_stalled(org, day),
        kpis_off_target=[_kpi(k) for k in kpis.kpis_off_target(org)],
        slips=slips, baseline=baseline, findings_without_initiative=findings,
        assessment_id=assessment_id,
        decisions_since=[_decision(d) for d in committees.decisions_of(org, committee.id,
                                                                        since, day)],
        owner_overloads=_overloads(org))


def _pilots_awaiting_decision(org: Organization) -> list[dict[str, Any]]:
    """The pilots service's pilots awaiting a decision (`pilots.pilots_awaiting_decision`:
    no decision, and ended before today or every criterion judged), with their
    initiative's title and suggested decision."""
    waiting = pilots.pilots_awaiting_decision(org)
    titles = dict(db.session.execute(select(Initiative.id, Initiative.title).where(
        Initiative.org_id == org.id,
        Initiative.id.in_({p.pilot.initiative_id for p in waiting}))).all()) if waiting else {}
    return [{"pilot_id": p.pilot.id, "initiative_id": p.pilot.initiative_id,
             "title": titles.get(p.pilot.initiative_id, ""), "status": p.pilot.status,
             "start": p.pilot.start, "end": p.pilot.end,
             "suggested_decision": p.suggested_decision} for p in waiting]


def _blocked(org: Organization) -> list[dict[str, Any]]:
    """Approved or in-progress initiatives waiting on a prerequisite not done, in backlog
    order (the method does not change who waits on whom)."""
    ranked = backlog.ranked_backlog(org, "wsjf")
    rows = load_active_graph(org)[1]  # shared with the ranking: computed once per version
    return [{"id": item.id, "title": item.title, "status": item.status,
             "owner": rows[item.id].owner, "blocked_by": list(item.blocked_by)}
            for item in ranked.items if item.status in UNDER_WAY and item.blocked_by]


def _stalled(org: Organization, day: date) -> list[dict[str, Any]]:
    """In-progress initiatives past their estimate's P85 (or 1.5 times their duration) at
    `day`, longest first."""
    return [{"id": stall.initiative.id, "title": stall.initiative.title,
             "owner": stall.initiative.owner, "actual_start": stall.initiative.actual_start,
             "weeks_in_progress": stall.weeks_in_progress, "limit_weeks": stall.limit_weeks}
            for stall in forecast.stalled_initiatives(org, day)]


def _kpi(report: kpis.KpiReport) -> dict[str, Any]:
    return {"id": report.id, "name": report.name, "unit": report.unit,
            "direction": report.direction, "target": report.target,
            "current": report.current, "measured_at": report.measured_at, "gap": report.gap,
            "family": report.family, "owner": report.owner}


def _slips(org: Organization) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The newest baseline and the initiatives late against it, worst slip first."""
    newest = db.session.scalar(select(RoadmapBaseline).where(RoadmapBaseline.org_id == org.id)
                               .order_by(RoadmapBaseline.created_at.desc(),
                                         RoadmapBaseline.id.desc()).limit(1))
    if newest is None:
        return None, []
    compared = roadmap.compare_baseline(org, newest.id, roadmap.PlanParams(None, None, None))
    late = [{k: item[k] for k in ("initiative_id", "title", "baseline_end", "current_end",
                                  "slip_weeks")}
            for item in compared["items"] if item["status"] == "late"]
    late.sort(key=lambda row: (-row["slip_weeks"], row["initiative_id"]))
    return {"id": newest.id, "name": newest.name}, late


def _findings_without_initiative(org: Organization) -> tuple[int | None,
                                                              list[dict[str, Any]]]:
    """The latest assessment with findings, and its open findings no initiative in play
    answers."""
    latest = db.session.scalar(
        select(Assessment.id).where(Assessment.org_id == org.id,
                                    exists().where(Finding.assessment_id == Assessment.id))
        .order_by(func.coalesce(Assessment.closed_at, Assessment.opened_at,
                                Assessment.created_at).desc(), Assessment.id.desc()).limit(1))
    if latest is None:
        return None, []
    answered = (select(initiative_finding.c.finding_id)
                .join(Initiative, Initiative.id == initiative_finding.c.initiative_id)
                .where(Initiative.archived_at.is_(None), Initiative.status != "dropped"))
    rows = db.session.scalars(select(Finding).where(
        Finding.org_id == org.id, Finding.assessment_id == latest,
        Finding.status != "dismissed", Finding.kind != "strength",
        Finding.id.not_in(answered)).order_by(Finding.id))
    return latest, [{"id": f.id, "kind": f.kind, "title": f.title, "status": f.status}
                    for f in rows]


def _decision(decision: Decision) -> dict[str, Any]:
    return {"id": decision.id, "title": decision.title, "decided_on": decision.decided_on,
            "committee": decision.committee, "rationale": decision.rationale or ""}


def _overloads(org: Organization) -> list[dict[str, Any]]:
    """The owners the plan overloads, per phase (none when the plan cannot be built)."""
    return [{"owner": row.owner, "phase": row.phase, "weeks": row.weeks,
             "phase_weeks": row.phase_weeks} for row in owner_load(org) if row.overloaded]


def counts(pack: CommitteePack) -> dict[str, int]:
    """How many rows each section of the pack holds."""
    return {name: len(rows) for name, rows in pack.sections.items()}


def pack_html(org: Organization, committee_id: int, day: date) -> str:
    """The pack as one standalone page (for the printer), in the organization's language."""
    pack = meeting_pack(org, committee_id, day)
    with force_locale(org.locale or "en"):
        return render("pack.html", org=org, pack=pack, counts=counts(pack),
                      lang=org.locale or "en")


def pack_pdf(org: Organization, committee_id: int, day: date) -> bytes:
    """The pack printed to PDF; `PdfUnavailable` (501) where Chromium is missing."""
    pdf.require()
    return pdf.html_to_pdf(pack_html(org, committee_id, day))


# The schedule kind `committee_pack` ----------------------------------------------------------

def next_meeting_of(org: Organization, schedule: Schedule, now: datetime) -> date | None:
    """The local date of the next meeting of the schedule's committee after `now` (None
    without a committee or a cadence)."""
    committee = db.session.get(Committee, schedule.committee_id) if schedule.committee_id \
        else None
    if committee is None or committee.org_id != org.id:
        return None
    return committees.next_meeting_date(committee, org, now)


def pack_key(committee_id: int, meeting: date, recipient: str) -> str:
    """The outbox key of one member's pack for one meeting: sent once.

    >>> pack_key(3, date(2026, 12, 7), "pmo@acme.test")
    'committee_pack:3:2026-12-07:pmo@acme.test'
    """
    return f"committee_pack:{committee_id}:{meeting.isoformat()}:{recipient.lower()}"


def send_pack(org: Organization, schedule: Schedule, config: Mapping[str, Any],
              now: datetime) -> str:
    """Queue the pack of the committee's next meeting for its members and the schedule's
    recipients, in the organization's language, HTML and text; once per committee,
    meeting date and recipient (the outbox's key), so a re-run sends nothing twice."""
    meeting = next_meeting_of(org, schedule, now)
    if meeting is None or schedule.committee_id is None:
        return "The committee has no next meeting (no cadence)."
    committee = committees.get_committee(org, schedule.committee_id)
    recipients = list(dict.fromkeys(
        e.lower() for e in [*(committee.member_emails or []), *(schedule.recipients or [])]))
    pack = meeting_pack(org, committee.id, meeting)
    link = (f"{config['TRACKER_BASE_URL'].rstrip('/')}/orgs/{org.id}/committees/"
            f"{committee.id}/pack?date={meeting.isoformat()}")
    with transaction(), force_locale(org.locale or "en"):
        text, html = pack_email.render(org.name, pack, counts(pack), link)
        subject = _("%(committee)s: meeting pack for %(date)s", committee=committee.name,
                    date=format_date(meeting, format="long"))
        added = outbox.enqueue(org.id, [outbox.Email(pack_key(committee.id, meeting, r), r,
                                                     subject, text, html)
                                        for r in recipients])
    return f"Pack of {meeting.isoformat()} queued for {len(added)} recipient(s)."
