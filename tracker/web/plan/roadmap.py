"""Roadmap page: the plan as a Gantt-like timeline by phase, with start date and capacity
controls, a baseline comparison and a what-if that saves nothing.

Dates, waves, slack, the critical path, slips and the what-if come from
`tracker.services.roadmap`; this view only reads the GET form and draws the figure.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import g, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from marshmallow import ValidationError

from tracker.adapters.charts import figures
from tracker.domain.errors import TrackerError
from tracker.schemas.plan import PlanArgsSchema
from tracker.services.plan import roadmap
from tracker.web.base import bp, org_page

PHASE_FILLS = ("rgba(31,95,191,0.07)", "rgba(21,128,61,0.07)", "rgba(194,65,12,0.07)")


@bp.get("/orgs/<int:org_id>/roadmap", endpoint="roadmap")
@login_required
def roadmap_page(org_id: int) -> Any:
    """The timeline under the chosen start and capacity; a baseline's slips and a what-if
    when asked for."""
    org = org_page(org_id)
    g.active_nav = "roadmap"
    form = {key: request.args.get(key, "").strip() for key in
            ("start", "capacity", "points", "baseline", "delay_id", "delay_weeks", "drop_id",
             "new_capacity")}
    errors: dict[str, list[str]] = {}
    try:
        args = PlanArgsSchema().load({k: form[k] for k in ("start", "capacity", "points")
                                      if form[k]})
    except ValidationError as invalid:
        args, errors = {}, {k: list(v) for k, v in invalid.messages.items()}
    params = roadmap.PlanParams.from_args(args)
    plan, error = None, None
    try:
        plan = roadmap.get_roadmap(org, params)
    except TrackerError as failure:
        error = failure
    baselines = roadmap.list_baselines(org, 1, 100).items
    comparison = _comparison(org, form["baseline"], params) if plan else None
    what_if = _what_if(org, form, args) if plan else None
    figure = _gantt(org.id, plan) if plan and plan.initiatives else None
    return render_template(
        "plan/roadmap.html", org=org, plan=plan, error=error, errors=errors, form=form,
        baselines=baselines, comparison=comparison, what_if=what_if, figure=figure,
        start=params.start_for(org))


def _comparison(org: Any, baseline: str, params: roadmap.PlanParams) -> dict[str, Any] | None:
    """Slips against the chosen baseline (none chosen: nothing)."""
    if not baseline.isdigit():
        return None
    try:
        return roadmap.compare_baseline(org, int(baseline), params)
    except TrackerError as failure:
        return {"error": failure.detail, "items": []}


def _what_if(org: Any, form: dict[str, str], args: dict[str, Any]) -> dict[str, Any] | None:
    """The what-if of the form's changes (none given: nothing), never saved."""
    data: dict[str, Any] = dict(args)
    try:
        if form["delay_id"] and form["delay_weeks"]:
            data["delay"] = {int(form["delay_id"]): float(form["delay_weeks"].replace(",", "."))}
        if form["drop_id"]:
            data["drop"] = [int(form["drop_id"])]
        if form["new_capacity"]:
            data["new_capacity"] = int(form["new_capacity"])
    except ValueError:
        return {"error": _("Enter whole numbers of initiatives and a number of weeks.")}
    if not {"delay", "drop", "new_capacity"} & set(data):
        return None
    if data.get("new_capacity", 1) < 1 or any(w < 0 for w in data.get("delay", {}).values()):
        return {"error": _("Enter whole numbers of initiatives and a number of weeks.")}
    try:
        return roadmap.what_if(org, data)
    except TrackerError as failure:
        return {"error": failure.detail,
                "details": [m for messages in failure.errors.values() for m in messages]}


def _gantt(org_id: int, plan: roadmap.Roadmap) -> dict[str, Any]:
    """Horizontal bars from start to end (critical ones in red), one row per initiative in
    start order, over translucent phase bands; clicking a bar opens the initiative."""
    entries = plan.initiatives
    rows = [figures.text(f"{e.title[:40]}{'…' if len(e.title) > 40 else ''} · #{e.initiative_id}")
            for e in entries]
    data = []
    for critical in (False, True):
        chosen = [(row, e) for row, e in zip(rows, entries, strict=True)
                  if e.critical == critical]
        if not chosen:
            continue
        data.append({
            "type": "bar", "orientation": "h",
            "name": figures.text(_("critical path") if critical else _("initiative")),
            "y": [row for row, _e in chosen],
            "base": [e.start.isoformat() for _r, e in chosen],
            "x": [_millis(e.start, e.end) for _r, e in chosen],
            "customdata": [url_for("web.initiative", org_id=org_id,
                                   initiative_id=e.initiative_id) for _r, e in chosen],
            "text": [figures.text(f"{e.title} — {e.start.isoformat()} → "
                                 f"{(e.end - timedelta(days=1)).isoformat()} · "
                                 + _("slack %(weeks)s w", weeks=f"{e.slack_weeks:g}"))
                     for _r, e in chosen],
            "textposition": "none", "hovertemplate": "%{text}<extra></extra>",
            "marker": {"color": "#b91c1c" if critical else "#1f5fbf"}})
    shapes, annotations = [], []
    for index, phase in enumerate(plan.phases):
        shapes.append({"type": "rect", "xref": "x", "yref": "paper",
                       "x0": phase.start.isoformat(), "x1": phase.end.isoformat(), "y0": 0,
                       "y1": 1, "fillcolor": PHASE_FILLS[index % len(PHASE_FILLS)],
                       "line": {"width": 0}, "layer": "below"})
        annotations.append({"x": phase.start.isoformat(), "y": 1.0, "xref": "x",
                            "yref": "paper", "xanchor": "left", "yanchor": "bottom",
                            "showarrow": False, "font": {"size": 11, "color": "#4f586a"},
                            "text": figures.text(phase.name)})
    return {"data": data, "layout": {
        "font": figures.FONT, "paper_bgcolor": "rgba(0,0,0,0)", "barmode": "overlay",
        "height": max(360, 28 * len(entries) + 140), "legend": {"orientation": "h", "y": -0.08},
        "margin": {"l": 20, "r": 20, "t": 40, "b": 40}, "shapes": shapes,
        "annotations": annotations, "xaxis": {"type": "date"},
        "yaxis": {"autorange": "reversed", "automargin": True,
                  "categoryorder": "array", "categoryarray": rows}}}


def _millis(start: date, end: date) -> int:
    """A bar's length on a date axis, in milliseconds."""
    return (end - start).days * 86_400_000
