"""Audit events as people read them: who (the user's name or email, "system" when none),
when (in the organization's time zone), what (the record and action in words) and each
change as a human label with its old and new values formatted for the page's language
(dates, numbers, statuses, lists joined), never a raw field name or a Python dict.

Shared by the initiative page's audit trail and the organization's audit log; the events
come from the services (`services.decide.trail`, `services.tenancy.organizations`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tracker.services.tenancy.organizations import AuditEntry
from tracker.web.i18n import day, moment, number
from tracker.web.labels import (
    ASSESSMENT_STATUS_LABELS,
    AUDIT_ACTION_LABELS,
    AUDIT_ENTITY_LABELS,
    CLASS_LABELS,
    DECISION_LABELS,
    FIELD_LABELS,
    FINDING_STATUSES,
    INITIATIVE_STATUS_LABELS,
    PILOT_STATUS_LABELS,
    ROLE_LABELS,
)

#: Audited fields beyond the initiative form's (`FIELD_LABELS`), by their stored name.
EXTRA_FIELD_LABELS = {
    "finding_ids": _l("Linked findings"), "uplifts": _l("Expected uplifts"),
    "criteria": _l("Scorecard scores"), "archived_at": _l("Archived"),
    "template": _l("Playbook template"), "pilot_id": _l("Pilot"), "rater": _l("Rater"),
    "prerequisite_id": _l("Waits for"), "dependent_id": _l("Needed by"),
    "lag_weeks": _l("Lag (weeks)"), "teams": _l("Teams"), "value_stream": _l("Value stream"),
    "kpi_thresholds": _l("KPI thresholds"), "estimate_optimistic": _l("Optimistic (weeks)"),
    "estimate_likely": _l("Most likely (weeks)"),
    "estimate_pessimistic": _l("Pessimistic (weeks)"),
    "hypothesis": _l("Hypothesis"), "success_criteria": _l("Success criteria"),
    "kpi": _l("KPI"), "threshold": _l("Threshold"), "start": _l("Start"), "end": _l("End"),
    "decision": _l("Decision"), "decision_date": _l("Decision date"),
    "decided_by": _l("Decided by"), "rationale": _l("Rationale"), "email": _l("Email"),
    "role": _l("Role"), "reason": _l("Reason"), "opened_at": _l("Opened"),
    "closed_at": _l("Closed"), "merged_into": _l("Merged into"), "name": _l("Name"),
    "external_key": _l("External key"), "external_url": _l("External link"),
    "estimate": _l("Estimate (weeks)"), "version": _l("Version")}
#: The statuses a `status` change shows, by the audited record.
STATUS_LABELS = {"initiative": INITIATIVE_STATUS_LABELS, "pilot": PILOT_STATUS_LABELS,
                 "assessment": ASSESSMENT_STATUS_LABELS, "finding": FINDING_STATUSES}
#: Fields whose values are codes with a label, whatever the record.
CODE_LABELS = {"class_override": CLASS_LABELS, "role": ROLE_LABELS,
               "decision": DECISION_LABELS}
DAY_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
MOMENT_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


@dataclass(frozen=True)
class ChangeLine:
    """One audited field: its label, and its old and new values in words (`before` None
    when the event records a value, not a change)."""

    label: str
    after: str
    before: str | None = None


@dataclass(frozen=True)
class EventLine:
    """One audit event in words."""

    at: str
    who: str
    email: str | None
    record: str
    entity_id: int
    action: str
    changes: list[ChangeLine]


def event_lines(events: Iterable[AuditEntry], zone: str,
                dimension_names: Mapping[str, str] | None = None) -> list[EventLine]:
    """The events in words, their times in the time zone `zone` (the organization's);
    uplifts name their dimension by `dimension_names` (code → name) where known."""
    names = dimension_names or {}
    return [EventLine(at=moment(event.at, zone), who=who(event),
                      email=event.actor_email if event.actor_name else None,
                      record=str(AUDIT_ENTITY_LABELS.get(event.entity, _humane(event.entity))),
                      entity_id=event.entity_id,
                      action=str(AUDIT_ACTION_LABELS.get(event.action, _humane(event.action))),
                      changes=change_lines(event.entity, event.changes or {}, zone, names))
            for event in events]


def who(event: AuditEntry) -> str:
    """The author's name, else their email; "system" for an event without a user."""
    return event.actor_name or event.actor_email or _("system")


def change_lines(entity: str, changes: Mapping[str, Any], zone: str,
                 names: Mapping[str, str]) -> list[ChangeLine]:
    """Each audited field with its label and values; a two-item list is old → new."""
    lines = []
    for field, change in changes.items():
        label = field_label(field)
        if isinstance(change, list) and len(change) == 2:
            lines.append(ChangeLine(label, value_words(entity, field, change[1], zone, names),
                                    value_words(entity, field, change[0], zone, names)))
        else:
            lines.append(ChangeLine(label, value_words(entity, field, change, zone, names)))
    return lines


def field_label(field: str) -> str:
    """An audited field's human label (its name in words when none is defined)."""
    known = FIELD_LABELS.get(field) or EXTRA_FIELD_LABELS.get(field)
    return str(known) if known else _humane(field)


def value_words(entity: str, field: str, value: Any, zone: str,
                names: Mapping[str, str]) -> str:
    """A stored value in words: "–" for none, labels for statuses and codes, dates and
    times formatted, numbers in the page's language, lists joined, uplifts and scores as
    "name +level"."""
    if value is None or value in ("", [], {}):
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float):
        return f"#{value}" if field.endswith("_id") or field == "merged_into" else \
            number(value, 2)
    if isinstance(value, str):
        return _text_words(entity, field, value, zone)
    if isinstance(value, Mapping):
        if "dimension" in value:
            return _uplift_words(value, names)
        return "; ".join(f"{_humane(str(key)) if field != 'criteria' else key}: "
                         f"{value_words(entity, str(key), inner, zone, names)}"
                         for key, inner in value.items())
    if isinstance(value, list | tuple):
        joiner = "; " if any(isinstance(item, Mapping) for item in value) else ", "
        item_field = field.removesuffix("s") if field.endswith("_ids") else field
        return joiner.join(value_words(entity, item_field, item, zone, names)
                           for item in value)
    return str(value)


def _text_words(entity: str, field: str, value: str, zone: str) -> str:
    """A stored text: a status or code's label, a date or a time formatted, else as is."""
    labels = STATUS_LABELS.get(entity, {}) if field == "status" else CODE_LABELS.get(field, {})
    if value in labels:
        return str(labels[value])
    if MOMENT_PATTERN.match(value):
        try:
            return moment(datetime.fromisoformat(value), zone)
        except ValueError:
            return value
    if DAY_PATTERN.fullmatch(value):
        try:
            return day(date.fromisoformat(value))
        except ValueError:
            return value
    return value


def _uplift_words(uplift: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """An uplift as "dimension name +level"."""
    code = str(uplift.get("dimension"))
    expected = uplift.get("expected")
    return _("%(dimension)s +%(level)s", dimension=names.get(code, code),
             level=number(expected, 2) if isinstance(expected, int | float) else "–")


def _humane(name: str) -> str:
    """A stored name in words ("value_stream" → "Value stream")."""
    return name.replace("_", " ").strip().capitalize()
