"""Backlog pages: the ranked backlog with its value/effort matrix, one initiative with its
traceability, pilots, dependencies and audit trail, its create and edit forms, and the
dependency graph laid out in waves.

Every number comes from the services (`backlog`, `initiatives`, `pilots`, `dependencies`,
`roadmap`); the views only filter and sort what the service ranked, and hand it with
translated labels and page links to the figure builders of `tracker.adapters.charts`.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import Response, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from marshmallow import ValidationError

from tracker.adapters.charts import matrix, network
from tracker.adapters.charts.figures import Legend
from tracker.domain.errors import Conflict, DependencyCycle, StaleVersion, TrackerError
from tracker.domain.graph import build_graph, waves
from tracker.domain.prioritization import CLASSES, INPUT_FIELDS, METHODS, QUADRANTS
from tracker.models.backlog import INITIATIVE_STATUSES, PILOT_DECISIONS, PILOT_STATUSES
from tracker.schemas.decide import DependencySchema, InitiativeSchema
from tracker.services.decide import archive, backlog, dependencies, initiatives, trail
from tracker.services.diagnose import findings, root_causes
from tracker.services.pagination import DEFAULT_PER_PAGE, page_args, page_of
from tracker.services.plan import forecast, roadmap
from tracker.services.tenancy import organizations
from tracker.web.audit_words import event_lines
from tracker.web.base import bp, org_page
from tracker.web.decide.pickers import pick_initiative
from tracker.web.decide.pilot_section import pilot_context
from tracker.web.forms import form_float, form_numbers, number_errors
from tracker.web.labels import (
    BACKLOG_LABELS,
    FIELD_LABELS,
    FINDING_KINDS,
    INPUT_HINTS,
    QUADRANT_LABELS,
    UNPLANNED_REASON_LABELS,
)

#: The plain fields of the create and edit forms, in order.
FORM_FIELDS: tuple[str, ...] = ("title", "description", "status", "owner", "duration_weeks",
                                "load", *INPUT_FIELDS, "class_override", "pinned_start",
                                "actual_start", "actual_end", "external_key", "external_url")
#: The plain fields that hold a number.
NUMBER_FIELDS: tuple[str, ...] = ("duration_weeks", "load", *INPUT_FIELDS)
#: The three-point estimate's fields (optimistic, most likely, pessimistic weeks): all three
#: given, or all three blank to clear the estimate (the API's `estimate`).
ESTIMATE_FIELDS: tuple[str, ...] = initiatives.ESTIMATE_FIELDS
#: The relations the forms edit too: linked findings and expected uplifts.
RELATION_FIELDS: tuple[str, ...] = ("finding_ids", "uplifts")
#: Blank uplift rows offered below the initiative's own, and added by "Add a row" without
#: JavaScript (with it, the page shows one at a time: static/js/uplifts.js).
BLANK_UPLIFT_ROWS = 3
#: Levels of prerequisites and dependents the dependencies page shows around its focus.
FOCUS_LEVELS = 2
#: Initiatives the critical chain's chart draws at most (the list beside it has them all).
CHART_NODES = 40
#: Initiatives left out of the plan that the dependencies page lists (it counts them all).
UNPLANNED_SHOWN = 20
#: Sortable columns of the backlog table and the item attribute each sorts by.
SORT_KEYS = {"rank": "rank", "title": "title", "status": "status", "value": "value",
             "effort": "effort", "score": "score", "priority": "effective_priority",
             "class": "class_", "quadrant": "quadrant"}


@bp.get("/orgs/<int:org_id>/backlog", endpoint="backlog")
@login_required
def backlog_page(org_id: int) -> Any:
    """One page of the ranked backlog under the chosen method, filtered (status, class,
    quadrant, stalled, text in the title) and sorted as asked over the whole ranking: the
    initiatives still to do, unless the filter asks for the done and dropped ones too. The
    ranking comes from the service's cache; only the page shown is rendered, and the matrix
    draws the page's items beside the counts per quadrant of every match."""
    org = org_page(org_id)
    g.active_nav = "backlog"
    method = request.args.get("method") or org.default_method
    if method not in METHODS:
        method = org.default_method
    filters = _backlog_filters()
    sort = request.args.get("sort", "rank")
    descending = request.args.get("dir") == "desc"
    error = None
    try:
        ranked = backlog.ranked_backlog(org, method, include_done=filters["include_done"] or (
            filters["status"] in backlog.CLOSED_STATUSES))
    except TrackerError as failure:
        ranked, error = None, failure.detail
    items = ranked.items if ranked else []
    shown = _filtered(items, filters)
    if sort in SORT_KEYS:
        shown = _sorted(shown, SORT_KEYS[sort], descending)
    page = page_of(shown, *page_args(request.args))
    symptom_only = {row["initiative_id"]: row["untreated_root_causes"]
                    for row in root_causes.symptom_only_initiatives(org)}
    query: dict[str, Any] = {"method": method, "status": filters["status"] or None,
             "class": filters["class"] or None, "quadrant": filters["quadrant"] or None,
             "q": filters["q"] or None, "include_done": 1 if filters["include_done"] else None,
             "stalled": 1 if filters["stalled"] else None, "sort": sort,
             "dir": "desc" if descending else None,
             "per_page": page.per_page if page.per_page != DEFAULT_PER_PAGE else None}
    blocked = {n for item in page.items for n in item.blocked_by}
    return render_template(
        "decide/backlog.html", org=org, method=method, methods=METHODS, items=page.items,
        page=page, query=query, symptom_only=symptom_only, matched=len(shown),
        total=len(items), backlog=ranked, error=error, filters=filters, sort=sort,
        descending=descending,
        titles={n: ref.title for n, ref in dependencies.initiative_refs(org, blocked).items()},
        figure=_matrix(org_id, page.items, ranked) if page.items and ranked else None,
        quadrant_counts=Counter(item.quadrant for item in shown),
        page_url=lambda number: url_for("web.backlog", org_id=org.id, page=number, **query),
        labels=BACKLOG_LABELS, statuses=INITIATIVE_STATUSES, classes=CLASSES,
        quadrants=QUADRANTS)


def _backlog_filters() -> dict[str, Any]:
    """The backlog's filters from the query string (unknown codes are ignored)."""
    status = request.args.get("status", "")
    klass = request.args.get("class", "")
    quadrant = request.args.get("quadrant", "")
    return {"status": status if status in INITIATIVE_STATUSES else "",
            "class": klass if klass in CLASSES else "",
            "quadrant": quadrant if quadrant in QUADRANTS else "",
            "q": request.args.get("q", "").strip()[:200], "include_done": _include_done(),
            "stalled": request.args.get("stalled", "") in ("1", "on", "true")}


def _filtered(items: list[backlog.BacklogItem],
              filters: dict[str, Any]) -> list[backlog.BacklogItem]:
    """The items matching every filter given (the text in the title, any case)."""
    text = filters["q"].casefold()
    return [item for item in items
            if (not filters["status"] or item.status == filters["status"])
            and (not filters["class"] or item.class_ == filters["class"])
            and (not filters["quadrant"] or item.quadrant == filters["quadrant"])
            and (not filters["stalled"] or item.stalled)
            and (not text or text in item.title.casefold())]


@bp.get("/orgs/<int:org_id>/backlog.csv", endpoint="backlog_csv")
@login_required
def backlog_csv(org_id: int) -> Response:
    """The whole ranked backlog as a CSV download."""
    org = org_page(org_id)
    method = request.args.get("method") or None
    return Response(backlog.backlog_csv(org, method, include_done=_include_done(),
                                        sep=request.args.get("sep")),
                    mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="backlog.csv"'})


@bp.route("/orgs/<int:org_id>/initiatives/new", methods=["GET", "POST"],
          endpoint="initiative_new")
@login_required
def initiative_new(org_id: int) -> Any:
    """Create an initiative; errors are shown next to their fields, all at once."""
    org = org_page(org_id, "ops")
    g.active_nav = "backlog"
    values: dict[str, Any] = {"status": "proposed", "finding_ids": [], "uplifts": []}
    errors: dict[str, list[str]] = {}
    if request.method == "POST" and _more_rows():
        return _form_page(org, None, _form_values(), errors)
    if request.method == "POST":
        values = _form_values()
        try:
            data = InitiativeSchema().load(_form_data(values))
            created = initiatives.create_initiative(org, current_user, data)
            return redirect(url_for("web.initiative", org_id=org.id,
                                    initiative_id=created.id), code=303)
        except ValidationError as invalid:
            errors = _all_errors(org, invalid, values, None)
        except TrackerError as failure:
            errors = _field_errors(failure.errors or {"": [failure.detail]})
    return _form_page(org, None, values, errors)


@bp.route("/orgs/<int:org_id>/initiatives/<int:initiative_id>/edit",
          methods=["GET", "POST"], endpoint="initiative_edit")
@login_required
def initiative_edit(org_id: int, initiative_id: int) -> Any:
    """Edit an initiative's fields; errors are shown next to their fields, all at once (the
    status offers the moves allowed from the current one). The form sends back the version
    it showed: when someone else saved the initiative meanwhile, nothing is saved and the
    form comes back with the submitted values, saying so (submitting again then saves them
    over the other change)."""
    org = org_page(org_id, "ops")
    g.active_nav = "backlog"
    initiative = initiatives.get_initiative(org, initiative_id)
    values = {name: getattr(initiative, name) for name in (*FORM_FIELDS, *ESTIMATE_FIELDS)}
    values.update(finding_ids=[str(i) for i in initiatives.finding_ids(initiative)],
                  uplifts=initiatives.uplifts(initiative))
    errors: dict[str, list[str]] = {}
    if request.method == "POST" and _more_rows():
        return _form_page(org, initiative, {**_form_values(), **_shown_version()}, errors)
    if request.method == "POST":
        values = {**_form_values(), **_shown_version()}
        try:
            changes = InitiativeSchema(partial=True).load({**_form_data(values),
                                                           **_shown_version()})
            initiatives.update_initiative(org, current_user, initiative_id, changes)
            return redirect(url_for("web.initiative", org_id=org.id,
                                    initiative_id=initiative_id), code=303)
        except ValidationError as invalid:
            errors = _all_errors(org, invalid, values, initiative)
        except StaleVersion as stale:
            values["version"] = stale.extra["current_version"]
            errors = {"": [_("Someone else saved this initiative while you were editing it. "
                             "Your changes are not saved: they are shown below. Submit again "
                             "to save them over the other changes, or go back to see the "
                             "initiative as it is now.")]}
        except TrackerError as failure:
            errors = _field_errors(failure.errors or {"": [failure.detail]})
    return _form_page(org, initiative, values, errors)


@bp.get("/orgs/<int:org_id>/initiatives/<int:initiative_id>", endpoint="initiative")
@login_required
def initiative_page(org_id: int, initiative_id: int) -> str:
    """One initiative: traceability, pilots, dependencies and audit trail."""
    return render_initiative(org_page(org_id), initiative_id)


@bp.post("/orgs/<int:org_id>/initiatives/<int:initiative_id>/archive",
         endpoint="initiative_archive")
@login_required
def initiative_archive(org_id: int, initiative_id: int) -> Any:
    """Archive the initiative (ops and above): out of the backlog and the plan, its history
    kept; back to its page, which offers to restore it."""
    org = org_page(org_id, "ops")
    return _after_lifecycle(org, initiative_id, archive.archive_initiative,
                            _("Initiative archived: it has left the backlog and the plan."),
                            _("This initiative is already archived."))


@bp.post("/orgs/<int:org_id>/initiatives/<int:initiative_id>/restore",
         endpoint="initiative_restore")
@login_required
def initiative_restore(org_id: int, initiative_id: int) -> Any:
    """Restore an archived initiative to the backlog and the plan (ops and above)."""
    org = org_page(org_id, "ops")
    return _after_lifecycle(org, initiative_id, archive.restore_initiative,
                            _("Initiative restored to the backlog and the plan."),
                            _("This initiative is not archived."))


def _after_lifecycle(org: Any, initiative_id: int, change: Callable[..., Any], done: str,
                     refused: str) -> Any:
    """Apply an archive or restore, then show the initiative again saying what happened
    (`refused` when it was already in the state asked: two tabs, a double click)."""
    try:
        change(org, current_user, initiative_id)
    except Conflict:
        flash(refused, "error")
    else:
        flash(done, "ok")
    return redirect(url_for("web.initiative", org_id=org.id, initiative_id=initiative_id),
                    code=303)


@bp.post("/orgs/<int:org_id>/initiatives/<int:initiative_id>/delete",
         endpoint="initiative_delete")
@login_required
def initiative_delete(org_id: int, initiative_id: int) -> Any:
    """Delete an initiative for good once the confirmation box is checked (ops and above);
    one with history is refused on its page, which says to archive it."""
    org = org_page(org_id, "ops")
    if not request.form.get("confirm"):
        return render_initiative(org, initiative_id, delete_error=_(
            "Check the box to confirm that the initiative is deleted for good.")), 422
    try:
        archive.delete_initiative(org, current_user, initiative_id)
    except Conflict:
        return render_initiative(org, initiative_id, delete_error=_(
            "This initiative has history, so it cannot be deleted: archive it instead.")), 409
    flash(_("Initiative deleted."), "ok")
    return redirect(url_for("web.backlog", org_id=org.id), code=303)


def render_initiative(org: Any, initiative_id: int, **forms: Any) -> str:
    """The initiative page; `forms` carries the pilot forms' values and errors when a
    submission is refused (`tracker.web.decide.pilots`), or why a delete was refused."""
    g.active_nav = "backlog"
    initiative = initiatives.get_initiative(org, initiative_id)
    around = dependencies.neighbourhood(org, initiative.id, levels=1)
    prerequisites = [ref for _level, ref in around.prerequisites]
    dependents = [ref for _level, ref in around.dependents]
    lines = event_lines(trail.initiative_trail(org, initiative.id), org.timezone,
                        {code: d.name for code, d in initiatives.usable_dimensions(org).items()})
    return render_template(
        "decide/initiative.html", org=org, initiative=initiative,
        findings=sorted(initiative.findings, key=lambda f: f.id),
        uplifts=sorted(initiative.uplifts, key=lambda u: u.dimension.code),
        prerequisites=prerequisites, dependents=dependents, more_links=around.truncated,
        trail=lines,
        backlog_item=_backlog_item(org, initiative), stall=_stall(org, initiative),
        spread=initiatives.spread(initiative), inputs=INPUT_FIELDS, labels=BACKLOG_LABELS,
        used=initiatives.effective_inputs(initiative), history=archive.history(org, initiative.id),
        delete_error=forms.get("delete_error"),
        pilot_statuses=PILOT_STATUSES, pilot_decisions=PILOT_DECISIONS,
        **pilot_context(org, initiative.id, forms))


@bp.route("/orgs/<int:org_id>/dependencies", methods=["GET", "POST"], endpoint="dependencies")
@login_required
def dependencies_page(org_id: int) -> Any:
    """Focused views of the dependency graph: the waves as counts, the critical chain with
    its duration and what the plan leaves out (all from the service's plan), one
    initiative's neighbourhood (`focus`, two levels each side) with a small chart, and a
    page of the dependency list (`q` filters on either end's title). A form adds a
    dependency, its two ends typed or picked; a cycle it would close is refused and shown in
    order."""
    org = org_page(org_id, "ops" if request.method == "POST" else "viewer")
    g.active_nav = "backlog"
    cycle: list[str] = []
    errors: dict[str, list[str]] = {}
    status = 200
    chosen = {"prerequisite_id": "", "dependent_id": ""}
    if request.method == "POST":
        chosen = {key: request.form.get(key, "").strip() for key in chosen}
        try:
            data = DependencySchema().load(_picked_ends(org, chosen))
            dependencies.add_dependency(org, current_user, data)
            return redirect(url_for("web.dependencies", org_id=org.id), code=303)
        except ValidationError as invalid:
            errors, status = _field_errors(invalid.messages), 422
        except DependencyCycle as refused:
            cycle, status = list(refused.extra.get("cycle_titles", [])), 409
        except TrackerError as failure:
            errors, status = _field_errors(failure.errors or {"": [failure.detail]}), \
                failure.status
    planned, no_plan = _plan_overview(org)
    text = request.args.get("q", "").strip()[:200]
    listed = dependencies.dependency_rows(org, *page_args(request.args), text=text)
    focus_text = request.args.get("focus", "").strip()
    focus_id, focus_error = pick_initiative(org, focus_text, _("Focus on"), required=False)
    around = dependencies.neighbourhood(org, focus_id, FOCUS_LEVELS) if focus_id else None
    critical = list(planned.critical_path["initiative_ids"]) if planned else []
    chain = dependencies.initiative_refs(org, critical)
    left_out = planned.unplanned if planned else []
    query: dict[str, Any] = {"q": text or None, "focus": focus_text or None,
             "per_page": listed.per_page if listed.per_page != DEFAULT_PER_PAGE else None}
    return render_template(
        "decide/dependencies.html", org=org, listed=listed, text=text, query=query,
        page_url=lambda number: url_for("web.dependencies", org_id=org.id, page=number,
                                        **query),
        waves=sorted(Counter(entry.wave + 1 for entry in planned.initiatives).items())
        if planned else [], planned_count=len(planned.initiatives) if planned else 0,
        critical=[chain[n] for n in critical if n in chain],
        critical_weeks=planned.critical_path.get("duration_weeks") if planned else None,
        around=around, focus_text=focus_text, focus_error=focus_error,
        figure=_focused_figure(org.id, around, critical, chain,
                               {u.initiative_id for u in left_out}),
        cycle=cycle, errors=errors, chosen=chosen, unplanned=left_out[:UNPLANNED_SHOWN],
        unplanned_count=len(left_out), no_plan=no_plan, reason_labels=UNPLANNED_REASON_LABELS,
        labels=BACKLOG_LABELS), status


@bp.post("/orgs/<int:org_id>/dependencies/<int:dependency_id>/delete",
         endpoint="dependency_delete")
@login_required
def dependency_delete(org_id: int, dependency_id: int) -> Any:
    """Remove a dependency (ops and above), then show the graph again."""
    org = org_page(org_id, "ops")
    dependencies.delete_dependency(org, current_user, dependency_id)
    flash(_("Dependency removed."), "ok")
    return redirect(url_for("web.dependencies", org_id=org.id), code=303)


def _include_done() -> bool:
    """Whether the query asks for the done and dropped initiatives too (`include_done`)."""
    return request.args.get("include_done", "") in ("1", "on", "true")


def _sorted(items: list[backlog.BacklogItem], key: str,
            descending: bool) -> list[backlog.BacklogItem]:
    """Items sorted by one attribute, missing values last whatever the direction."""
    present = [i for i in items if getattr(i, key) is not None]
    absent = [i for i in items if getattr(i, key) is None]
    return sorted(present, key=lambda i: getattr(i, key), reverse=descending) + absent


def _matrix(org_id: int, items: list[backlog.BacklogItem],
            ranked: backlog.Backlog) -> dict[str, Any] | None:
    """The value/effort matrix of the shown items, split at the whole backlog's medians."""
    labels = matrix.MatrixLabels(
        quadrants=QUADRANT_LABELS, unplaced=_("unplaced"), value=_("value"),
        effort=_("effort"), value_axis=_("Value"), effort_axis=_("Effort"))
    return matrix.value_effort(items, ranked.median_value, ranked.median_effort, labels,
                               initiative_link(org_id))


def _plan_overview(org: Any) -> tuple[roadmap.Roadmap | None, str | None]:
    """The roadmap the services plan by default (its waves, critical path and what it leaves
    out); when no plan can be made (pinned dates in conflict), none, and why."""
    try:
        return roadmap.get_roadmap(org, roadmap.PlanParams()), None
    except TrackerError as failure:
        return None, failure.detail


def _picked_ends(org: Any, chosen: dict[str, str]) -> dict[str, Any]:
    """The dependency's two ends as the schema's input, each read from its picker
    (`#123`, `123`, `#123 Title` or an exact title); a field naming no initiative or several
    is refused with its name."""
    data: dict[str, Any] = {}
    problems: dict[str, list[str]] = {}
    for field, label in (("prerequisite_id", _("Prerequisite")),
                         ("dependent_id", _("Dependent (waits for it)"))):
        found, error = pick_initiative(org, chosen[field], label)
        if error:
            problems[field] = [error]
        else:
            data[field] = found
    if problems:
        raise ValidationError(problems)
    return data


def _focused_figure(org_id: int, around: dependencies.Neighbourhood | None,
                    critical: list[int], refs: dict[int, Any],
                    left_out: set[int]) -> dict[str, Any] | None:
    """A small chart in waves: the focused initiative's neighbourhood, or else the critical
    chain (its first `CHART_NODES` initiatives); None when there is nothing to draw."""
    if around is not None:
        nodes = [around.center] + [ref for _level, ref in
                                   (*around.prerequisites, *around.dependents)]
        layers = waves(build_graph([ref.id for ref in nodes], around.edges))
        edges = around.edges
        titles = {ref.id: ref.title for ref in nodes}
    else:
        chain = [n for n in critical[:CHART_NODES] if n in refs]
        if not chain:
            return None
        layers, edges = [[n] for n in chain], list(itertools.pairwise(chain))
        titles = {n: refs[n].title for n in chain}
    return network.dependency_waves(
        layers, edges, titles, critical, Legend(_("initiative"), _("critical path")),
        _("Wave"), initiative_link(org_id), left_out & set(titles), _("left out of the plan"))


def initiative_link(org_id: int) -> Callable[[int], str]:
    """The path of an initiative's page from its id, for the points and bars of the
    figures that open it (here and on the roadmap page)."""
    return lambda initiative_id: url_for("web.initiative", org_id=org_id,
                                         initiative_id=initiative_id)


def _stall(org: Any, initiative: Any) -> forecast.Stall | None:
    """The initiative's stall (weeks in progress and the limit passed) today in the
    organization's time zone, or None when it is not stalled."""
    if initiative.status != "in_progress" or initiative.archived_at is not None:
        return None
    today = datetime.now(org.zone).date()
    return next((stall for stall in forecast.stalled_initiatives(org, today)
                 if stall.initiative.id == initiative.id), None)


def _estimate_data(values: dict[str, Any]) -> dict[str, Any]:
    """The schema's `estimate` from the three estimate fields: none when all three are
    blank (the estimate is cleared), the points as typed otherwise (a blank one is refused
    by the schema, and named as missing); nothing when the form did not send them."""
    sent = {name: values[name] for name in ESTIMATE_FIELDS if name in values}
    if not sent:
        return {}
    typed = form_numbers({name: "" if value is None else str(value)
                          for name, value in sent.items()}, ESTIMATE_FIELDS)
    if all(value == "" for value in typed.values()):
        return {"estimate": None}
    return {"estimate": {name.removeprefix("estimate_"): value
                         for name, value in typed.items()}}


def _estimate_errors(problems: Any, values: dict[str, Any]) -> dict[str, list[str]]:
    """The schema's errors on the estimate, each beside its field in words: a point
    missing while another is given, a point that is not a number of weeks, or points out
    of order (shown beside the most likely weeks)."""
    if not problems:
        return {}
    if not isinstance(problems, dict):
        return {"estimate_likely": _flat(problems)}
    errors: dict[str, list[str]] = {}
    for point in problems:
        field = f"estimate_{point}" if f"estimate_{point}" in ESTIMATE_FIELDS \
            else "estimate_likely"
        label = FIELD_LABELS[field]
        if (values.get(field) or "") == "":
            message = _("Give %(field)s too, or leave the three estimate fields empty.",
                        field=label)
        elif field == "estimate_likely" and point == "likely" and _is_number(values[field]):
            message = _("Give optimistic ≤ most likely ≤ pessimistic weeks.")
        else:
            message = _("%(field)s must be a number of weeks, 0 or more, such as 2.5 or "
                        "2,5.", field=label)
        errors.setdefault(field, []).append(message)
    return errors


def _is_number(text: Any) -> bool:
    """Whether a typed estimate point reads as a number of weeks, 0 or more."""
    try:
        return form_float(str(text)) >= 0
    except ValueError:
        return False


def _form_values() -> dict[str, Any]:
    """The submitted form fields as text: the plain fields sent (one the form did not send
    is left as it is), the chosen findings and the uplift rows (`uplift_dimension` /
    `uplift_expected` pairs, wholly blank rows skipped)."""
    values: dict[str, Any] = {name: request.form[name].strip()
                              for name in (*FORM_FIELDS, *ESTIMATE_FIELDS)
                              if name in request.form}
    rows = zip(request.form.getlist("uplift_dimension"), request.form.getlist("uplift_expected"),
               strict=False)
    values["uplifts"] = [{"dimension": code.strip(), "expected": expected.strip()}
                         for code, expected in rows if code.strip() or expected.strip()]
    values["finding_ids"] = [raw.strip() for raw in request.form.getlist("finding_ids")]
    return values


def _more_rows() -> bool:
    """Whether the form was sent by its "Add a row" button (no JavaScript, or every row in
    use): the form comes back with its values and more blank uplift rows, nothing saved."""
    return bool(request.form.get("more_uplifts"))


def _blank_rows() -> int:
    """How many blank uplift rows to offer: the blank ones sent, plus `BLANK_UPLIFT_ROWS`
    more when "Add a row" sent the form (at least `BLANK_UPLIFT_ROWS`)."""
    if not _more_rows():
        return BLANK_UPLIFT_ROWS
    sent = request.form.getlist("uplift_dimension")
    return sum(not code.strip() for code in sent) + BLANK_UPLIFT_ROWS


def _shown_version() -> dict[str, str]:
    """The version of the initiative the edit form showed (its hidden field), if sent."""
    version = request.form.get("version", "")
    return {"version": version} if version else {}


def _form_data(values: dict[str, Any]) -> dict[str, Any]:
    """Form text to schema input: an empty optional field means no value; numbers read
    with a decimal comma too (`form_number`)."""
    numbers = form_numbers(values, NUMBER_FIELDS)
    data = {name: (value if value != "" or name in ("title", "description") else None)
            for name, value in numbers.items()
            if name in FORM_FIELDS and (name != "status" or value)}
    data["finding_ids"] = values["finding_ids"]
    data.update(_estimate_data(values))
    data["uplifts"] = [form_numbers({key: row[key] for key in ("dimension", "expected")
                                     if row[key] != ""}, ("expected",))
                       for row in values["uplifts"]]
    return data


def _all_errors(org: Any, invalid: ValidationError, values: dict[str, Any],
                initiative: Any) -> dict[str, list[str]]:
    """The schema's errors and, together with them, the service's on what the schema
    accepted (unknown findings or dimensions, inputs out of range, dates out of order, a
    status move not allowed), so one submission reports every bad field. A bad uplift row's
    error goes beside that row (`uplift-<n>`), naming its dimension."""
    accepted = invalid.valid_data if isinstance(invalid.valid_data, dict) else {}
    messages: dict[str, Any] = dict(invalid.messages) if isinstance(invalid.messages, dict) \
        else {"": invalid.messages}
    rows: dict[Any, Any] = {}
    if isinstance(messages.get("uplifts"), dict):
        rows = messages.pop("uplifts")
    messages.update(_estimate_errors(messages.pop("estimate", None), values))
    errors = _field_errors(number_errors(messages, FIELD_LABELS))
    if "external_url" in errors:
        errors["external_url"] = [_("The external link must be an http:// or https:// "
                                    "address of at most 2,000 characters, such as "
                                    "https://jira.example.com/browse/OPS-12.")]
    errors.update(_uplift_row_errors(org, rows, values["uplifts"]))
    for field, problems in _field_errors(
            initiatives.initiative_errors(org, accepted, initiative)).items():
        errors.setdefault(field, []).extend(problems)
    return errors


def _uplift_row_errors(org: Any, rows: dict[Any, Any],
                       sent: list[dict[str, str]]) -> dict[str, list[str]]:
    """The schema's errors on uplift rows, each under its row and in words naming the
    dimension: a missing dimension, a missing or bad expected uplift."""
    names = {code: dimension.name for code, dimension in
             initiatives.usable_dimensions(org, [row["dimension"] for row in sent]).items()}
    errors: dict[str, list[str]] = {}
    for index, problems in rows.items():
        row = sent[index] if isinstance(index, int) and index < len(sent) else \
            {"dimension": "", "expected": ""}
        name = names.get(row["dimension"], row["dimension"])
        lines = []
        if "dimension" in problems:
            lines.append(_("Choose the dimension this uplift lifts."))
        if "expected" in problems:
            lines.append(_("Give the expected uplift for %(dimension)s, in levels of the "
                           "grid's scale.", dimension=name) if row["expected"] == "" else
                         _("The expected uplift for %(dimension)s must be a number of "
                           "levels, 0 or more (got %(value)s).", dimension=name,
                           value=row["expected"]))
        errors[f"uplift-{index + 1 if isinstance(index, int) else 0}"] = \
            lines or _flat(problems)
    if errors:
        errors.setdefault("uplifts", []).append(_("Some uplift rows need a correction: see "
                                                  "the rows marked."))
    return errors


def _field_errors(messages: Any) -> dict[str, list[str]]:
    """Errors by form field; messages of fields the form does not show go under `""`."""
    errors: dict[str, list[str]] = {}
    for field, problems in (messages.items() if isinstance(messages, dict) else [("", messages)]):
        key = field if field in FORM_FIELDS or field in RELATION_FIELDS \
            or field in ESTIMATE_FIELDS or field.startswith("uplift-") else ""
        errors.setdefault(key, []).extend(_flat(problems))
    return errors


def _flat(problems: Any) -> list[str]:
    """Nested messages (a list field's `{row: {field: [...]}}`) as lines naming the row."""
    if isinstance(problems, dict):
        return [f"{_row_label(key)}: {line}"
                for key, inner in problems.items() for line in _flat(inner)]
    if isinstance(problems, list):
        return [line for problem in problems for line in _flat(problem)]
    return [str(problems)]


def _row_label(key: Any) -> str:
    """A list field's row as people count it ("Row 1"), or the nested field's name."""
    return _("Row %(num)d", num=key + 1) if isinstance(key, int) else str(key)


def _form_page(org: Any, initiative: Any, values: dict[str, Any],
               errors: dict[str, list[str]]) -> Any:
    """The create or edit form, with the organization's findings and usable dimensions (by
    name), each prioritization input's scale and the class the initiative would have without
    an override."""
    rows = list(values.get("uplifts", [])) + [{"dimension": "", "expected": ""}] * _blank_rows()
    dimensions = sorted(initiatives.usable_dimensions(org).values(),
                        key=lambda d: d.name.lower())
    return render_template(
        "decide/form.html", org=org, initiative=initiative, values=values, errors=errors,
        inputs=INPUT_FIELDS, hints=INPUT_HINTS, statuses=initiatives.allowed_statuses(initiative),
        classes=CLASSES, labels=BACKLOG_LABELS, uplift_rows=rows, dimensions=dimensions,
        dimension_codes={d.code for d in dimensions},
        computed_class=_computed_class(org, initiative), finding_kinds=FINDING_KINDS,
        owner_names=organizations.member_names(org),
        findings=findings.list_findings(org, 1, 1000, {}).items), 422 if errors else 200


def _computed_class(org: Any, initiative: Any) -> str | None:
    """The class the backlog computes for the initiative (its override aside); None for a new
    or archived one, or when the backlog cannot be ranked."""
    item = _backlog_item(org, initiative)
    return item.computed_class if item is not None else None


def _backlog_item(org: Any, initiative: Any) -> backlog.BacklogItem | None:
    """The initiative's line of the ranked backlog (class, computed class, quadrant,
    enabler); None for a new or archived one, or when the backlog cannot be ranked."""
    if initiative is None or initiative.archived_at is not None:
        return None
    try:
        ranked = backlog.ranked_backlog(org, include_done=True)
    except TrackerError:
        return None
    return next((item for item in ranked.items if item.id == initiative.id), None)
