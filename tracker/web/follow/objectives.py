"""Objective pages: the list (status, KPIs on target n/m, horizon), a page at a time; the
create and edit form (KPIs, initiatives and dimensions picked with the search-as-you-type
picker); an objective's page with its KPIs' latest measurements; delete.

Everyone in the organization reads; ops and leads write. The status and every rule are the
services' (`services.follow.objectives`); the views read the form, call them and show their
errors beside the fields, in words.
"""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from marshmallow import ValidationError

from tracker.domain.errors import InvalidInput
from tracker.models import Organization
from tracker.schemas.ambition import ObjectiveSchema
from tracker.services.follow import kpis, objectives
from tracker.web.base import bp, org_page
from tracker.web.labels import KPI_FAMILY_LABELS, OBJECTIVE_STATUS_LABELS, PERIMETER_KIND_LABELS

WRITER = "ops"
PER_PAGE = 25
BASE = "/orgs/<int:org_id>/objectives"
ONE = f"{BASE}/<int:objective_id>"
TEXT_FIELDS = ("title", "description", "horizon")
LIST_FIELDS = ("kpi_ids", "initiative_ids", "dimensions")
#: The badge of each status (the colours of `tracker.css`).
STATUS_BADGES = {"on_track": "ok", "at_risk": "gap", "off_track": "bad", "no_data": ""}
FIELD_HINTS: dict[str, Any] = {
    "title": _l("Give the objective a title (up to 300 characters)."),
    "description": _l("The description could not be read."),
    "horizon": _l("Enter the horizon as a date (year-month-day), or leave it empty."),
}


@bp.get(BASE, endpoint="objectives")
@login_required
def objectives_page(org_id: int) -> str:
    """The organization's objectives with their status, soonest horizon first."""
    org = org_page(org_id)
    g.active_nav = "objectives"
    number = max(request.args.get("page", 1, type=int) or 1, 1)
    shown = objectives.list_objectives(org, number, PER_PAGE)
    return render_template(
        "follow/objectives.html", org=org, page=shown, writer=WRITER,
        statuses=OBJECTIVE_STATUS_LABELS, badges=STATUS_BADGES,
        pages=max(1, -(-shown.total // PER_PAGE)),
        page_url=lambda n: url_for("web.objectives", org_id=org.id, page=n))


@bp.route(f"{BASE}/new", methods=["GET", "POST"], endpoint="objective_new")
@login_required
def objective_new(org_id: int) -> Any:
    """Create an objective; refused fields come back beside their inputs, input kept."""
    org = org_page(org_id, WRITER)
    values: dict[str, Any] = {"kpi_ids": [], "initiative_ids": [], "dimensions": []}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = _values()
        try:
            created = objectives.create_objective(org, current_user,
                                                  ObjectiveSchema().load(_data(values)))
        except (ValidationError, InvalidInput) as refused:
            errors = _errors(refused)
        else:
            flash(_("Objective %(title)s created.", title=created.title), "ok")
            return redirect(url_for("web.objective", org_id=org.id,
                                    objective_id=created.id), code=303)
    return _form_page(org, None, values, errors)


@bp.route(f"{ONE}/edit", methods=["GET", "POST"], endpoint="objective_edit")
@login_required
def objective_edit(org_id: int, objective_id: int) -> Any:
    """Edit an objective's title, description, horizon, KPIs, initiatives and dimensions."""
    org = org_page(org_id, WRITER)
    objective = objectives.get_objective(org, objective_id)
    values: dict[str, Any] = {name: getattr(objective, name) for name in LIST_FIELDS}
    values.update(title=objective.title, description=objective.description,
                  horizon=objective.horizon.isoformat() if objective.horizon else "")
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = _values()
        try:
            objectives.update_objective(org, current_user, objective_id,
                                        ObjectiveSchema().load(_data(values)))
        except (ValidationError, InvalidInput) as refused:
            errors = _errors(refused)
        else:
            flash(_("Objective %(title)s saved.", title=values["title"]), "ok")
            return redirect(url_for("web.objective", org_id=org.id,
                                    objective_id=objective_id), code=303)
    return _form_page(org, objective, values, errors)


@bp.get(ONE, endpoint="objective")
@login_required
def objective_page(org_id: int, objective_id: int) -> str:
    """One objective: its status, its KPIs with their latest measurement, its initiatives
    and dimensions."""
    org = org_page(org_id)
    g.active_nav = "objectives"
    return render_template(
        "follow/objective.html", org=org, objective=objectives.get_objective(org, objective_id),
        writer=WRITER, statuses=OBJECTIVE_STATUS_LABELS, badges=STATUS_BADGES,
        families=KPI_FAMILY_LABELS, perimeters=PERIMETER_KIND_LABELS)


@bp.post(f"{ONE}/delete", endpoint="objective_delete")
@login_required
def objective_delete(org_id: int, objective_id: int) -> Any:
    """Delete the objective (its KPIs, initiatives and dimensions stay)."""
    org = org_page(org_id, WRITER)
    objectives.delete_objective(org, current_user, objective_id)
    flash(_("Objective deleted; its KPIs and initiatives are kept."), "ok")
    return redirect(url_for("web.objectives", org_id=org.id), code=303)


def _form_page(org: Organization, objective: objectives.ObjectiveReport | None,
               values: dict[str, Any], errors: dict[str, list[str]]) -> Any:
    """The create or edit form (422 when it comes back refused)."""
    g.active_nav = "objectives"
    return render_template(
        "follow/objective_form.html", org=org, objective=objective, values=values,
        errors=errors, kpis=objectives.kpi_choices(org, objective.kpi_ids if objective else ()),
        initiatives=objectives.initiative_choices(org),
        dimensions=kpis.dimension_choices(org)), 422 if errors else 200


def _values() -> dict[str, Any]:
    """The submitted fields, stripped; the picked links as lists."""
    values: dict[str, Any] = {name: request.form.get(name, "").strip() for name in TEXT_FIELDS}
    for name in LIST_FIELDS:
        values[name] = [item for item in request.form.getlist(name) if item]
    return values


def _data(values: dict[str, Any]) -> dict[str, Any]:
    """Form text to schema input: an empty horizon is none."""
    return {**values, "horizon": values["horizon"] or None}


def _errors(refused: ValidationError | InvalidInput) -> dict[str, list[str]]:
    """One line per refused field, in words (`FIELD_HINTS`); the service's own message for
    the links (which ids or codes are unknown), under `""` what no field owns."""
    raw = (refused.messages if isinstance(refused, ValidationError)
           else refused.errors or {"": [refused.detail]})
    messages: dict[str, Any] = raw if isinstance(raw, dict) else {"": raw}
    errors: dict[str, list[str]] = {}
    for name, lines in messages.items():
        owner = name if name in (*TEXT_FIELDS, *LIST_FIELDS) else ""
        hint = FIELD_HINTS.get(owner)
        flat = lines if isinstance(lines, list) else [lines]
        errors.setdefault(owner, []).extend([str(hint)] if hint else [str(x) for x in flat])
    return errors
