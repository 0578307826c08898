"""The roadmap forecast's charts as Plotly figures, both with vertical lines at the plan's
deterministic end and at the makespan's P50, P85 and P95 dates: the fan of end dates (one
row per initiative, a bar from its P50 end to its P85 end, the later its P85 the lower the
row; clicking a bar opens the initiative) and the histogram of the makespan (how many runs
end in each bin of weeks). Hover texts give the dates in the reader's language."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, time
from typing import Any, NamedTuple

from tracker.adapters.charts.figures import CRITICAL, INITIATIVE, MUTED, layout, text
from tracker.adapters.charts.gantt import ROW_TITLE, hover_date

#: The makespan's percentiles drawn as lines, and their dashes.
LINES = (("p50", "dot"), ("p85", "dash"), ("p95", "longdash"))


class FanLabels(NamedTuple):
    """The translated words of a forecast chart: the bars' legend and each line's name."""

    spread: str
    deterministic: str
    percentiles: Mapping[str, str]


def end_fan(rows: Sequence[Mapping[str, Any]], makespan_dates: Mapping[str, date],
            deterministic_end: date, labels: FanLabels,
            link: Callable[[int], str]) -> dict[str, Any]:
    """The figure of the forecast's `rows` (`initiative_id`, `title`, `end_p50`, `end_p85`)
    in the order given, with the makespan's dates and the deterministic end as lines."""
    names = [text(f"{r['title'][:ROW_TITLE]}{'…' if len(r['title']) > ROW_TITLE else ''}"
                  f" · #{r['initiative_id']}") for r in rows]
    bars = {"type": "bar", "orientation": "h", "name": text(labels.spread), "y": names,
            "base": [r["end_p50"].isoformat() for r in rows],
            # a P50 equal to the P85 still shows: one day wide at least
            "x": [max(1, (r["end_p85"] - r["end_p50"]).days) * 86_400_000 for r in rows],
            "customdata": [link(r["initiative_id"]) for r in rows],
            "text": [text(f"{r['title']} — P50 {hover_date(r['end_p50'])} · "
                          f"P85 {hover_date(r['end_p85'])}") for r in rows],
            "textposition": "none", "hovertemplate": "%{text}<extra></extra>",
            "marker": {"color": INITIATIVE}}
    lines = _lines(labels, makespan_dates, deterministic_end,
                   [names[0], names[-1]] if names else [0, 1])
    return {"data": [bars, *lines], "layout": layout(
        barmode="overlay", height=max(320, 28 * len(rows) + 160),
        legend={"orientation": "h", "y": -0.12}, margin={"l": 20, "r": 20, "t": 20, "b": 40},
        xaxis={"type": "date"},
        yaxis={"autorange": "reversed", "automargin": True, "categoryorder": "array",
               "categoryarray": names})}



def makespan_histogram(bins: Sequence[Mapping[str, Any]], makespan_dates: Mapping[str, date],
                       deterministic_end: date, labels: FanLabels,
                       describe: Callable[[Mapping[str, Any]], str]) -> dict[str, Any]:
    """The figure of the makespan's `bins` (`start`, `end` exclusive, `runs`): one bar per
    bin over its dates, its hover text `describe(bin)`, and the lines of the makespan's
    dates and the deterministic end from the axis to the tallest bar."""
    tallest = max((b["runs"] for b in bins), default=1)
    bars = {"type": "bar", "name": text(labels.spread),
            "x": [_middle(b["start"], b["end"]) for b in bins], "y": [b["runs"] for b in bins],
            "width": [(b["end"] - b["start"]).days * 86_400_000 for b in bins],
            "text": [text(describe(b)) for b in bins], "textposition": "none",
            "hovertemplate": "%{text}<extra></extra>",
            "marker": {"color": INITIATIVE, "line": {"color": "#ffffff", "width": 1}}}
    lines = _lines(labels, makespan_dates, deterministic_end, [0, tallest])
    return {"data": [bars, *lines], "layout": layout(
        bargap=0, height=320, legend={"orientation": "h", "y": -0.2},
        margin={"l": 50, "r": 20, "t": 20, "b": 40}, xaxis={"type": "date"},
        yaxis={"rangemode": "tozero", "fixedrange": True})}


def _middle(start: date, end: date) -> str:
    """The instant halfway between two dates, where a bar over them is centred."""
    return (datetime.combine(start, time()) + (end - start) / 2).isoformat()


def _lines(labels: FanLabels, makespan_dates: Mapping[str, date], deterministic_end: date,
           span: list[Any]) -> list[dict[str, Any]]:
    """The vertical lines of a forecast chart over `span` (the y values they join): the
    deterministic end, then the makespan's P50, P85 and P95, each named with its date."""
    marks = [(labels.deterministic, deterministic_end, "solid", MUTED)] + [
        (labels.percentiles[name], makespan_dates[name], dash, CRITICAL)
        for name, dash in LINES]
    return [{"type": "scatter", "mode": "lines", "name": text(f"{word} · {hover_date(day)}"),
             "x": [day.isoformat(), day.isoformat()], "y": span,
             "line": {"color": color, "dash": dash, "width": 2}, "hoverinfo": "name"}
            for word, day, dash, color in marks]
