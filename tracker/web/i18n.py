"""Languages of the pages and the API (Flask-Babel): English and French.

One rule, `select_locale`, gives every request its language, and with it every message
(`gettext`), problem title, validation message and formatted number of the answer:

- a page follows a signed-in user's language (`User.locale`), else the visitor's choice kept
  in the session, else the browser's Accept-Language;
- an API call follows its Accept-Language header when it names English or French (a client
  asks per request, as HTTP intends), else the signed-in user's language, else English.

Outside a request (a command, a job) the default, English, applies. Numbers, scores and
dates are formatted for that language by the Jinja filters registered here; `input_number`
writes a number into a form's `value` with the language's decimal mark.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cached_property, lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale, numbers
from babel.support import NullTranslations
from flask import Flask, g, has_request_context, request, session
from flask_babel import Babel, Domain, format_date, format_datetime, get_locale
from flask_login import current_user

from tracker.domain.constants import LOCALES
from tracker.web.labels import TARGET_MEASURE_HELP


class _KeptDomain(Domain):
    """Flask-Babel's message domain, the translations of the context's language kept on
    the context beside that language: a page asks for them hundreds of times (every `_()`
    and every lazy label) and Flask-Babel finds them anew each time, through four context
    lookups (about 14 µs a time; this takes about 2). Flask-Babel 4 keeps the context's
    language in `g._flask_babel.babel_locale`, where this reads it; a language forced for
    a while (`force_locale`, an email in the organization's language) is another locale
    object there, so its translations are looked up, and kept, in their turn. Where that
    state is not there yet (the context's first message), Flask-Babel's own way applies."""

    def get_translations(self) -> NullTranslations:
        """The translations of the context's current language."""
        try:
            state = g.__dict__["_flask_babel"].__dict__
        except (RuntimeError, KeyError):  # outside an app context / before Flask-Babel's state
            return super().get_translations()
        locale = state.get("babel_locale")
        kept = state.get(_KEPT)
        if locale is not None and kept is not None and kept[0] is locale:
            return kept[1]
        translations = super().get_translations()
        state[_KEPT] = (state.get("babel_locale"), translations)
        return translations


#: Where `_KeptDomain` keeps the translations, beside Flask-Babel's own context state.
_KEPT = "tracker_kept_translations"


class _Babel(Babel):
    """Flask-Babel with the domain that keeps the context's translations."""

    @cached_property
    def domain_instance(self) -> Domain:
        """The application's message domain (Flask-Babel's own property, our domain)."""
        return _KeptDomain(domain=self.domain)


babel = _Babel()
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "fr": "Français"}


API_PREFIX = "/api/"
#: A number as Python writes it with decimals (`2.5`, `-0.25`), which `input_number` rewrites.
_PLAIN_DECIMAL = re.compile(r"[+-]?\d+\.\d+")


def select_locale() -> str | None:
    """The language of this request (see the module's rule): on the API the Accept-Language
    header's (English or French), else the user's; on pages the user's, the session's, or the
    browser's; outside a request the default (None)."""
    if not has_request_context():
        return None
    if request.path.startswith(API_PREFIX):
        asked = request.accept_languages.best_match(LOCALES)
        if asked:
            return asked
    if current_user and current_user.is_authenticated and current_user.locale in LOCALES:
        return current_user.locale
    chosen = session.get("locale")
    if chosen in LOCALES:
        return chosen
    return request.accept_languages.best_match(LOCALES) or "en"


def format_decimal(value: float | int, format: str) -> str:
    """`value` in the request's language by the Babel `format` pattern, as Flask-Babel's
    `format_decimal` writes it, from a per-process memo: a page writes hundreds of numbers,
    most of them alike, and Babel parses the pattern and looks up the symbols each time."""
    return _formatted(value, format, get_locale())


@lru_cache(maxsize=8192, typed=True)
def _formatted(value: float | int, pattern: str, locale: Locale | None) -> str:
    """One formatted number (`typed`: 1 and 1.0 are kept apart, as their texts may be)."""
    return numbers.format_decimal(value, format=pattern, locale=locale)



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


def input_number(value: float | int | str | None) -> str:
    """A number as a form's input shows it for editing, in the page's language: its decimal
    mark (`3,5` in French), every significant digit, no grouping of thousands (the forms read
    it back, `tracker.web.forms.form_float`). A text written the way Python writes a number
    (`"2.5"`, as a view may pre-format it) is shown the same way, since the form reads both
    marks alike; any other text (the user's own input shown again) and an absent value
    (`""`) as they are."""
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value)
    if isinstance(value, str):
        if not _PLAIN_DECIMAL.fullmatch(value):
            return value
        value = float(value)
    return format_decimal(value, format="0.##########")


def init_app(app: Flask) -> None:
    """Bind Flask-Babel and the formatting filters."""
    babel.init_app(app, locale_selector=select_locale)
    with app.app_context():
        domain = babel.domain_instance
    # The templates' `_()` straight to the domain (Flask-Babel's own looks it up each call).
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: domain.get_translations().ugettext(s),
        ngettext=lambda s, p, n: domain.get_translations().ungettext(s, p, n),
        pgettext=lambda c, s: domain.get_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: domain.get_translations().unpgettext(c, s, p, n),
        newstyle=True)
    app.jinja_env.filters.update(score=score, number=number, day=day, moment=moment,
                                 input_number=input_number)
    app.jinja_env.globals["TARGET_MEASURE_HELP"] = TARGET_MEASURE_HELP

    @app.context_processor
    def _languages() -> dict[str, Any]:
        return {"languages": LANGUAGE_NAMES, "current_locale": str(get_locale() or "en")}
