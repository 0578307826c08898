"""Five-field cron expressions as written by people (`minute hour day month day-of-week`),
read with the standard meaning of the day of the week: 0 and 7 are Sunday, 1 is Monday.

APScheduler's `CronTrigger` numbers the days from Monday = 0, so `0 9 * * 1` given to it
as is fires on Tuesdays. `trigger_fields` turns a standard expression into the fields
APScheduler reads the same way, naming the days (`mon`, `tue`, ...), which both read alike.
"""

from __future__ import annotations

import re

FIELD_NAMES: tuple[str, ...] = ("minute", "hour", "day", "month", "day_of_week")
#: Standard cron's day numbers (0 = Sunday) and APScheduler's day names.
DAY_NAMES: tuple[str, ...] = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_ITEM = re.compile(r"^(?P<range>\*|[a-z0-9]+(?:-[a-z0-9]+)?)(?:/(?P<step>\d+))?$")


def split(expression: str) -> list[str]:
    """The five fields of `expression`; `ValueError` unless there are exactly five.

    >>> split("0 9 * * 1")
    ['0', '9', '*', '*', '1']
    """
    values = expression.split()
    if len(values) != len(FIELD_NAMES):
        raise ValueError(f"Wrong number of fields; got {len(values)}, expected 5")
    return values


def _day(token: str) -> int:
    """A standard day of the week, by number (0-7, 7 = Sunday) or name, as 0-6."""
    if token in DAY_NAMES:
        return DAY_NAMES.index(token)
    if token.isdigit() and int(token) <= 7:
        return int(token) % 7
    raise ValueError(f"Unknown day of the week {token!r}")


def days_of_week(field: str) -> list[int] | None:
    """The days a standard day-of-week field names (0 = Sunday ... 6 = Saturday, sorted);
    None for `*` (every day).

    >>> days_of_week("1-5"), days_of_week("sat,0"), days_of_week("*/2"), days_of_week("*")
    ([1, 2, 3, 4, 5], [0, 6], [0, 2, 4, 6], None)
    """
    if field in ("*", "?"):
        return None
    days: set[int] = set()
    for item in field.lower().split(","):
        match = _ITEM.match(item)
        if match is None:
            raise ValueError(f"Unknown day of the week {item!r}")
        bounds, step = match["range"], int(match["step"] or 1)
        if bounds == "*":
            first, last = 0, 6
        else:
            low, _, high = bounds.partition("-")
            first = _day(low)
            last = (7 if high == "7" else _day(high)) if high else first
        if step < 1 or last < first:
            raise ValueError(f"Wrong range of days {item!r}")
        days.update(day % 7 for day in range(first, last + 1, step))
    return sorted(days)


def trigger_fields(expression: str) -> dict[str, str]:
    """APScheduler's `CronTrigger` keyword arguments for a standard expression, with the
    days of the week by name so that 1 stays Monday.

    >>> trigger_fields("0 9 * * 1-5")["day_of_week"]
    'mon,tue,wed,thu,fri'
    >>> trigger_fields("30 8 1 */3 *")
    {'minute': '30', 'hour': '8', 'day': '1', 'month': '*/3', 'day_of_week': '*'}
    """
    fields = dict(zip(FIELD_NAMES, split(expression), strict=True))
    days = days_of_week(fields["day_of_week"])
    if days is not None:
        fields["day_of_week"] = ",".join(DAY_NAMES[day] for day in days)
    return fields
