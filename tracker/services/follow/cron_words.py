"""A cron expression in words, in the page's language, for the schedule form's helper:
"Every Monday, at 9:00 AM", "On day 1 of the month, in January, April, July and October,
at 8:00 AM", "Every 15 minutes". Common forms are described; any other valid expression is
named as it is (the next run times, beside it, say the rest).

Days of the week have the standard meaning (`tracker.domain.follow.crontab`: 0 and 7 are Sunday).
"""

from __future__ import annotations

from datetime import time

from babel.dates import get_day_names, get_month_names
from babel.lists import format_list
from flask_babel import format_time, get_locale, ngettext
from flask_babel import gettext as _

from tracker.domain.follow.crontab import days_of_week, split


def _numbers(field: str, low: int, high: int) -> list[int] | None:
    """The values of a field made of numbers, ranges and steps (`1,15`, `1-5`, `*/3`);
    None for `*` and for what it cannot read."""
    if field == "*":
        return None
    values: set[int] = set()
    for item in field.split(","):
        bounds, _slash, step = item.partition("/")
        first, _dash, last = bounds.partition("-")
        if bounds == "*":
            first, last = str(low), str(high)
        if not (first.isdigit() and (last or first).isdigit() and (step or "1").isdigit()):
            return None
        values.update(range(int(first), int(last or first) + 1, int(step or 1) or 1))
    return sorted(values)


def _times(minute: str, hour: str) -> str | None:
    """The time part: `at 9:00 AM`, `every 15 minutes`, `every hour at minute 30` (only
    the first, at fixed times, starts with the day's part)."""
    minutes, hours = _numbers(minute, 0, 59), _numbers(hour, 0, 23)
    if minute.startswith("*/") and hour == "*" and minute[2:].isdigit():
        step = int(minute[2:])
        return ngettext("every %(num)d minute", "every %(num)d minutes", step)
    if minute == "*" and hour == "*":
        return _("every minute")
    if minutes is not None and len(minutes) == 1 and hour == "*":
        return _("every hour at minute %(minute)d", minute=minutes[0])
    if minutes is not None and hours is not None and len(minutes) * len(hours) <= 6:
        moments = [format_time(time(h, m), "short") for h in hours for m in minutes]
        return _("at %(times)s", times=format_list(moments, locale=get_locale()))
    return None


def _days(day: str, weekday: str) -> str | None:
    """The day part: `every day`, `every Monday and Friday`, `on day 1 of the month`."""
    names = get_day_names("wide", locale=get_locale())
    dates = _numbers(day, 1, 31)
    try:
        weekdays = days_of_week(weekday)
    except ValueError:
        return None
    if day == "*" and weekdays is None:
        return _("every day")
    if day == "*" and weekdays is not None:
        # babel numbers the days from Monday = 0, cron from Sunday = 0
        chosen = [names[(d - 1) % 7] for d in weekdays]
        return _("every %(days)s", days=format_list(chosen, locale=get_locale()))
    if dates is not None and weekdays is None:
        return ngettext("on day %(days)s of the month", "on days %(days)s of the month",
                        len(dates), days=format_list([str(d) for d in dates],
                                                     locale=get_locale()))
    return None


def _months(month: str) -> str | None:
    """The month part: empty for every month, else `in January and July`."""
    if month == "*":
        return ""
    values = _numbers(month, 1, 12)
    if values is None or not all(1 <= v <= 12 for v in values):
        return None
    names = get_month_names("wide", locale=get_locale())
    return _("in %(months)s", months=format_list([names[v] for v in values],
                                                 locale=get_locale()))


def describe(expression: str) -> str:
    """The expression in words in the current language; one the helper cannot put in
    words is named as it is, with the order of its fields."""
    minute, hour, day, month, weekday = split(expression)
    moments, days, months = _times(minute, hour), _days(day, weekday), _months(month)
    if moments is None or days is None or months is None:
        return _("Cron expression %(cron)s (minute, hour, day of the month, month, day of "
                 "the week).", cron=expression)
    if day == weekday == "*" and hour == "*":
        days = ""  # "every 15 minutes", not "every day, every 15 minutes"
    when = ", ".join(part for part in (days, months, moments) if part)
    return when[:1].upper() + when[1:] + "."


def describe_interval(days: int) -> str:
    """An interval schedule in words."""
    return ngettext("Every %(num)d day, counted from the schedule's creation.",
                    "Every %(num)d days, counted from the schedule's creation.", days)
