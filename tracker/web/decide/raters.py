"""The raters of an initiative, on its page: each rater's values for the prioritization
inputs (each input with its meaning and scale beside it), the raters' median and spread per
field, a form that adds a rater or changes one, and removing a rater.

Contributors and above rate, as through the API's `PUT .../initiatives/{id}/ratings/{rater}`;
the rules (ranges, at least one value) are the service's (`services.decide.raters`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from marshmallow import ValidationError

from tracker.domain.errors import InvalidInput
from tracker.domain.prioritization import INPUT_FIELDS
from tracker.models import Initiative, Organization
from tracker.schemas.decide import RaterFormSchema
from tracker.services.decide import raters
from tracker.web.base import bp, org_page
from tracker.web.decide.backlog import render_initiative
from tracker.web.decide.scorecard import input_text
from tracker.web.forms import form_numbers, number_errors
from tracker.web.labels import FIELD_LABELS, INPUT_HINTS

#: The fields of the rater form: the rater's name, then one per prioritization input.
FORM_FIELDS: tuple[str, ...] = ("rater", *INPUT_FIELDS)


@bp.post("/orgs/<int:org_id>/initiatives/<int:initiative_id>/raters",
         endpoint="initiative_rater_save")
@login_required
def rater_save(org_id: int, initiative_id: int) -> Any:
    """Record a rater's values (contributors and above): a new name adds a rater, a known
    one replaces their values. Every error beside its field, input kept (422)."""
    org = org_page(org_id, "contributor")
    values = {name: request.form.get(name, "").strip() for name in FORM_FIELDS}
    try:
        data = RaterFormSchema().load(
            {k: v or None for k, v in form_numbers(values, INPUT_FIELDS).items()})
        rater = data.pop("rater")
        raters.save_rater(org, current_user, initiative_id, rater, data)
    except ValidationError as invalid:
        accepted = invalid.valid_data if isinstance(invalid.valid_data, dict) else {}
        domain = raters.rater_errors(accepted)
        if any(values[name] for name in INPUT_FIELDS):
            domain.pop("", None)  # values were given, only not all of them acceptable
        return _refused(org, initiative_id, values,
                        number_errors(invalid.messages, FIELD_LABELS), domain)
    except InvalidInput as invalid:
        return _refused(org, initiative_id, values, invalid.errors)
    flash(_("Inputs of %(rater)s saved.", rater=rater), "ok")
    return _back(org, initiative_id)


@bp.post("/orgs/<int:org_id>/initiatives/<int:initiative_id>/raters/remove",
         endpoint="initiative_rater_remove")
@login_required
def rater_remove(org_id: int, initiative_id: int) -> Any:
    """Remove a rater's values (contributors and above); the fields they gave then read
    the other raters' median, else the owner's value."""
    org = org_page(org_id, "contributor")
    rater = request.form.get("rater", "")
    raters.remove_rater(org, current_user, initiative_id, rater)
    flash(_("%(rater)s is no longer a rater of this initiative.", rater=rater), "ok")
    return _back(org, initiative_id)


def raters_section(initiative: Initiative) -> dict[str, Any]:
    """What the initiative page's raters section shows: the raters, medians and spreads,
    the labels and hints of the inputs, and the form's values: a refused submission's, the
    rater asked for by `?rater=` (to change their values), else blank."""
    summary = raters.rater_summary(initiative)
    refused = g.get("rater_form") or {}
    chosen = next((r for r in summary["raters"] if r["rater"] == request.args.get("rater")),
                  None)
    values = refused.get("values") or ({"rater": chosen["rater"], **{
        k: input_text(v) for k, v in chosen["values"].items()}} if chosen else {})
    return {**summary, "fields": INPUT_FIELDS, "labels": FIELD_LABELS, "hints": INPUT_HINTS,
            "values": values, "errors": refused.get("errors", {}),
            "editing": chosen is not None and not refused}


@bp.app_context_processor
def _raters_section() -> dict[str, Callable[..., dict[str, Any]]]:
    """`raters_section(initiative)` for the initiative page's included section."""
    return {"raters_section": raters_section}


def _refused(org: Organization, initiative_id: int, values: Mapping[str, str],
             *found: Any) -> tuple[str, int]:
    """The initiative page again with the rater form's values and every error (422);
    `found` are mappings of field to messages (the schema's, the service's)."""
    errors: dict[str, list[str]] = {}
    for messages in found:
        for name, lines in messages.items():
            key = f"rater-{name}" if name in INPUT_FIELDS else ("rater" if name == "rater"
                                                                else "rater-form")
            errors.setdefault(key, []).extend(str(line) for line in lines)
    g.rater_form = {"values": dict(values), "errors": errors}
    return render_initiative(org, initiative_id), 422


def _back(org: Organization, initiative_id: int) -> Any:
    """Back to the initiative's raters section."""
    return redirect(url_for("web.initiative", org_id=org.id, initiative_id=initiative_id,
                            _anchor="raters"), code=303)
