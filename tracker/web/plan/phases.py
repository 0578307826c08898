"""The phases editor at `/orgs/<id>/roadmap/phases`: everyone reads the roadmap's phases
(name, start, end, order); leads add, edit, move and remove them. One form saves every
row at once (the blank last row adds a phase); a refused save comes back with 422, each
error beside its field and every input kept. The rules (a phase ends after it starts, none
overlaps another) are `services.plan.roadmap.replace_phases`'."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from marshmallow import ValidationError
from werkzeug.wrappers import Response

from tracker.domain.errors import InvalidInput
from tracker.schemas.plan import PhaseSchema
from tracker.services.plan import phases, roadmap
from tracker.web.base import bp, can, org_page

FIELDS = ("name", "start", "end")


@bp.get("/orgs/<int:org_id>/roadmap/phases", endpoint="phases")
@login_required
def phases_page(org_id: int) -> Any:
    """The stored phases in order; for leads, the form that edits them."""
    org = org_page(org_id)
    stored = roadmap.list_phases(org, 1, phases.MAX_PHASES).items
    rows = [{"name": p.name, "start": p.start.isoformat(), "end": p.end.isoformat()}
            for p in stored]
    return _page(org, stored, [*rows, dict.fromkeys(FIELDS, "")], {})


def _page(org: Any, stored: list[Any], rows: list[dict[str, str]],
          errors: dict[str, list[str]], status: int = 200) -> tuple[str, int]:
    """The page with the form's rows (as typed) and their errors by field name."""
    g.active_nav = "roadmap"
    return render_template("plan/phases.html", org=org, stored=stored, rows=rows,
                           errors=errors, editable=can("lead")), status


@bp.post("/orgs/<int:org_id>/roadmap/phases", endpoint="phases_save")
@login_required
def phases_save(org_id: int) -> Any:
    """Replace every phase with the form's rows (leads); blank rows are ignored."""
    org = org_page(org_id, "lead")
    count = min(int(request.form.get("rows", "0") or 0), phases.MAX_PHASES + 1)
    rows = [{key: request.form.get(f"{key}-{i}", "").strip() for key in FIELDS}
            for i in range(count)]
    kept = [i for i, row in enumerate(rows) if any(row.values())]
    loaded, errors = _load(rows, kept)
    errors |= _row_errors(roadmap.phase_errors(list(loaded.values())), list(loaded))
    if errors:
        stored = roadmap.list_phases(org, 1, phases.MAX_PHASES).items
        return _page(org, stored, rows, errors, 422)
    roadmap.replace_phases(org, list(loaded.values()))
    flash(_("Phases saved: the roadmap uses them."), "ok")
    return redirect(url_for("web.phases", org_id=org_id), code=303)


def _load(rows: list[dict[str, str]],
          kept: list[int]) -> tuple[dict[int, dict[str, Any]], dict[str, list[str]]]:
    """The kept rows that parse, by their place in the form, and the errors of those that
    do not, named by field (`name-2`, `end-0`...)."""
    schema = PhaseSchema(only=FIELDS)
    loaded: dict[int, dict[str, Any]] = {}
    errors: dict[str, list[str]] = {}
    for i in kept:
        try:
            loaded[i] = schema.load({k: v for k, v in rows[i].items() if v})
        except ValidationError as invalid:
            errors |= {f"{key}-{i}": list(messages)
                       for key, messages in invalid.normalized_messages().items()}
    return loaded, errors


def _row_errors(errors: dict[str, list[str]], places: list[int]) -> dict[str, list[str]]:
    """The rules' errors (`[k].end`, k among the rows checked) named by the form's fields
    (`end-<place in the form>`)."""
    named = {}
    for key, messages in errors.items():
        position, _sep, field = key.partition("].")
        named[f"{field}-{places[int(position.lstrip('['))]}"] = messages
    return named


@bp.post("/orgs/<int:org_id>/roadmap/phases/<int:phase_id>/move", endpoint="phase_move")
@login_required
def phase_move(org_id: int, phase_id: int) -> Response:
    """Move a phase one place earlier or later (leads): the two swap windows."""
    org = org_page(org_id, "lead")
    offset = -1 if request.form.get("direction") == "earlier" else 1
    return _act(org_id, _("Phase moved."), lambda: phases.move_phase(org, phase_id, offset))


@bp.post("/orgs/<int:org_id>/roadmap/phases/<int:phase_id>/remove", endpoint="phase_remove")
@login_required
def phase_remove(org_id: int, phase_id: int) -> Response:
    """Remove one phase (leads); the others stay."""
    org = org_page(org_id, "lead")
    return _act(org_id, _("Phase removed."), lambda: phases.remove_phase(org, phase_id))


def _act(org_id: int, done: str, action: Callable[[], object]) -> Response:
    """Run a change and come back to the editor, saying what happened or why not (another
    organization's phase stays a 404)."""
    try:
        action()
    except InvalidInput as refused:
        flash(refused.detail, "error")
    else:
        flash(done, "ok")
    return redirect(url_for("web.phases", org_id=org_id), code=303)

