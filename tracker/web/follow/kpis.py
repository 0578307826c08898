"""KPI pages: the list (name, unit, direction, target, current value, gap, on target, last
measured) and the archived ones apart; create and edit a KPI (its dimensions picked with the
search-as-you-type picker); archive and restore; a KPI's page with its trend chart and
target line, its measurements newest first and the form that records one.

Everyone in the organization reads; ops and leads write. Every rule (gap, status, what
may be archived or measured) is the services' (`services.follow.kpis`); the views read the
form, call them and show their errors beside the fields, in words for each field.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from marshmallow import ValidationError

from tracker.adapters.charts.trend import TrendNames, kpi_trend
from tracker.domain.errors import Conflict, InvalidInput
from tracker.models import Organization
from tracker.schemas.follow import KpiSchema, MeasurementSchema
from tracker.services.follow import kpis, objectives
from tracker.web.base import bp, org_page
from tracker.web.forms import form_number
from tracker.web.labels import KPI_FAMILY_LABELS, PERIMETER_KIND_LABELS

#: The least role that creates, edits, archives and measures KPIs.
WRITER = "ops"
PER_PAGE = 50
MEASUREMENTS_PER_PAGE = 20
BASE = "/orgs/<int:org_id>/kpis"
ONE = f"{BASE}/<int:kpi_id>"
DIRECTIONS = {"higher_is_better": _l("higher is better"),
              "lower_is_better": _l("lower is better")}
MEASUREMENT_FIELDS = ("value", "measured_at", "comment")
#: What to do about a refused field, in words (the schema's own messages are not the
#: reader's language).
FIELD_HINTS: dict[str, Any] = {
    "name": _l("Give the KPI a name (up to 200 characters)."),
    "description": _l("The description could not be read."),
    "unit": _l("Keep the unit to 50 characters at most (e.g. days, %, h)."),
    "direction": _l("Choose whether a higher or a lower value is better."),
    "target": _l("Enter the target as a number (e.g. 5 or 85.5), or leave it empty."),
    "value": _l("Enter the measured value as a number (e.g. 7 or 7.5)."),
    "measured_at": _l("Enter the date of the measurement (year-month-day)."),
    "comment": _l("Keep the comment to 2,000 characters at most."),
    "family": _l("Choose one of the families in the list, or none."),
    "owner": _l("Keep the owner to 200 characters at most (a name or an email)."),
    "perimeter_kind": _l("Choose the whole organization, a team or a value stream."),
    "perimeter_name": _l("Name the team or value stream; leave it empty for the whole "
                         "organization."),
}
#: The form's fields beyond `kpis.FIELDS`.
LINK_FIELDS = ("dimensions", "perimeter_kind", "perimeter_name", "initiative_ids",
               "objective_ids")


@bp.get(BASE, endpoint="kpis")
@login_required
def kpis_page(org_id: int) -> str:
    """The KPIs in use with their status, a page at a time; the archived ones are counted
    and linked."""
    return _list_page(org_page(org_id), archived=False)


@bp.get(f"{BASE}/archived", endpoint="kpis_archived")
@login_required
def kpis_archived(org_id: int) -> str:
    """The archived KPIs, apart, each with its restore button for ops and leads."""
    return _list_page(org_page(org_id), archived=True)


@bp.route(f"{BASE}/new", methods=["GET", "POST"], endpoint="kpi_new")
@login_required
def kpi_new(org_id: int) -> Any:
    """Create a KPI; refused fields come back beside their inputs, all at once, input kept."""
    org = org_page(org_id, WRITER)
    values: dict[str, Any] = {"direction": "higher_is_better", "dimensions": [],
                              "perimeter_kind": "organization", "initiative_ids": [],
                              "objective_ids": []}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = _kpi_values()
        try:
            created = kpis.create_kpi(org, KpiSchema().load(_kpi_data(values)))
        except (ValidationError, InvalidInput) as refused:
            errors = _errors(refused, (*kpis.FIELDS, *LINK_FIELDS))
        else:
            flash(_("KPI %(name)s created: record its first measurement below.",
                    name=created.name), "ok")
            return redirect(url_for("web.kpi", org_id=org.id, kpi_id=created.id), code=303)
    return _form_page(org, None, values, errors)


@bp.route(f"{ONE}/edit", methods=["GET", "POST"], endpoint="kpi_edit")
@login_required
def kpi_edit(org_id: int, kpi_id: int) -> Any:
    """Edit a KPI's name, description, unit, direction, target and dimensions."""
    org = org_page(org_id, WRITER)
    kpi = kpis.get_kpi(org, kpi_id)
    values: dict[str, Any] = {name: getattr(kpi, name) for name in kpis.FIELDS}
    values.update(target="" if kpi.target is None else f"{kpi.target:g}",
                  dimensions=kpi.dimensions, family=kpi.family or "", owner=kpi.owner or "",
                  perimeter_kind=kpi.perimeter["kind"],
                  perimeter_name=kpi.perimeter["name"] or "",
                  initiative_ids=kpi.initiative_ids, objective_ids=kpi.objective_ids)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = _kpi_values()
        try:
            kpis.update_kpi(org, kpi_id, KpiSchema().load(_kpi_data(values)))
        except (ValidationError, InvalidInput) as refused:
            errors = _errors(refused, (*kpis.FIELDS, *LINK_FIELDS))
        else:
            flash(_("KPI %(name)s saved.", name=values["name"]), "ok")
            return redirect(url_for("web.kpi", org_id=org.id, kpi_id=kpi_id), code=303)
    return _form_page(org, kpi, values, errors)


@bp.get(ONE, endpoint="kpi")
@login_required
def kpi_page(org_id: int, kpi_id: int) -> str:
    """One KPI: its figures, its trend with the target line, its measurements newest
    first, and the form that records one (ops and leads)."""
    return _kpi_page(org_page(org_id), kpi_id)


@bp.post(f"{ONE}/measurements", endpoint="kpi_measure")
@login_required
def kpi_measure(org_id: int, kpi_id: int) -> Any:
    """Record a measurement (value, date, comment); refused fields come back beside their
    inputs on the KPI's page, input kept."""
    org = org_page(org_id, WRITER)
    values = {name: request.form.get(name, "").strip() for name in MEASUREMENT_FIELDS}
    try:
        kpis.add_measurement(org, kpi_id, MeasurementSchema().load(
            {**values, "value": form_number(values["value"])}))
    except (ValidationError, InvalidInput) as refused:
        return _kpi_page(org, kpi_id, values, _errors(refused, MEASUREMENT_FIELDS)), 422
    except Conflict:
        flash(_("This KPI is archived: restore it to record a measurement."), "error")
    else:
        flash(_("Measurement recorded."), "ok")
    return redirect(url_for("web.kpi", org_id=org.id, kpi_id=kpi_id), code=303)


@bp.post(f"{ONE}/archive", endpoint="kpi_archive")
@login_required
def kpi_archive(org_id: int, kpi_id: int) -> Any:
    """Archive the KPI: out of the lists and the barometer, its measurements kept."""
    return _after_shelving(org_page(org_id, WRITER), kpi_id, kpis.archive_kpi,
                           _("KPI archived: it has left the lists; its measurements are kept."),
                           _("This KPI is already archived."))


@bp.post(f"{ONE}/restore", endpoint="kpi_restore")
@login_required
def kpi_restore(org_id: int, kpi_id: int) -> Any:
    """Bring an archived KPI back to the lists."""
    return _after_shelving(org_page(org_id, WRITER), kpi_id, kpis.restore_kpi,
                           _("KPI restored to the lists."), _("This KPI is not archived."))


def _after_shelving(org: Organization, kpi_id: int, change: Any, done: str,
                    refused: str) -> Any:
    """Archive or restore, then back to the KPI's page saying what happened (`refused` when
    it already was in the state asked: two tabs, a double click)."""
    try:
        change(org, kpi_id)
    except Conflict:
        flash(refused, "error")
    else:
        flash(done, "ok")
    return redirect(url_for("web.kpi", org_id=org.id, kpi_id=kpi_id), code=303)


def _list_page(org: Organization, *, archived: bool) -> str:
    """The KPIs in use, or the archived ones, with the pages' links; `family` in the query
    shows one family only."""
    g.active_nav = "kpis"
    number = max(request.args.get("page", 1, type=int) or 1, 1)
    family = request.args.get("family") or None
    family = family if family in KPI_FAMILY_LABELS else None
    shown = kpis.list_kpis(org, number, PER_PAGE, archived=archived, family=family)
    endpoint = "web.kpis_archived" if archived else "web.kpis"
    return render_template(
        "follow/kpis.html", org=org, page=shown, archived=archived, directions=DIRECTIONS,
        archived_count=None if archived else kpis.count_archived(org), writer=WRITER,
        families=KPI_FAMILY_LABELS, perimeters=PERIMETER_KIND_LABELS, family=family,
        pages=max(1, -(-shown.total // PER_PAGE)),
        page_url=lambda n: url_for(endpoint, org_id=org.id, page=n, family=family))


def _form_page(org: Organization, kpi: kpis.KpiReport | None, values: dict[str, Any],
               errors: dict[str, list[str]]) -> Any:
    """The create or edit form (422 when it comes back refused)."""
    g.active_nav = "kpis"
    return render_template(
        "follow/kpi_form.html", org=org, kpi=kpi, values=values, errors=errors,
        directions=DIRECTIONS, dimensions=kpis.dimension_choices(org),
        families=KPI_FAMILY_LABELS, perimeters=PERIMETER_KIND_LABELS,
        initiatives=objectives.initiative_choices(org),
        objectives=objectives.objective_choices(org)), 422 if errors else 200


def _kpi_page(org: Organization, kpi_id: int, values: dict[str, str] | None = None,
              errors: dict[str, list[str]] | None = None) -> str:
    """The KPI's page; the measurement form keeps what was sent when refused."""
    g.active_nav = "kpis"
    kpi = kpis.get_kpi(org, kpi_id)
    number = max(request.args.get("page", 1, type=int) or 1, 1)
    shown = kpis.list_measurements(org, kpi_id, number, MEASUREMENTS_PER_PAGE)
    trend = None
    if kpi.history:
        trend = kpi_trend([m.measured_at.isoformat() for m in kpi.history],
                          [m.value for m in kpi.history], kpi.target,
                          TrendNames(_("Measured"), _("Target"), kpi.unit or _("Value")))
    return render_template(
        "follow/kpi.html", org=org, kpi=kpi, measurements=shown, trend=trend,
        directions=DIRECTIONS, writer=WRITER, errors=errors or {},
        families=KPI_FAMILY_LABELS, perimeters=PERIMETER_KIND_LABELS,
        values=values or {"measured_at": date.today().isoformat()},
        pages=max(1, -(-shown.total // MEASUREMENTS_PER_PAGE)),
        page_url=lambda n: url_for("web.kpi", org_id=org.id, kpi_id=kpi_id, page=n,
                                   _anchor="measurements"))


def _kpi_values() -> dict[str, Any]:
    """The submitted KPI fields, stripped; the picked dimensions as a list of codes, the
    picked initiatives and objectives as lists of ids (as text)."""
    values: dict[str, Any] = {name: request.form.get(name, "").strip()
                              for name in (*kpis.FIELDS, "perimeter_kind", "perimeter_name")}
    for name in ("dimensions", "initiative_ids", "objective_ids"):
        values[name] = [item for item in request.form.getlist(name) if item]
    return values


def _kpi_data(values: dict[str, Any]) -> dict[str, Any]:
    """Form text to schema input: an empty target is no target (a decimal comma reads as a
    point), an empty family or owner none; the perimeter as `{kind, name}`."""
    data = {key: value for key, value in values.items() if not key.startswith("perimeter_")}
    return {**data, "target": form_number(values["target"]) or None,
            "family": values["family"] or None, "owner": values["owner"] or None,
            "perimeter": {"kind": values["perimeter_kind"] or "organization",
                          "name": values["perimeter_name"] or None}}


def _errors(refused: ValidationError | InvalidInput,
            fields: tuple[str, ...]) -> dict[str, list[str]]:
    """One line per refused form field, in words (`FIELD_HINTS`); the service's own message
    for a field without a hint (unknown dimensions), and under `""` what no field owns."""
    raw = (refused.messages if isinstance(refused, ValidationError)
           else refused.errors or {"": [refused.detail]})
    messages: dict[str, Any] = raw if isinstance(raw, dict) else {"": raw}
    errors: dict[str, list[str]] = {}
    for name, lines in _perimeter_keys(messages).items():
        owner = name if name in fields else ""
        hint = FIELD_HINTS.get(owner)
        errors[owner] = [str(hint)] if hint else [str(line) for line in _lines(lines)]
    return errors


def _perimeter_keys(messages: dict[str, Any]) -> dict[str, Any]:
    """The perimeter's messages (`perimeter.name`, or nested under `perimeter`) under the
    form's own field names, `perimeter_kind` and `perimeter_name`."""
    flat = {key: value for key, value in messages.items() if key != "perimeter"}
    nested = messages.get("perimeter")
    for part, lines in (nested.items() if isinstance(nested, dict) else []):
        flat[f"perimeter.{part}"] = lines
    return {key.replace("perimeter.", "perimeter_"): value for key, value in flat.items()}


def _lines(messages: Any) -> list[Any]:
    """Messages (a line, a list, or lines by index) flattened."""
    if isinstance(messages, dict):
        return [line for inner in messages.values() for line in _lines(inner)]
    return list(messages) if isinstance(messages, list) else [messages]
