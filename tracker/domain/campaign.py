"""The calendar of a campaign: how much time is left before an assessment's planned opening
or closing, or how long ago the planned date passed.

Pure: the caller gives today's date on the organization's calendar (its time zone), the
assessment's status and its planned dates. Days are whole calendar days; a planned date
that is today has `0` days left (it opens or closes today), not overdue yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

#: The kinds of time left: before a planned opening of a draft, after it passed, before a
#: planned closing of an open assessment, after it passed, or nothing to say (closed, or no
#: planned date for the next move).
KINDS: tuple[str, ...] = ("opens_in", "overdue_open", "closes_in", "overdue_close", "none")


@dataclass(frozen=True, slots=True)
class TimeLeft:
    """What the calendar says of a campaign: a `kind` (see `KINDS`), the whole `days` to the
    planned date or since it passed, and that date (`on`); both None for `none`."""

    kind: str
    days: int | None = None
    on: date | None = None

    @property
    def overdue(self) -> bool:
        """Whether the planned date of the next move has passed."""
        return self.kind in ("overdue_open", "overdue_close")


NOTHING = TimeLeft("none")


def time_left(status: str, today: date, planned_open_on: date | None,
              planned_close_on: date | None) -> TimeLeft:
    """The time left before the next planned move of an assessment in `status`.

    A draft looks at its planned opening, an open assessment at its planned closing; a
    closed one, or one without the planned date of its next move, has nothing to say.

    >>> time_left("open", date(2027, 3, 3), None, date(2027, 3, 15))
    TimeLeft(kind='closes_in', days=12, on=datetime.date(2027, 3, 15))
    >>> time_left("open", date(2027, 3, 18), None, date(2027, 3, 15)).days
    3
    >>> time_left("draft", date(2027, 3, 1), date(2027, 3, 1), None)
    TimeLeft(kind='opens_in', days=0, on=datetime.date(2027, 3, 1))
    >>> time_left("draft", date(2027, 3, 2), date(2027, 3, 1), None).kind
    'overdue_open'
    >>> time_left("closed", date(2027, 3, 2), date(2027, 3, 1), date(2027, 3, 1)).kind
    'none'
    """
    planned = {"draft": planned_open_on, "open": planned_close_on}.get(status)
    if planned is None:
        return NOTHING
    days = (planned - today).days
    ahead, behind = ("opens_in", "overdue_open") if status == "draft" else ("closes_in",
                                                                              "overdue_close")
    return TimeLeft(ahead, days, planned) if days >= 0 else TimeLeft(behind, -days, planned)
