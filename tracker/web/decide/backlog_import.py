"""Initiatives from a file, in the browser: upload a CSV or `.xlsx` backlog (a Jira,
Productboard or Aha! export, or any spreadsheet), map its columns to our fields (pre-filled
from the chosen preset, the first rows shown), then import every row or none.

Between the steps the file waits in the instance folder under a random token bound to the
organization and the signed-in user (`ratings_upload.keep_upload`), so the import reads
exactly the file the mapping showed; the service checks everything again. Every refusal is
shown on the page: each bad cell by its row and column header, a cycle of links in order.
"""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required

from tracker.domain.errors import DependencyCycle, TrackerError
from tracker.services.decide import initiatives_import
from tracker.web.base import bp, org_page
from tracker.web.observe.ratings_upload import keep_upload, waiting_upload

#: The least role that imports initiatives (it creates them).
IMPORT_ROLE = "ops"
BASE = "/orgs/<int:org_id>/backlog/import"
#: Our fields a column may fill, as the mapping step names them.
FIELD_LABELS = {
    "title": _l("Title (required)"), "external_key": _l("External key"),
    "description": _l("Description"), "status": _l("Status"),
    "job_size": _l("Job size (story points)"), "external_url": _l("External link"),
    "blocks": _l("Issues it blocks (every column with this header)")}
#: The presets offered on the upload step, and "my own columns" (no preset).
PRESET_LABELS = {"jira": _l("Jira (CSV export)"), "productboard": _l("Productboard (CSV export)"),
                 "aha": _l("Aha! (CSV export)"), "": _l("My own columns")}
#: The error keys of the whole file, not of one of its cells.
WHOLE_FILE = ("file", "cycle")


@bp.route(BASE, methods=["GET", "POST"], endpoint="backlog_import")
@login_required
def backlog_import(org_id: int) -> Any:
    """The upload step; a posted file comes back as the mapping step (nothing written)."""
    org = org_page(org_id, IMPORT_ROLE)
    g.active_nav = "backlog"
    if request.method == "GET":
        return _upload_page({}, "jira")
    preset = request.form.get("preset", "")
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _upload_page({"file": [_("Choose a CSV or .xlsx file.")]}, preset), 422
    data = upload.read()
    try:
        preview = initiatives_import.preview_backlog_file(data, upload.filename, preset or None)
    except TrackerError as failure:
        return _upload_page(failure.errors or {"file": [failure.detail]}, preset), \
            failure.status
    token = keep_upload(_scope(org.id), data, upload.filename)
    return _mapping_page(preview, preview.mapping, token, {})


@bp.post(f"{BASE}/confirm", endpoint="backlog_import_confirm")
@login_required
def backlog_import_confirm(org_id: int) -> Any:
    """Import the waiting file under the mapping chosen, all or nothing; back to the
    backlog saying how many initiatives came in, or the mapping step with every error."""
    org = org_page(org_id, IMPORT_ROLE)
    g.active_nav = "backlog"
    token = request.form.get("token", "")
    path = waiting_upload(_scope(org.id), token)
    if path is None:
        return _upload_page({"file": [_("This file is no longer waiting to be imported: "
                                        "upload it again.")]}, ""), 422
    data = path.read_bytes()
    mapping = {field: request.form.get(f"map-{field}", "")
               for field in initiatives_import.FIELDS}
    try:
        ids = initiatives_import.import_backlog_file(
            org, current_user, data, xlsx=initiatives_import.is_workbook(data, path.name),
            mapping=mapping, max_rows=initiatives_import.max_rows())
    except DependencyCycle as cycle:
        return _refused(data, path.name, mapping, token, {"cycle": [_cycle_message(cycle)]})
    except TrackerError as failure:
        return _refused(data, path.name, mapping, token,
                        failure.errors or {"file": [failure.detail]})
    path.unlink(missing_ok=True)
    flash(ngettext("%(num)d initiative imported.", "%(num)d initiatives imported.", len(ids)),
          "ok")
    return redirect(url_for("web.backlog", org_id=org.id), code=303)


def _refused(data: bytes, filename: str, mapping: dict[str, str], token: str,
             errors: dict[str, list[str]]) -> tuple[str, int]:
    """The mapping step again, with the mapping as sent and every error (nothing written)."""
    preview = initiatives_import.preview_backlog_file(data, filename)
    return _mapping_page(preview, {k: v for k, v in mapping.items() if v}, token, errors), 422


def _cycle_message(cycle: DependencyCycle) -> str:
    """A cycle of links in words: who blocks whom, in order, and what to change."""
    refs = [str(ref) for ref in cycle.cycle]
    return _("These rows block each other in a circle, so none of them could start first: "
             "%(cycle)s. Remove one of these links from the file (or map no column to "
             "\u201cIssues it blocks\u201d), then import again.",
             cycle=" \u2192 ".join([*refs, refs[0]] if refs else refs))


def cell_errors(errors: dict[str, list[str]]) -> list[tuple[str, str]]:
    """The errors of the file as (place, message) lines: a cell's key already names its
    row and column header in the reader's language (`row 3, Summary`); the whole file's
    and the cycle's have no place. The mapping's go beside their selects instead."""
    return [("" if key in WHOLE_FILE else key, message)
            for key, messages in errors.items() if not key.startswith("mapping.")
            for message in messages]


def _mapping_page(preview: initiatives_import.BacklogFilePreview, mapping: dict[str, str],
                  token: str, errors: dict[str, list[str]]) -> str:
    """The mapping step: a select per field over the file's headers, the first rows, the
    import button with the row count, and the errors of a refused import."""
    return render_template(
        "decide/backlog_import_mapping.html", org=g.org, preview=preview, mapping=mapping,
        token=token, errors=errors, lines=cell_errors(errors), field_labels=FIELD_LABELS,
        columns=list(dict.fromkeys(c for c in preview.header if c)))


def _upload_page(errors: dict[str, list[str]], preset: str) -> str:
    """The upload step: the file, the preset, the limits."""
    return render_template("decide/backlog_import.html", org=g.org, errors=errors,
                           preset=preset, presets=PRESET_LABELS,
                           max_rows=initiatives_import.max_rows())


def _scope(org_id: int) -> str:
    """The scope of a waiting backlog file: the organization (the user is added)."""
    return f"backlog-{org_id}"
