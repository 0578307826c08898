"""A pilot judged on evidence (DESIGN section 3, "Pilot criteria").

A criterion is `{kpi_id, threshold}`. Its verdict reads the latest measurement of that KPI
(latest by date; of two on the same date, the one given last) dated within the pilot's window
`[start, end + 14 days]`, both bounds included:

- `met` when its value is ≥ the threshold for a `higher_is_better` KPI, ≤ for a
  `lower_is_better` one (equal to the threshold is met);
- `not_met` when it does not;
- `no_data` when there is no measurement in the window.

Edge cases, decided here:

- a pilot **without a start** has no window: every verdict is `no_data` (a measurement cannot
  be told from the state before the pilot);
- a pilot **without an end** is still running: its window is open up to `today` (a
  measurement dated after today does not count);
- an end before the start leaves an empty window: `no_data`;
- a criterion whose KPI is unknown (no direction given, e.g. deleted since) is `no_data`.

The suggested decision: `generalize` when every criterion is met, `stop` when none is,
`adjust` when some are; null while any verdict is `no_data`, and null for a pilot without a
criterion (nothing to judge it on).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

#: The verdicts of a criterion.
VERDICTS: tuple[str, ...] = ("met", "not_met", "no_data")
#: Days after the pilot's end whose measurements still count.
GRACE_DAYS = 14


@dataclass(frozen=True)
class Reading:
    """One dated value of a KPI."""

    measured_at: date
    value: float


@dataclass(frozen=True)
class Verdict:
    """A criterion's verdict with the measurement it rests on (null for `no_data`)."""

    kpi_id: int
    threshold: float
    status: str
    value: float | None = None
    measured_at: date | None = None
    #: the KPI's direction (null for an unknown KPI): `≥` or `≤` the threshold
    direction: str | None = None


@dataclass(frozen=True)
class Judgement:
    """Every criterion's verdict, in the criteria's order, and the suggested decision."""

    verdicts: list[Verdict]
    suggested_decision: str | None


def window(start: date | None, end: date | None, today: date) -> tuple[date, date] | None:
    """The dates whose measurements count, bounds included; None without a start.

    >>> window(date(2026, 1, 1), date(2026, 3, 1), date(2026, 12, 1))
    (datetime.date(2026, 1, 1), datetime.date(2026, 3, 15))
    >>> window(date(2026, 1, 1), None, date(2026, 2, 1))
    (datetime.date(2026, 1, 1), datetime.date(2026, 2, 1))
    >>> window(None, date(2026, 3, 1), date(2026, 12, 1)) is None
    True
    """
    if start is None:
        return None
    return start, (end + timedelta(days=GRACE_DAYS) if end is not None else today)


def verdict(kpi_id: int, threshold: float, direction: str | None,
            readings: Iterable[Reading], span: tuple[date, date] | None) -> Verdict:
    """The verdict of one criterion from its KPI's readings and the pilot's window.

    >>> span = (date(2026, 1, 1), date(2026, 3, 15))
    >>> verdict(1, 5.0, "lower_is_better", [Reading(date(2026, 2, 1), 4.0)], span).status
    'met'
    >>> verdict(1, 5.0, "higher_is_better", [Reading(date(2026, 2, 1), 4.0)], span).status
    'not_met'
    >>> verdict(1, 5.0, "higher_is_better", [Reading(date(2026, 4, 1), 9.0)], span).status
    'no_data'
    """
    if direction not in ("higher_is_better", "lower_is_better"):
        return Verdict(kpi_id, threshold, "no_data")
    inside = [(r.measured_at, n, r) for n, r in enumerate(readings)
              if span is not None and span[0] <= r.measured_at <= span[1]]
    if not inside:
        return Verdict(kpi_id, threshold, "no_data", direction=direction)
    latest = max(inside, key=lambda item: (item[0], item[1]))[2]
    met = (latest.value >= threshold if direction == "higher_is_better"
           else latest.value <= threshold)
    return Verdict(kpi_id, threshold, "met" if met else "not_met", latest.value,
                   latest.measured_at, direction)


def suggested_decision(statuses: Sequence[str]) -> str | None:
    """`generalize`, `adjust` or `stop` from the verdicts; null while any is `no_data` or
    without a verdict.

    >>> suggested_decision(["met", "met"]), suggested_decision(["met", "not_met"])
    ('generalize', 'adjust')
    >>> suggested_decision(["not_met"]), suggested_decision(["met", "no_data"])
    ('stop', None)
    >>> suggested_decision([]) is None
    True
    """
    if not statuses or "no_data" in statuses:
        return None
    met = sum(1 for status in statuses if status == "met")
    if met == len(statuses):
        return "generalize"
    return "adjust" if met else "stop"


def judge(criteria: Sequence[Mapping[str, Any]], directions: Mapping[int, str],
          readings: Mapping[int, Sequence[Reading]], start: date | None, end: date | None,
          today: date) -> Judgement:
    """Every criterion `{kpi_id, threshold}` judged on its KPI's readings (`directions` and
    `readings` by KPI id), and the suggested decision."""
    span = window(start, end, today)
    verdicts = []
    for criterion in criteria:
        kpi_id = int(criterion["kpi_id"])
        threshold = float(criterion["threshold"])
        verdicts.append(verdict(kpi_id, threshold, directions.get(kpi_id),
                                readings.get(kpi_id, ()), span))
    return Judgement(verdicts, suggested_decision([v.status for v in verdicts]))
