"""Assessment pages: create one, edit its title and planned dates, and its cockpit (status,
dates and the time left, completion overall and by group without breaking anonymity, what to
do next) with its open, close (confirmed) and reopen (a lead, with a reason) forms.

Every rule is the services': who may date a campaign or reopen it, which moves are allowed,
how completion is counted and which groups are too small to be shown."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from marshmallow import ValidationError

from tracker.domain.errors import TrackerError
from tracker.models import Assessment, Organization
from tracker.models.assessments import KINDS
from tracker.models.base import utcnow
from tracker.schemas.observe import AssessmentPatchSchema, AssessmentSchema
from tracker.services.observe import assessments
from tracker.web.base import bp, org_page
from tracker.web.labels import DIAGNOSTIC_LABELS

#: The create form's fields, in order.
FORM_FIELDS: tuple[str, ...] = ("title", "kind", "framework_id", "planned_open_on",
                                 "planned_close_on", "opened_at", "closed_at")
#: The edit form's fields, in order.
EDIT_FIELDS: tuple[str, ...] = ("title", *assessments.PLANNED_FIELDS)


@bp.route("/orgs/<int:org_id>/assessments/new", methods=["GET", "POST"],
          endpoint="assessment_new")
@login_required
def assessment_new(org_id: int) -> Any:
    """Create an assessment (in draft); every bad field is shown beside it, at once."""
    org = org_page(org_id, "ops")
    g.active_nav = "diagnostic"
    values = _posted(FORM_FIELDS) or {"kind": "diagnostic"}
    created, errors, status = _submitted(
        lambda: assessments.create_assessment(
            org, AssessmentSchema().load({k: v for k, v in values.items() if v}),
            actor=current_user),
        lambda accepted: assessments.date_errors(org, accepted))
    if created is not None:
        flash(_("Assessment created, in draft."), "ok")
        return redirect(url_for("web.cockpit", org_id=org.id, assessment_id=created.id),
                        code=303)
    return render_template("observe/assessment_form.html", org=org, values=values,
                           errors=errors, kinds=KINDS, labels=DIAGNOSTIC_LABELS,
                           frameworks=assessments.usable_frameworks(org)), status


@bp.route("/orgs/<int:org_id>/assessments/<int:assessment_id>/edit", methods=["GET", "POST"],
          endpoint="assessment_edit")
@login_required
def assessment_edit(org_id: int, assessment_id: int) -> Any:
    """Change an assessment's title and planned dates (an empty date clears it); every bad
    field is shown beside it, at once, input kept."""
    org = org_page(org_id, "ops")
    g.active_nav = "diagnostic"
    assessment = assessments.get_assessment(org, assessment_id)
    values = _posted(EDIT_FIELDS) or {
        "title": assessment.title,
        **{name: _iso(getattr(assessment, name)) for name in assessments.PLANNED_FIELDS}}
    saved, errors, status = _submitted(
        lambda: assessments.update_assessment(
            org, assessment_id, AssessmentPatchSchema().load(
                {name: value or (None if name != "title" else value)
                 for name, value in values.items()}), actor=current_user),
        lambda accepted: assessments.planned_errors(accepted, assessment))
    if saved is not None:
        flash(_("Assessment saved."), "ok")
        return redirect(url_for("web.cockpit", org_id=org.id, assessment_id=assessment_id),
                        code=303)
    return render_template("observe/assessment_edit.html", org=org, assessment=assessment,
                           values=values, errors=errors), status


def _posted(names: tuple[str, ...]) -> dict[str, str]:
    """The submitted form's fields, stripped (empty for a GET: nothing submitted)."""
    if request.method != "POST":
        return {}
    return {name: request.form.get(name, "").strip() for name in names}


def _submitted(save: Callable[[], Assessment],
               rule_errors: Callable[[dict[str, Any]], Mapping[str, list[str]]],
               ) -> tuple[Assessment | None, dict[str, list[str]], int]:
    """On a POST, `save` the form (load it and call the service): the assessment, or on
    refusal every error by field at once with the status; `rule_errors` gives the service's
    checks of what the schema accepted, which a schema refusal would otherwise hide. A GET
    saves nothing: no assessment, no error, 200."""
    if request.method != "POST":
        return None, {}, 200
    try:
        return save(), {}, 200
    except ValidationError as invalid:
        accepted = invalid.valid_data if isinstance(invalid.valid_data, dict) else {}
        return None, {**_field_errors(rule_errors(accepted)),
                      **_field_errors(invalid.messages)}, 422
    except TrackerError as failure:
        return None, _field_errors(failure.errors or {"": [failure.detail]}), failure.status


def _iso(day: date | None) -> str:
    """A day as a date input holds it (`2027-03-15`; empty without one)."""
    return day.isoformat() if day else ""


@bp.get("/orgs/<int:org_id>/assessments/<int:assessment_id>/cockpit", endpoint="cockpit")
@login_required
def cockpit(org_id: int, assessment_id: int) -> Any:
    """The campaign's cockpit."""
    return _render(org_page(org_id), assessment_id, {}, {}), 200


@bp.post("/orgs/<int:org_id>/assessments/<int:assessment_id>/cockpit/status",
         endpoint="cockpit_status")
@login_required
def cockpit_status(org_id: int, assessment_id: int) -> Any:
    """Open, close (once the box confirms it) or reopen (a lead, with a reason) the
    assessment; the service decides who may make which move."""
    org = org_page(org_id, "ops")
    changes = {key: request.form[key] for key in ("status", "reason") if key in request.form}
    if changes.get("status") == "closed" and not request.form.get("confirm"):
        return _render(org, assessment_id, {"confirm": [_(
            "Check the box to confirm: once closed, ratings no longer change.")]},
            changes), 422
    try:
        assessment = assessments.update_assessment(org, assessment_id, changes,
                                                   actor=current_user)
    except TrackerError as failure:
        return _render(org, assessment_id, _field_errors(failure.errors or
                                                         {"": [failure.detail]}),
                       changes), failure.status
    flash(_("The assessment is now %(status)s.",
            status=DIAGNOSTIC_LABELS["status"].get(assessment.status, assessment.status)), "ok")
    return redirect(url_for("web.cockpit", org_id=org_id, assessment_id=assessment_id),
                    code=303)


def _render(org: Organization, assessment_id: int, errors: Mapping[str, list[str]],
            form: Mapping[str, str]) -> str:
    """The cockpit; `errors` and `form` refill a refused status move."""
    g.active_nav = "diagnostic"
    assessment = assessments.get_assessment(org, assessment_id)
    progress = assessments.completion(org, assessment_id, actor=current_user)
    left = assessments.campaign_time_left(org, assessment)
    return render_template(
        "observe/assessment.html", org=org, assessment=assessment, progress=progress,
        step=assessments.next_step(assessment, progress, left), left=left,
        labels=DIAGNOSTIC_LABELS,
        days=_days_since(assessment.closed_at or assessment.opened_at),
        respondents_url=page_url("web.respondents", org_id=org.id,
                                 assessment_id=assessment.id),
        min_group_size=org.min_group_size, errors=errors, form=form)


def page_url(endpoint: str, **values: Any) -> str | None:
    """The address of a page, or None while no such page exists (built by another part)."""
    if endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint, **values)


def _days_since(moment: datetime | None) -> int | None:
    """Whole days from `moment` to now (None without a moment)."""
    if moment is None:
        return None
    return (utcnow() - moment).days


def _field_errors(messages: Any) -> dict[str, list[str]]:
    """Errors by form field; those of fields the form does not show go under `""`."""
    errors: dict[str, list[str]] = {}
    items = messages.items() if isinstance(messages, dict) else [("", messages)]
    for field, problems in items:
        key = field if field in (*FORM_FIELDS, "status", "reason") else ""
        flat = problems if isinstance(problems, list) else [problems]
        errors.setdefault(key, []).extend(str(p) for p in flat)
    return errors
