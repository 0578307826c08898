"""Roadmap page: the plan as a Gantt-like timeline by phase, with start date and capacity
controls, a baseline comparison and a what-if that saves nothing.

Dates, waves, slack, the critical path, slips and the what-if come from
`tracker.services.plan.roadmap`; this view only reads the GET form and hands the plan, with
translated labels and page links, to `tracker.adapters.charts.gantt`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
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
from tracker.domain.roadmap import week_date
from tracker.schemas.plan import PlanArgsSchema
from tracker.schemas.tenancy import PLAN_SETTINGS, OrganizationSchema
from tracker.schemas.trend import ForecastArgsSchema
from tracker.services.pagination import page_args, page_of
from tracker.services.plan import forecast, listing, owner_load, roadmap, trajectory
from tracker.services.tenancy import feeds, organizations
from tracker.web.base import bp, org_page
from tracker.web.decide.backlog import initiative_link
from tracker.web.decide.pickers import pick_initiative
from tracker.web.forms import form_float, form_numbers
from tracker.web.i18n import day, number
from tracker.web.labels import (
    INITIATIVE_STATUS_LABELS,
    PLAN_SETTING_LABELS,
    UNPLANNED_REASON_LABELS,
)

#: The query arguments a plan is computed with.
PLAN_ARGS = ("start", "capacity", "points")
#: The timeline table's filters and sort (`listing.TableQuery`).
TABLE_ARGS = ("q", "status", "critical", "phase", "sort", "dir")
#: The what-if form's fields.
WHAT_IF_ARGS = ("delay_id", "delay_weeks", "drop_id", "new_capacity")
#: Every argument the page's links and forms keep (each list's page too), not the
#: forecast's: a link never runs a forecast again.
KEPT_ARGS = (*PLAN_ARGS, *TABLE_ARGS, "page", "per_page", "baseline", "slip_status",
             "slips_page", *WHAT_IF_ARGS, "moved_page", "owners_page", "unplanned_page")
#: Rows of the page's smaller lists (slips, moves, owners, left out) per page.
LIST_ROWS = 25
#: How each sort of the timeline table reads.
SORT_LABELS = {"start": _l("Start"), "end": _l("End"), "slack": _l("Slack"),
               "priority": _l("Priority")}

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
    form = {key: request.args.get(key, "").strip() for key in KEPT_ARGS}
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
    link = _linker(org.id, form)
    sections: dict[str, Any] = {}
    if plan is not None:
        sections = _sections(org, plan, params, args, form, link)
        if sections["projection"] and sections["projection"]["errors"]:
            status = 422
    return render_template(
        "plan/roadmap.html", org=org, plan=plan, error=error, errors=errors, form=form,
        baselines=roadmap.list_baselines(org, 1, 100).items, start=params.start_for(org),
        params=params, plan_in_use=_plan_in_use(org), reason_labels=UNPLANNED_REASON_LABELS,
        status_labels=SLIP_STATUS_LABELS, initiative_statuses=INITIATIVE_STATUS_LABELS,
        sort_labels=SORT_LABELS, kept=KEPT_ARGS, link=link,
        new_baseline=new_baseline or {"name": "", "errors": {}},
        downloads=_downloads(org, params), subscribe=_subscribe(org, new_feed),
        **sections), status


def _sections(org: Any, plan: roadmap.Roadmap, params: roadmap.PlanParams,
              args: Mapping[str, Any], form: dict[str, str],
              link: Callable[..., str]) -> dict[str, Any]:
    """The page's sections under a plan: the timeline table's page and its chart, the
    owner load, the baseline comparison, the what-if, the forecast and what is left out,
    each bounded to a page."""
    table = _table(org, params, form)
    owners = owner_load.owner_table_of(org, params)
    return {
        "table": table, "facts": listing.table_facts(org, params),
        "figure": _gantt(org.id, plan, [row.entry for row in table["page"].items])
        if table["page"].items else None,
        "owner_table": {**owners, "page": page_of(
            owners["rows"], _number(form["owners_page"]), LIST_ROWS)},
        "comparison": _comparison(org, form, params),
        "what_if": _what_if(org, form, params),
        "projection": _forecast(org, args, len(plan.initiatives)) if plan.initiatives
        else None,
        "unplanned": _unplanned(org, params, plan, form),
        "link_status": lambda status: link(_anchor="baseline-title", slip_status=status,
                                           slips_page=None),
        "pages": {name: _page_link(link, name, anchor) for name, anchor in (
            ("page", "timeline"), ("owners_page", "owner-load"),
            ("slips_page", "baseline-title"), ("moved_page", "whatif-title"),
            ("unplanned_page", "unplanned"))}}


def _number(text: str) -> int:
    """A page number from the query (1 when blank or unreadable)."""
    return int(text) if text.isdigit() and len(text) < 7 and int(text) > 0 else 1


def _linker(org_id: int, form: Mapping[str, str]) -> Callable[..., str]:
    """`link(**changes)`: the roadmap's address with the arguments shown, changed by
    `changes` (a blank or None value drops the argument; `_anchor` names a section)."""
    def link(_anchor: str | None = None, **changes: Any) -> str:
        kept = {key: value for key, value in {**form, **changes}.items()
                if value not in ("", None)}
        return url_for("web.roadmap", org_id=org_id, _anchor=_anchor, **kept)
    return link


def _page_link(link: Callable[..., str], name: str, anchor: str) -> Callable[[int], str]:
    """The address of page `n` of one of the page's lists."""
    return lambda n: link(_anchor=anchor, **{name: n})


def _table(org: Any, params: roadmap.PlanParams, form: dict[str, str]) -> dict[str, Any]:
    """The timeline table's query as read from the form (an unknown sort or status reads
    as none) and its page."""
    sort = form["sort"] if form["sort"] in listing.SORTS else "start"
    natural = listing.SORTS[sort]
    descending = {"desc": True, "asc": False}.get(form["dir"], natural)
    query = listing.TableQuery(text=form["q"][:200], status=form["status"],
                               critical=form["critical"] == "1", phase=form["phase"],
                               sort=sort, reverse=descending != natural)
    number, per_page = page_args({"page": form["page"], "per_page": form["per_page"]})
    page = listing.table_page(org, params, query, number, per_page)
    return {"query": query, "page": page, "descending": descending,
            "filtered": bool(query.text or query.status or query.critical or query.phase)}


def _unplanned(org: Any, params: roadmap.PlanParams, plan: roadmap.Roadmap,
               form: dict[str, str]) -> dict[str, Any]:
    """A page of what the plan leaves out, with the titles of the prerequisites its
    entries wait on."""
    page = page_of(plan.unplanned, _number(form["unplanned_page"]), LIST_ROWS)
    network, _schedule = roadmap.plan(org, params)
    titles = {n: network.initiatives[n].title for entry in page.items
              for n in entry.prerequisite_ids if n in network.initiatives}
    return {"page": page, "titles": titles}


def _subscribe(org: Any, new_feed: Mapping[str, Any] | None) -> dict[str, Any]:
    """The subscribe block: the signed-in member's newest feeds of this roadmap, and the
    one just created or refused."""
    mine = feeds.feeds_page(current_user, 1, FEED_ROWS, org.id)
    return {"feeds": mine.items, "total": mine.total,
            "new": new_feed or {"name": "", "errors": {}}}


def _forecast(org: Any, plan_args: Mapping[str, Any], planned: int) -> dict[str, Any]:
    """The forecast section: its form as typed (defaults `forecast.PAGE_RUNS` runs, fewer
    for a plan too large for them (`forecast.page_runs`), seed 0) and, once the form is
    sent, the forecast of the plan shown, the histogram of its end, its fan of end dates
    and the latest initiatives; or the form's errors beside their fields, each naming its
    field."""
    typed = {key: request.args.get(key, "").strip() for key in FORECAST_ARGS}
    most = forecast.page_runs(planned)
    form = {**typed, "runs": typed["runs"] or str(min(forecast.PAGE_RUNS, most)),
            "seed": typed["seed"] or "0"}
    section: dict[str, Any] = {"form": form, "errors": {}, "answer": None, "most": most}
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
        answer = forecast.page_forecast(org, roadmap.PlanParams.from_args(args),
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


def _comparison(org: Any, form: dict[str, str],
                params: roadmap.PlanParams) -> dict[str, Any] | None:
    """Slips against the chosen baseline (none chosen: nothing): their counts by status
    and a page of them, of the status chosen."""
    if not form["baseline"].isdigit():
        return None
    try:
        found = listing.comparison(org, int(form["baseline"]), params)
    except TrackerError as failure:
        return {"error": failure.detail}
    status = form["slip_status"] if form["slip_status"] in SLIP_STATUS_LABELS else ""
    return {**found, "status": status, "page": listing.slips_page(
        found["items"], status, _number(form["slips_page"]), LIST_ROWS)}


def _what_if(org: Any, form: dict[str, str],
             params: roadmap.PlanParams) -> dict[str, Any] | None:
    """The what-if of the form's changes (none given: nothing), never saved: how many
    initiatives move and a page of them; or what is wrong, naming the field."""
    if not any(form[key] for key in WHAT_IF_ARGS):
        return None
    wrong = _("Enter whole numbers of initiatives and a number of weeks.")
    delay_id, delay_error = pick_initiative(org, form["delay_id"], _("Delay"), required=False)
    drop_id, drop_error = pick_initiative(org, form["drop_id"], _("Drop"), required=False)
    details = [e for e in (delay_error, drop_error) if e]
    try:
        weeks = form_float(form["delay_weeks"]) if form["delay_weeks"] else None
        capacity = int(form["new_capacity"]) if form["new_capacity"] else None
    except ValueError:
        return {"error": wrong, "details": details}
    if (capacity is not None and capacity < 1) or (weeks is not None and weeks < 0):
        return {"error": wrong, "details": details}
    if delay_id is not None and weeks is None:
        details.append(_("By (weeks): give how many weeks to delay it."))
    if details:
        return {"error": _("Some what-if changes are invalid."), "details": details}
    change = listing.Change(delay_id, weeks if delay_id is not None else None, drop_id,
                            capacity)
    if change == listing.Change():
        return None
    try:
        answer = listing.what_if(org, params, change)
    except TrackerError as failure:
        return {"error": failure.detail,
                "details": [m for messages in failure.errors.values() for m in messages]}
    return {**answer, "page": page_of(answer["moved"], _number(form["moved_page"]),
                                      LIST_ROWS)}


def _gantt(org_id: int, plan: roadmap.Roadmap,
           entries: list[roadmap.RoadmapEntry]) -> dict[str, Any]:
    """The timeline of `entries` (the table's page, in its order) over the plan's phases."""
    return gantt.timeline(entries, plan.phases,
                          Legend(_("initiative"), _("critical path")), _slack,
                          initiative_link(org_id))


def _slack(weeks: float) -> str:
    """An initiative's slack, in weeks, as the bar's hover text says it."""
    return _("slack %(weeks)s w", weeks=number(weeks, 2))
