"""Playbook pages: the initiatives suggested for an assessment (templates ranked by the gap
they close, with their reason) and their adoption, and root causes between findings (the
diagnostic's findings listed root causes first, a finding marked as the symptom of another).

Rules stay in the services (`suggestions`, `root_causes`); the views only shape their
results for the templates.
"""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker.domain.errors import Conflict, DependencyCycle, InvalidInput
from tracker.models import Finding, Organization
from tracker.services import assessments, root_causes, suggestions
from tracker.services.access import get_owned
from tracker.web import backlog, diagnostic
from tracker.web.base import bp, org_page


@bp.get("/orgs/<int:org_id>/assessments/<int:assessment_id>/suggestions",
        endpoint="suggestions")
@login_required
def suggestions_page(org_id: int, assessment_id: int) -> Any:
    """For each gap, tension or blind spot, the applicable templates best first."""
    org = org_page(org_id)
    return _suggestions(org, assessment_id, [], []), 200


@bp.post("/orgs/<int:org_id>/assessments/<int:assessment_id>/suggestions",
         endpoint="adopt_suggestions")
@login_required
def adopt_suggestions(org_id: int, assessment_id: int) -> Any:
    """Adopt the checked templates (all or nothing) and list the initiatives created."""
    org = org_page(org_id, "ops")
    codes = request.form.getlist("template_codes")
    if not codes:
        return _suggestions(org, assessment_id, codes,
                            [_("Check at least one template to adopt.")]), 422
    try:
        result = suggestions.adopt(org, current_user, assessment_id, codes)
    except InvalidInput as refused:
        problems = [str(m) for messages in refused.errors.values() for m in messages]
        return _suggestions(org, assessment_id, codes, [refused.detail, *problems]), 422
    g.active_nav = "diagnostic"
    titles = {item["id"]: item["title"] for item in result["initiatives"]}
    edges = [(titles[e.prerequisite_id], titles[e.dependent_id])
             for e in result["dependencies"]]
    return render_template("web/playbook/adopted.html", org=org,
                           assessment=assessments.get_assessment(org, assessment_id),
                           created=result["initiatives"], edges=edges), 201


@bp.post("/orgs/<int:org_id>/findings/<int:finding_id>/root-causes",
         endpoint="finding_root_cause")
@login_required
def finding_root_cause(org_id: int, finding_id: int) -> Any:
    """Mark a finding as the symptom of another; a cycle is refused and shown in order."""
    org = org_page(org_id, "ops")
    finding = get_owned(Finding, org, finding_id, "Finding")
    raw = request.form.get("root_cause_id", "")
    try:
        if not raw.isdigit():
            raise InvalidInput(_("Choose the root cause."), errors={"root_cause_id": [raw]})
        root_causes.add_root_cause(org, finding.id, int(raw))
    except DependencyCycle as cycle:
        flash(_("Refused: this link would close a cycle: %(cycle)s",
                cycle=" → ".join(cycle.extra.get("cycle_titles", []))), "error")
    except (Conflict, InvalidInput) as refused:
        flash(refused.detail, "error")
    else:
        flash(_("“%(title)s” is now marked as a symptom.", title=finding.title), "ok")
    return redirect(url_for("web.assessment", org_id=org_id, assessment_id=finding.assessment_id,
                            _anchor="findings"), code=303)


@bp.post("/orgs/<int:org_id>/findings/<int:finding_id>/root-causes/<int:root_cause_id>/delete",
         endpoint="finding_root_cause_remove")
@login_required
def finding_root_cause_remove(org_id: int, finding_id: int, root_cause_id: int) -> Any:
    """Remove the link marking a finding as the symptom of another (ops and above); 404 when
    there is no such link."""
    org = org_page(org_id, "ops")
    finding = get_owned(Finding, org, finding_id, "Finding")
    root_causes.remove_root_cause(org, finding.id, root_cause_id)
    flash(_("“%(title)s” is no longer marked as a symptom of that finding.",
            title=finding.title), "ok")
    return redirect(url_for("web.assessment", org_id=org_id, assessment_id=finding.assessment_id,
                            _anchor="findings"), code=303)


def root_causes_first(org: Organization, findings: list[Finding]) -> tuple[list[Finding],
                                                                           dict[int, Any]]:
    """The assessment's findings ordered root causes first (the service's topological
    order), and each finding's root causes and symptoms among them, as `{id: (title)}`
    lists for the diagnostic page."""
    order = root_causes.findings_root_causes_first(org)
    shown = {f.id: f for f in findings}
    ordered = [shown[row["id"]] for row in order if row["id"] in shown]
    ordered += [f for f in findings if f not in ordered]
    links = {row["id"]: {"root_causes": [shown[i] for i in row["root_causes"] if i in shown],
                         "symptoms": [shown[i] for i in row["symptoms"] if i in shown]}
             for row in order if row["id"] in shown}
    return ordered, links


def _suggestions(org: Organization, assessment_id: int, checked: list[str],
                 errors: list[str]) -> str:
    g.active_nav = "diagnostic"
    assessment = assessments.get_assessment(org, assessment_id)
    result, templates = suggestions.suggest(org, assessment_id)
    return render_template("web/playbook/suggestions.html", org=org, assessment=assessment,
                           items=result, templates=templates, checked=set(checked),
                           errors=errors, labels=diagnostic.LABELS,
                           classes=backlog.CLASS_LABELS)
