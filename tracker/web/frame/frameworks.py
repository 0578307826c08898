"""Framework pages: the organization's library (the built-in and shared grids and its own),
one grid with its axes, weights, scale, level descriptors and questions, and the import of
a grid, from a file in the grid format or an OWASP SAMM model zip, in two steps: a preview
naming every problem by its place in the document, then the import itself, which checks the
document again (it comes back from the browser in a hidden field).

The checks, who may import what and the SAMM reading are the services'
(`services.frame.frameworks`); the pages only read the upload and say what the services
answered in people's words.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from flask import Response, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from tracker.adapters.importers.documents import check_size
from tracker.domain.errors import InvalidInput, TrackerError
from tracker.models import Organization
from tracker.schemas.frame import CODE_RULE
from tracker.services.frame import frameworks
from tracker.web.base import bp, org_page

#: Grids per page in each section of the library.
LIBRARY_PAGE = 100
#: Werkzeug's default cap on a form field held in memory, when the app sets none.
FORM_FIELD_DEFAULT = 500_000
#: What a preview warning says, by its kind (`services.frame.frameworks.PreviewWarning`).
WARNINGS: dict[str, Any] = {
    "no_levels": _l("These dimensions have no level descriptors: respondents will see only "
                    "the scale's labels."),
    "answers_off_scale": _l("These questions have answer values outside the scale, which "
                            "the mean rule averages as levels."),
    "later_version": _l("A later version of this grid already exists:"),
}
#: How the parts of a document path read (`axes[0].dimensions[2]`).
PART_NAMES: dict[str, Any] = {"axes": _l("axis"), "dimensions": _l("dimension"),
                              "questions": _l("question"), "scale": _l("scale level"),
                              "answers": _l("answer")}
PART = re.compile(r"([A-Za-z_]+)\[(\d+)\]")
#: Messages of the grid check told in the reader's language, by their English text.
MESSAGES: dict[str, Any] = {
    CODE_RULE: _l("Codes use unaccented lowercase letters, digits, '.', '_' and '-'."),
}


@bp.get("/orgs/<int:org_id>/frameworks", endpoint="frameworks")
@login_required
def library(org_id: int) -> str:
    """The grids this organization may assess itself on: built-in and shared, then its own."""
    org = org_page(org_id)
    g.active_nav = "frameworks"
    shared = frameworks.org_library(org, owned=False, page=_page("shared_page"),
                                    per_page=LIBRARY_PAGE)
    own = frameworks.org_library(org, owned=True, page=_page("own_page"),
                                 per_page=LIBRARY_PAGE)
    locale = str(get_locale() or "en")
    names = {entry.framework.id: frameworks.framework_summary(entry.framework, locale)["name"]
             for entry in [*shared.items, *own.items]}
    return render_template("frame/library.html", org=org, shared=shared, own=own,
                           names=names)


def _page(name: str) -> int:
    """A page number from the query string, 1 when absent or not a positive number."""
    value = request.args.get(name, "")
    return min(int(value), 1_000_000) if value.isdigit() and int(value) > 0 else 1


@bp.get("/orgs/<int:org_id>/frameworks/<int:framework_id>", endpoint="framework")
@login_required
def grid(org_id: int, framework_id: int) -> str:
    """One grid: scale, axes, dimensions with weights, level descriptors and questions,
    its texts in the user's language where translated (`framework_read`)."""
    org = org_page(org_id)
    g.active_nav = "frameworks"
    stored = frameworks.org_framework(org, framework_id)
    framework = frameworks.framework_read(stored, str(get_locale() or "en"))
    return render_template("frame/framework.html", org=org, framework=framework,
                           scale_labels={_key(level["value"]): level["label"]
                                         for level in framework["scale"]},
                           levels={d["id"]: _levels(d["levels"]) for axis in framework["axes"]
                                   for d in axis["dimensions"]},
                           own=stored.org_id == org.id)


def _key(value: float) -> str:
    """A scale value as the level descriptors are keyed (`1`, `2.5`)."""
    return f"{value:g}"


def _levels(levels: Mapping[str, str]) -> list[tuple[str, str]]:
    """A dimension's level descriptors in scale order."""
    def order(key: str) -> tuple[int, float, str]:
        try:
            return (0, float(key), key)
        except ValueError:
            return (1, 0.0, key)
    return sorted(levels.items(), key=lambda item: order(item[0]))


@bp.get("/orgs/<int:org_id>/frameworks/<int:framework_id>.yaml", endpoint="framework_yaml")
@login_required
def grid_yaml(org_id: int, framework_id: int) -> Response:
    """The grid as a YAML file in the upload format (to edit into a new version)."""
    framework = frameworks.org_framework(org_page(org_id), framework_id)
    filename = f"{framework.code}-v{framework.version}.yaml"
    return Response(frameworks.framework_yaml(framework), mimetype="application/yaml",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/orgs/<int:org_id>/frameworks/upload", methods=["GET", "POST"],
          endpoint="framework_upload")
@login_required
def upload(org_id: int) -> Any:
    """The import form (ops and leads); `?from=<id>` of an own grid fills it with that grid
    as its next version. A POST previews the file or pasted document: what it holds and
    every problem, nothing stored yet."""
    org = org_page(org_id, "ops")
    g.active_nav = "frameworks"
    if request.method == "GET":
        return _upload_page(org, content=_prefill(org, request.args.get("from", "")))
    content = request.form.get("content", "")
    try:
        content = _uploaded_text() or content
        if not content.strip():
            raise _invalid("file", _("Choose a grid file or paste the grid document."))
        preview = frameworks.preview_framework(
            current_user, org.id, frameworks.parse_framework_content(content))
    except TrackerError as failure:
        return _upload_page(org, content=content, errors=_lines(failure, content)), 422
    return _preview_page(org, preview, content=content)


def _prefill(org: Organization, source: str) -> str:
    """The YAML of an own grid renumbered as its next version, or nothing."""
    if not source.isdigit():
        return ""
    framework = frameworks.org_framework(org, int(source))
    if framework.org_id != org.id:
        return ""
    return frameworks.framework_yaml(framework, version=frameworks.next_version(framework))


def _uploaded_text() -> str:
    """The uploaded grid file's text (UTF-8, a BOM allowed), within the document limit;
    empty when no file was chosen."""
    upload_file = request.files.get("file")
    if upload_file is None or not upload_file.filename:
        return ""
    limit = int(current_app.config["TRACKER_MAX_DOCUMENT_BYTES"])
    data = upload_file.read(limit + 1)
    check_size(len(data), limit, setting="TRACKER_MAX_DOCUMENT_BYTES", what="grid file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _invalid("file", _("The file is not UTF-8 text.")) from error


def _invalid(field: str, message: str) -> InvalidInput:
    """A refused upload field, said in the page's language."""
    return InvalidInput(message, errors={field: [message]})


@bp.post("/orgs/<int:org_id>/frameworks/upload-samm", endpoint="framework_upload_samm")
@login_required
def upload_samm(org_id: int) -> Any:
    """Preview an OWASP SAMM v2 model uploaded as a zip (leads): the grid it gives and every
    problem, by file of the model."""
    org = org_page(org_id, "lead")
    g.active_nav = "frameworks"
    release = request.form.get("release", "").strip() or "2.2"
    archive = request.files.get("model_zip")
    try:
        if archive is None or not archive.filename:
            raise _invalid("zip", _("Choose the zip file of the SAMM model."))
        document = frameworks.read_samm_upload(current_user, org.id, archive.stream, release)
        preview = frameworks.preview_framework(current_user, org.id, document)
    except TrackerError as failure:
        return _upload_page(org, release=release, samm_errors=_samm_lines(failure)), 422
    return _preview_page(org, preview, release=release)


@bp.post("/orgs/<int:org_id>/frameworks/import", endpoint="framework_import")
@login_required
def confirm(org_id: int) -> Any:
    """Import the previewed grid as the organization's own, after checking it again."""
    org = org_page(org_id, "ops")
    g.active_nav = "frameworks"
    content = request.form.get("document", "")
    try:
        check_size(len(content.encode()), int(current_app.config["TRACKER_MAX_DOCUMENT_BYTES"]),
                   setting="TRACKER_MAX_DOCUMENT_BYTES", what="grid document")
        framework = frameworks.import_org_framework(
            current_user, org.id, frameworks.parse_framework_content(content))
    except TrackerError as failure:
        return _upload_page(org, content=content, errors=_lines(failure, content)), 422
    flash(_("Grid %(name)s version %(version)s imported.", name=framework.name,
            version=framework.version), "ok")
    return redirect(url_for("web.framework", org_id=org.id, framework_id=framework.id),
                    code=303)


def _upload_page(org: Organization, **context: Any) -> str:
    """The import form with what was typed and the problems found, or a preview."""
    context.setdefault("content", "")
    context.setdefault("release", "2.2")
    return render_template("frame/upload.html", org=org, errors=context.pop("errors", []),
                           samm_errors=context.pop("samm_errors", {}), **context)


def _preview_page(org: Organization, preview: frameworks.FrameworkPreview, **context: Any) -> str:
    """The preview and its "Import this grid" form, carrying the document as JSON; a
    document too large for a form field is said so instead of failing on confirm."""
    carried = json.dumps(preview.document, ensure_ascii=False, separators=(",", ":"))
    field_limit = current_app.config.get("MAX_FORM_MEMORY_SIZE") or FORM_FIELD_DEFAULT
    too_large = len(carried.encode()) > field_limit
    return _upload_page(org, preview=preview, carried=carried, too_large=too_large,
                        warnings=[(WARNINGS[w.kind], w.codes) for w in preview.warnings],
                        **context)


def _lines(failure: TrackerError, content: str) -> list[dict[str, str]]:
    """Every problem of a grid document as a line: where it is (the path in the document
    and, read from the document, the codes on the way), and what is wrong."""
    document = _parsed(content)
    errors = failure.errors or {"": [failure.detail]}
    lines = []
    for path, messages in errors.items():
        where = _where(document, path)
        shown = "" if path in ("", "_schema", "content", "file", where) else path
        lines += [{"path": shown, "where": where, "message": str(MESSAGES.get(message, message))}
                  for message in _messages(messages)]
    return lines


def _messages(messages: Any) -> list[Any]:
    return messages if isinstance(messages, list) else [messages]


def _parsed(content: str) -> Any:
    """The document as far as it parses (to name the codes on a path), else nothing."""
    try:
        return frameworks.parse_framework_content(content)
    except TrackerError:
        return None


def _where(document: Any, path: str) -> str:
    """A document path as people read it: `axes[0].dimensions[1].weight` → `axis 1
    (products) › dimension 2 (products.vision) › weight`."""
    words: list[str] = []
    node = document
    for part in path.split("."):
        match = PART.fullmatch(part)
        if match is None:
            words.append(part)
            node = node.get(part) if isinstance(node, dict) else None
            continue
        name, index = match[1], int(match[2])
        items = node.get(name) if isinstance(node, dict) else None
        node = items[index] if isinstance(items, list) and index < len(items) else None
        code = node.get("code") if isinstance(node, dict) else None
        label = f"{PART_NAMES.get(name, name)} {index + 1}"
        words.append(f"{label} ({code})" if isinstance(code, str) else label)
    return " › ".join(word for word in words if word not in ("", "_schema", "content"))


def _samm_lines(failure: TrackerError) -> dict[str, list[str]]:
    """A SAMM upload's problems by form field: the release beside its field, the archive's
    and each model file's beside the zip field (`file: what is wrong`)."""
    found: dict[str, list[str]] = {}
    for path, messages in (failure.errors or {"zip": [failure.detail]}).items():
        field = "release" if path == "release" else "zip"
        for message in _messages(messages):
            prefix = "" if path in ("zip", "release", "version", "_schema") else f"{path}: "
            found.setdefault(field, []).append(f"{prefix}{message}")
    return found

