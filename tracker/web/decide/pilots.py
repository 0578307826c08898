"""Pilot pages, on an initiative's page: create a pilot with its success criteria (KPI
thresholds), change its status or its criteria, record its go/no-go decision. Each
criterion's verdict and the suggested decision come from `services.decide.pilots`.

The criteria editor has no script: the form shows the pilot's criteria and a few empty rows
(`EMPTY_ROWS`); the "Add a criterion" button sends the form back with one more empty row,
nothing saved. A row with neither KPI nor threshold is left out; a half-filled row is
refused beside its fields. Forms are loaded with the API's schemas so a field error reads the
same in the browser and in the API.
"""

from __future__ import annotations

import re
from typing import Any

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from marshmallow import ValidationError

from tracker.domain.errors import InvalidInput
from tracker.models import Pilot
from tracker.schemas.common import flatten_messages
from tracker.schemas.decide import PilotSchema
from tracker.services.decide import pilots
from tracker.services.tenancy.access import get_owned
from tracker.web.base import bp, org_page
from tracker.web.decide.backlog import render_initiative
from tracker.web.decide.pilot_section import blank_rows
from tracker.web.forms import form_number, number_errors

PILOT_FIELDS = ("teams", "value_stream", "hypothesis", "success_criteria", "kpi", "threshold",
                "start", "end", "status")
#: The most rows "Add a criterion" grows a form to (the schema takes 20 criteria).
MAX_ROWS = 20
_ROW_ERROR = re.compile(r"^criteria\[(\d+)\]\.(\w+)$")


def _posted_rows() -> list[dict[str, str]]:
    """The criterion rows as sent, one more empty row when "Add a criterion" was pressed."""
    ids = request.form.getlist("criterion_kpi")
    thresholds = request.form.getlist("criterion_threshold")
    rows = [{"kpi_id": k.strip(), "threshold": t.strip()} for k, t in zip(ids, thresholds,
                                                                            strict=False)]
    if "add_criterion" in request.form and len(rows) < MAX_ROWS:
        rows += blank_rows(1)
    return rows


def _criteria(rows: list[dict[str, str]]) -> tuple[list[dict[str, Any]], list[int]]:
    """The filled rows as the schema's input (threshold read with a decimal comma) and, for
    each, its row's index (errors are shown on that row)."""
    criteria: list[dict[str, Any]] = []
    where: list[int] = []
    for n, row in enumerate(rows):
        if not row["kpi_id"] and not row["threshold"]:
            continue
        item: dict[str, Any] = {}
        if row["kpi_id"]:
            item["kpi_id"] = row["kpi_id"]
        if row["threshold"]:
            item["threshold"] = form_number(row["threshold"])
        criteria.append(item)
        where.append(n)
    return criteria, where


def _split_errors(messages: Any, where: list[int]) -> tuple[dict[str, list[str]],
                                                            dict[int, dict[str, list[str]]]]:
    """Errors by field, and the criteria's errors by form row and field (`kpi_id`,
    `threshold`); a threshold that is no number says so with both decimal marks."""
    flat = flatten_messages(messages) if isinstance(messages, dict) else {"": messages}
    fields: dict[str, list[str]] = {}
    rows: dict[int, dict[str, list[str]]] = {}
    for key, problems in flat.items():
        listed = [str(p) for p in (problems if isinstance(problems, list) else [problems])]
        matched = _ROW_ERROR.match(key)
        if matched and int(matched.group(1)) < len(where):
            name = matched.group(2)
            if name == "threshold":
                listed = number_errors({"threshold": listed}, {"threshold": _("Threshold")})[
                    "threshold"]
            rows.setdefault(where[int(matched.group(1))], {}).setdefault(name, []).extend(
                listed)
        else:
            fields.setdefault(key, []).extend(listed)
    return fields, rows


@bp.post("/orgs/<int:org_id>/initiatives/<int:initiative_id>/pilots", endpoint="pilot_new")
@login_required
def pilot_new(org_id: int, initiative_id: int) -> Any:
    """Create a pilot under the initiative; errors are shown next to the form's fields."""
    org = org_page(org_id, "ops")
    values = {name: request.form.get(name, "").strip() for name in PILOT_FIELDS}
    rows = _posted_rows()
    if "add_criterion" in request.form:
        return render_initiative(org, initiative_id, pilot_values=values, pilot_rows=rows)
    data: dict[str, Any] = {k: v for k, v in values.items() if v != ""}
    if "threshold" in data:
        data["threshold"] = form_number(data["threshold"])
    if "teams" in data:
        data["teams"] = [t.strip() for t in data["teams"].split(",") if t.strip()]
    data["criteria"], where = _criteria(rows)
    try:
        pilots.create_pilot(org, current_user, initiative_id, PilotSchema().load(data))
    except (ValidationError, InvalidInput) as invalid:
        messages = (invalid.messages if isinstance(invalid, ValidationError)
                    else dict(invalid.errors or {"": [invalid.detail]}))
        fields, row_errors = _split_errors(
            number_errors(messages, {"threshold": _("Threshold")}), where)
        return render_initiative(org, initiative_id, pilot_values=values, pilot_rows=rows,
                                 pilot_errors=fields or {"": [_("Check the criteria.")]},
                                 row_errors=row_errors), 422
    flash(_("Pilot created."), "ok")
    return redirect(url_for("web.initiative", org_id=org.id, initiative_id=initiative_id,
                            _anchor="pilots-title"), code=303)


@bp.post("/orgs/<int:org_id>/pilots/<int:pilot_id>/criteria", endpoint="pilot_criteria")
@login_required
def pilot_criteria(org_id: int, pilot_id: int) -> Any:
    """Replace a pilot's success criteria ("Add a criterion" shows one more row)."""
    org = org_page(org_id, "ops")
    owned = get_owned(Pilot, org, pilot_id, "Pilot")
    rows = _posted_rows()
    if "add_criterion" in request.form:
        return render_initiative(org, owned.initiative_id,
                                 criteria_forms={pilot_id: {"rows": rows, "errors": {},
                                                            "open": True}})
    criteria, where = _criteria(rows)
    try:
        pilots.update_pilot(org, current_user, pilot_id,
                            PilotSchema(partial=True).load({"criteria": criteria}))
    except (ValidationError, InvalidInput) as invalid:
        messages = (invalid.messages if isinstance(invalid, ValidationError)
                    else dict(invalid.errors or {"": [invalid.detail]}))
        fields, row_errors = _split_errors(messages, where)
        return render_initiative(org, owned.initiative_id, criteria_forms={pilot_id: {
            "rows": rows, "errors": row_errors, "fields": fields, "open": True}}), 422
    flash(_("Success criteria saved."), "ok")
    return redirect(url_for("web.initiative", org_id=org.id, initiative_id=owned.initiative_id,
                            _anchor=f"pilot-{pilot_id}"), code=303)


@bp.post("/orgs/<int:org_id>/pilots/<int:pilot_id>", endpoint="pilot_update")
@login_required
def pilot_update(org_id: int, pilot_id: int) -> Any:
    """Change a pilot's status (`running` starts it) or record its decision."""
    org = org_page(org_id, "ops")
    fields = ("status",) if "status" in request.form else (
        "decision", "decision_date", "rationale", "decided_by")
    data: dict[str, Any] = {k: request.form.get(k, "").strip() or None for k in fields}
    if "decision" in data:
        data["keep_initiative"] = request.form.get("keep_initiative") == "on"
    try:
        changes = PilotSchema(partial=True).load(data)
        if "decision" in changes and not changes["decision"]:
            raise ValidationError({"decision": [_("Choose a decision.")]})
        pilot = pilots.update_pilot(org, current_user, pilot_id, changes)
    except ValidationError as invalid:
        owned = get_owned(Pilot, org, pilot_id, "Pilot")
        return render_initiative(org, owned.initiative_id, decision_errors={
            pilot_id: _split_errors(invalid.messages, [])[0]}), 422
    flash(_("Pilot updated."), "ok")
    return redirect(url_for("web.initiative", org_id=org.id, initiative_id=pilot.initiative_id,
                            _anchor="pilots-title"), code=303)
