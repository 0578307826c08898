"""The roadmap's timeline as a Plotly figure: horizontal bars from start to end (critical
ones in red), one row per initiative in the order given, over translucent phase bands;
clicking a bar opens the initiative. The hover text gives the dates in the reader's language
(Babel's medium format: `Mar 3, 2027`, `3 mars 2027`); the axis and shapes keep ISO dates,
which Plotly reads."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any, Protocol

from babel.dates import format_date

from tracker.adapters.charts.figures import CRITICAL, INITIATIVE, Legend, layout, text
from tracker.adapters.charts.numbers import chart_locale

PHASE_FILLS = ("rgba(31,95,191,0.07)", "rgba(21,128,61,0.07)", "rgba(194,65,12,0.07)")
#: Row labels keep this many characters of the title.
ROW_TITLE = 40


class Bar(Protocol):
    """What the timeline reads of a roadmap entry (`end` is exclusive)."""

    @property
    def initiative_id(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def start(self) -> date: ...
    @property
    def end(self) -> date: ...
    @property
    def slack_weeks(self) -> float: ...
    @property
    def critical(self) -> bool: ...


class Band(Protocol):
    """What the timeline reads of a phase."""

    @property
    def name(self) -> str: ...
    @property
    def start(self) -> date: ...
    @property
    def end(self) -> date: ...


def timeline(entries: Sequence[Bar], phases: Sequence[Band], legend: Legend,
             slack: Callable[[float], str], link: Callable[[int], str]) -> dict[str, Any]:
    """The figure of `entries` over `phases`; `slack` words an entry's slack in weeks for
    its hover text and `link` gives the path of an initiative's page from its id."""
    rows = [text(f"{e.title[:ROW_TITLE]}{'…' if len(e.title) > ROW_TITLE else ''}"
                 f" · #{e.initiative_id}") for e in entries]
    data = []
    for critical in (False, True):
        chosen = [(row, e) for row, e in zip(rows, entries, strict=True)
                  if e.critical == critical]
        if chosen:
            data.append(_bars(chosen, critical, legend, slack, link))
    return {"data": data, "layout": layout(
        barmode="overlay", height=max(360, 28 * len(entries) + 140),
        legend={"orientation": "h", "y": -0.08}, margin={"l": 20, "r": 20, "t": 40, "b": 40},
        shapes=[_band(index, phase) for index, phase in enumerate(phases)],
        annotations=[_band_name(phase) for phase in phases], xaxis={"type": "date"},
        yaxis={"autorange": "reversed", "automargin": True, "categoryorder": "array",
               "categoryarray": rows})}


def _bars(chosen: Sequence[tuple[str, Bar]], critical: bool, legend: Legend,
          slack: Callable[[float], str], link: Callable[[int], str]) -> dict[str, Any]:
    """The bars of the critical path's initiatives, or of the others, on their rows."""
    return {"type": "bar", "orientation": "h",
            "name": text(legend.critical if critical else legend.initiative),
            "y": [row for row, _e in chosen],
            "base": [e.start.isoformat() for _r, e in chosen],
            "x": [_millis(e.start, e.end) for _r, e in chosen],
            "customdata": [link(e.initiative_id) for _r, e in chosen],
            "text": [text(f"{e.title} — {hover_date(e.start)} → "
                          f"{hover_date(e.end - timedelta(days=1))} · "
                          + slack(e.slack_weeks)) for _r, e in chosen],
            "textposition": "none", "hovertemplate": "%{text}<extra></extra>",
            "marker": {"color": CRITICAL if critical else INITIATIVE}}


def hover_date(day: date, locale: str | None = None) -> str:
    """A date as the hover text writes it, in `locale` (else the request's, else English).

    >>> hover_date(date(2027, 3, 3), "fr"), hover_date(date(2027, 3, 3), "en")
    ('3 mars 2027', 'Mar 3, 2027')
    """
    return format_date(day, format="medium", locale=chart_locale(locale))


def _band(index: int, phase: Band) -> dict[str, Any]:
    """A phase as a translucent band across the plot, the fills taken in turn."""
    return {"type": "rect", "xref": "x", "yref": "paper", "x0": phase.start.isoformat(),
            "x1": phase.end.isoformat(), "y0": 0, "y1": 1,
            "fillcolor": PHASE_FILLS[index % len(PHASE_FILLS)], "line": {"width": 0},
            "layer": "below"}


def _band_name(phase: Band) -> dict[str, Any]:
    """A phase's name above the plot, where its band starts."""
    return {"x": phase.start.isoformat(), "y": 1.0, "xref": "x", "yref": "paper",
            "xanchor": "left", "yanchor": "bottom", "showarrow": False,
            "font": {"size": 11, "color": "#4f586a"}, "text": text(phase.name)}


def _millis(start: date, end: date) -> int:
    """A bar's length on a date axis, in milliseconds."""
    return (end - start).days * 86_400_000
