"""The barometer email: HTML (tables and inline CSS, no scripts) and plain text, in
English or French, from a `Digest` computed once per organization and period.

Its words live in the app's Flask-Babel catalogue like every other page's: the templates
(`email/barometer.txt|html`, rendered by the app's Jinja environment) call `_()` and
`render` forces the reader's locale (it needs an application context). Its numbers are
formatted alike in every language, by the `mail_*` filters (`FILTERS`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l

from tracker.adapters.email.compose import bodies
from tracker.domain.constants import LOCALES

TREND_CID = "trend@tracker"
RADAR_CID = "radar@tracker"
#: An objective's status and a KPI's family, in the reader's words.
STATUS_NAMES = {"on_track": _l("on track"), "at_risk": _l("at risk"),
                "off_track": _l("off track"), "no_data": _l("no data")}
FAMILY_NAMES = {"adoption": _l("adoption"), "business": _l("business"),
                "quality": _l("quality"), "flow": _l("flow"), "planning": _l("planning"),
                "maturity": _l("maturity"), "people": _l("people"), None: _l("not classified")}


@dataclass(frozen=True)
class Move:
    code: str
    name: str
    score: float | None
    delta: float


@dataclass(frozen=True)
class AxisLine:
    """An axis's score with its 95 % margin, and its changes since the previous and the
    first assessment, the previous one's with the margin it must exceed and its verdict."""

    code: str
    name: str
    score: float | None
    delta_previous: float | None
    delta_first: float | None
    margin: float | None = None
    delta_previous_margin: float | None = None
    delta_previous_significant: bool | None = None


@dataclass(frozen=True)
class KpiLine:
    name: str
    unit: str
    current: float | None
    target: float | None
    gap: float | None
    family: str | None = None


@dataclass(frozen=True)
class ObjectiveLine:
    """An objective with its status and how many of its KPIs are on target."""

    title: str
    status: str
    kpis_on_target: int
    kpis_total: int
    horizon: date | None = None


@dataclass(frozen=True)
class Milestone:
    """An initiative (or phase) and the day it started, finished or is planned to finish."""

    title: str
    day: date


@dataclass(frozen=True)
class GapLine:
    """A dimension whose leaders–teams gap closes or widens: its latest gap and its change
    per quarter (negative when closing), its gap in each closed assessment (none where a
    group was too small) and the titles of the initiatives that target it."""

    name: str
    latest_gap: float
    change_per_quarter: float
    gaps: tuple[float | None, ...] = ()
    initiatives: tuple[str, ...] = ()


@dataclass(frozen=True)
class StallLine:
    """An initiative in progress beyond its limit: weeks in progress and the limit."""

    title: str
    weeks_in_progress: float
    limit_weeks: float


@dataclass(frozen=True)
class Digest:
    """Everything the barometer email shows, computed once per organization and period."""

    org_name: str
    period: str
    dashboard_url: str
    assessment_title: str | None = None
    overall: float | None = None
    delta_previous: float | None = None
    delta_first: float | None = None
    progress_to_target: float | None = None
    axes: list[AxisLine] = field(default_factory=list)
    moves_up: list[Move] = field(default_factory=list)
    moves_down: list[Move] = field(default_factory=list)
    kpis_off_target: list[KpiLine] = field(default_factory=list)
    has_charts: bool = False
    since: date | None = None
    finished: list[Milestone] = field(default_factory=list)
    started: list[Milestone] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    #: the objectives with their status (the email says so when there is none)
    objectives: list[ObjectiveLine] = field(default_factory=list)
    #: the overall score's 95 % margin, and the change's margin and verdict since the
    #: previous assessment (DESIGN section 3, "Significant change")
    overall_margin: float | None = None
    delta_previous_margin: float | None = None
    delta_previous_significant: bool | None = None
    #: the dimensions whose gap closes or widens the most, and the stalled initiatives
    alignment: list[GapLine] = field(default_factory=list)
    stalls: list[StallLine] = field(default_factory=list)


def number(value: float | None) -> str:
    """A score with two decimals, or an en dash when there is none.

    >>> number(2.4166), number(None)
    ('2.42', '–')
    """
    return "–" if value is None else f"{value:.2f}"


def delta(value: float | None) -> str:
    """A signed delta with an arrow: ▲ up, ▼ down, ► flat.

    >>> delta(0.25), delta(-1.0), delta(0.0), delta(None)
    ('▲ +0.25', '▼ -1.00', '► 0.00', '–')
    """
    if value is None:
        return "–"
    if abs(value) < 0.005:
        return "► 0.00"
    return f"▲ +{value:.2f}" if value > 0 else f"▼ {value:.2f}"


def signed(value: float | None) -> str:
    """A signed delta without an arrow.

    >>> signed(0.0833), signed(-0.5), signed(None)
    ('+0.08', '-0.50', '–')
    """
    return "–" if value is None else f"{value:+.2f}"


def percent(value: float | None) -> str:
    """A ratio as a percentage.

    >>> percent(0.3125), percent(None)
    ('31 %', '–')
    """
    return "–" if value is None else f"{value * 100:.0f} %"


def series(values: Sequence[float | None]) -> str:
    """Gaps in time order, joined by arrows.

    >>> series([2.2222, None, 1.6667])
    '2.22 → – → 1.67'
    """
    return " → ".join(number(value) for value in values)


#: The Jinja filters of the barometer templates, registered on the app's environment.
FILTERS: dict[str, Callable[..., str]] = {
    "mail_number": number, "mail_delta": delta, "mail_percent": percent,
    "mail_signed": signed, "mail_series": series}


def render(digest: Digest, locale: str) -> tuple[str, str, str]:
    """Subject, plain text and HTML of the barometer email in `locale` (en if unknown)."""
    lang = locale if locale in LOCALES else "en"
    context = {"d": digest, "lang": lang, "trend_cid": TREND_CID, "radar_cid": RADAR_CID,
               "statuses": STATUS_NAMES, "families": FAMILY_NAMES}
    with force_locale(lang):
        subject = gettext("%(org)s: maturity barometer %(period)s", org=digest.org_name,
                          period=digest.period)
        text, html = bodies("barometer", context)
    return subject, text, html
