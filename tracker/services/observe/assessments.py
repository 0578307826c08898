"""Assessments (campaigns), their respondents and evidence.

Respondent privacy by role: who the respondents are (names, emails, survey links) and what
each one said (their ratings, comments and the verbatims linked to them) is for `ops` and
`lead` members only. Viewers and contributors read aggregates (scores, perception gaps),
which hide groups below the organization's `min_group_size`; the respondents list answers
them 403, and the verbatims they read never say whose they are.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from tracker.domain.campaign import TimeLeft, time_left
from tracker.domain.errors import Conflict, Forbidden, InvalidInput
from tracker.extensions import db
from tracker.models import (
    Assessment,
    AuditEvent,
    Dimension,
    Evidence,
    Framework,
    Organization,
    Rating,
    Respondent,
    User,
)
from tracker.models.base import utcnow
from tracker.services.audit import audit
from tracker.services.frame import frameworks
from tracker.services.pagination import Page, paginate
from tracker.services.tenancy import access, webhooks
from tracker.services.tenancy.access import get_owned
from tracker.services.unit_of_work import transaction
from tracker.services.upsert import insert_new

#: Allowed status moves; `closed` → `open` is a lead's reopening for corrections.
TRANSITIONS: dict[str, tuple[str, ...]] = {"draft": ("open",), "open": ("closed",),
                                           "closed": ("open",)}
#: The audit action of a plain move (a reopening is a correction, audited as `reopen`).
MOVE_ACTIONS: dict[str, str] = {"open": "open", "closed": "close"}
#: The audit actions the corrections list shows.
CORRECTION_ACTIONS: tuple[str, ...] = ("reopen", "update")
#: The campaign's dates, which a lead may set by hand (back-entry of a past campaign).
DATE_FIELDS: tuple[str, ...] = ("opened_at", "closed_at")
#: The campaign's planned days, which whoever creates or edits the assessment may set (plans,
#: not history: any past or future day, the closing not before the opening).
PLANNED_FIELDS: tuple[str, ...] = ("planned_open_on", "planned_close_on")
#: The audit action of a change of the planned days.
PLAN_ACTION = "plan"
#: How far ahead of the server's clock a `closed_at` may be (a caller's clock runs early).
CLOCK_SKEW = timedelta(minutes=5)
#: The least role that sees who the respondents are and what each of them answered.
SEES_RESPONDENTS = "ops"


@dataclass(frozen=True)
class Correction:
    """One audited correction of an assessment: a reopening or a change of its dates."""

    at: datetime
    action: str
    who: str | None
    reason: str | None
    changes: dict[str, Any]


@dataclass(frozen=True)
class AddedRespondent:
    """A respondent as a member below ops reads back the one they added: what they gave,
    without the email or the survey link (which opens the person's saved answers)."""

    id: int
    name: str
    role: str | None
    team: str | None
    level: str | None
    source: str
    perspective: str | None
    email: None = None
    survey_token: None = None


@dataclass(frozen=True)
class AnonymousEvidence:
    """A verbatim as a member below ops reads it: what was said, never by whom."""

    id: int
    text: str
    source: str
    tone: str
    dimensions: list[Dimension]
    created_at: datetime
    respondent_id: None = None


def sees_respondents(org: Organization, actor: User | None) -> bool:
    """Whether `actor` may see who the respondents are and what each answered (ops and
    leads; `actor` None is a trusted caller: the CLI, the demo loader)."""
    if actor is None:
        return True
    role = access.role_in(actor, org.id)
    return role is not None and access.ROLE_RANK[role] >= access.ROLE_RANK[SEES_RESPONDENTS]


def require_seeing_respondents(org: Organization, actor: User | None) -> None:
    """403, saying why, for a member below ops."""
    if not sees_respondents(org, actor):
        raise Forbidden(_("Respondents' names, emails, survey links and individual answers "
                          "are seen by ops and leads only, to keep answers anonymous; scores "
                          "and perception gaps give the aggregates."),
                        required_role=SEES_RESPONDENTS)


def create_assessment(org: Organization, data: Mapping[str, Any], *,
                      actor: User | None = None, now: datetime | None = None) -> Assessment:
    """Open a new campaign (in `draft`) on a framework the organization may use.

    `now` is when it is created (the current time by default); a loader of past history,
    such as the demo, gives the day the campaign was really set up. `opened_at` and
    `closed_at` may be given by a lead (back-entry); the moves to open and closed then
    keep them instead of stamping the time of the move. `planned_open_on` and
    `planned_close_on` are the days it is planned to open and close (any member who may
    create it may plan it, past days included).
    """
    framework = frameworks.framework_for_org(org.id, data["framework_id"])
    dates = _given_dates(org, data)
    if dates:
        _require_lead(org, actor)
    planned = _planned(data)
    _raise_on_errors({**_date_errors(dates, dates.get("opened_at"), dates.get("closed_at")),
                      **_planned_errors(planned)})
    with transaction() as session:
        assessment = Assessment(org_id=org.id, framework_id=framework.id, title=data["title"],
                                kind=data["kind"], created_at=now or utcnow(), **dates,
                                **planned)
        session.add(assessment)
    return assessment


def date_errors(org: Organization, data: Mapping[str, Any]) -> dict[str, list[str]]:
    """What `create_assessment` would refuse in the dates of `data`, without creating: a
    form reports these together with its other fields' errors."""
    dates = _given_dates(org, data)
    return {**_date_errors(dates, dates.get("opened_at"), dates.get("closed_at")),
            **planned_errors(data)}


def list_assessments(org: Organization, page: int, per_page: int,
                     status: str | None = None) -> Page[Assessment]:
    """The organization's assessments, newest first."""
    stmt = (select(Assessment).where(Assessment.org_id == org.id)
            .order_by(Assessment.created_at.desc(), Assessment.id.desc()))
    if status:
        stmt = stmt.where(Assessment.status == status)
    return paginate(stmt, page, per_page)


def get_assessment(org: Organization, assessment_id: int) -> Assessment:
    """One of the organization's assessments (404 otherwise)."""
    return get_owned(Assessment, org, assessment_id, "Assessment")


def update_assessment(org: Organization, assessment_id: int, changes: Mapping[str, Any], *,
                      actor: User | None = None, now: datetime | None = None) -> Assessment:
    """Rename an assessment, move it along draft → open → closed, or correct it.

    `now` is the moment a move takes effect, stored as `opened_at` or `closed_at` unless
    the assessment already has that date (given by a lead, or kept from before a
    reopening); the current time by default, a loader of past history gives the real day.
    A lead may reopen a closed assessment (`status: open` with a `reason`) so its ratings
    can be corrected, and set `opened_at` and `closed_at`; both are audited. Whoever may
    edit it may change `planned_open_on` and `planned_close_on` (null clears one), audited
    as `plan`. `actor` None is a trusted caller (the demo loader, the scheduler).
    """
    assessment = get_assessment(org, assessment_id)
    status = changes.get("status") or assessment.status
    _check_move(assessment.status, status)
    reopening = (assessment.status, status) == ("closed", "open")
    dates = _given_dates(org, changes)
    if reopening or dates:
        _require_lead(org, actor)
    stamped = _stamped(assessment, status, dates, now or utcnow())
    errors = _date_errors(dates, stamped["opened_at"], stamped["closed_at"])
    reason = (changes.get("reason") or "").strip()
    errors.update(_reason_errors(reopening, bool(dates), "reason" in changes, reason))
    planned = _planned(changes, assessment)
    errors.update(_planned_errors(planned))
    _raise_on_errors(errors)
    with transaction():
        before = {name: getattr(assessment, name) for name in ("status", *DATE_FIELDS)}
        if "title" in changes:
            assessment.title = changes["title"]
        _replan(org, actor, assessment, planned)
        assessment.status = status
        for name, value in stamped.items():
            setattr(assessment, name, value)
        if reopening or dates:
            _audit_correction(org, actor, assessment, before, reason,
                              "reopen" if reopening else "update")
        elif before["status"] != status:
            audit(org, actor, "assessment", assessment.id, None, MOVE_ACTIONS[status],
                  {"status": [before["status"], status]})
            webhooks.emit(org.id, f"assessment.{'opened' if status == 'open' else 'closed'}",
                          assessment_event(assessment))
    return assessment


def assessment_event(assessment: Assessment) -> dict[str, Any]:
    """What the webhooks of an assessment's opening or closing carry."""
    return {"assessment_id": assessment.id, "title": assessment.title, "kind": assessment.kind,
            "status": assessment.status, "opened_at": assessment.opened_at,
            "closed_at": assessment.closed_at}


def _check_move(current: str, status: str) -> None:
    """409 naming the allowed moves when `current` → `status` is not one of them."""
    allowed = TRANSITIONS[current]
    if status != current and status not in allowed:
        raise Conflict(_("An assessment in %(current)s cannot become %(status)s.",
                         current=current, status=status),
                       errors={"status": [_("Allowed: %(allowed)s.",
                                            allowed=", ".join(allowed) or _("none"))]},
                       allowed=list(allowed))


def _require_lead(org: Organization, actor: User | None) -> None:
    """Reopening and dating by hand rewrite the history the barometer shows: leads only
    (403 otherwise); `actor` None is a trusted caller."""
    if actor is not None:
        access.org_for(actor, org.id, "lead")


def _given_dates(org: Organization, data: Mapping[str, Any]) -> dict[str, datetime]:
    """The dates given in `data` (null counts as not given), timezone-aware: a date
    without a zone is read in the organization's time zone."""
    zone = org.zone
    return {name: data[name] if data[name].tzinfo else data[name].replace(tzinfo=zone)
            for name in DATE_FIELDS if data.get(name) is not None}


def _stamped(assessment: Assessment, status: str, dates: Mapping[str, datetime],
             moment: datetime) -> dict[str, datetime | None]:
    """`opened_at` and `closed_at` after the change: the given ones, else the stored ones,
    else `moment` for the date the status move reaches: a closing, or a first opening
    (unless a closing date is known: a past campaign whose opening nobody recorded)."""
    opened = dates.get("opened_at") or assessment.opened_at
    closed = dates.get("closed_at") or assessment.closed_at
    if (assessment.status, status) == ("draft", "open") and opened is None and closed is None:
        opened = moment
    if status == "closed" and assessment.status != "closed" and closed is None:
        closed = moment
    return {"opened_at": opened, "closed_at": closed}


def _date_errors(given: Mapping[str, datetime], opened_at: datetime | None,
                 closed_at: datetime | None) -> dict[str, list[str]]:
    """Field errors of the dates: a closing never in the future nor before the opening
    (reported on the date the caller gave, `closed_at` when both or neither)."""
    errors: dict[str, list[str]] = {}
    if "closed_at" in given and given["closed_at"] > utcnow() + CLOCK_SKEW:
        errors["closed_at"] = [_("The closing date cannot be in the future.")]
    if opened_at is not None and closed_at is not None and closed_at < opened_at:
        field = "opened_at" if list(given) == ["opened_at"] else "closed_at"
        errors.setdefault(field, []).append(
            _("The closing date cannot be before the opening date."))
    return errors


def planned_errors(data: Mapping[str, Any],
                   assessment: Assessment | None = None) -> dict[str, list[str]]:
    """What creating an assessment from `data`, or changing `assessment` by it, would refuse
    in the planned days: a form reports these with its other fields' errors."""
    return _planned_errors(_planned(data, assessment))


def _planned(data: Mapping[str, Any],
             assessment: Assessment | None = None) -> dict[str, date | None]:
    """The planned days after the change: those `data` gives (null clears one), else the
    stored ones of `assessment` (none for a new assessment)."""
    return {name: data[name] if name in data else getattr(assessment, name, None)
            for name in PLANNED_FIELDS}


def _planned_errors(planned: Mapping[str, date | None]) -> dict[str, list[str]]:
    """A planned closing before the planned opening, refused on `planned_close_on`."""
    opens, closes = planned.get("planned_open_on"), planned.get("planned_close_on")
    if opens is not None and closes is not None and closes < opens:
        return {"planned_close_on": [_("The planned closing cannot be before the planned "
                                       "opening.")]}
    return {}


def _replan(org: Organization, actor: User | None, assessment: Assessment,
            planned: Mapping[str, date | None]) -> None:
    """Store the planned days, auditing old → new of those that moved."""
    moved = {name: [getattr(assessment, name), day] for name, day in planned.items()
             if getattr(assessment, name) != day}
    for name, (_old, day) in moved.items():
        setattr(assessment, name, day)
    if moved:
        audit(org, actor, "assessment", assessment.id, None, PLAN_ACTION, moved)


def campaign_time_left(org: Organization, assessment: Assessment,
                       today: date | None = None) -> TimeLeft:
    """The time left before the assessment's next planned move, counted from `today` on
    the organization's calendar (its time zone; the current day by default)."""
    return time_left(assessment.status, today or datetime.now(org.zone).date(),
                     assessment.planned_open_on, assessment.planned_close_on)


def _reason_errors(reopening: bool, dated: bool, sent: bool, reason: str) -> dict[str, list[str]]:
    """A reopening needs a reason; a reason goes only with a reopening or new dates."""
    if reopening and not reason:
        return {"reason": [_("Say why the assessment is reopened.")]}
    if sent and not (reopening or dated):
        return {"reason": [_("A reason goes with a reopening or a change of dates.")]}
    return {}


def _raise_on_errors(errors: Mapping[str, list[str]]) -> None:
    """422 with every field error at once."""
    if errors:
        raise InvalidInput(_("The assessment was not changed: %(fields)s.",
                             fields=", ".join(errors)), errors=errors)


def _audit_correction(org: Organization, actor: User | None, assessment: Assessment,
                      before: Mapping[str, Any], reason: str, action: str) -> None:
    """Audit a reopening or a change of dates: old → new of what moved, and the reason
    (nothing when the dates given were the stored ones)."""
    changes: dict[str, Any] = {name: [old, getattr(assessment, name)]
                               for name, old in before.items()
                               if old != getattr(assessment, name)}
    if not changes:
        return
    if reason:
        changes["reason"] = reason
    audit(org, actor, "assessment", assessment.id, None, action, changes)


def corrections(org: Organization, assessment_id: int) -> list[Correction]:
    """The assessment's audited corrections (reopenings, dates set by hand), oldest first;
    plain openings and closings are in the organization's audit log only."""
    assessment = get_assessment(org, assessment_id)
    rows = db.session.execute(
        select(AuditEvent, User.email).outerjoin(User, User.id == AuditEvent.user_id)
        .where(AuditEvent.org_id == org.id, AuditEvent.entity == "assessment",
               AuditEvent.entity_id == assessment.id,
               AuditEvent.action.in_(CORRECTION_ACTIONS))
        .order_by(AuditEvent.at, AuditEvent.id))
    return [Correction(event.at, event.action, email, event.changes.get("reason"),
                       {k: v for k, v in event.changes.items() if k != "reason"})
            for event, email in rows]


def ensure_writable(assessment: Assessment) -> None:
    """Ratings and respondents change only while the assessment is not closed."""
    if assessment.status == "closed":
        raise Conflict(_("This assessment is closed; its ratings can no longer change "
                         "(a lead can reopen it to correct them)."),
                       errors={"status": ["closed"]})


def add_respondent(org: Organization, assessment_id: int, data: Mapping[str, Any], *,
                   actor: User | None = None) -> Respondent | AddedRespondent:
    """Add a respondent, with a personal unguessable survey token; 409 (naming `name`) when
    the assessment has a respondent of that name already, even one added a moment before by
    another request (the database's unique index decides). A member below ops gets it back
    without its email and survey link."""
    assessment = get_assessment(org, assessment_id)
    ensure_writable(assessment)
    with transaction() as session:
        respondent_id = insert_new(Respondent, {
            "org_id": org.id, "assessment_id": assessment.id,
            "survey_token": new_survey_token(), **data}, key=("assessment_id", "name"))
        if respondent_id is None:
            raise Conflict(_("This assessment already has a respondent named '%(name)s'.",
                             name=data["name"]),
                           errors={"name": [_("Already a respondent of this assessment.")]})
        respondent = session.get_one(Respondent, respondent_id)
    if sees_respondents(org, actor):
        return respondent
    return AddedRespondent(respondent.id, respondent.name, respondent.role, respondent.team,
                           respondent.level, respondent.source, respondent.perspective)


def new_survey_token() -> str:
    """A personal survey token: 192 random bits, URL-safe."""
    return secrets.token_urlsafe(24)


def list_respondents(org: Organization, assessment_id: int, page: int, per_page: int, *,
                     actor: User | None, search: str = "") -> Page[Respondent]:
    """The assessment's respondents, in the order they were added, with their emails and
    survey tokens: for ops and leads only (403 for the others); `search`, when given, keeps
    those whose name, email, team or role contains it (any case)."""
    assessment = get_assessment(org, assessment_id)
    require_seeing_respondents(org, actor)
    stmt = (select(Respondent).where(Respondent.assessment_id == assessment.id)
            .order_by(Respondent.id))
    if search.strip():
        pattern = "%" + search.strip().lower().replace("\\", "\\\\").replace(
            "%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(or_(*(func.lower(column).like(pattern, escape="\\") for column in (
            Respondent.name, Respondent.email, Respondent.team, Respondent.role))))
    return paginate(stmt, page, per_page)


def add_evidence(org: Organization, assessment_id: int, data: Mapping[str, Any]) -> Evidence:
    """Attach a verbatim to dimensions of the assessment's framework."""
    assessment = get_assessment(org, assessment_id)
    framework = frameworks.load_framework(assessment.framework_id)
    dimensions = _dimensions_named(frameworks.dimensions_by_code(framework),
                                   data.get("dimensions", []))
    respondent_id = data.get("respondent_id")
    if respondent_id is not None:
        respondent = db.session.get(Respondent, respondent_id)
        if respondent is None or respondent.assessment_id != assessment.id:
            raise InvalidInput(_("This respondent is not part of the assessment."),
                               errors={"respondent_id": [_("Unknown respondent.")]})
    with transaction() as session:
        evidence = Evidence(org_id=org.id, assessment_id=assessment.id, text=data["text"],
                            source=data["source"], tone=data["tone"],
                            respondent_id=respondent_id, dimensions=dimensions)
        session.add(evidence)
    return evidence


def list_evidence(org: Organization, assessment_id: int, page: int, per_page: int,
                  dimension: str | None = None, *,
                  actor: User | None) -> Page[Evidence] | Page[AnonymousEvidence]:
    """The assessment's verbatims, optionally those on one dimension; a member below ops
    reads them without their respondent (as verbatims that have none)."""
    assessment = get_assessment(org, assessment_id)
    stmt = (select(Evidence).where(Evidence.assessment_id == assessment.id)
            .options(selectinload(Evidence.dimensions)).order_by(Evidence.id))
    if dimension:
        stmt = stmt.where(Evidence.dimensions.any(Dimension.code == dimension))
    found: Page[Evidence] = paginate(stmt, page, per_page)
    if sees_respondents(org, actor):
        return found
    return Page([AnonymousEvidence(e.id, e.text, e.source, e.tone, list(e.dimensions),
                                   e.created_at) for e in found.items],
                found.total, found.page, found.per_page)


def _dimensions_named(by_code: Mapping[str, Dimension], codes: Sequence[str]) -> list[Dimension]:
    unknown = [code for code in codes if code not in by_code]
    if unknown:
        raise InvalidInput(_("Unknown dimension code(s): %(codes)s.", codes=", ".join(unknown)),
                           errors={"dimensions": [_("Unknown: %(codes)s.",
                                                    codes=", ".join(unknown))]})
    return [by_code[code] for code in dict.fromkeys(codes)]


#: The attributes completion is counted by, group by group.
COMPLETION_ATTRIBUTES: tuple[str, ...] = ("role", "team", "level")
#: The name of the group that gathers the groups too small to be shown alone.
OTHER_GROUPS = "other groups"


@dataclass(frozen=True)
class Progress:
    """How many respondents (of a group, or all) rated every dimension, some, or none."""

    name: str
    full: int = 0
    partial: int = 0
    none: int = 0

    @property
    def total(self) -> int:
        """The respondents counted."""
        return self.full + self.partial + self.none


@dataclass(frozen=True)
class RespondentProgress:
    """One respondent's progress (for ops and leads only): dimensions rated of all."""

    id: int
    name: str
    rated: int
    state: str


@dataclass(frozen=True)
class Completion:
    """An assessment's completion: overall, by group (groups below `min_group_size`
    merged into "other groups", or hidden when even together they are too few), and for
    ops and leads, each respondent's."""

    dimensions: int
    overall: Progress
    groups: dict[str, list[Progress]]
    hidden: dict[str, int]
    respondents: list[RespondentProgress] | None


def completion(org: Organization, assessment_id: int, *,
               actor: User | None) -> Completion:
    """Who answered fully (every dimension rated, "cannot say" included), partly, not yet.

    One query over the respondents and their rating counts, whatever their number; group
    counts keep anonymity as perception gaps do, and names reach ops and leads only.
    """
    assessment = get_assessment(org, assessment_id)
    dimensions = len(frameworks.dimensions_by_code(
        frameworks.load_framework(assessment.framework_id)))
    rows = db.session.execute(
        select(Respondent.id, Respondent.name, Respondent.role, Respondent.team,
               Respondent.level, func.count(Rating.id).label("rated"))
        .outerjoin(Rating, Rating.respondent_id == Respondent.id)
        .where(Respondent.assessment_id == assessment.id)
        .group_by(Respondent.id).order_by(Respondent.name, Respondent.id)).all()
    states = {row.id: progress_state(row.rated, dimensions) for row in rows}
    groups: dict[str, list[Progress]] = {}
    hidden: dict[str, int] = {}
    for attribute in COMPLETION_ATTRIBUTES:
        counted = _count_by(rows, states, attribute)
        groups[attribute], hidden[attribute] = _anonymous_groups(counted, org.min_group_size)
    people = ([RespondentProgress(row.id, row.name, row.rated, states[row.id]) for row in rows]
              if sees_respondents(org, actor) else None)
    return Completion(dimensions, _tally("all", list(states.values())), groups, hidden, people)


def progress_state(rated: int, dimensions: int) -> str:
    """`full` when every dimension is rated, `partial` when some, `none` otherwise."""
    if rated and rated >= dimensions:
        return "full"
    return "partial" if rated else "none"


def _tally(name: str, states: Sequence[str]) -> Progress:
    """A group's progress from its respondents' states."""
    return Progress(name, states.count("full"), states.count("partial"), states.count("none"))


def _count_by(rows: Sequence[Any], states: Mapping[int, str],
              attribute: str) -> list[Progress]:
    """The progress of each value of `attribute` (a blank value is a group of its own, `""`)."""
    by_value: dict[str, list[str]] = {}
    for row in rows:
        by_value.setdefault(getattr(row, attribute) or "", []).append(states[row.id])
    return [_tally(name, found) for name, found in sorted(by_value.items())]


def _anonymous_groups(groups: Sequence[Progress],
                      min_size: int) -> tuple[list[Progress], int]:
    """The groups that may be shown: those of at least `min_size` respondents, then the
    smaller ones merged into "other groups" when they make `min_size` together; answers
    how many respondents are left out otherwise."""
    shown = [group for group in groups if group.total >= min_size]
    small = [group for group in groups if group.total < min_size]
    merged = Progress(OTHER_GROUPS, sum(g.full for g in small), sum(g.partial for g in small),
                      sum(g.none for g in small))
    if small and merged.total >= min_size:
        return [*shown, merged], 0
    return shown, merged.total


#: What to do next, by step: the cockpit names it and links to where it is done.
NEXT_STEPS: tuple[str, ...] = ("add_respondents", "open", "remind", "close", "read")


def next_step(assessment: Assessment, progress: Completion,
              left: TimeLeft | None = None) -> str:
    """The campaign's next step: add respondents to a draft without any, open a draft that
    has some, remind those not finished while open (close once all have, or once its
    planned closing, `left`, has passed), read a closed one's diagnostic."""
    if assessment.status == "closed":
        return "read"
    if assessment.status == "draft":
        return "open" if progress.overall.total else "add_respondents"
    everyone = progress.overall.total and progress.overall.full == progress.overall.total
    if everyone or (left is not None and left.kind == "overdue_close"):
        return "close"
    return "remind"


def usable_frameworks(org: Organization) -> list[Any]:
    """The frameworks an assessment of `org` may be on (shared or its own), by name and
    version: rows of `id`, `name`, `version`."""
    return list(db.session.execute(
        select(Framework.id, Framework.name, Framework.version)
        .where(or_(Framework.org_id.is_(None), Framework.org_id == org.id))
        .order_by(Framework.name, Framework.version)))
