"""Targets page: the ambition of a framework's dimensions, grouped by axis, with a level per
dimension, a level applied to a whole axis, and the date they are valid from; saved through
`services.frame.targets`, all or nothing, as `PUT /api/v1/orgs/{id}/targets` does."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import login_required

from tracker.domain.errors import InvalidInput, TrackerError
from tracker.models import Framework, Organization
from tracker.services.frame import frameworks, targets
from tracker.services.observe import assessments
from tracker.web.base import bp, org_page
from tracker.web.forms import form_float


@bp.route("/orgs/<int:org_id>/targets", methods=["GET", "POST"], endpoint="targets")
@login_required
def targets_page(org_id: int) -> Any:
    """The targets of the framework asked (`framework_id`), or a choice of frameworks."""
    org = org_page(org_id, "ops" if request.method == "POST" else "viewer")
    g.active_nav = "targets"
    framework = _framework(org)
    if framework is None:
        return _page(org, None)
    values: dict[str, str] = {f"level:{code}": _text(level) for code, level in
                              targets.current_targets(org.id, framework).items()}
    values["valid_from"] = date.today().isoformat()
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = {key: raw.strip() for key, raw in request.form.items() if key != "csrf_token"}
        errors = _save(org, framework, values)
        if not errors:
            flash(_("Targets saved."), "ok")
            return redirect(url_for("web.targets", org_id=org.id, framework_id=framework.id),
                            code=303)
    return _page(org, framework, values=values, errors=errors), 422 if errors else 200


def _page(org: Organization, framework: Framework | None, **context: Any) -> str:
    """The targets page, the grids' names in the user's language where translated."""
    locale = str(get_locale() or "en")
    choices = assessments.usable_frameworks(org)
    return render_template(
        "frame/targets.html", org=org, framework=framework, frameworks=choices,
        choice_names=frameworks.framework_names([row.id for row in choices], locale),
        names=frameworks.display_names(framework, locale) if framework else None, **context)


def _framework(org: Organization) -> Framework | None:
    """The framework named by `framework_id` (one the organization may use), or None."""
    raw = request.values.get("framework_id", "")
    if not (raw.isascii() and raw.isdigit()):
        return None
    try:
        return frameworks.framework_for_org(org.id, int(raw))
    except TrackerError:
        return None


def _save(org: Organization, framework: Framework,
          values: Mapping[str, str]) -> dict[str, list[str]]:
    """Save the form's levels; the errors by form field (none when saved)."""
    dimension_levels, axis_levels, errors = _levels(values)
    valid_from = _valid_from(values.get("valid_from", ""), errors)
    rows = targets.rows_with_axis_levels(framework, dimension_levels, axis_levels)
    if errors:
        refused = targets.target_errors(org, framework.id, rows)
        return {**_row_errors(refused, rows, framework, axis_levels), **errors}
    try:
        targets.set_targets(org, framework.id, rows, valid_from=valid_from)
    except InvalidInput as invalid:
        return _row_errors(invalid.errors, rows, framework, axis_levels)
    return {}


def _levels(values: Mapping[str, str]) -> tuple[dict[str, float], dict[str, float],
                                                dict[str, list[str]]]:
    """The numbers of the `level:<dimension>` and `axis:<axis>` fields (blank ones left
    out; a decimal comma accepted), and an error for each field that is not a number."""
    found: dict[str, dict[str, float]] = {"level": {}, "axis": {}}
    errors: dict[str, list[str]] = {}
    for key, raw in values.items():
        prefix, _sep, code = key.partition(":")
        if prefix not in found or not code or not raw:
            continue
        try:
            found[prefix][code] = form_float(raw)
        except ValueError:
            errors[key] = [_("Enter a number, or leave the field blank.")]
    return found["level"], found["axis"], errors


def _valid_from(raw: str, errors: dict[str, list[str]]) -> date | None:
    """The valid-from date (today when blank); an error beside the field when not a date."""
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors["valid_from"] = [_("Enter a date (YYYY-MM-DD).")]
        return None


def _row_errors(refused: Mapping[str, Any], rows: list[dict[str, Any]], framework: Framework,
                axis_levels: Mapping[str, float]) -> dict[str, list[str]]:
    """The service's row errors (`[3].level`) moved to the field the row came from: the
    axis field when its axis level was applied, else the dimension's."""
    axis_of = {d.code: axis.code for axis in framework.axes for d in axis.dimensions}
    errors: dict[str, list[str]] = {}
    for key, messages in refused.items():
        index = key.split("]")[0].lstrip("[")
        if not index.isdigit() or int(index) >= len(rows):
            errors.setdefault("", []).extend(str(m) for m in messages)
            continue
        code = rows[int(index)]["dimension"]
        field = f"axis:{axis_of[code]}" if axis_of.get(code) in axis_levels else f"level:{code}"
        if field not in errors:
            errors[field] = [str(m) for m in messages]
    return errors


def _text(level: float) -> str:
    """A level as the form shows it (`3`, `3.5`)."""
    return f"{level:g}"
