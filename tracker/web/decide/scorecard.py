"""The scorecard pages: the organization's criteria (name, benefit or cost, weight, scale
hint) that everyone reads and leads edit one at a time (add, change, move, remove once
confirmed), and an initiative's scores on them, which ops save from the initiative page.

The scorecard rules are the services' (`services.decide.scorecard`, which goes through
`initiatives.replace_scorecard`, the API's `PUT .../scorecard`); scores are saved as the
API's `PATCH .../initiatives/{id}` does, with the version the page showed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from marshmallow import ValidationError
from werkzeug.wrappers import Response

from tracker.domain.errors import InvalidInput, StaleVersion
from tracker.domain.prioritization import CRITERION_KINDS
from tracker.models import Initiative, Organization, ScorecardCriterion
from tracker.schemas.decide import CriterionFormSchema, InitiativeSchema
from tracker.services.decide import initiatives, scorecard
from tracker.web.base import bp, can, org_page
from tracker.web.decide.backlog import render_initiative
from tracker.web.forms import form_number, form_numbers, number_errors
from tracker.web.i18n import input_number

#: How each kind of criterion reads on the pages.
KIND_LABELS = {"benefit": _l("benefit (raises the value)"),
               "cost": _l("cost (raises the effort)")}
#: The fields of the criterion form.
FORM_FIELDS: tuple[str, ...] = ("name", "kind", "weight", "hint")
#: The move buttons' directions and the step each makes in the scorecard's order.
MOVES = {"up": -1, "down": 1}


@bp.get("/orgs/<int:org_id>/scorecard", endpoint="scorecard")
@login_required
def scorecard_page(org_id: int) -> Any:
    """The criteria in their order, with the initiatives scored on each; for leads, the
    form that adds one."""
    return _page(org_page(org_id))


@bp.post("/orgs/<int:org_id>/scorecard", endpoint="scorecard_add")
@login_required
def scorecard_add(org_id: int) -> Any:
    """Add a criterion at the end (leads); errors beside their fields, input kept."""
    org = org_page(org_id, "lead")
    return _saved(org, None, lambda data: scorecard.add_criterion(org, data),
                  _("Criterion added."))


@bp.get("/orgs/<int:org_id>/scorecard/<int:criterion_id>/edit", endpoint="scorecard_edit")
@login_required
def scorecard_edit(org_id: int, criterion_id: int) -> Any:
    """The list with the form filled with one criterion, to change it (leads)."""
    org = org_page(org_id, "lead")
    return _page(org, editing=scorecard.get_criterion(org, criterion_id))


@bp.post("/orgs/<int:org_id>/scorecard/<int:criterion_id>/edit", endpoint="scorecard_save")
@login_required
def scorecard_save(org_id: int, criterion_id: int) -> Any:
    """Change a criterion (leads): its code and the scores on it stay."""
    org = org_page(org_id, "lead")
    return _saved(org, scorecard.get_criterion(org, criterion_id), lambda data: (
        scorecard.update_criterion(org, criterion_id, data)), _("Criterion saved."))


@bp.post("/orgs/<int:org_id>/scorecard/<int:criterion_id>/move", endpoint="scorecard_move")
@login_required
def scorecard_move(org_id: int, criterion_id: int) -> Response:
    """Move a criterion one place up or down (leads)."""
    org = org_page(org_id, "lead")
    scorecard.move_criterion(org, criterion_id, MOVES.get(request.form.get("direction", ""), 0))
    return redirect(url_for("web.scorecard", org_id=org.id, _anchor=f"criterion-{criterion_id}"),
                    code=303)


@bp.route("/orgs/<int:org_id>/scorecard/<int:criterion_id>/remove", methods=["GET", "POST"],
          endpoint="scorecard_remove")
@login_required
def scorecard_remove(org_id: int, criterion_id: int) -> Any:
    """Remove a criterion once the box is checked (leads): the page first says how many
    initiatives lose their score on it. A scorecard left without a benefit criterion is
    refused with the service's message."""
    org = org_page(org_id, "lead")
    criterion = scorecard.get_criterion(org, criterion_id)
    if request.method == "GET":
        return _page(org, removing=criterion)
    if not request.form.get("confirm"):
        return _page(org, removing=criterion, status=422, errors={"confirm": [_(
            "Check the box to confirm that the criterion and its scores are removed.")]})
    try:
        scorecard.remove_criterion(org, criterion_id)
    except InvalidInput as invalid:
        return _page(org, removing=criterion, status=422, errors=_messages(invalid.errors))
    flash(_("Criterion removed, with the scores on it."), "ok")
    return redirect(url_for("web.scorecard", org_id=org.id), code=303)


@bp.post("/orgs/<int:org_id>/initiatives/<int:initiative_id>/scores",
         endpoint="initiative_scores")
@login_required
def initiative_scores(org_id: int, initiative_id: int) -> Any:
    """Save an initiative's scores on the criteria (ops and above, as for any change of an
    initiative); a blank score removes it. Errors beside their criterion, input kept."""
    org = org_page(org_id, "ops")
    criteria = initiatives.scorecard(org)
    values = {c.code: request.form.get(f"score-{c.id}", "").strip() for c in criteria}
    version = request.form.get("version", "")
    errors: dict[str, list[str]] = {}
    try:
        changes = InitiativeSchema(partial=True, only=("criteria", "version")).load(
            {"criteria": {code: form_number(raw) for code, raw in values.items() if raw},
             **({"version": version} if version else {})})
        initiatives.update_initiative(org, current_user, initiative_id, changes)
    except ValidationError as invalid:
        errors = _score_errors(criteria, invalid.messages)
    except StaleVersion:
        errors = {"scores": [_("Someone else saved this initiative meanwhile: nothing is "
                               "saved. Your scores are shown below; save again to keep them.")]}
    if errors:
        g.scores_form = {"values": values, "errors": errors}
        return render_initiative(org, initiative_id), 422
    flash(_("Scores saved."), "ok")
    return redirect(url_for("web.initiative", org_id=org.id, initiative_id=initiative_id,
                            _anchor="scores"), code=303)


def criteria_section(org: Organization, initiative: Initiative) -> dict[str, Any]:
    """What the initiative page's scorecard section shows: the criteria with their hints,
    the initiative's scores (or the refused form's values and errors) and its scorecard
    value, effort and score."""
    criteria = initiatives.scorecard(org)
    refused = g.get("scores_form") or {}
    scores = initiatives.criteria_scores(initiative)
    return {"criteria": criteria, "scores": scores, "kinds": KIND_LABELS,
            "values": refused.get("values") or {k: input_text(v) for k, v in scores.items()},
            "errors": refused.get("errors", {}),
            "priority": scorecard.scorecard_priority(org, initiative, criteria)
            if criteria else None}


@bp.app_context_processor
def _criteria_section() -> dict[str, Callable[..., dict[str, Any]]]:
    """`criteria_section(org, initiative)` for the initiative page's included section."""
    return {"criteria_section": criteria_section}


def _saved(org: Organization, criterion: ScorecardCriterion | None,
           save: Callable[[dict[str, Any]], object], done: str) -> Any:
    """Load the criterion form, save it with `save`, and go back to the list; or show the
    form again with every error beside its field (422)."""
    values = {name: request.form.get(name, "").strip() for name in FORM_FIELDS}
    try:
        save(CriterionFormSchema().load(form_numbers(values, ("weight",))))
    except ValidationError as invalid:
        return _page(org, editing=criterion, values=values, status=422,
                     errors=_messages(number_errors(invalid.messages, {"weight": _("Weight")})))
    except InvalidInput as invalid:
        return _page(org, editing=criterion, values=values, status=422,
                     errors=_messages(invalid.errors))
    flash(done, "ok")
    return redirect(url_for("web.scorecard", org_id=org.id), code=303)


def _page(org: Organization, *, editing: ScorecardCriterion | None = None,
          removing: ScorecardCriterion | None = None, values: Mapping[str, Any] | None = None,
          errors: Mapping[str, list[str]] | None = None, status: int = 200) -> tuple[str, int]:
    """The scorecard page: the list, the add (or edit) form and the removal confirmation."""
    g.active_nav = "backlog"
    shown = values or ({name: getattr(editing, name) for name in FORM_FIELDS} if editing
                       else {"kind": "benefit", "weight": "1"})
    return render_template(
        "decide/scorecard.html", org=org, criteria=initiatives.scorecard(org),
        scored=scorecard.scored_counts(org), kinds=KIND_LABELS, kind_codes=CRITERION_KINDS,
        editing=editing, removing=removing, values=shown, errors=errors or {},
        editable=can("lead")), status


def _messages(errors: Any) -> dict[str, list[str]]:
    """Errors by form field (from a schema or a service: a mapping of field to messages), as
    lists of lines; a field the form lacks goes under `""`."""
    fields: dict[str, list[str]] = {}
    for name, messages in errors.items():
        fields.setdefault(name if name in FORM_FIELDS else "", []).extend(
            str(m) for m in (messages if isinstance(messages, list) else [messages]))
    return fields


def _score_errors(criteria: list[ScorecardCriterion], messages: Any) -> dict[str, list[str]]:
    """The schema's errors on the scores, under each criterion's field (`score-<id>`)."""
    by_code = {c.code: c.id for c in criteria}
    names = {c.code: c.name for c in criteria}
    errors: dict[str, list[str]] = {}
    scores = messages.get("criteria", {})
    for code, problem in (scores.items() if isinstance(scores, dict) else []):
        lines = problem.get("value", problem) if isinstance(problem, dict) else problem
        named = number_errors({code: list(lines)}, names)[code]
        errors[f"score-{by_code.get(code, '')}"] = [str(line) for line in named]
    if "version" in messages:
        errors["scores"] = [str(line) for line in messages["version"]]
    return errors


def input_text(value: float | None) -> str:
    """A stored number as a form field shows it, in the page's language: `3` rather than
    `3.0`, `3,5` in French, blank for none (`tracker.web.i18n.input_number`)."""
    return input_number(value)
