"""Languages of the web pages (Flask-Babel): English and French, chosen per user.

A signed-in user's language is `User.locale`; a visitor's is kept in the session, else
taken from the browser's Accept-Language. Numbers, scores and dates are formatted for
that language by the Jinja filters registered here.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, has_request_context, request, session
from flask_babel import Babel, format_date, format_datetime, format_decimal, get_locale
from flask_login import current_user

from tracker.domain.constants import LOCALES
from tracker.web.labels import TARGET_MEASURE_HELP

babel = Babel()
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "fr": "Français"}


def select_locale() -> str | None:
    """The language of this request: the user's, the session's, or the browser's (outside
    a request, as in a command, the default)."""
    if not has_request_context():
        return None
    if current_user and current_user.is_authenticated and current_user.locale in LOCALES:
        return current_user.locale
    chosen = session.get("locale")
    if chosen in LOCALES:
        return chosen
    return request.accept_languages.best_match(LOCALES) or "en"


def score(value: float | None) -> str:
    """A score with two decimals in the page's language (`3.25`, `3,25`); `–` when absent."""
    if value is None:
        return "–"
    return format_decimal(value, format="0.00")


def number(value: float | None, digits: int = 1) -> str:
    """A number with up to `digits` decimals in the page's language; `–` when absent."""
    if value is None:
        return "–"
    return format_decimal(value, format="#,##0." + "#" * digits if digits else "#,##0")


def day(value: date | datetime | None) -> str:
    """A date in the page's language (`Mar 3, 2026`, `3 mars 2026`)."""
    return "–" if value is None else format_date(value, format="medium")


def moment(value: datetime | None, zone: str | None = None) -> str:
    """A date and time in the page's language, minutes precision; given a time zone, in
    that zone and followed by its name (`1/1/27, 8:00 AM Europe/Paris`)."""
    if value is None:
        return "–"
    if zone is None:
        return format_datetime(value, format="short")
    local = value.astimezone(ZoneInfo(zone))
    return f"{format_datetime(local, format='short', rebase=False)} {zone}"


def init_app(app: Flask) -> None:
    """Bind Flask-Babel and the formatting filters."""
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters.update(score=score, number=number, day=day, moment=moment)
    app.jinja_env.globals["TARGET_MEASURE_HELP"] = TARGET_MEASURE_HELP

    @app.context_processor
    def _languages() -> dict[str, Any]:
        return {"languages": LANGUAGE_NAMES, "current_locale": str(get_locale() or "en")}
