"""Decision pages: the decision log (search, committee and date filters, pages, CSV export,
a create form whose links are picked by name; archived and restored initiatives listed
too). Pilot decisions appear in the log; the pilot forms are `tracker.web.decide.pilots`.

Initiatives are typed or picked (`tracker.web.decide.pickers`), never listed whole.
The rules stay in `services.decisions` and `services.pilots`; forms are loaded with the
API's schemas so a field error reads the same in the browser and in the API.
"""

from __future__ import annotations

from typing import Any

from flask import Response, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from marshmallow import ValidationError

from tracker.domain.errors import TrackerError
from tracker.models.decisions import COMMITTEES
from tracker.schemas.decide import DecisionListArgsSchema, DecisionSchema
from tracker.services.decide import decisions, dependencies, pilots
from tracker.services.diagnose import findings
from tracker.services.follow import committees
from tracker.web.base import bp, org_page
from tracker.web.decide.pickers import pick_initiatives
from tracker.web.labels import COMMITTEE_LABELS, DECISION_LABELS, DOSSIER_LABELS, LOG_KIND_LABELS

PER_PAGE = 20
#: The kinds of log entries the page shows: the shared ones and the initiatives' archiving.
KIND_LABELS = {**LOG_KIND_LABELS, "archive": _l("initiative archived"),
               "restore": _l("initiative restored")}
#: The decision form's fields; the link lists come from multiple selects.
DECISION_FIELDS = ("title", "committee", "decided_on", "participants", "rationale",
                   "committee_id", *decisions.DOSSIER)
LINK_FIELDS = ("initiative_ids", "pilot_ids", "finding_ids")
#: Blank initiative pickers offered after the filled ones, and the fewest shown in all.
BLANK_PICKERS = 1
MIN_PICKERS = 3


@bp.route("/orgs/<int:org_id>/decisions", methods=["GET", "POST"], endpoint="decisions")
@login_required
def decisions_page(org_id: int) -> Any:
    """The filtered decision log, a page at a time; ops and leads log a decision."""
    org = org_page(org_id, "ops" if request.method == "POST" else "viewer")
    g.active_nav = "decisions"
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = _decision_values()
        try:
            decisions.create_decision(org, DecisionSchema().load(_decision_data(org, values)))
        except ValidationError as invalid:
            errors = _errors(invalid.messages)
        except TrackerError as failure:
            errors = _errors(failure.errors or {"": [failure.detail]})
        else:
            flash(_("Decision logged."), "ok")
            return redirect(url_for("web.decisions", org_id=org.id), code=303)
    filters, filter_errors = _filters()
    page = decisions.list_decisions(org, filters.get("page", 1), PER_PAGE, filters)
    shown = dependencies.initiative_refs(
        org, [i for entry in page.items for i in entry.initiative_ids])
    return render_template(
        "decide/decisions.html", org=org, page=page, args=request.args,
        filter_errors=filter_errors, values=values, errors=errors, committees=COMMITTEES,
        pages=max(1, -(-page.total // PER_PAGE)), initiatives=shown,
        initiative_rows=_picker_rows(values.get("initiative_ids", [])),
        page_url=lambda number: url_for("web.decisions", org_id=org.id,
                                        **_query_with(page=number)),
        pilots=pilots.org_pilots(org), findings=findings.list_findings(org, 1, 500, {}).items,
        committee_records=committees.all_committees(org), dossier=DOSSIER_LABELS,
        labels={"committee": COMMITTEE_LABELS, "kind": KIND_LABELS,
                "decision": DECISION_LABELS}), 422 if errors else 200


@bp.get("/orgs/<int:org_id>/decisions.csv", endpoint="decisions_csv")
@login_required
def decisions_csv(org_id: int) -> Response:
    """The filtered decision log as a CSV download."""
    org = org_page(org_id)
    filters = _filters()[0]
    return Response(decisions.decisions_csv(org, filters, request.args.get("sep")),
                    mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="decisions-{org.id}.csv"'})


def _query_with(**changes: Any) -> dict[str, Any]:
    """The current query string's arguments, with `changes` applied (for links)."""
    return {**request.args.to_dict(), **changes}


def _filters() -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The list's query arguments loaded with the API's schema (the archiving of initiatives
    listed too); a bad one is dropped and reported instead of failing the page."""
    raw = {k: v for k, v in request.args.items()
           if v != "" and k in ("q", "committee", "committee_id", "from", "to", "page")}
    try:
        return {**DecisionListArgsSchema().load(raw), "include_archives": True}, {}
    except ValidationError as invalid:
        kept = {k: v for k, v in raw.items() if k not in invalid.messages}
        return ({**DecisionListArgsSchema().load(kept), "include_archives": True},
                _errors(invalid.messages))


def _decision_values() -> dict[str, Any]:
    values: dict[str, Any] = {k: request.form.get(k, "").strip() for k in DECISION_FIELDS}
    values.update({k: request.form.getlist(k) for k in LINK_FIELDS})
    return values


def _decision_data(org: Any, values: dict[str, Any]) -> dict[str, Any]:
    """Form values to the schema's input: participants one per line or comma-separated;
    the initiatives typed in their pickers (`#123`, `123` or an exact title), a text that
    names none or several refused beside the field."""
    data = {k: v for k, v in values.items() if k in DECISION_FIELDS and v != ""}
    if "committee_id" in data and not str(data["committee_id"]).isdigit():
        data.pop("committee_id")
    data["participants"] = [p.strip() for p in values["participants"].replace("\n", ",")
                            .split(",") if p.strip()]
    data.update({k: values[k] for k in LINK_FIELDS})
    data["initiative_ids"], problems = pick_initiatives(org, values["initiative_ids"],
                                                        _("Initiatives"))
    if problems:
        raise ValidationError({"initiative_ids": problems})
    return data


def _picker_rows(typed: list[str]) -> list[str]:
    """The initiative pickers the form shows: what was typed, then blank ones
    (`BLANK_PICKERS` more, at least `MIN_PICKERS` in all)."""
    kept = [text for text in typed if text.strip()]
    return kept + [""] * max(BLANK_PICKERS, MIN_PICKERS - len(kept))


def _errors(messages: Any) -> dict[str, list[str]]:
    """Errors by field name; nested or unnamed ones under `""`."""
    errors: dict[str, list[str]] = {}
    for field, problems in (messages.items() if isinstance(messages, dict) else [("", messages)]):
        listed = problems if isinstance(problems, list) else [str(problems)]
        errors.setdefault(str(field), []).extend(str(p) for p in listed)
    return errors
