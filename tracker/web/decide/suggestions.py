"""Suggested initiatives of an assessment: the playbook templates ranked by the gap they
close, with why each applies in plain words (`tracker.web.decide.reasons`), and their
adoption (rules stay in `services.decide.suggestions`)."""

from __future__ import annotations

from typing import Any

from flask import g, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker.domain.errors import InvalidInput
from tracker.domain.frame.playbook import PROFILE_FIELDS
from tracker.models import Organization
from tracker.services.decide import initiatives, suggestions
from tracker.services.frame import frameworks, playbook
from tracker.services.observe import assessments
from tracker.web.base import bp, org_page
from tracker.web.decide.reasons import why_it_applies
from tracker.web.labels import CLASS_LABELS, DIAGNOSTIC_LABELS, INITIATIVE_STATUS_LABELS
from tracker.web.tenancy.organizations import FIELD_LABELS, GROWTH_LABELS, SIZE_BAND_LABELS

#: The profile's choices as the readiness texts show them.
PROFILE_CHOICES = {"size_band": SIZE_BAND_LABELS, "growth_outlook": GROWTH_LABELS}


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
    return render_template("decide/adopted.html", org=org,
                           assessment=assessments.get_assessment(org, assessment_id),
                           created=result["initiatives"], edges=edges), 201


def _suggestions(org: Organization, assessment_id: int, checked: list[str],
                 errors: list[str]) -> str:
    """The suggestions page, templates already adopted marked with their initiative, and a
    "not yet" block per template held back by its rule."""
    g.active_nav = "diagnostic"
    assessment = assessments.get_assessment(org, assessment_id)
    result, templates, held = suggestions.suggest_with_readiness(org, assessment_id)
    locale = str(get_locale() or "en")
    names = {code: frameworks.dimension_name(d, locale)
             for code, d in initiatives.usable_dimensions(org).items()}
    why = {(item.finding.id, code): why_it_applies(reason, names)
           for item in result for code, reason in item.why.items()}
    titles = {code: playbook.template_read(template, locale)["title"]
              for code, template in templates.items()}
    adopted = suggestions.readiness_adoptions(org, templates, held)
    readiness = suggestions.readiness_view(held, templates, adopted, locale,
                                           readiness_names(names), PROFILE_CHOICES,
                                           suggestions.answering_initiatives(org, held))
    return render_template("decide/suggestions.html", org=org, assessment=assessment,
                           items=result, templates=templates, titles=titles,
                           checked=set(checked), why=why, adopted=adopted,
                           readiness=readiness, statuses=INITIATIVE_STATUS_LABELS,
                           errors=errors, labels=DIAGNOSTIC_LABELS,
                           classes=CLASS_LABELS)


def readiness_names(dimension_names: dict[str, str]) -> dict[str, str]:
    """How the readiness texts name dimensions and profile fields on a page."""
    return {**{name: str(FIELD_LABELS[name]) for name in PROFILE_FIELDS},
            **dimension_names}
