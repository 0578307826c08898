"""Initiative pickers that search instead of listing every initiative.

A picker is a text field (`templates/decide/_initiative_picker.html`) that takes `#123`,
`123` or an initiative's exact title, so it works without JavaScript; `static/js/
initiative-picker.js` fills its `<datalist>` with suggestions from the search endpoint
below as one types (each suggestion reads `#123 Title`, which the field takes too).

Any page's form reads a picker with `pick_initiative` (one field) or `pick_initiatives`
(repeated fields): the id, or an error naming the field when nothing or several match.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import login_required

from tracker.models import Organization
from tracker.services.decide.dependencies import find_initiatives, search_initiatives
from tracker.web.base import bp, org_page

#: Suggestions the endpoint answers when `limit` is not given (at most 50).
DEFAULT_LIMIT = 20


@bp.get("/orgs/<int:org_id>/initiatives/search", endpoint="initiative_search")
@login_required
def initiative_search(org_id: int) -> Any:
    """`{"items": [{"id", "title", "status", "archived"}]}`: the organization's initiatives
    whose title contains `q` or whose id it is, at most `limit` (members only; another
    organization answers 404)."""
    org = org_page(org_id)
    limit = request.args.get("limit", type=int) or DEFAULT_LIMIT
    found = search_initiatives(org, request.args.get("q", ""), limit)
    return jsonify(items=[{"id": i.id, "title": i.title, "status": i.status,
                           "archived": i.archived} for i in found])


def pick_initiative(org: Organization, typed: str, label: str,
                    required: bool = True) -> tuple[int | None, str | None]:
    """The id of the initiative `typed` names (`#123`, `123`, `#123 Title` or its exact
    title), and None; or None and an error naming the field `label` when the text names
    none or several (or is blank while `required`)."""
    typed = typed.strip()
    if not typed:
        return None, (_("%(field)s: type an initiative's title or its number, such as #12.",
                        field=label) if required else None)
    found = find_initiatives(org, typed)
    if not found:
        return None, _("%(field)s: no initiative is called “%(text)s”. Type part of its "
                       "title and pick a suggestion, or give its number, such as #12.",
                       field=label, text=typed)
    if len(found) > 1:
        return None, _("%(field)s: several initiatives are called “%(text)s”. Give the "
                       "number of the one you mean, such as #%(id)s.",
                       field=label, text=typed, id=found[0].id)
    return found[0].id, None


def pick_initiatives(org: Organization, typed: Iterable[str],
                     label: str) -> tuple[list[int], list[str]]:
    """The ids the non-blank texts of repeated picker fields name, in order and without
    repeats, and an error for each text that names none or several."""
    ids: list[int] = []
    errors: list[str] = []
    for text in typed:
        found, error = pick_initiative(org, text, label, required=False)
        if error:
            errors.append(error)
        elif found is not None and found not in ids:
            ids.append(found)
    return ids, errors
