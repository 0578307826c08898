"""The barometer email: HTML (tables and inline CSS, no scripts) and plain text, in
English or French, from a `Digest` computed once per organization and period."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

LOCALES: tuple[str, ...] = ("en", "fr")
TREND_CID = "trend@tracker"
RADAR_CID = "radar@tracker"

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "subject": "{org}: maturity barometer {period}",
        "title": "Maturity barometer",
        "overall": "Overall",
        "axis": "Axis",
        "score": "Score",
        "vs_previous": "vs previous",
        "vs_first": "vs first",
        "progress": "Progress to target",
        "moves_up": "Biggest moves up",
        "moves_down": "Biggest moves down",
        "kpis_off": "KPIs off target",
        "kpi": "KPI",
        "current": "Current",
        "target": "Target",
        "gap": "Gap",
        "none": "None.",
        "no_data": "No closed assessment yet.",
        "dashboard": "Open the dashboard",
        "trend": "Overall score over time",
        "radar": "Axis scores",
        "measured": "Measured in",
        "footer": "Scores are on the framework's scale; deltas compare with the previous "
                  "and the first closed assessment.",
        "finished": "Initiatives finished",
        "started": "Initiatives started",
        "milestones": "Next milestones",
        "since": "since",
    },
    "fr": {
        "subject": "{org} : baromètre de maturité {period}",
        "title": "Baromètre de maturité",
        "overall": "Global",
        "axis": "Axe",
        "score": "Score",
        "vs_previous": "vs précédent",
        "vs_first": "vs premier",
        "progress": "Progression vers la cible",
        "moves_up": "Plus fortes hausses",
        "moves_down": "Plus fortes baisses",
        "kpis_off": "Indicateurs hors cible",
        "kpi": "Indicateur",
        "current": "Actuel",
        "target": "Cible",
        "gap": "Écart",
        "none": "Aucun.",
        "no_data": "Aucune évaluation clôturée pour l'instant.",
        "dashboard": "Ouvrir le tableau de bord",
        "trend": "Score global dans le temps",
        "radar": "Scores par axe",
        "measured": "Mesuré lors de",
        "footer": "Les scores sont sur l'échelle de la grille ; les écarts comparent à "
                  "l'évaluation clôturée précédente et à la première.",
        "finished": "Initiatives terminées",
        "started": "Initiatives démarrées",
        "milestones": "Prochains jalons",
        "since": "depuis le",
    },
}


@dataclass(frozen=True)
class Move:
    code: str
    name: str
    score: float | None
    delta: float


@dataclass(frozen=True)
class AxisLine:
    code: str
    name: str
    score: float | None
    delta_previous: float | None
    delta_first: float | None


@dataclass(frozen=True)
class KpiLine:
    name: str
    unit: str
    current: float | None
    target: float | None
    gap: float | None


@dataclass(frozen=True)
class Milestone:
    """An initiative (or phase) and the day it started, finished or is planned to finish."""

    title: str
    day: date


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


def percent(value: float | None) -> str:
    """A ratio as a percentage.

    >>> percent(0.3125), percent(None)
    ('31 %', '–')
    """
    return "–" if value is None else f"{value * 100:.0f} %"


_ENV = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                   autoescape=select_autoescape(["html"]), trim_blocks=True,
                   lstrip_blocks=True)
_ENV.filters.update(number=number, delta=delta, percent=percent)


def render(digest: Digest, locale: str) -> tuple[str, str, str]:
    """Subject, plain text and HTML of the barometer email in `locale` (en if unknown)."""
    lang = locale if locale in LOCALES else "en"
    strings = STRINGS[lang]
    context = {"d": digest, "t": strings, "lang": lang, "trend_cid": TREND_CID,
               "radar_cid": RADAR_CID}
    subject = strings["subject"].format(org=digest.org_name, period=digest.period)
    return (subject, _ENV.get_template("barometer.txt").render(context),
            _ENV.get_template("barometer.html").render(context))
