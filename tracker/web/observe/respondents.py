"""Respondents pages (ops and leads only: who the respondents are is private): the list
with completion, last survey email and each personal link with a copy button; add one,
edit, remove; paste or upload a list with a preview naming every bad cell, then add it all
or nothing; send the survey invitations and remind those who have not finished.

Every rule is the services' (`services.observe.respondents`, `assessments`); the views
read the form, call them and show their errors beside the fields.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required
from marshmallow import ValidationError

from tracker.domain.errors import TrackerError
from tracker.models import Organization
from tracker.models.assessments import PERSPECTIVES, SOURCES
from tracker.schemas.observe import RespondentSchema
from tracker.services.observe import assessments, respondents
from tracker.services.observe.ratings_import import MAX_BYTES_SETTING
from tracker.web.base import bp, org_page
from tracker.web.forms import encoding_warning

#: The least role of every respondents page.
ROLE = "ops"
PER_PAGE = 50
#: Characters of the list's search kept (a name, an email, a team or a role).
SEARCH_MAX = 100
BASE = "/orgs/<int:org_id>/assessments/<int:assessment_id>/respondents"
SOURCE_LABELS: dict[str, Any] = {"interview": _l("interview"), "document": _l("document"),
                                 "observation": _l("observation"), "survey": _l("survey")}
EMAIL_STATUS_LABELS: dict[str, Any] = {"pending": _l("queued"), "sent": _l("sent"),
                                       "failed": _l("failed")}
FIELD_LABELS: dict[str, Any] = {"name": _l("Name"), "email": _l("Email"), "role": _l("Role"),
                                "team": _l("Team"), "level": _l("Level"),
                                "source": _l("Source"), "perspective": _l("Perspective")}
PERSPECTIVE_LABELS: dict[str, Any] = {"client": _l("client"), "consultant": _l("consultant")}


@bp.get(BASE, endpoint="respondents")
@login_required
def respondents_page(org_id: int, assessment_id: int) -> Any:
    """The assessment's respondents, a page at a time, with the add and list forms."""
    org = org_page(org_id, ROLE)
    return _list_page(org, assessment_id)


@bp.post(f"{BASE}/new", endpoint="respondent_add")
@login_required
def respondent_add(org_id: int, assessment_id: int) -> Any:
    """Add one respondent; refused fields come back beside their inputs, input kept."""
    org = org_page(org_id, ROLE)
    values = _form_values()
    try:
        added = assessments.add_respondent(
            org, assessment_id, RespondentSchema().load(_form_data(values)), actor=current_user)
    except (ValidationError, TrackerError) as refused:
        return _list_page(org, assessment_id, values=values, errors=_errors(refused)), 422
    flash(_("%(name)s added.", name=added.name), "ok")
    return redirect(url_for("web.respondents", org_id=org.id, assessment_id=assessment_id),
                    code=303)


@bp.get(f"{BASE}/<int:respondent_id>", endpoint="respondent_answers")
@login_required
def respondent_answers(org_id: int, assessment_id: int, respondent_id: int) -> Any:
    """One respondent's answers and comments, by axis (ops and leads only)."""
    org = org_page(org_id, ROLE)
    answered = respondents.answers_of(org, assessment_id, respondent_id, actor=current_user)
    return render_template("observe/respondent_answers.html", org=org, survey=answered,
                           assessment=answered.assessment, **_vocabulary())


@bp.route(f"{BASE}/<int:respondent_id>/edit", methods=["GET", "POST"],
          endpoint="respondent_edit")
@login_required
def respondent_edit(org_id: int, assessment_id: int, respondent_id: int) -> Any:
    """Edit a respondent's name, email, role, team, level, source and perspective."""
    org = org_page(org_id, ROLE)
    respondent = respondents.get_respondent(org, assessment_id, respondent_id,
                                            actor=current_user)
    values = {name: getattr(respondent, name) or "" for name in respondents.FIELDS}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = _form_values()
        try:
            respondents.update_respondent(org, assessment_id, respondent_id,
                                          RespondentSchema().load(_form_data(values)),
                                          actor=current_user)
        except (ValidationError, TrackerError) as refused:
            errors = _errors(refused)
        else:
            flash(_("%(name)s saved.", name=respondent.name), "ok")
            return redirect(url_for("web.respondents", org_id=org.id,
                                    assessment_id=assessment_id), code=303)
    return render_template(
        "observe/respondents_edit.html", org=org, respondent=respondent, values=values,
        errors=errors, **_vocabulary(), assessment=assessments.get_assessment(
            org, assessment_id)), 422 if errors else 200


@bp.post(f"{BASE}/<int:respondent_id>/delete", endpoint="respondent_delete")
@login_required
def respondent_delete(org_id: int, assessment_id: int, respondent_id: int) -> Any:
    """Remove a respondent who gave nothing yet (one with ratings is refused, saying why)."""
    org = org_page(org_id, ROLE)
    try:
        respondents.remove_respondent(org, assessment_id, respondent_id, actor=current_user)
    except TrackerError as refused:
        flash(refused.detail, "error")
    else:
        flash(_("Respondent removed."), "ok")
    return redirect(url_for("web.respondents", org_id=org.id, assessment_id=assessment_id),
                    code=303)


@bp.post(f"{BASE}/import", endpoint="respondents_import")
@login_required
def respondents_import(org_id: int, assessment_id: int) -> Any:
    """A pasted or uploaded list: `step=preview` shows every row and every bad cell;
    `step=confirm` checks the same rows again and adds them all, or none."""
    org = org_page(org_id, ROLE)
    pasted = request.form.get("list", "")
    upload = request.files.get("file")
    try:
        if upload is not None and upload.filename:
            limit = int(current_app.config[MAX_BYTES_SETTING])
            data = upload.read(limit + 1)
            if warning := encoding_warning(data, upload.filename):
                flash(warning, "warning")
            rows = respondents.read_list(data, upload.filename, current_app.config)
        else:
            rows = respondents.read_list(pasted.encode(), "", current_app.config)
    except TrackerError as refused:
        errors = {"list": [refused.detail, *_lines(refused.errors)]}
        return _list_page(org, assessment_id, pasted=pasted, errors=errors), refused.status
    if request.form.get("step") == "confirm" and rows:
        try:
            ids = respondents.add_respondents(org, assessment_id, rows, actor=current_user)
        except TrackerError as refused:
            return _preview_page(org, assessment_id, rows, refused.detail, refused.status)
        flash(ngettext("%(num)d respondent added.", "%(num)d respondents added.", len(ids)),
              "ok")
        return redirect(url_for("web.respondents", org_id=org.id,
                                assessment_id=assessment_id), code=303)
    return _preview_page(org, assessment_id, rows)


@bp.post(f"{BASE}/invitations", endpoint="respondents_invite")
@login_required
def respondents_invite(org_id: int, assessment_id: int) -> Any:
    """Queue the survey invitation of every respondent with an email who has none yet."""
    org = org_page(org_id, ROLE)
    return _after_sending(org, assessment_id, lambda: respondents.send_invitations(
        org, assessment_id, current_app.config, actor=current_user),
        lambda n: ngettext("%(num)d invitation queued.", "%(num)d invitations queued.", n))


@bp.post(f"{BASE}/<int:respondent_id>/invitation", endpoint="respondent_invite")
@login_required
def respondent_invite(org_id: int, assessment_id: int, respondent_id: int) -> Any:
    """Send one respondent's invitation on purpose (again, if they had it already)."""
    org = org_page(org_id, ROLE)
    return _after_sending(org, assessment_id, lambda: respondents.resend_invitation(
        org, assessment_id, respondent_id, current_app.config, actor=current_user),
        lambda n: ngettext("%(num)d invitation queued.", "%(num)d invitations queued.", n))


@bp.post(f"{BASE}/reminders", endpoint="respondents_remind")
@login_required
def respondents_remind(org_id: int, assessment_id: int) -> Any:
    """Queue a reminder to those who have not finished (once a week, unless `again`)."""
    org = org_page(org_id, ROLE)
    return _after_sending(org, assessment_id, lambda: respondents.send_reminders(
        org, assessment_id, current_app.config, actor=current_user,
        again=bool(request.form.get("again"))),
        lambda n: ngettext("%(num)d reminder queued.", "%(num)d reminders queued.", n))


def _after_sending(org: Organization, assessment_id: int, send: Any, said: Any) -> Any:
    """Send, flash how many were queued (or why none could be), back to the list."""
    try:
        queued = send()
    except TrackerError as refused:
        flash(refused.detail, "error")
    else:
        flash(said(queued), "ok")
    return redirect(url_for("web.respondents", org_id=org.id, assessment_id=assessment_id),
                    code=303)


def _list_page(org: Organization, assessment_id: int, *, values: dict[str, Any] | None = None,
               errors: dict[str, list[str]] | None = None, pasted: str = "") -> str:
    """The list page; the add form and the list form keep what was sent when refused."""
    g.active_nav = "diagnostic"
    number = max(request.args.get("page", 1, type=int) or 1, 1)
    search = request.args.get("q", "").strip()[:SEARCH_MAX]
    shown = respondents.overview(org, assessment_id, number, PER_PAGE, actor=current_user,
                                 search=search)
    return render_template(
        "observe/respondents.html", org=org, overview=shown, assessment=shown.assessment,
        values=values or {"source": "survey"}, errors=errors or {}, pasted=pasted,
        links={line.respondent.id: respondents.survey_link(current_app.config,
                                                           line.respondent)
               for line in shown.page.items},
        pages=max(1, -(-shown.page.total // PER_PAGE)), search=search,
        page_url=lambda n: url_for("web.respondents", org_id=org.id,
                                   assessment_id=assessment_id, page=n, q=search or None),
        **_vocabulary())


def _preview_page(org: Organization, assessment_id: int, rows: list[Any],
                  refused: str | None = None, status: int | None = None) -> Any:
    """The checked list: every row with its bad cells, and the confirm when all are good
    (`refused`: why the confirm added nothing, with its `status`)."""
    g.active_nav = "diagnostic"
    checked = respondents.preview_rows(org, assessment_id, rows, actor=current_user)
    status = status or (422 if checked.errors else 200)
    return render_template(
        "observe/respondents_preview.html", org=org, preview=checked, refused=refused,
        assessment=assessments.get_assessment(org, assessment_id),
        carried=respondents.list_csv(rows), **_vocabulary()), status


def _vocabulary() -> dict[str, Any]:
    """What every respondents template shares: the fields, their labels, the sources, and
    the way back to the assessment (its cockpit, where it opens and closes, else its
    diagnostic)."""
    back = "web.cockpit" if "web.cockpit" in current_app.view_functions else "web.assessment"
    return {"sources": SOURCES, "source_labels": SOURCE_LABELS, "labels": FIELD_LABELS,
            "perspectives": PERSPECTIVES, "perspective_labels": PERSPECTIVE_LABELS,
            "fields": respondents.FIELDS, "back_endpoint": back,
            "email_statuses": EMAIL_STATUS_LABELS}


def _form_values() -> dict[str, str]:
    """The submitted respondent fields, stripped."""
    return {name: request.form.get(name, "").strip() for name in respondents.FIELDS}


def _form_data(values: dict[str, str]) -> dict[str, Any]:
    """Form text to schema input: an empty optional field is no value; an empty source
    the default (survey)."""
    return {name: (value or None) if name not in ("name", "source") else value
            for name, value in values.items() if name != "source" or value}


def _errors(refused: ValidationError | TrackerError) -> dict[str, list[str]]:
    """Errors by form field; what belongs to no field of the form goes under `""`."""
    if isinstance(refused, ValidationError):
        messages: Any = refused.messages
    else:
        messages = refused.errors or {}
        if not set(messages) & set(respondents.FIELDS):
            messages = {"": [refused.detail]}
    errors: dict[str, list[str]] = {}
    for name, lines in (messages.items() if isinstance(messages, dict) else [("", messages)]):
        errors.setdefault(name if name in respondents.FIELDS else "", []).extend(_lines(lines))
    return errors


def _lines(messages: Any) -> list[str]:
    """Messages (a list, or lines by key) as lines."""
    if isinstance(messages, dict):
        return [f"{key}: {line}" for key, lines in messages.items() for line in _lines(lines)]
    if isinstance(messages, list):
        return [str(m) for m in messages]
    return [str(messages)] if messages else []
