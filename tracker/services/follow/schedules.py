"""Schedules: an organization's recurring jobs, their next and last run times (from the
scheduler's recurrence engine, in the schedule's or the organization's time zone), their job
functions, the record of a job's last failure, and the resend of a barometer schedule's
email.

A stored setting no check guarded (a time zone or cron written before they were validated,
or imported) never breaks a page or the scheduler: an unknown time zone is read as UTC and
the schedule carries a `warning`; a job or trigger that fails is recorded on its schedule
(`record_error`) and the others go on.

Every job is idempotent per period: it computes its period and does nothing that was
already done for it (the schedule's `last_period`, and the outbox's unique keys for emails).
A resend is the one way to send a period's barometer again, on purpose.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import exists, select

from tracker.adapters.email import survey as survey_email
from tracker.adapters.email.sender import clean
from tracker.domain.constants import RESEND_TO
from tracker.domain.errors import Conflict, InvalidInput
from tracker.extensions import db
from tracker.models import Assessment, Organization, Rating, Respondent
from tracker.models.base import utcnow
from tracker.models.decisions import Committee
from tracker.models.schedules import Schedule
from tracker.schemas.common import is_time_zone
from tracker.services.follow import barometer_mail, outbox, recurrence
from tracker.services.observe.assessments import new_survey_token
from tracker.services.pagination import Page, paginate
from tracker.services.tenancy.access import get_owned
from tracker.services.unit_of_work import transaction

FIELDS = ("kind", "cron", "interval_days", "timezone", "recipients", "close_after_days",
          "paused", "committee_id")


@dataclass(frozen=True)
class ScheduleView:
    """A schedule as read, with its next run time (null when paused or when it cannot be
    computed) and its last one, its last failure, all in its time zone, and a `warning`
    about a stored setting it runs despite (an unknown time zone read as UTC)."""

    id: int
    kind: str
    cron: str | None
    interval_days: int | None
    timezone: str
    recipients: list[str]
    close_after_days: int | None
    paused: bool
    last_period: str | None
    next_run_at: datetime | None
    last_run_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    warning: str | None
    committee_id: int | None = None


@dataclass(frozen=True)
class RunResult:
    """What one run of a job did for its period (`ran` is false when it was done already)."""

    schedule_id: int
    kind: str
    period: str
    ran: bool
    detail: str


@dataclass(frozen=True)
class ResendResult:
    """What a resend of the barometer queued for its period: to whom (`recipients`, their
    count `queued`), and who was skipped (already sent with `new`, or still pending)."""

    schedule_id: int
    period: str
    to: str
    recipients: list[str]
    skipped: list[str]

    @property
    def queued(self) -> int:
        """How many messages the resend queued."""
        return len(self.recipients)


def safe_zone(name: str | None) -> str:
    """`name` when it is a known IANA time zone, else UTC (a zone stored unchecked never
    breaks a page or a job)."""
    return name if name and is_time_zone(name) else "UTC"


def zone_warning(name: str | None) -> str | None:
    """What to tell when a stored time zone is unknown and UTC is used instead."""
    if not name or is_time_zone(name):
        return None
    return _("Unknown time zone %(zone)s: UTC is used instead. Choose a valid time zone.",
             zone=name)


def zone_of(schedule: Schedule, org: Organization) -> str:
    """The schedule's time zone, else the organization's; UTC when that one is unknown."""
    return safe_zone(schedule.timezone or org.timezone)


def next_run_at(schedule: Schedule, org: Organization,
                now: datetime | None = None) -> datetime | None:
    """When the schedule fires next (in its time zone); null when paused."""
    if schedule.paused:
        return None
    return recurrence.current().next_run_at(schedule, zone_of(schedule, org), now or utcnow())


def view(schedule: Schedule, org: Organization) -> ScheduleView:
    """The schedule with its effective time zone, its next and last run times and its last
    failure in it; a stored trigger that cannot be computed gives no next run time and a
    warning, never an error."""
    zone = ZoneInfo(zone_of(schedule, org))
    warning = zone_warning(schedule.timezone or org.timezone)
    try:
        upcoming = next_run_at(schedule, org)
    except ValueError as error:
        upcoming, warning = None, _("This schedule cannot be planned: %(reason)s",
                                    reason=clean(str(error)))
    return ScheduleView(
        schedule.id, schedule.kind, schedule.cron, schedule.interval_days, zone.key,
        list(schedule.recipients or []), schedule.close_after_days, schedule.paused,
        schedule.last_period, upcoming, _local(schedule.last_run_at, zone),
        schedule.last_error, _local(schedule.last_error_at, zone), warning,
        schedule.committee_id)


def _local(moment: datetime | None, zone: ZoneInfo) -> datetime | None:
    """A stored moment in the schedule's time zone."""
    return moment.astimezone(zone) if moment else None


def schedule_errors(data: Mapping[str, Any]) -> dict[str, list[str]]:
    """What is wrong with a schedule's settings, by field, all at once: exactly one of
    `cron` and `interval_days`, a known time zone, a cron expression the scheduler can
    plan (its reason, naming the expression)."""
    errors: dict[str, list[str]] = {}
    if bool(data.get("cron")) == bool(data.get("interval_days")):
        errors["cron"] = [_("Give a five-field cron expression, or interval_days instead.")]
    if data.get("timezone") and not is_time_zone(data["timezone"]):
        errors["timezone"] = [_("Unknown time zone %(zone)s.", zone=data["timezone"])]
    if data.get("cron"):
        try:
            recurrence.current().check_cron(data["cron"])
        except ValueError as error:
            errors["cron"] = [_("Invalid cron expression %(cron)s: %(reason)s.",
                                cron=data["cron"], reason=clean(str(error)))]
    return errors


def committee_errors(org: Organization, data: Mapping[str, Any]) -> dict[str, list[str]]:
    """A `committee_pack` schedule names a committee of the organization; no other kind
    names one."""
    committee_id = data.get("committee_id")
    if data.get("kind") != "committee_pack":
        return ({"committee_id": [_("Only a committee pack schedule names a committee.")]}
                if committee_id else {})
    if committee_id is None:
        return {"committee_id": [_("Choose the committee whose pack is sent.")]}
    found = db.session.scalar(select(Committee.id).where(Committee.id == committee_id,
                                                         Committee.org_id == org.id))
    return {} if found else {"committee_id": [_("Committee %(id)s not found.",
                                                id=committee_id)]}


def _validate(data: Mapping[str, Any], org: Organization) -> None:
    """Refuse settings `schedule_errors` finds wrong, or a committee pack without a
    committee of the organization (422, every field's reason)."""
    errors = schedule_errors(data) | committee_errors(org, data)
    if errors:
        raise InvalidInput(" ".join(m for ms in errors.values() for m in ms), errors=errors)


def upcoming_runs(org: Organization, data: Mapping[str, Any], count: int = 5,
                  now: datetime | None = None,
                  schedule_id: int | None = None) -> list[datetime]:
    """The next `count` run times of settings not saved yet (`cron` or `interval_days`,
    `timezone`), in their time zone (else the organization's), from the scheduler's own
    recurrence engine, so the preview is what the scheduler will do. An interval counts
    from the creation of the schedule `schedule_id` (404 outside the organization), else
    from now. Settings `schedule_errors` refuses have no runs."""
    if schedule_errors(data):
        return []
    now = now or utcnow()
    created_at = (get_owned(Schedule, org, schedule_id, "Schedule").created_at
                  if schedule_id is not None else None)
    draft = Schedule(kind=data.get("kind") or "pulse", cron=data.get("cron") or None,
                     interval_days=data.get("interval_days") or None,
                     timezone=data.get("timezone") or None, created_at=created_at or now)
    engine, zone = recurrence.current(), zone_of(draft, org)
    runs: list[datetime] = []
    after = now
    while len(runs) < count:
        fire = engine.next_run_at(draft, zone, after)
        if fire is None:
            break
        runs.append(fire)
        after = fire + timedelta(seconds=1)
    return runs


def list_schedules(org: Organization, page: int, per_page: int) -> Page[ScheduleView]:
    """The organization's schedules with their next run times."""
    result = paginate(select(Schedule).where(Schedule.org_id == org.id).order_by(Schedule.id),
                      page, per_page)
    return Page([view(s, org) for s in result.items], result.total, page, per_page)


def get_schedule(org: Organization, schedule_id: int) -> ScheduleView:
    """One schedule (404 outside the organization)."""
    return view(get_owned(Schedule, org, schedule_id, "Schedule"), org)


def create_schedule(org: Organization, data: Mapping[str, Any]) -> ScheduleView:
    """Create a schedule (`cron` or `interval_days`, kind, recipients)."""
    _validate(data, org)
    with transaction() as session:
        schedule = Schedule(org_id=org.id, **{k: data[k] for k in FIELDS if k in data})
        session.add(schedule)
    return view(schedule, org)


def update_schedule(org: Organization, schedule_id: int,
                    changes: Mapping[str, Any]) -> ScheduleView:
    """Change a schedule; `paused` pauses or resumes it."""
    schedule = get_owned(Schedule, org, schedule_id, "Schedule")
    merged = {k: getattr(schedule, k) for k in FIELDS} | dict(changes)
    if "interval_days" in changes and changes["interval_days"] and "cron" not in changes:
        merged["cron"] = None
    if "cron" in changes and changes["cron"] and "interval_days" not in changes:
        merged["interval_days"] = None
    _validate(merged, org)
    with transaction():
        for key in FIELDS:
            setattr(schedule, key, merged[key])
    return view(schedule, org)


def delete_schedule(org: Organization, schedule_id: int) -> None:
    """Remove a schedule."""
    schedule = get_owned(Schedule, org, schedule_id, "Schedule")
    with transaction() as session:
        session.delete(schedule)


def period_of(schedule: Schedule, org: Organization, now: datetime) -> str:
    """The period a run belongs to: the quarter for the barometer (`2026-Q4`), the date of
    the committee's next meeting for a committee pack, the local day otherwise
    (`2026-12-01`), in the schedule's time zone."""
    zone = zone_of(schedule, org)
    if schedule.kind == "barometer":
        return barometer_mail.quarter(now, zone)
    if schedule.kind == "committee_pack":
        from tracker.services.follow import committee_pack  # it reads the schedules' zones

        meeting = committee_pack.next_meeting_of(org, schedule, now)
        if meeting is not None:
            return meeting.isoformat()
    return now.astimezone(ZoneInfo(zone)).date().isoformat()


def run_schedule(org: Organization, schedule_id: int, config: Mapping[str, Any],
                 now: datetime | None = None) -> RunResult:
    """Run a schedule's job now, for the current period (nothing twice per period)."""
    schedule = get_owned(Schedule, org, schedule_id, "Schedule")
    now = now or utcnow()
    period = period_of(schedule, org, now)
    if schedule.last_period == period:
        return RunResult(schedule.id, schedule.kind, period, False,
                         "Already done for this period.")
    with transaction():
        # one unit of work with the job's own (nested) transaction: the period is marked
        # done with the job's work, and a failing job rolls both back
        schedule.last_period = period
        schedule.last_run_at = now
        schedule.last_error = schedule.last_error_at = None
        detail = JOBS[schedule.kind](org, schedule, period, config, now)
    return RunResult(schedule.id, schedule.kind, period, True, detail)


def record_error(schedule_id: int, error: BaseException, now: datetime | None = None) -> None:
    """Record on the schedule why its job (or the scheduler planning it) failed, and when,
    in a unit of work of its own (the failed one was rolled back); a schedule deleted
    meanwhile has nothing to record."""
    with transaction() as session:
        schedule = session.get(Schedule, schedule_id)
        if schedule is not None:
            schedule.last_error = clean(f"{type(error).__name__}: {error}")
            schedule.last_error_at = now or utcnow()


def resend_schedule(org: Organization, schedule_id: int, to: str, config: Mapping[str, Any],
                    now: datetime | None = None, recipient: str | None = None,
                    ) -> ResendResult:
    """Send a barometer schedule's email of the current period again, with today's data,
    to `all` its recipients or only to the `new` ones (`barometer_mail.resend_barometer`),
    or, given `recipient` (one of the schedule's), to that one only; other kinds of
    schedule have nothing to resend (409)."""
    if to not in RESEND_TO:
        raise InvalidInput(_("Resend to 'all' recipients or only the 'new' ones."),
                           errors={"to": [_("Must be one of: %(choices)s.",
                                            choices=", ".join(RESEND_TO))]})
    schedule = get_owned(Schedule, org, schedule_id, "Schedule")
    if schedule.kind != "barometer":
        raise Conflict(_("Only a barometer schedule can be resent; this one is a %(kind)s "
                         "schedule.", kind=schedule.kind))
    chosen = list(schedule.recipients or [])
    if recipient:
        chosen = [r for r in chosen if r.lower() == recipient.strip().lower()]
        if not chosen:
            raise InvalidInput(_("%(email)s is not a recipient of this schedule.",
                                 email=recipient),
                               errors={"recipient": [_("Not a recipient of this schedule.")]})
    period = period_of(schedule, org, now or utcnow())
    result = barometer_mail.resend_barometer(org, config, chosen, period, to)
    return ResendResult(schedule.id, period, to, result.queued, result.already_sent)


def _survey_email(schedule: Schedule, period: str, respondent: Respondent, subject: str,
                  intro: str, base_url: str) -> outbox.Email:
    """A respondent's survey link by email, once per schedule, period and address, in the
    current locale (callers force the organization's and choose the subject and intro)."""
    text, html = survey_email.render(respondent.name, intro,
                                     f"{base_url}/survey/{respondent.survey_token}")
    return outbox.Email(f"{schedule.kind}:{schedule.id}:{period}:{respondent.email}",
                        respondent.email or "", subject, text, html)


def _open_pulse(org: Organization) -> Assessment | None:
    """The running pulse: open and with no closing date (a pulse a lead reopened, or a
    past one entered with its dates, is a correction the lead closes by hand)."""
    return db.session.scalar(select(Assessment).where(
        Assessment.org_id == org.id, Assessment.status == "open", Assessment.kind == "pulse",
        Assessment.closed_at.is_(None))
        .order_by(Assessment.opened_at.desc(), Assessment.id.desc()).limit(1))


def run_pulse(org: Organization, schedule: Schedule, period: str,
              config: Mapping[str, Any], now: datetime) -> str:
    """Open a pulse cloned from the last assessment (same framework, same respondents
    with new survey tokens; targets are organization-wide) and email each respondent
    their survey link."""
    if _open_pulse(org) is not None:
        return "A pulse is already open."
    last = db.session.scalar(select(Assessment).where(Assessment.org_id == org.id)
                             .order_by(Assessment.created_at.desc(), Assessment.id.desc())
                             .limit(1))
    if last is None:
        return "No assessment to clone yet."
    people = list(db.session.scalars(select(Respondent).where(
        Respondent.assessment_id == last.id).order_by(Respondent.id)))
    with transaction() as session:
        pulse = Assessment(org_id=org.id, framework_id=last.framework_id, kind="pulse",
                           title=f"Pulse {period}", status="open", opened_at=now,
                           created_at=now)
        session.add(pulse)
        session.flush()
        clones = [Respondent(org_id=org.id, assessment_id=pulse.id, name=p.name,
                             email=p.email, role=p.role, team=p.team, level=p.level,
                             source=p.source, survey_token=new_survey_token())
                  for p in people]
        session.add_all(clones)
        session.flush()
        with force_locale(org.locale or "en"):
            outbox.enqueue(org.id, [_survey_email(
                schedule, period, r,
                _("%(org)s: your maturity pulse %(period)s", org=org.name, period=period),
                _("A new maturity pulse is open. Your answers take about ten minutes:"),
                config["TRACKER_BASE_URL"]) for r in clones if r.email])
    return f"Opened pulse {pulse.id} with {len(clones)} respondent(s)."


def run_reminder(org: Organization, schedule: Schedule, period: str,
                 config: Mapping[str, Any], now: datetime) -> str:
    """Email the respondents of the open pulse who have not rated anything yet."""
    pulse = _open_pulse(org)
    if pulse is None:
        return "No open pulse."
    silent = list(db.session.scalars(select(Respondent).where(
        Respondent.assessment_id == pulse.id, Respondent.email.is_not(None),
        ~exists().where(Rating.respondent_id == Respondent.id)).order_by(Respondent.id)))
    with transaction(), force_locale(org.locale or "en"):
        outbox.enqueue(org.id, [_survey_email(
            schedule, period, r, _("%(org)s: reminder, your maturity pulse", org=org.name),
            _("Your answers to the maturity pulse are still missing:"),
            config["TRACKER_BASE_URL"]) for r in silent])
    return f"Reminded {len(silent)} respondent(s)."


def run_close(org: Organization, schedule: Schedule, period: str,
              config: Mapping[str, Any], now: datetime) -> str:
    """Close the open pulse once it has been open `close_after_days` days (default 14)."""
    pulse = _open_pulse(org)
    days = schedule.close_after_days or 14
    if pulse is None or pulse.opened_at is None or now - pulse.opened_at < timedelta(days):
        return "No pulse to close."
    with transaction():
        pulse.status = "closed"
        pulse.closed_at = now
    return f"Closed pulse {pulse.id}."


def run_barometer(org: Organization, schedule: Schedule, period: str,
                  config: Mapping[str, Any], now: datetime) -> str:
    """Queue the barometer email of the period for the schedule's recipients."""
    result = barometer_mail.send_barometer(org, config, schedule.recipients or [], period,
                                           now)
    return f"Barometer {period} queued for {len(result.queued)} recipient(s)."


def run_committee_pack(org: Organization, schedule: Schedule, period: str,
                       config: Mapping[str, Any], now: datetime) -> str:
    """Email the pack of the committee's next meeting to its members and the schedule's
    recipients (`committee_pack.send_pack`)."""
    from tracker.services.follow import committee_pack  # it reads the schedules' zones

    return committee_pack.send_pack(org, schedule, config, now)


JOBS = {"pulse": run_pulse, "reminder": run_reminder, "close": run_close,
        "barometer": run_barometer, "committee_pack": run_committee_pack}
