"""Ratings from files: upload a ratings CSV (DESIGN section 5) or the same layout as an
`.xlsx` workbook, read the preview (respondents new and updated, ratings, every bad cell),
then confirm to write it all or nothing; and download a template with the grid's codes.

Between the preview and the confirmation the uploaded file waits in the instance folder under
a random name bound to the organization, the assessment and the user, so the confirmation
writes exactly the file that was previewed; the import service checks it again.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path
from typing import Any

from flask import Response, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from tracker import jobs
from tracker.domain.errors import InvalidInput
from tracker.services.observe import assessments, ratings_import
from tracker.web.base import bp, org_page
from tracker.web.forms import encoding_warning

#: The least role that uploads ratings files (they name respondents).
UPLOAD_ROLE = "ops"
#: Suffixes a waiting upload keeps, so the confirmation reads it as it was previewed.
SUFFIXES = (".csv", ".xlsx")
#: The shape of a waiting upload's token (`secrets.token_urlsafe(24)`).
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
#: Waiting uploads older than this (seconds) are removed when a new one arrives.
MAX_AGE = 24 * 3600
BASE = "/orgs/<int:org_id>/assessments/<int:assessment_id>/ratings"


@bp.route(f"{BASE}/upload", methods=["GET", "POST"], endpoint="ratings_upload")
@login_required
def ratings_upload(org_id: int, assessment_id: int) -> Any:
    """The upload form; a posted file comes back as its preview (nothing written), with
    every bad cell named, or with the confirm button when the file can be saved."""
    org = org_page(org_id, UPLOAD_ROLE)
    g.active_nav = "diagnostic"
    assessment = assessments.get_assessment(org, assessment_id)
    if request.method == "GET":
        return _page(assessment, None, None, {})
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _page(assessment, None, None, {"file": [_("Choose a CSV or .xlsx file.")]}), 422
    data = upload.read()
    if warning := encoding_warning(data, upload.filename):
        flash(warning, "warning")
    try:
        preview = ratings_import.preview_ratings_records(
            org, assessment_id, ratings_import.upload_records(data, upload.filename))
    except InvalidInput as invalid:
        return _page(assessment, None, None, invalid.errors or {"file": [invalid.detail]}), 422
    if preview.errors:
        return _page(assessment, preview, None, {}), 422
    token = keep_upload(_scope(org_id, assessment_id), data, upload.filename)
    return _page(assessment, preview, token, {})


@bp.post(f"{BASE}/upload/confirm", endpoint="ratings_upload_confirm")
@login_required
def ratings_upload_confirm(org_id: int, assessment_id: int) -> Any:
    """Write the previewed file, all or nothing, then go back to the assessment."""
    org = org_page(org_id, UPLOAD_ROLE)
    g.active_nav = "diagnostic"
    assessment = assessments.get_assessment(org, assessment_id)
    path = waiting_upload(_scope(org_id, assessment_id), request.form.get("token", ""))
    if path is None:
        return _page(assessment, None, None, {"file": [
            _("This upload is no longer waiting to be saved: upload the file again.")]}), 422
    try:
        job = jobs.ratings_import_job(org, current_user.id, assessment_id, path.read_bytes(),
                                      path.name, update_existing=True)
        if job is not None:  # a big file: imported by a job, whose page shows its progress
            return redirect(url_for("web.job", key=job.key), code=303)
        result = ratings_import.import_ratings_records(
            org, assessment_id, ratings_import.upload_records(path.read_bytes(), path.name),
            update_existing=True)
    except InvalidInput as invalid:
        return _page(assessment, None, None, invalid.errors or {"file": [invalid.detail]}), 422
    finally:
        path.unlink(missing_ok=True)
    flash(ngettext("%(num)d rating saved from the file.", "%(num)d ratings saved from the file.",
                   result.ratings), "ok")
    return redirect(url_for("web.cockpit", org_id=org_id, assessment_id=assessment_id),
                    code=303)


@bp.get(f"{BASE}/template.csv", endpoint="ratings_template")
@login_required
def ratings_template(org_id: int, assessment_id: int) -> Response:
    """A CSV to fill in: the respondent columns and the assessment's dimension codes."""
    org = org_page(org_id, UPLOAD_ROLE)
    return Response(ratings_import.template_csv(org, assessment_id, request.args.get("sep")),
                    mimetype="text/csv",
                    headers={"Content-Disposition":
                             f'attachment; filename="ratings-{assessment_id}.csv"'})


def _page(assessment: Any, preview: ratings_import.RatingsPreview | None, token: str | None,
          errors: dict[str, list[str]]) -> str:
    """The upload page: the form, and the preview when a file was read."""
    return render_template("observe/ratings_upload.html", org=g.org, assessment=assessment,
                           preview=preview, token=token, errors=errors,
                           max_rows=ratings_import.max_rows())


def _folder() -> Path:
    """Where uploads wait for their confirmation (created on first use)."""
    folder = Path(current_app.instance_path) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _name(scope: str, token: str) -> str:
    """A waiting upload's file name, without its suffix: bound to its `scope` (what it is
    for and the organization, such as `ratings-3-7`) and the signed-in user, so nobody
    else can confirm it."""
    return f"{scope}-{current_user.id}-{token}"


def keep_upload(scope: str, data: bytes, filename: str) -> str:
    """Keep an uploaded file until it is confirmed; its token. Stale uploads go first."""
    folder = _folder()
    for old in folder.iterdir():
        if time.time() - old.stat().st_mtime > MAX_AGE:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    suffix = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    (folder / f"{_name(scope, token)}{suffix}").write_bytes(data)
    return token


def waiting_upload(scope: str, token: str) -> Path | None:
    """The waiting upload of this token for this user and scope, if any."""
    if not TOKEN.match(token):
        return None
    for suffix in SUFFIXES:
        path = _folder() / f"{_name(scope, token)}{suffix}"
        if path.is_file():
            return path
    return None


def _scope(org_id: int, assessment_id: int) -> str:
    """The scope of a ratings upload: the organization and the assessment."""
    return f"ratings-{org_id}-{assessment_id}"
