"""Numbers on the drawn charts in the reader's language (DESIGN section 9): `1,60` in French,
`1.60` in English, by Babel. A PNG is drawn for one locale (the report's, the email's); the
pages' Plotly charts take theirs in the browser (static/js/charts.js)."""

from __future__ import annotations

from typing import Any

from babel.numbers import format_decimal
from flask_babel import get_locale
from matplotlib.ticker import FuncFormatter


def chart_locale(locale: str | None = None) -> str:
    """`locale`, else the locale Flask-Babel renders in (a request's, or one forced for an
    email or a report), else English outside any application."""
    if locale:
        return locale
    try:
        current = get_locale()
    except RuntimeError:
        current = None
    return str(current) if current else "en"


def decimal_text(value: float, places: int, locale: str | None = None) -> str:
    """`value` with exactly `places` decimals in `locale`, thousands grouped.

    >>> decimal_text(1.6, 2, "fr"), decimal_text(1.6, 2, "en"), decimal_text(3.25, 1, "fr")
    ('1,60', '1.60', '3,2')
    """
    pattern = "#,##0." + "0" * places if places else "#,##0"
    return format_decimal(value, format=pattern, locale=chart_locale(locale))


def tick_formatter(locale: str | None = None) -> FuncFormatter:
    """A matplotlib axis formatter writing ticks in `locale` (`2,5`; whole numbers plain),
    without changing the process's locale."""
    chosen = chart_locale(locale)

    def tick(value: float, _position: Any) -> str:
        return format_decimal(value, format="#,##0.##", locale=chosen)

    return FuncFormatter(tick)
