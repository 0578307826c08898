"""Evidence pages: an assessment's verbatims (text, dimensions, source, tone, the findings
that cite them), their add, edit and remove forms, and the survey comments a consultant
promotes into verbatims with one click.

Contributors and above write verbatims (the API's rule); the respondent a verbatim came from
is shown and set by ops and leads only, and the candidate verbatims never name anyone.
"""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from marshmallow import ValidationError

from tracker.domain.constants import DB_INT_MAX
from tracker.domain.errors import InvalidInput
from tracker.models.assessments import SOURCES, TONES
from tracker.schemas.observe import EvidenceSchema
from tracker.services.frame import frameworks
from tracker.services.observe import assessments, evidence
from tracker.web.base import bp, can, org_page
from tracker.web.labels import EVIDENCE_LABELS

#: The least role that writes verbatims.
WRITE_ROLE = "contributor"
#: Verbatims and candidate verbatims per page.
PER_PAGE = 50
#: The most respondents the respondent select offers.
MAX_RESPONDENTS = 200
BASE = "/orgs/<int:org_id>/assessments/<int:assessment_id>/evidence"


@bp.route(BASE, methods=["GET", "POST"], endpoint="evidence")
@login_required
def evidence_page(org_id: int, assessment_id: int) -> Any:
    """The verbatims and, for writers, the add form; a posted form adds one (errors beside
    their fields, the input kept)."""
    org = org_page(org_id, WRITE_ROLE if request.method == "POST" else "viewer")
    g.active_nav = "diagnostic"
    values: dict[str, Any] = {"source": "interview", "tone": "neutral", "dimensions": [],
                              "finding_ids": []}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = _form_values()
        errors = _save(org_id, assessment_id, None, values)
        if not errors:
            flash(_("Verbatim added."), "ok")
            return redirect(url_for("web.evidence", org_id=org.id,
                                    assessment_id=assessment_id), code=303)
    return _list_page(assessment_id, values, errors), 422 if errors else 200


@bp.route(f"{BASE}/<int:evidence_id>/edit", methods=["GET", "POST"], endpoint="evidence_edit")
@login_required
def evidence_edit(org_id: int, assessment_id: int, evidence_id: int) -> Any:
    """Edit one verbatim and the findings that cite it."""
    org = org_page(org_id, WRITE_ROLE)
    g.active_nav = "diagnostic"
    item = evidence.get_evidence(org, assessment_id, evidence_id)
    values = {"text": item.text, "source": item.source, "tone": item.tone,
              "dimensions": [d.code for d in item.dimensions],
              "respondent_id": str(item.respondent_id or ""),
              "finding_ids": [str(f.id) for f in evidence.linked_findings([item.id])[item.id]]}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = _form_values()
        errors = _save(org_id, assessment_id, evidence_id, values)
        if not errors:
            flash(_("Verbatim saved."), "ok")
            return redirect(url_for("web.evidence", org_id=org.id,
                                    assessment_id=assessment_id), code=303)
    return render_template("observe/evidence_form.html", **_form_context(assessment_id),
                           item=item, values=values, errors=errors), 422 if errors else 200


@bp.post(f"{BASE}/<int:evidence_id>/remove", endpoint="evidence_remove")
@login_required
def evidence_remove(org_id: int, assessment_id: int, evidence_id: int) -> Any:
    """Remove one verbatim (the findings that cited it keep their other evidence)."""
    org = org_page(org_id, WRITE_ROLE)
    evidence.remove_evidence(org, assessment_id, evidence_id)
    flash(_("Verbatim removed."), "ok")
    return redirect(url_for("web.evidence", org_id=org_id, assessment_id=assessment_id),
                    code=303)


@bp.post(f"{BASE}/candidates/<int:rating_id>/promote", endpoint="evidence_promote")
@login_required
def evidence_promote(org_id: int, assessment_id: int, rating_id: int) -> Any:
    """Promote a survey comment into a verbatim, with the tone chosen beside the button."""
    org = org_page(org_id, assessments.SEES_RESPONDENTS)
    tone = request.form.get("tone", "neutral")
    evidence.promote_comment(org, assessment_id, rating_id,
                             tone if tone in TONES else "neutral", actor=current_user)
    flash(_("The comment is now a verbatim."), "ok")
    return redirect(url_for("web.evidence", org_id=org_id, assessment_id=assessment_id,
                            _anchor="candidates"), code=303)


def _form_values() -> dict[str, Any]:
    """The posted form as the template shows it back."""
    form = request.form
    return {"text": form.get("text", ""), "source": form.get("source", ""),
            "tone": form.get("tone", ""), "dimensions": form.getlist("dimensions"),
            "respondent_id": form.get("respondent_id", ""),
            "finding_ids": form.getlist("finding_ids")}


def _save(org_id: int, assessment_id: int, evidence_id: int | None,
          values: dict[str, Any]) -> dict[str, list[str]]:
    """Save the form through the services; the errors by field (none: saved)."""
    errors: dict[str, list[str]] = {}
    raw = {key: values[key] for key in ("text", "source", "tone", "dimensions")}
    if values["respondent_id"]:
        raw["respondent_id"] = values["respondent_id"]
    finding_ids = _ids(values["finding_ids"], errors)
    try:
        data = EvidenceSchema().load(raw)
    except ValidationError as invalid:
        for field, problems in invalid.normalized_messages().items():
            errors.setdefault(str(field), []).extend(_flat(problems))
    if errors:
        return errors
    try:
        evidence.save_evidence(g.org, assessment_id, evidence_id, data, finding_ids,
                               actor=current_user)
    except InvalidInput as invalid:
        for field, problems in (invalid.errors or {"": [invalid.detail]}).items():
            errors.setdefault(field, []).extend(_flat(problems))
    return errors


def _ids(texts: list[str], errors: dict[str, list[str]]) -> list[int]:
    """The checked finding ids; a tampered one is an error on `finding_ids`."""
    if all(text.isdigit() and 0 < int(text) <= DB_INT_MAX for text in texts):
        return [int(text) for text in texts]
    errors["finding_ids"] = [_("Unknown finding.")]
    return []


def _flat(problems: Any) -> list[str]:
    """A field's messages as lines (a list field nests them by index)."""
    if isinstance(problems, dict):
        return [line for nested in problems.values() for line in _flat(nested)]
    return [str(problems)] if isinstance(problems, str) else [str(p) for p in problems]


def _form_context(assessment_id: int) -> dict[str, Any]:
    """What the add and edit forms offer: dimensions by axis, sources, tones, findings and,
    for ops and leads, the respondents."""
    org = g.org
    assessment = assessments.get_assessment(org, assessment_id)
    framework = frameworks.load_framework(assessment.framework_id)
    respondents = (assessments.list_respondents(org, assessment_id, 1, MAX_RESPONDENTS,
                                                actor=current_user).items
                   if can(assessments.SEES_RESPONDENTS) else [])
    return {"org": org, "assessment": assessment, "axes": framework.axes, "sources": SOURCES,
            "tones": TONES, "labels": EVIDENCE_LABELS, "respondents": respondents,
            "findings": evidence.finding_choices(org, assessment_id)}


def _list_page(assessment_id: int, values: dict[str, Any],
               errors: dict[str, list[str]]) -> str:
    """The verbatims page: a page of verbatims, the add form, the candidate verbatims."""
    context = _form_context(assessment_id)
    page = max(1, min(request.args.get("page", 1, type=int) or 1, 10_000))
    items = assessments.list_evidence(g.org, assessment_id, page, PER_PAGE,
                                      actor=current_user)
    candidates = (evidence.candidate_verbatims(g.org, assessment_id, 1, PER_PAGE,
                                               actor=current_user)
                  if can(assessments.SEES_RESPONDENTS) else None)
    names = {r.id: r.name for r in context["respondents"]}
    return render_template("observe/evidence.html", **context, items=items,
                           linked=evidence.linked_findings([e.id for e in items.items]),
                           candidates=candidates, respondent_names=names, values=values,
                           errors=errors)
