"""The decision log: committee decisions, with the go/no-go decisions of pilots and, when
asked (`include_archives`, as the web page does), the archiving and restoring of
initiatives listed beside them (read-only, from the audit trail), searchable, filterable and
exportable as CSV.

An archive entry is dated on the day of the archiving, names who did it as its participant
and the initiative it concerns; its committee is `operational` like a pilot's decision. The
API's log keeps committee and pilot decisions only (its contract predates the entries)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select

from tracker.adapters.exporters import csv, xlsx
from tracker.domain.errors import InvalidInput, NotFound
from tracker.extensions import db
from tracker.models import (
    AuditEvent,
    Committee,
    Decision,
    Finding,
    Initiative,
    Organization,
    Pilot,
    User,
)
from tracker.services.pagination import Page
from tracker.services.tenancy import webhooks
from tracker.services.unit_of_work import transaction

#: The dossier a PMO prepares for a decision (free texts).
DOSSIER = ("context", "options", "risks", "portfolio_impact", "success_indicators")
FIELDS = ("title", "committee", "decided_on", "participants", "rationale", "committee_id",
          *DOSSIER)
LINKS: Mapping[str, type[Initiative] | type[Pilot] | type[Finding]] = {
    "initiative_ids": Initiative, "pilot_ids": Pilot, "finding_ids": Finding}
CSV_COLUMNS = ("kind", "id", "decided_on", "committee", "title", "participants",
               "rationale", "initiative_ids", "pilot_ids", "finding_ids", "decision")


@dataclass(frozen=True)
class LogEntry:
    """One line of the decision log: a logged decision or a pilot's decision."""

    kind: str
    id: int
    title: str
    committee: str
    decided_on: date | None
    participants: list[str]
    rationale: str
    initiative_ids: list[int] = field(default_factory=list)
    pilot_ids: list[int] = field(default_factory=list)
    finding_ids: list[int] = field(default_factory=list)
    decision: str | None = None
    created_at: datetime | None = None
    committee_id: int | None = None
    context: str = ""
    options: str = ""
    risks: str = ""
    portfolio_impact: str = ""
    success_indicators: str = ""


def _entry(decision: Decision) -> LogEntry:
    return LogEntry("decision", decision.id, decision.title, decision.committee,
                    decision.decided_on, list(decision.participants or []),
                    decision.rationale or "", list(decision.initiative_ids or []),
                    list(decision.pilot_ids or []), list(decision.finding_ids or []),
                    None, decision.created_at, decision.committee_id,
                    **{key: getattr(decision, key) or "" for key in DOSSIER})


def _pilot_entry(pilot: Pilot, initiative_title: str) -> LogEntry:
    return LogEntry("pilot", pilot.id, f"Pilot of “{initiative_title}”: {pilot.decision}",
                    "operational", pilot.decision_date,
                    [pilot.decided_by] if pilot.decided_by else [], pilot.rationale or "",
                    [pilot.initiative_id], [pilot.id], [], pilot.decision, pilot.created_at)


#: The audit actions on an initiative that the log lists, when asked, as the entry's kind.
ARCHIVE_ACTIONS: tuple[str, ...] = ("archive", "restore")


def log_entries(org: Organization, filters: Mapping[str, Any]) -> list[LogEntry]:
    """The filtered log, newest first (then by kind and id): two queries, and one more with
    `include_archives`."""
    stmt = select(Decision).where(Decision.org_id == org.id)
    words = (filters.get("q") or "").split()
    for word in words:
        pattern = f"%{word}%"
        stmt = stmt.where(or_(Decision.title.ilike(pattern), Decision.rationale.ilike(pattern)))
    if filters.get("committee"):
        stmt = stmt.where(Decision.committee == filters["committee"])
    if filters.get("committee_id"):
        stmt = stmt.where(Decision.committee_id == filters["committee_id"])
    if filters.get("date_from"):
        stmt = stmt.where(Decision.decided_on >= filters["date_from"])
    if filters.get("date_to"):
        stmt = stmt.where(Decision.decided_on <= filters["date_to"])
    entries = [_entry(d) for d in db.session.scalars(stmt)]
    if filters.get("include_pilots", True):
        entries += [e for e in _pilot_entries(org) if _matches(e, filters, words)]
    if filters.get("include_archives", False):
        entries += [e for e in _archive_entries(org) if _matches(e, filters, words)]
    return sorted(entries, key=lambda e: (-(e.decided_on or date.min).toordinal(),
                                          e.kind, -e.id))


def _pilot_entries(org: Organization) -> list[LogEntry]:
    rows = db.session.execute(select(Pilot, Initiative.title)
                              .join(Initiative, Initiative.id == Pilot.initiative_id)
                              .where(Pilot.org_id == org.id, Pilot.decision.is_not(None)))
    return [_pilot_entry(pilot, title) for pilot, title in rows]


def _archive_entries(org: Organization) -> list[LogEntry]:
    """Each archiving and restoring of an initiative still in the organization, from its
    audit trail (kind `archive` or `restore`), who did it as the participant."""
    rows = db.session.execute(
        select(AuditEvent, Initiative.title, User.name, User.email)
        .join(Initiative, Initiative.id == AuditEvent.entity_id)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .where(AuditEvent.org_id == org.id, Initiative.org_id == org.id,
               AuditEvent.entity == "initiative", AuditEvent.action.in_(ARCHIVE_ACTIONS)))
    zone = ZoneInfo(org.timezone or "UTC")
    return [LogEntry(event.action, event.id, title, "operational",
                     event.at.astimezone(zone).date(),
                     [name or email] if (name or email) else [], "", [event.entity_id],
                     created_at=event.at)
            for event, title, name, email in rows]


def _matches(entry: LogEntry, filters: Mapping[str, Any], words: Sequence[str]) -> bool:
    text = f"{entry.title} {entry.rationale}".lower()
    day = entry.decided_on
    return (all(w.lower() in text for w in words)
            and filters.get("committee") in (None, entry.committee)
            and filters.get("committee_id") in (None, entry.committee_id)
            and not (filters.get("date_from") and (day is None or day < filters["date_from"]))
            and not (filters.get("date_to") and (day is None or day > filters["date_to"])))


def list_decisions(org: Organization, page: int, per_page: int,
                   filters: Mapping[str, Any]) -> Page[LogEntry]:
    """A page of the filtered decision log."""
    entries = log_entries(org, filters)
    start = (page - 1) * per_page
    return Page(entries[start:start + per_page], len(entries), page, per_page)


def get_decision(org: Organization, decision_id: int) -> LogEntry:
    """One logged decision (404 outside the organization)."""
    decision = db.session.scalar(select(Decision).where(Decision.id == decision_id,
                                                        Decision.org_id == org.id))
    if decision is None:
        raise NotFound(f"Decision {decision_id} not found.")
    return _entry(decision)


def _committee_level(org: Organization, data: Mapping[str, Any],
                     errors: dict[str, list[str]]) -> str | None:
    """The decision's committee level: the one given, else the level of its committee
    (`committee_id`, which must be the organization's); an error by field otherwise."""
    level = data.get("committee")
    committee_id = data.get("committee_id")
    if committee_id is not None:
        committee = db.session.scalar(select(Committee).where(
            Committee.id == committee_id, Committee.org_id == org.id))
        if committee is None:
            errors["committee_id"] = [f"Committee {committee_id} not found."]
        else:
            level = level or committee.level
    if not level and "committee_id" not in errors:
        errors["committee"] = ["Give the committee's level, or a committee_id."]
    return level


def create_decision(org: Organization, data: Mapping[str, Any]) -> LogEntry:
    """Log a decision; the initiatives, pilots and findings it names, and its committee
    (`committee_id`), must be the org's. Without `committee`, the level is the
    committee's."""
    errors: dict[str, list[str]] = {}
    level = _committee_level(org, data, errors)
    for key, model in LINKS.items():
        wanted = set(data.get(key) or [])
        found = set(db.session.scalars(select(model.id).where(
            model.org_id == org.id, model.id.in_(wanted)))) if wanted else set()
        if wanted - found:
            errors[key] = [f"{model.__name__} {i} not found." for i in sorted(wanted - found)]
    if errors:
        raise InvalidInput("The decision names unknown records.", errors=errors)
    with transaction() as session:
        decision = Decision(org_id=org.id, **{k: data[k] for k in FIELDS if k in data}
                            | {"committee": level},
                            **{k: sorted(set(data.get(k) or [])) for k in LINKS})
        session.add(decision)
        session.flush()
        webhooks.emit(org.id, "decision.logged", {
            "decision_id": decision.id, "title": decision.title, "committee": level,
            "decided_on": decision.decided_on, "initiative_ids": decision.initiative_ids})
    return _entry(decision)


def decisions_csv(org: Organization, filters: Mapping[str, Any], sep: str | None = None) -> str:
    """The filtered decision log as CSV (lists joined with `; `), in the organization's
    style (`sep` chooses the separator)."""
    return csv.table(CSV_COLUMNS, decisions_rows(org, filters), separator="; ",
                     style=csv.CsvStyle.of(org.locale, sep))


def decisions_xlsx(org: Organization, filters: Mapping[str, Any]) -> bytes:
    """The filtered decision log as an Excel workbook: the CSV's columns and rows."""
    return xlsx.workbook(CSV_COLUMNS, decisions_rows(org, filters), sheet="Decisions",
                         separator="; ")


def decisions_rows(org: Organization, filters: Mapping[str, Any]) -> list[list[Any]]:
    """The filtered log's export rows, cells in the order of `CSV_COLUMNS`."""
    return [[getattr(entry, column) for column in CSV_COLUMNS]
            for entry in log_entries(org, filters)]
