"""Diagnostic pages: an organization's assessments, and one assessment's diagnostic (radar,
heatmap by group, dispersion and source agreement, perception gaps and blind spots,
verbatims, findings with accept / dismiss, the ratings grid for interviews and
observations, and the campaign's dates and status moves: open, close, and a lead's reopening
with a reason for corrections).

The ratings grid names respondents and shows what each one rated, so it is shown to and
saved by ops and leads only; viewers and contributors see the aggregates and verbatims."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker.adapters.charts import figures
from tracker.domain.constants import DB_INT_MAX, TENSION_STDEV
from tracker.domain.errors import InvalidInput
from tracker.domain.follow.uncertainty import Interval
from tracker.domain.frame.targets import (
    axis_targets,
    dimension_targets,
    percent_to_target,
    score_map,
)
from tracker.domain.perception import ATTRIBUTES
from tracker.models import Organization, Respondent
from tracker.services.diagnose import findings, perception, radar, root_causes
from tracker.services.diagnose.scores import grid_page, scored_assessment
from tracker.services.frame.frameworks import display_names
from tracker.services.observe import assessments, ratings
from tracker.services.pagination import Page, page_args
from tracker.web.base import bp, org_page
from tracker.web.diagnose import root_causes as root_cause_pages
from tracker.web.forms import form_float
from tracker.web.labels import DIAGNOSTIC_LABELS, FINDING_STATUSES

GRID_SOURCES = ("interview", "observation")


@bp.get("/orgs/<int:org_id>/assessments", endpoint="assessments")
@login_required
def assessments_list(org_id: int) -> str:
    """The organization's assessments, newest first, a page at a time (`page`,
    `per_page`: 50 by default)."""
    org = org_page(org_id)
    g.active_nav = "diagnostic"
    page = assessments.list_assessments(org, *page_args(request.args))
    return render_template(
        "diagnose/assessments.html", org=org, assessments=page.items, page=page,
        labels=DIAGNOSTIC_LABELS,
        page_url=lambda number: url_for("web.assessments", org_id=org.id, page=number,
                                        per_page=page.per_page))


@bp.get("/orgs/<int:org_id>/assessments/<int:assessment_id>", endpoint="assessment")
@login_required
def assessment_page(org_id: int, assessment_id: int) -> Any:
    """One assessment's diagnostic."""
    org = org_page(org_id)
    return _render(org, assessment_id, {}, {}), 200


@bp.post("/orgs/<int:org_id>/assessments/<int:assessment_id>/ratings", endpoint="save_ratings")
@login_required
def save_ratings(org_id: int, assessment_id: int) -> Any:
    """Save the ratings grid (all or nothing); errors are shown next to their cells."""
    org = org_page(org_id, assessments.SEES_RESPONDENTS)
    rows, cells, errors = _grid_rows(request.form)
    if not errors:
        try:
            result = ratings.upsert_ratings(org, assessment_id, rows)
        except InvalidInput as error:
            errors = _cell_errors(error, cells)
        else:
            flash(ngettext("%(num)d rating saved.", "%(num)d ratings saved.",
                           result.created + result.updated), "ok")
            page = request.form.get("grid_page", "")
            return redirect(url_for("web.assessment", org_id=org_id,
                                    assessment_id=assessment_id,
                                    grid_page=int(page) if page.isdigit() and page != "1"
                                    and int(page) <= DB_INT_MAX else None,
                                    _anchor="ratings"), code=303)
    return _render(org, assessment_id, errors, request.form), 422


@bp.post("/orgs/<int:org_id>/assessments/<int:assessment_id>/status",
         endpoint="assessment_status")
@login_required
def assessment_status(org_id: int, assessment_id: int) -> Any:
    """Open, close or (a lead, with a reason) reopen the assessment; the service decides
    who may make which move, and a refused field is shown beside it."""
    org = org_page(org_id, "ops")
    changes = {key: request.form[key] for key in ("status", "reason") if key in request.form}
    try:
        assessment = assessments.update_assessment(org, assessment_id, changes,
                                                   actor=current_user)
    except InvalidInput as error:
        return _render(org, assessment_id, {}, {}, status_errors=error.errors,
                       status_form=changes), 422
    flash(_("The assessment is now %(status)s.",
            status=DIAGNOSTIC_LABELS["status"].get(assessment.status, assessment.status)), "ok")
    return redirect(url_for("web.assessment", org_id=org_id, assessment_id=assessment_id),
                    code=303)


@bp.post("/orgs/<int:org_id>/assessments/<int:assessment_id>/suggest", endpoint="suggest")
@login_required
def suggest(org_id: int, assessment_id: int) -> Any:
    """Store the findings the rules suggest for this assessment."""
    org = org_page(org_id, "ops")
    result = findings.suggest(org, assessment_id)
    flash(ngettext("%(num)d finding suggested.", "%(num)d findings suggested.",
                   len(result.created)), "ok")
    return redirect(url_for("web.assessment", org_id=org_id, assessment_id=assessment_id,
                            _anchor="findings"), code=303)


@bp.post("/orgs/<int:org_id>/findings/<int:finding_id>/status", endpoint="finding_status")
@login_required
def finding_status(org_id: int, finding_id: int) -> Any:
    """Accept or dismiss a finding, then return to its assessment."""
    org = org_page(org_id, "ops")
    status = request.form.get("status", "")
    if status not in ("accepted", "dismissed"):
        raise InvalidInput(_("Choose accept or dismiss."), errors={"status": [status]})
    finding = findings.update_finding(org, finding_id, {"status": status})
    flash(_("Finding “%(title)s” is now %(status)s.", title=finding.title,
            status=FINDING_STATUSES[status]), "ok")
    target = (url_for("web.assessment", org_id=org_id, assessment_id=finding.assessment_id,
                      _anchor="findings")
              if finding.assessment_id else url_for("web.assessments", org_id=org_id))
    return redirect(target, code=303)


@bp.post("/orgs/<int:org_id>/assessments/<int:assessment_id>/symptoms", endpoint="mark_symptom")
@login_required
def mark_symptom(org_id: int, assessment_id: int) -> Any:
    """Mark a finding as the symptom of another from the page's one pair of pickers (one
    form for all the findings, so the page grows linearly with them, not one select of
    every other finding per row); the marking itself is `root_causes.finding_root_cause`."""
    org_page(org_id, "ops")
    raw = request.form.get("symptom_id", "")
    if not raw.isdigit():
        flash(_("Choose the symptom."), "error")
        return redirect(url_for("web.assessment", org_id=org_id, assessment_id=assessment_id,
                                _anchor="findings"), code=303)
    return root_cause_pages.finding_root_cause(org_id, int(raw))


def _grid_rows(form: Any) -> tuple[list[dict[str, Any]], list[str], dict[str, str]]:
    """Rows for `ratings.upsert_ratings` from the grid's `cell:<respondent>:<dimension>`
    inputs (blank cells are skipped); `cells[i]` names the cell of row `i`."""
    rows: list[dict[str, Any]] = []
    cells: list[str] = []
    errors: dict[str, str] = {}
    for name, raw in form.items():
        if not name.startswith("cell:") or not raw.strip():
            continue
        parts = name.split(":", 2)
        if len(parts) != 3 or not _is_id(parts[1]):
            errors["_form"] = _("The form holds a field that is not a cell of the grid.")
            continue
        try:
            value = form_float(raw)
        except ValueError:
            errors[name] = _("Enter a number, or leave the cell blank.")
            continue
        rows.append({"respondent_id": int(parts[1]), "dimension": parts[2], "value": value})
        cells.append(name)
    return rows, cells, errors


def _is_id(text: str) -> bool:
    """Whether a cell name's respondent part is a record id (ASCII digits, in range)."""
    return text.isascii() and text.isdigit() and 1 <= int(text) <= DB_INT_MAX

def _cell_errors(error: InvalidInput, cells: list[str]) -> dict[str, str]:
    """The service's row errors (`[3].value`) moved to the grid cells they came from."""
    result: dict[str, str] = {}
    for key, messages in error.errors.items():
        index = key.split("]")[0].lstrip("[")
        cell = cells[int(index)] if index.isdigit() and int(index) < len(cells) else "_form"
        if key.endswith(".value"):
            result[cell] = _("Outside the scale.")
        else:
            result[cell] = " ".join(str(m) for m in messages)
    return result


def _render(org: Organization, assessment_id: int, grid_errors: dict[str, str],
            form: Any, *, status_errors: Mapping[str, Any] | None = None,
            status_form: Mapping[str, str] | None = None) -> str:
    """The diagnostic page; `status_errors` and `status_form` refill a refused status
    move (a reopening without a reason) with its errors."""
    g.active_nav = "diagnostic"
    locale = str(get_locale() or "en")
    scored = scored_assessment(org, assessment_id, locale)
    assessment, framework = scored.assessment, scored.framework
    scale = (framework.scale_min, framework.scale_max)
    by = request.args.get("by", "role")
    if by not in ATTRIBUTES:
        by = "role"
    targets_by_code = {t.code: t for t in dimension_targets(scored.axes, scored.scores,
                                                            scored.targets)}
    names = {d.code: d.name for axis in scored.axes for d in axis.dimensions}
    axis_target = axis_targets(scored.axes, scored.targets)
    axis_radar = radar.axis_radar(org, scored)
    previous = axis_radar.previous
    radar_figure = figures.radar(axis_radar.names, axis_radar.series, scale)

    grid = perception.with_attributes(perception.grid_from(scored), org)
    gaps = perception.dimension_gaps(org, grid, by)
    groups = sorted({group.name for gap in gaps for group in gap.groups})
    values = [[next((grp.mean for grp in gap.groups if grp.name == name), None)
               for name in groups] for gap in gaps]
    heatmap = (figures.heatmap([names[gap.dimension] for gap in gaps], groups, values, scale,
                              _("Mean rating (higher is better)")) if groups else None)
    blind = {row["dimension"]: row for row in perception.blind_spots(org, assessment_id, grid)
             ["dimensions"]}
    perspectives = perception.cross_assessment(org, assessment_id, grid)

    evidence: dict[str, list[Any]] = defaultdict(list)
    for item in assessments.list_evidence(org, assessment_id, 1, 1000,
                                          actor=current_user).items:
        for dimension in item.dimensions:
            evidence[dimension.code].append(item)
    sees_respondents = assessments.sees_respondents(org, current_user)
    grid_rows, grid_values = (_grid(assessment_id, form) if sees_respondents
                              else (None, {}))

    intervals = scored.intervals
    axes = [{"code": axis.code, "name": axis.name, "score": axis.score,
             "margin": _margin(intervals.axes.get(axis.code)),
             "target": axis_target.get(axis.code),
             "dimensions": [{"code": d.code, "name": d.name, "score": d.score, "n": d.n,
                             "margin": _margin(intervals.dimensions.get(d.code)),
                             "stdev": d.stdev, "source_means": d.source_means,
                             "source_spread": d.source_spread,
                             "tension": d.stdev is not None
                             and d.stdev >= TENSION_STDEV,
                             "target": targets_by_code[d.code].target,
                             "target_gap": targets_by_code[d.code].target_gap}
                            for d in axis.dimensions]}
            for axis in scored.scores.axes]
    finding_page = findings.list_findings(org, 1, 500, {"assessment_id": assessment_id})
    ordered_findings, finding_links = root_causes.order_root_causes_first(org, finding_page.items)
    return render_template(
        "diagnose/diagnostic.html", org=org, assessment=assessment, framework=framework,
        framework_name=display_names(framework, locale).framework,
        overall=scored.scores.overall, overall_margin=_margin(intervals.overall), axes=axes,
        radar=radar_figure, heatmap=heatmap, by=by,
        attributes=ATTRIBUTES, gaps=gaps, names=names, blind=blind, previous=previous,
        perspectives=perspectives,
        evidence=evidence, findings=ordered_findings, finding_links=finding_links,
        sees_respondents=sees_respondents,
        respondents=grid_rows.items if grid_rows else [], grid_rows=grid_rows,
        grid_values=grid_values,
        grid_errors=grid_errors,
        writable=assessment.status != "closed", labels=DIAGNOSTIC_LABELS,
        corrections=assessments.corrections(org, assessment_id),
        status_errors=status_errors or {}, status_form=status_form or {},
        min_group_size=org.min_group_size, threshold=org.perception_gap_threshold,
        percent_to_target=percent_to_target(score_map(scored.scores), scored.targets))


def _margin(interval: Interval | None) -> float | None:
    """The ± of a score's 95 % interval (DESIGN section 3, "Uncertainty"), none when the
    score has too few ratings or respondents to have one."""
    return None if interval is None else interval.margin


def _grid(assessment_id: int, form: Any) -> tuple[Page[Respondent], dict[str, str]]:
    """One page of the grid's respondents (interviews and observations, `grid_page` of
    the query) and its cell values: the saved ratings, overlaid by a refused form's cells
    (ops and leads only)."""
    page = request.values.get("grid_page", "1")
    rows, points = grid_page(assessment_id, GRID_SOURCES,
                             int(page) if page.isascii() and page.isdigit()
                             and 0 < int(page) <= DB_INT_MAX else 1)
    values = {f"cell:{p.respondent_id}:{p.dimension}": "" if p.value is None
              else f"{p.value:g}" for p in points}
    if form:
        values.update({k: v for k, v in form.items() if k.startswith("cell:")})
    return rows, values
