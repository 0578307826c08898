"""Committees: the governance bodies of an organization (level `strategic`, `portfolio` or
`operational`), their meeting cadence and their members, who receive the meeting pack.

A committee's `cron` is a five-field cron expression read like the schedules' (standard
days of the week, `tracker.domain.follow.crontab`), checked by the scheduler's own
recurrence engine, in the committee's `timezone` (default: the organization's). Without a
cron the committee meets when it is convened: it has no next meeting to preview.

A committee that has decisions cannot be deleted (409): its decisions are the history of
what it decided. Renaming it, or clearing its cadence, is the way to retire it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import func, select

from tracker.adapters.email.sender import clean
from tracker.domain.errors import Conflict, InvalidInput
from tracker.extensions import db
from tracker.models import Organization
from tracker.models.base import utcnow
from tracker.models.decisions import COMMITTEES, Committee, Decision
from tracker.models.schedules import Schedule
from tracker.schemas.common import is_time_zone
from tracker.services.follow import recurrence
from tracker.services.pagination import Page, paginate
from tracker.services.tenancy.access import get_owned
from tracker.services.unit_of_work import transaction

FIELDS = ("name", "level", "cron", "timezone", "member_emails")
#: How far back the previous meeting is looked for (days), widening step by step.
LOOKBACK_DAYS: tuple[int, ...] = (8, 32, 93, 367)
#: At most this many run times are walked through when looking back (a cron firing every
#: minute would otherwise take a year of minutes).
MAX_STEPS = 2000


def committee_errors(data: Mapping[str, Any]) -> dict[str, list[str]]:
    """What is wrong with a committee's settings, by field, all at once: a name, a level
    of `COMMITTEES`, a cron the scheduler can plan, a known time zone, members' emails."""
    errors: dict[str, list[str]] = {}
    if not (data.get("name") or "").strip():
        errors["name"] = [_("Give the committee a name.")]
    if data.get("level") not in COMMITTEES:
        errors["level"] = [_("Choose a level: %(levels)s.", levels=", ".join(COMMITTEES))]
    if data.get("cron"):
        try:
            recurrence.current().check_cron(data["cron"])
        except ValueError as error:
            errors["cron"] = [_("Invalid cron expression %(cron)s: %(reason)s.",
                                cron=data["cron"], reason=clean(str(error)))]
    if data.get("timezone") and not is_time_zone(data["timezone"]):
        errors["timezone"] = [_("Unknown time zone %(zone)s.", zone=data["timezone"])]
    bad = [e for e in data.get("member_emails") or [] if "@" not in e or " " in e.strip()]
    if bad:
        errors["member_emails"] = [_("Not an email address: %(emails)s.",
                                     emails=", ".join(bad))]
    return errors


def _validate(data: Mapping[str, Any]) -> None:
    errors = committee_errors(data)
    if errors:
        raise InvalidInput(" ".join(m for ms in errors.values() for m in ms), errors=errors)


def _clean(data: Mapping[str, Any]) -> dict[str, Any]:
    """The settings as stored: the name trimmed, an empty cron or zone as null, the members
    trimmed, lower-cased and without duplicates (in their order)."""
    cleaned = {k: data[k] for k in FIELDS if k in data}
    if "name" in cleaned:
        cleaned["name"] = (cleaned["name"] or "").strip()
    for key in ("cron", "timezone"):
        if key in cleaned:
            cleaned[key] = (cleaned[key] or "").strip() or None
    if "member_emails" in cleaned:
        seen: dict[str, None] = {}
        for email in cleaned["member_emails"] or []:
            if email.strip():
                seen.setdefault(email.strip().lower(), None)
        cleaned["member_emails"] = list(seen)
    return cleaned


def list_committees(org: Organization, page: int, per_page: int) -> Page[Committee]:
    """The organization's committees, by level (strategic first), then name."""
    order = [Committee.level != level for level in COMMITTEES]
    return paginate(select(Committee).where(Committee.org_id == org.id)
                    .order_by(*order, Committee.name, Committee.id), page, per_page)


def all_committees(org: Organization) -> list[Committee]:
    """Every committee of the organization (for pickers: an organization has a handful)."""
    return list(db.session.scalars(select(Committee).where(Committee.org_id == org.id)
                                   .order_by(Committee.name, Committee.id)))


def get_committee(org: Organization, committee_id: int) -> Committee:
    """One committee (404 outside the organization)."""
    return get_owned(Committee, org, committee_id, "Committee")


def create_committee(org: Organization, data: Mapping[str, Any]) -> Committee:
    """Create a committee (`name`, `level`, optional `cron`, `timezone`, `member_emails`)."""
    cleaned = _clean(data)
    _validate(cleaned)
    with transaction() as session:
        committee = Committee(org_id=org.id, **{"member_emails": []} | cleaned)
        session.add(committee)
    return committee


def update_committee(org: Organization, committee_id: int,
                     changes: Mapping[str, Any]) -> Committee:
    """Change a committee's settings (checked as a whole, 422 by field)."""
    committee = get_committee(org, committee_id)
    merged = {k: getattr(committee, k) for k in FIELDS} | _clean(changes)
    _validate(merged)
    with transaction():
        for key in FIELDS:
            setattr(committee, key, merged[key])
    return committee


def decision_count(org: Organization, committee_id: int) -> int:
    """How many decisions the committee took."""
    return db.session.scalar(select(func.count(Decision.id)).where(
        Decision.org_id == org.id, Decision.committee_id == committee_id)) or 0


def delete_committee(org: Organization, committee_id: int) -> None:
    """Remove a committee that has taken no decision (its pack schedules go with it);
    one with decisions answers 409: they are history."""
    committee = get_committee(org, committee_id)
    count = decision_count(org, committee.id)
    if count:
        raise Conflict(_("This committee has %(count)s decision(s): they are history, so it "
                         "is kept. Rename it or clear its cadence instead.", count=count))
    with transaction() as session:
        session.delete(committee)


# Meetings ----------------------------------------------------------------------------------

def zone_of(committee: Committee, org: Organization) -> str:
    """The committee's time zone, else the organization's; UTC when unknown."""
    name = committee.timezone or org.timezone
    return name if name and is_time_zone(name) else "UTC"


def _draft(committee: Committee) -> Schedule:
    """The committee's cadence as the recurrence engine reads a schedule."""
    return Schedule(kind="committee_pack", cron=committee.cron, interval_days=None)


def next_meetings(committee: Committee, org: Organization, count: int = 5,
                  after: datetime | None = None) -> list[datetime]:
    """The committee's next `count` meetings after `after` (default now), in its time
    zone; none without a cron (or with one the engine cannot plan)."""
    if not committee.cron:
        return []
    engine, zone, draft = recurrence.current(), zone_of(committee, org), _draft(committee)
    runs: list[datetime] = []
    moment = after or utcnow()
    try:
        while len(runs) < count:
            fire = engine.next_run_at(draft, zone, moment)
            if fire is None:
                break
            runs.append(fire)
            moment = fire + timedelta(seconds=1)
    except ValueError:
        return []
    return runs


def next_meeting_date(committee: Committee, org: Organization,
                      after: datetime | None = None) -> date | None:
    """The local date of the committee's next meeting (None without a cadence)."""
    runs = next_meetings(committee, org, 1, after)
    return runs[0].date() if runs else None


def previous_meeting_date(committee: Committee, org: Organization, day: date) -> date | None:
    """The local date of the committee's last meeting before the day `day` (None without a
    cron, or without a meeting in the year before)."""
    if not committee.cron:
        return None
    zone = ZoneInfo(zone_of(committee, org))
    day_start = datetime.combine(day, time.min, zone)
    engine, draft = recurrence.current(), _draft(committee)
    for days in LOOKBACK_DAYS:
        moment, last = day_start - timedelta(days=days), None
        try:
            for _step in range(MAX_STEPS):
                fire = engine.next_run_at(draft, zone.key, moment)
                if fire is None or fire >= day_start:
                    break
                last, moment = fire, fire + timedelta(seconds=1)
        except ValueError:
            return None
        if last is not None:
            return last.astimezone(zone).date()
    return None


def last_decision_date(org: Organization, committee: Committee, day: date) -> date | None:
    """The date of the committee's last decision before `day`."""
    found: date | None = db.session.scalar(select(func.max(Decision.decided_on)).where(
        Decision.org_id == org.id, Decision.committee_id == committee.id,
        Decision.decided_on < day))
    return found


def decisions_of(org: Organization, committee_id: int, since: date | None = None,
                 until: date | None = None) -> list[Decision]:
    """The committee's decisions, newest first, decided within `[since, until]`."""
    stmt = select(Decision).where(Decision.org_id == org.id,
                                  Decision.committee_id == committee_id)
    if since is not None:
        stmt = stmt.where(Decision.decided_on >= since)
    if until is not None:
        stmt = stmt.where(Decision.decided_on <= until)
    return list(db.session.scalars(stmt.order_by(Decision.decided_on.desc(),
                                                 Decision.id.desc())))


def members_of(committees: Sequence[Committee]) -> list[str]:
    """The members of these committees, each once."""
    return list(dict.fromkeys(e for c in committees for e in c.member_emails or []))
