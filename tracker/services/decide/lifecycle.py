"""The actual dates an initiative's status moves carry, and the rules they obey.

The plan keeps the real dates of work under way and done (DESIGN "Schedule"), so a status
move writes them when nobody gives them, on the organization's calendar (`Organization.
timezone`):

- entering `in_progress` or `piloting` sets `actual_start` to today, unless a date is given
  or one is already set (an initiative piloted first keeps the day its work began);
- entering `done` sets `actual_end` to today unless one is given, and `actual_start` too
  when it is still missing;
- leaving `done` (reopening it as `in_progress`) clears `actual_end` unless one is given;
  the audit trail keeps the dates it had.

A null is not a date: a move fills a date given as null as if it were not given. Both dates
stay editable; `date_errors` checks what is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from tracker.domain.roadmap import DONE, FIXED_STATUSES
from tracker.models import Initiative, Organization

#: The statuses whose work has begun: entering one of them sets the actual start.
STARTED: frozenset[str] = frozenset({"in_progress", "piloting", DONE})


def today_in(org: Organization) -> date:
    """Today on the organization's calendar (its time zone, UTC when unset)."""
    return datetime.now(org.zone).date()


def with_move_dates(org: Organization, current: Initiative | None,
                    data: Mapping[str, Any]) -> dict[str, Any]:
    """`data` (a creation, or the changes of `current`) with the actual dates its status move
    sets (see the module's doc); unchanged when the status does not move."""
    before = current.status if current is not None else None
    status = data.get("status", before)
    if status == before:
        return dict(data)
    moved: dict[str, Any] = {}
    if status in STARTED and data.get("actual_start") is None and (
            current is None or current.actual_start is None):
        moved["actual_start"] = today_in(org)
    if status == DONE and data.get("actual_end") is None:
        moved["actual_end"] = today_in(org)
    if before == DONE and "actual_end" not in data:
        moved["actual_end"] = None
    return {**data, **moved}


def date_errors(current: Initiative | None, data: Mapping[str, Any]) -> dict[str, list[str]]:
    """Field errors of the actual dates `data` writes: `actual_end` before `actual_start`,
    or a date cleared that the status needs (the plan keeps the real dates of work in
    progress and done). Dates `data` does not write are not checked, so an older record
    missing them stays editable."""
    written = {"actual_start", "actual_end"} & set(data)
    if not written:
        return {}

    def value(name: str) -> Any:
        return data[name] if name in data else getattr(current, name, None)

    status, start, end = value("status"), value("actual_start"), value("actual_end")
    errors: dict[str, list[str]] = {}
    if "actual_start" in written and start is None and status in FIXED_STATUSES:
        errors["actual_start"] = ["Required while the initiative is in progress or done."]
    if "actual_end" in written and end is None and status == DONE:
        errors["actual_end"] = ["Required once the initiative is done."]
    if start is not None and end is not None and end < start:
        errors["actual_end"] = [f"Must not be before the actual start ({start.isoformat()})."]
    return errors
