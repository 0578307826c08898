"""Findings pages: an organization's findings (optionally of one assessment) in a table that
stays readable however many there are, the suggestions to accept or dismiss several at once,
the form that writes or edits one by hand (its dimensions and verbatims picked from the
assessment's), and the merge of two findings into one.

Reads are for every member; writes for ops and leads, as in the API. Every rule lives in
`services.diagnose.findings`; the views turn form fields into its input and its errors back
into messages beside the fields.
"""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from marshmallow import ValidationError

from tracker.domain.constants import DB_INT_MAX
from tracker.domain.errors import DependencyCycle, InvalidInput
from tracker.models import Assessment, Finding, Organization
from tracker.models.findings import FINDING_KINDS
from tracker.schemas.diagnose import FindingPatchSchema, FindingSchema
from tracker.services.diagnose import findings
from tracker.services.frame import frameworks
from tracker.services.observe import assessments
from tracker.web.base import bp, org_page
from tracker.web.labels import DIAGNOSTIC_LABELS

#: Findings shown per page of the table.
PER_PAGE = 100
#: The fields of the finding form, in order.
FORM_FIELDS: tuple[str, ...] = ("title", "description", "kind", "status", "dimensions",
                                "evidence_ids")
#: Characters of a description shown before the rest folds into "more".
SHORT_TEXT = 140


@bp.get("/orgs/<int:org_id>/findings", endpoint="findings")
@login_required
def findings_page(org_id: int) -> str:
    """The findings, optionally of one assessment or status; the suggestions awaiting review
    apart, with checkboxes to accept or dismiss several at once."""
    org = org_page(org_id)
    return _list_page(org, {})


@bp.post("/orgs/<int:org_id>/findings/review", endpoint="findings_review")
@login_required
def findings_review(org_id: int) -> Any:
    """Accept or dismiss the checked suggestions, all in one unit of work: if one cannot be
    reviewed, none is, and the list says why beside the checkboxes."""
    org = org_page(org_id, "ops")
    status = request.form.get("status", "")
    ids = [int(raw) for raw in request.form.getlist("finding_ids") if _is_id(raw)]
    try:
        reviewed = findings.review_suggestions(org, ids, status)
    except InvalidInput as error:
        return _list_page(org, error.errors), 422
    message = (ngettext("%(num)d suggestion accepted.", "%(num)d suggestions accepted.",
                        len(reviewed)) if status == "accepted" else
               ngettext("%(num)d suggestion dismissed.", "%(num)d suggestions dismissed.",
                        len(reviewed)))
    flash(message, "ok")
    return redirect(_list_url(org), code=303)


@bp.post("/orgs/<int:org_id>/findings/suggest", endpoint="findings_suggest")
@login_required
def findings_suggest(org_id: int) -> Any:
    """Store the findings the rules suggest for the chosen assessment, then list them."""
    org = org_page(org_id, "ops")
    assessment = _assessment_arg(org, request.form.get("assessment_id"))
    if assessment is None:
        return _list_page(org, {"assessment_id": [_("Choose an assessment.")]}), 422
    result = findings.suggest(org, assessment.id)
    flash(ngettext("%(num)d finding suggested.", "%(num)d findings suggested.",
                   len(result.created)), "ok")
    return redirect(url_for("web.findings", org_id=org.id, assessment_id=assessment.id,
                            _anchor="suggestions"), code=303)


@bp.route("/orgs/<int:org_id>/findings/new", methods=["GET", "POST"], endpoint="finding_new")
@login_required
def finding_new(org_id: int) -> Any:
    """Write a finding by hand on one assessment (chosen first: its dimensions and verbatims
    fill the form); every bad field is reported beside it, the input kept."""
    org = org_page(org_id, "ops")
    g.active_nav = "diagnostic"
    assessment = _assessment_arg(org, request.values.get("assessment_id"))
    if assessment is None:
        return render_template("diagnose/findings_choose.html", org=org,
                               assessments=assessments.list_assessments(org, 1, 200).items)
    values: dict[str, Any] = {"kind": "gap", "status": "accepted", "dimensions": [],
                              "evidence_ids": []}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = _form_values()
        try:
            data = FindingSchema().load({**values, "assessment_id": assessment.id})
            created = findings.create_finding(org, data)
        except (ValidationError, InvalidInput) as error:
            errors = _errors(error)
        else:
            flash(_("Finding “%(title)s” saved.", title=created.title), "ok")
            return redirect(_list_url(org, assessment.id), code=303)
    return _form_page(org, assessment, None, values, errors)


@bp.route("/orgs/<int:org_id>/findings/<int:finding_id>/edit", methods=["GET", "POST"],
          endpoint="finding_edit")
@login_required
def finding_edit(org_id: int, finding_id: int) -> Any:
    """Edit a finding's title, description, kind, status, dimensions and verbatims."""
    org = org_page(org_id, "ops")
    g.active_nav = "diagnostic"
    finding = findings.get_finding(org, finding_id)
    assessment = _assessment_arg(org, finding.assessment_id)
    values: dict[str, Any] = {
        "title": finding.title, "description": finding.description, "kind": finding.kind,
        "status": finding.status, "dimensions": [d.code for d in finding.dimensions],
        "evidence_ids": [str(e.id) for e in finding.evidence]}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = _form_values()
        changes = dict(values)
        if changes.get("status") == finding.status:
            del changes["status"]  # unchanged: a suggestion may stay one
        try:
            findings.update_finding(org, finding_id, FindingPatchSchema().load(changes))
        except (ValidationError, InvalidInput) as error:
            errors = _errors(error)
        else:
            flash(_("Finding “%(title)s” saved.", title=values["title"]), "ok")
            return redirect(_list_url(org, finding.assessment_id), code=303)
    return _form_page(org, assessment, finding, values, errors)


@bp.route("/orgs/<int:org_id>/findings/<int:finding_id>/merge", methods=["GET", "POST"],
          endpoint="finding_merge")
@login_required
def finding_merge(org_id: int, finding_id: int) -> Any:
    """Merge this finding and another of its assessment, keeping the one chosen: the other's
    verbatims, initiatives and root-cause links move over, and it stays, dismissed and
    marked as merged, so its history is kept (services.diagnose.findings.merge_findings)."""
    org = org_page(org_id, "ops")
    g.active_nav = "diagnostic"
    finding = findings.get_finding(org, finding_id)
    values = {"other_id": request.form.get("other_id", ""),
              "keep": request.form.get("keep", "this"),
              "confirm": request.form.get("confirm", "")}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        errors = _merge_form_errors(values)
        if not errors:
            other = int(values["other_id"])
            keep, merged = ((finding.id, other) if values["keep"] == "this"
                            else (other, finding.id))
            try:
                kept = findings.merge_findings(org, keep, merged, current_user)
            except InvalidInput as error:
                errors = {"other_id": [str(m) for ms in error.errors.values() for m in ms]}
            except DependencyCycle as cycle:
                errors = {"": [cycle.detail]}
            else:
                flash(_("Findings merged into “%(title)s”.", title=kept.title), "ok")
                return redirect(_list_url(org, kept.assessment_id), code=303)
    others = [f for f in findings.list_findings(
        org, 1, 1000, {"assessment_id": finding.assessment_id}).items
        if f.id != finding.id and findings.merged_into(f) is None]
    return render_template("diagnose/findings_merge.html", org=org, finding=finding,
                           others=others, values=values, errors=errors,
                           labels=DIAGNOSTIC_LABELS), 422 if errors else 200


def _list_page(org: Organization, errors: dict[str, Any]) -> str:
    """The findings table and the suggestions form, with the review's errors if refused."""
    g.active_nav = "diagnostic"
    assessment = _assessment_arg(org, request.values.get("assessment_id"))
    status = request.args.get("status") if request.args.get("status") in \
        DIAGNOSTIC_LABELS["finding_status"] else None
    number = max(1, request.args.get("page", 1, type=int) or 1)
    scope = {"assessment_id": assessment.id if assessment else None}
    page = findings.list_findings(org, number, PER_PAGE, {**scope, "status": status})
    suggested = findings.list_findings(org, 1, 500, {**scope, "status": "suggested"}).items
    checked = set(request.form.getlist("finding_ids"))
    return render_template(
        "diagnose/findings.html", org=org, assessment=assessment, page=page,
        suggested=suggested, checked=checked, status=status, errors=errors,
        pages=max(1, -(-page.total // PER_PAGE)), merged_into=findings.merged_into,
        short=SHORT_TEXT, labels=DIAGNOSTIC_LABELS,
        assessments=assessments.list_assessments(org, 1, 200).items,
        page_url=lambda n: url_for("web.findings", org_id=org.id, page=n, status=status,
                                   assessment_id=scope["assessment_id"]))


def _form_page(org: Organization, assessment: Assessment | None, finding: Finding | None,
               values: dict[str, Any], errors: dict[str, list[str]]) -> Any:
    """The create or edit form, with the assessment's dimensions and verbatims to pick."""
    dimensions = (list(frameworks.dimensions_by_code(
        frameworks.load_framework(assessment.framework_id)).values()) if assessment else [])
    verbatims = (assessments.list_evidence(org, assessment.id, 1, 1000,
                                           actor=current_user).items if assessment else [])
    statuses = ["accepted", "dismissed"] if finding else ["accepted", "suggested"]
    if finding and finding.status not in statuses:
        statuses.insert(0, finding.status)
    return render_template(
        "diagnose/findings_form.html", org=org, assessment=assessment, finding=finding,
        values=values, errors=errors, kinds=FINDING_KINDS, statuses=statuses,
        dimensions=dimensions, verbatims=verbatims, labels=DIAGNOSTIC_LABELS,
        back=_list_url(org, assessment.id if assessment else None)), 422 if errors else 200


def _form_values() -> dict[str, Any]:
    """The submitted finding fields as text (the picked dimensions and verbatims as lists)."""
    values: dict[str, Any] = {name: request.form.get(name, "").strip()
                              for name in ("title", "description", "kind", "status")}
    values["dimensions"] = [code for code in request.form.getlist("dimensions") if code]
    values["evidence_ids"] = [raw for raw in request.form.getlist("evidence_ids") if raw]
    return values


def _merge_form_errors(values: dict[str, str]) -> dict[str, list[str]]:
    """What the merge form lacks: the other finding, which to keep, the confirmation."""
    errors: dict[str, list[str]] = {}
    if not _is_id(values["other_id"]):
        errors["other_id"] = [_("Choose the finding to merge with.")]
    if values["keep"] not in ("this", "other"):
        errors["keep"] = [_("Choose the finding to keep.")]
    if not values["confirm"]:
        errors["confirm"] = [_("Check the box to confirm the merge.")]
    return errors


def _errors(error: ValidationError | InvalidInput) -> dict[str, list[str]]:
    """The schema's or the service's errors by form field; others under `""`."""
    messages = error.messages if isinstance(error, ValidationError) else error.errors
    if not isinstance(messages, dict):
        return {"": _flat(messages)}
    result: dict[str, list[str]] = {}
    for field, problems in messages.items():
        result.setdefault(field if field in FORM_FIELDS else "", []).extend(_flat(problems))
    return result


def _flat(problems: Any) -> list[str]:
    """Nested messages (a list field's `{index: [...]}`) as plain lines."""
    if isinstance(problems, dict):
        return [line for inner in problems.values() for line in _flat(inner)]
    if isinstance(problems, list | tuple):
        return [line for problem in problems for line in _flat(problem)]
    return [str(problems)]


def _assessment_arg(org: Organization, raw: Any) -> Assessment | None:
    """The organization's assessment named by a query or form value, if any (404 if it is
    not the organization's)."""
    if raw is None or not _is_id(str(raw)):
        return None
    return assessments.get_assessment(org, int(raw))


def _list_url(org: Organization, assessment_id: int | None = None) -> str:
    """The findings list, of the assessment in the request if none is given."""
    if assessment_id is None:
        chosen = _assessment_arg(org, request.values.get("assessment_id"))
        assessment_id = chosen.id if chosen else None
    return url_for("web.findings", org_id=org.id, assessment_id=assessment_id)


def _is_id(text: str) -> bool:
    """Whether a form value is a record id (ASCII digits, in range)."""
    return text.isascii() and text.isdigit() and 1 <= int(text) <= DB_INT_MAX
