"""Roadmap page: the plan as a Gantt-like timeline by phase, with start date and capacity
controls, a baseline comparison and a what-if that saves nothing.

Dates, waves, slack, the critical path, slips and the what-if come from
`tracker.services.plan.roadmap`; this view only reads the GET form and hands the plan, with
translated labels and page links, to `tracker.adapters.charts.gantt`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required
from marshmallow import ValidationError

from tracker.adapters.charts import fan, gantt
from tracker.adapters.charts.figures import Legend
from tracker.domain.errors import TrackerError
from tracker.domain.roadmap import OwnerLoad, week_date
from tracker.schemas.plan import PlanArgsSchema
from tracker.schemas.tenancy import PLAN_SETTINGS, OrganizationSchema
from tracker.schemas.trend import ForecastArgsSchema
from tracker.services.plan import forecast, roadmap, trajectory
from tracker.services.tenancy import feeds, organizations
from tracker.web.base import bp, org_page
from tracker.web.decide.backlog import initiative_link
from tracker.web.forms import form_float, form_numbers
from tracker.web.i18n import day, number
from tracker.web.labels import PLAN_SETTING_LABELS, UNPLANNED_REASON_LABELS

#: The query arguments a plan is computed with.
PLAN_ARGS = ("start", "capacity", "points")

#: The forecast form's fields; the forecast is computed only when the form is sent
#: (`forecast=1`), so the roadmap page costs no Monte Carlo runs by default.
FORECAST_ARGS = ("runs", "seed", "level", "by")
#: The forecast's initiatives listed on the page (latest P85 end first); the API gives all.
FORECAST_ROWS = 10
#: What a refused forecast field says, naming the field and what it takes.
FORECAST_FIELD_ERRORS = {
    "runs": _l("Runs: give a whole number from 1 to %(most)s.", most=forecast.MAX_RUNS),
    "seed": _l("Seed: give a whole number from 0 to %(most)s.", most=2 ** 31 - 1),
    "level": _l("Overall score to reach: give a number, such as 3.5 or 3,5."),
    "by": _l("By: give a date, such as 2027-12-31."),
}
#: The member's calendar feeds listed on the page (newest first); `GET /me/feeds` pages all.
FEED_ROWS = 20

#: How each slip status of a baseline comparison reads
#: (`services.plan.baselines.SLIP_STATUSES`).
SLIP_STATUS_LABELS = {"late": _l("late"), "early": _l("early"), "on_time": _l("on time"),
                      "added": _l("added since"), "removed": _l("removed since"),
                      "unplanned": _l("left out of the plan now")}


@bp.get("/orgs/<int:org_id>/roadmap", endpoint="roadmap")
@login_required
def roadmap_page(org_id: int) -> Any:
    """The timeline under the chosen start and capacity, with what it leaves out and why;
    a baseline's slips and a what-if when asked for."""
    return render_roadmap(org_page(org_id))


def render_roadmap(org: Any, status: int = 200,
                   new_baseline: Mapping[str, Any] | None = None,
                   new_feed: Mapping[str, Any] | None = None) -> tuple[str, int]:
    """The roadmap page from the query's arguments, with the save-a-baseline form's name
    and errors when a save was refused, and a calendar feed just created (its address,
    shown once) or refused (its errors)."""
    g.active_nav = "roadmap"
    form = {key: request.args.get(key, "").strip() for key in
            (*PLAN_ARGS, "baseline", "delay_id", "delay_weeks", "drop_id", "new_capacity")}
    errors: dict[str, list[str]] = {}
    try:
        args = PlanArgsSchema().load({k: form[k] for k in PLAN_ARGS if form[k]})
    except ValidationError as invalid:
        args, errors = {}, {k: list(v) for k, v in invalid.messages_dict.items()}
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
    projection = _forecast(org, args) if plan and plan.initiatives else None
    if projection and projection["errors"]:
        status = 422
    return render_template(
        "plan/roadmap.html", org=org, plan=plan, error=error, errors=errors, form=form,
        baselines=baselines, comparison=comparison, what_if=what_if, figure=figure,
        start=params.start_for(org), params=params, plan_in_use=_plan_in_use(org),
        reason_labels=UNPLANNED_REASON_LABELS, status_labels=SLIP_STATUS_LABELS,
        new_baseline=new_baseline or {"name": "", "errors": {}},
        downloads=_downloads(org, params), projection=projection,
        owner_table=owner_table(plan.owner_load if plan else []),
        subscribe=_subscribe(org, new_feed)), status


def _subscribe(org: Any, new_feed: Mapping[str, Any] | None) -> dict[str, Any]:
    """The subscribe block: the signed-in member's newest feeds of this roadmap, and the
    one just created or refused."""
    mine = feeds.feeds_page(current_user, 1, FEED_ROWS, org.id)
    return {"feeds": mine.items, "total": mine.total,
            "new": new_feed or {"name": "", "errors": {}}}


def _forecast(org: Any, plan_args: Mapping[str, Any]) -> dict[str, Any]:
    """The forecast section: its form as typed (defaults `forecast.PAGE_RUNS` runs, seed 0)
    and, once the form is sent, the forecast of the plan shown, the histogram of its end,
    its fan of end dates and the latest initiatives; or the form's errors beside their
    fields, each naming its field."""
    typed = {key: request.args.get(key, "").strip() for key in FORECAST_ARGS}
    form = {**typed, "runs": typed["runs"] or str(forecast.PAGE_RUNS),
            "seed": typed["seed"] or "0"}
    section: dict[str, Any] = {"form": form, "errors": {}, "answer": None}
    if request.args.get("forecast") != "1":
        return section
    errors: dict[str, list[str]] = {}
    if bool(typed["level"]) != bool(typed["by"]):
        missing = "by" if typed["level"] else "level"
        errors[missing] = [_("Give both an overall score to reach and a date (by) to know "
                             "the chance of reaching it, or neither.")]
    try:
        args = ForecastArgsSchema().load({**plan_args, **form_numbers(
            {k: v for k, v in form.items() if v}, ("level",))})
    except ValidationError as invalid:
        args = {}
        for key, messages in invalid.normalized_messages().items():
            if key in FORECAST_FIELD_ERRORS:
                errors[key] = [str(FORECAST_FIELD_ERRORS[key])]
            else:
                errors.setdefault("", []).extend(messages)
    if errors:
        section["errors"] = errors
        return section
    target = forecast.Target(args["level"], args["by"]) if args.get("by") else None
    try:
        answer = forecast.roadmap_forecast(org, roadmap.PlanParams.from_args(args),
                                           runs=args["runs"], seed=args["seed"], target=target)
    except TrackerError as failure:
        section["errors"] = {key if key in FORECAST_ARGS else "": list(lines) for key, lines
                             in (failure.errors or {"": [failure.detail]}).items()}
        return section
    section.update(answer=answer, **_forecast_charts(org.id, answer),
                   api=url_for("roadmap.ForecastView", org_id=org.id,
                               **{k: v.isoformat() if hasattr(v, "isoformat") else v
                                  for k, v in args.items() if v is not None}))
    return section


def _forecast_charts(org_id: int, answer: Mapping[str, Any]) -> dict[str, Any]:
    """The forecast's latest initiatives (`rows`), their fan of end dates (`figure`), the
    makespan's histogram (`histogram`) and its bars with their last day (`bars`), and
    the plan's end without uncertainty (`deterministic_end`)."""
    latest = sorted(answer["initiatives"], key=lambda r: (r["end_p85"], r["end_p50"]),
                    reverse=True)[:FORECAST_ROWS]
    end = _deterministic_end(answer)
    percentiles = {"p50": _("Makespan P50"), "p85": _("Makespan P85"),
                   "p95": _("Makespan P95")}
    bars = [{**bar, "last": bar["end"] - timedelta(days=1)} for bar in answer["histogram"]]
    return {
        "rows": latest, "bars": bars, "deterministic_end": end,
        "figure": fan.end_fan(latest, answer["makespan_dates"], end, fan.FanLabels(
            _("P50 → P85 end"), _("Plan without uncertainty"), percentiles),
            initiative_link(org_id)) if latest else None,
        "histogram": fan.makespan_histogram(bars, answer["makespan_dates"], end, fan.FanLabels(
            _("Runs"), _("Plan without uncertainty"), percentiles), _histogram_bar)
        if bars else None}


def _histogram_bar(bar: Mapping[str, Any]) -> str:
    """A histogram bar's hover text: its runs and the days they end on."""
    return ngettext("%(num)d run ends from %(start)s to %(last)s",
                    "%(num)d runs end from %(start)s to %(last)s", bar["runs"],
                    start=day(bar["start"]), last=day(bar["last"]))


def _deterministic_end(answer: Mapping[str, Any]) -> Any:
    """The date the plan ends without uncertainty, on the forecast's week scale."""
    return week_date(answer["start"], answer["deterministic_makespan_weeks"])


def owner_table(rows: Sequence[OwnerLoad]) -> dict[str, Any]:
    """The owner load as a table: the phases as columns (name, length in weeks) and one row
    per owner with a cell per phase, in the order of `rows` (phase by phase, owners by
    name)."""
    cells: dict[str, list[OwnerLoad]] = {}
    for row in rows:
        cells.setdefault(row.owner, []).append(row)
    first = next(iter(cells.values()), [])
    return {"phases": [{"name": cell.phase, "weeks": cell.phase_weeks} for cell in first],
            "rows": [{"owner": owner, "cells": line} for owner, line in cells.items()]}


def _downloads(org: Any, params: roadmap.PlanParams) -> dict[str, str]:
    """The addresses of the roadmap's files under the plan shown: CSV, Excel and iCalendar
    of the roadmap, GraphML of its dependency graph (the API's, which a signed-in browser may
    read)."""
    plan_args: dict[str, Any] = {"start": params.start_for(org).isoformat(),
                                 "capacity": params.capacity, "points": params.points}
    return {"csv": url_for("roadmap.RoadmapCsv", org_id=org.id, **plan_args),
            "xlsx": url_for("roadmap.RoadmapXlsx", org_id=org.id, **plan_args),
            "ics": url_for("roadmap.RoadmapIcs", org_id=org.id, **plan_args),
            "graphml": url_for("roadmap.DependencyGraph", org_id=org.id, format="graphml")}


def _plan_in_use(org: Any) -> dict[str, Any]:
    """The plan the trajectory, the barometer and the report use, as they describe it."""
    choice = trajectory.plan_in_use(org)
    return choice.describe(choice.params.start_for(org))


@bp.post("/orgs/<int:org_id>/roadmap/plan", endpoint="roadmap_use_plan")
@login_required
def use_as_plan(org_id: int) -> Any:
    """Save the start and capacity shown as the organization's plan (ops and leads), then
    show the roadmap under it again."""
    org = org_page(org_id, "ops")
    try:
        changes = OrganizationSchema(only=PLAN_SETTINGS).load(
            form_numbers({key: request.form.get(key) or None for key in PLAN_SETTINGS},
                         ("plan_points",)))
    except ValidationError as invalid:
        flash(_("The plan was not saved: %(reason)s", reason="; ".join(
            f"{PLAN_SETTING_LABELS[key]}: {' '.join(messages)}" for key, messages
            in invalid.normalized_messages().items())), "error")
        return redirect(url_for("web.roadmap", org_id=org_id), code=303)
    organizations.update_organization(org, changes)
    flash(_("Saved as the plan: the trajectory, the barometer and the report use it."), "ok")
    return redirect(url_for("web.roadmap", org_id=org_id, start=changes["plan_start"],
                            capacity=changes["plan_capacity"], points=changes["plan_points"]),
                    code=303)


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
            data["delay"] = {int(form["delay_id"]): form_float(form["delay_weeks"])}
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
    """The timeline of the plan's initiatives in start order over its phases."""
    return gantt.timeline(plan.initiatives, plan.phases,
                          Legend(_("initiative"), _("critical path")), _slack,
                          initiative_link(org_id))


def _slack(weeks: float) -> str:
    """An initiative's slack, in weeks, as the bar's hover text says it."""
    return _("slack %(weeks)s w", weeks=number(weeks, 2))
