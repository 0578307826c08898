"""A backlog in a file: a Jira, Productboard or Aha! CSV export, or any spreadsheet (CSV or
`.xlsx`) whose columns a `mapping` names (our field → their column header).

Pure reading: the rows become the JSON bulk import's payload (`initiatives` by `ref`,
`dependencies` by ref). Every bad cell is named by its row (the header is row 1) and its
column header, and nothing is returned unless every cell is good.

Jira: `Issue key` is the ref and the external key; `Custom field (Story Points)` is the
WSJF job size; every `Outward issue link (Blocks)` column (Jira repeats the header once per
link) names an issue this row blocks: that issue depends on this row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from flask_babel import gettext as _

from tracker.adapters.importers.respondents_file import cell_key
from tracker.domain.errors import InvalidInput, TooLarge

#: Our fields a column may fill; `blocks` holds keys of issues the row blocks.
FIELDS: tuple[str, ...] = ("title", "external_key", "description", "status", "job_size",
                           "external_url", "blocks")
#: Column headers of each tool's export; a tuple lists alternatives, the first present wins.
PRESETS: dict[str, dict[str, str | tuple[str, ...]]] = {
    "jira": {"title": "Summary", "external_key": "Issue key", "description": "Description",
             "status": "Status", "job_size": "Custom field (Story Points)",
             "blocks": "Outward issue link (Blocks)"},
    "productboard": {"title": "Feature name", "external_key": ("Feature ID", "ID"),
                     "description": "Description", "status": "Status",
                     "external_url": ("Feature URL", "URL")},
    "aha": {"title": "Feature name", "external_key": "Feature reference #",
            "description": "Feature description", "status": "Feature status",
            "external_url": "Feature URL"},
}
#: Their statuses (lower case) as ours; any other status imports as `proposed`.
STATUSES: dict[str, str] = {
    "to do": "proposed", "open": "proposed", "backlog": "proposed", "new": "proposed",
    "not started": "proposed", "candidate": "proposed", "under consideration": "proposed",
    "planned": "approved", "approved": "approved", "ready to develop": "approved",
    "in progress": "in_progress", "in development": "in_progress", "in review": "in_progress",
    "piloting": "piloting",
    "done": "done", "closed": "done", "resolved": "done", "released": "done",
    "shipped": "done", "will not implement": "dropped", "won't do": "dropped",
}
MAX_ROWS = 5000
TITLE_MAX, KEY_MAX, URL_MAX = 300, 100, 2000


def preset_mapping(header: Sequence[str], preset: str | None) -> dict[str, str]:
    """Our field → the header present in the file that `preset` names for it (the first
    present of its alternatives); nothing without a preset, InvalidInput for an unknown one.

    >>> preset_mapping(["Feature name", "ID"], "productboard")
    {'title': 'Feature name', 'external_key': 'ID'}
    """
    if preset and preset not in PRESETS:
        raise InvalidInput(_("Unknown preset."), errors={"preset": [
            _("Use one of %(presets)s.", presets=", ".join(PRESETS))]})
    chosen: dict[str, str] = {}
    for field, columns in (PRESETS[preset] if preset else {}).items():
        options = (columns,) if isinstance(columns, str) else columns
        present = [c for c in options if c in header]
        if present:
            chosen[field] = present[0]
    return chosen


def matching_columns(header: Sequence[str]) -> dict[str, str]:
    """Our field → the header that names it (case and `_` aside: `Title`, `external key`),
    a starting point for a spreadsheet of one's own columns.

    >>> matching_columns(["Title", "External_Key", "Owner", "blocks"])
    {'title': 'Title', 'external_key': 'External_Key', 'blocks': 'blocks'}
    """
    names = {column.strip().lower().replace("_", " "): column for column in header}
    return {field: names[field.replace("_", " ")] for field in FIELDS
            if field.replace("_", " ") in names}


def resolve_mapping(header: Sequence[str], preset: str | None,
                    mapping: Mapping[str, str] | None) -> dict[str, str]:
    """Our field → the header present in the file, from the preset then the explicit
    mapping (which wins); InvalidInput for an unknown preset, field or missing column."""
    errors: dict[str, list[str]] = {}
    chosen = preset_mapping(header, preset)
    for field, column in (mapping or {}).items():
        if field not in FIELDS:
            errors[f"mapping.{field}"] = [_("Unknown field; use %(fields)s.",
                                            fields=", ".join(FIELDS))]
        elif column and column not in header:
            errors[f"mapping.{field}"] = [_("No column %(column)s in the file.",
                                            column=repr(column))]
        elif column:
            chosen[field] = column
        else:
            chosen.pop(field, None)
    if "title" not in chosen and not errors:
        errors["mapping.title"] = [_("Map a column to the title (the file has %(columns)s).",
                                     columns=", ".join(c for c in header if c))]
    if errors:
        raise InvalidInput(_("The column mapping is not valid; nothing was created."),
                           errors=errors)
    return chosen


def too_many_rows(max_rows: int, line: int) -> TooLarge:
    """The refusal of a file whose row `line` is one more than `max_rows` (413).

    >>> too_many_rows(2, 4).detail
    'The file has more than 2 rows (row 4). Split it and import the parts one after the other.'
    """
    return TooLarge(_("The file has more than %(limit)s rows (row %(line)d). Split it "
                      "and import the parts one after the other.",
                      limit=f"{max_rows:,}", line=line), limit=max_rows)


def read_backlog(records: Iterable[Sequence[str]], *, preset: str | None = None,
                 mapping: Mapping[str, str] | None = None,
                 max_rows: int = MAX_ROWS) -> tuple[dict[str, Any], list[int]]:
    """The import payload and the file row of each initiative, or InvalidInput naming every
    bad cell (`row 3, Status`), or TooLarge past `max_rows` rows."""
    iterator = iter(records)
    header = [cell.strip() for cell in next(iterator, [])]
    chosen = resolve_mapping(header, preset, mapping)
    single = {field: header.index(column) for field, column in chosen.items()
              if field != "blocks"}
    blocks = [i for i, c in enumerate(header) if c == chosen.get("blocks")]
    errors: dict[str, list[str]] = {}
    initiatives: list[dict[str, Any]] = []
    numbers: list[int] = []
    links: list[tuple[int, str, str]] = []
    for number, raw in enumerate(iterator, start=2):
        cells = [cell.strip() for cell in raw]
        if not any(cells):
            continue
        if len(initiatives) >= max_rows:
            raise too_many_rows(max_rows, number)

        def cell(field: str, cells: list[str] = cells) -> str:
            at = single.get(field)
            return cells[at] if at is not None and at < len(cells) else ""

        def bad(field: str, message: str, number: int = number) -> None:
            errors.setdefault(cell_key(number, chosen[field]), []).append(message)

        row: dict[str, Any] = {"uplifts": [], "finding_ids": [], "criteria": {},
                               "description": cell("description"), "status": "proposed"}
        title = cell("title")
        if not title:
            bad("title", _("Missing title."))
        elif len(title) > TITLE_MAX:
            bad("title", _("At most %(n)s characters.", n=TITLE_MAX))
        row["title"] = title
        key = cell("external_key")
        if len(key) > KEY_MAX:
            bad("external_key", _("At most %(n)s characters.", n=KEY_MAX))
        row["external_key"] = key or None
        row["ref"] = key or f"row {number}"
        url = cell("external_url")
        if url and (len(url) > URL_MAX or not url.startswith(("http://", "https://"))):
            bad("external_url", _("Give an http(s) address of at most %(n)s characters.",
                                  n=URL_MAX))
        row["external_url"] = url or None
        if status := cell("status"):
            row["status"] = STATUSES.get(status.lower(), "proposed")
        if points := cell("job_size"):
            try:
                row["job_size"] = float(points.replace(",", "."))
                if not row["job_size"] > 0:
                    raise ValueError(points)
            except ValueError:
                bad("job_size", _("Give a number above 0."))
        for at in blocks:
            if at < len(cells) and cells[at]:
                links.append((number, row["ref"], cells[at]))
        initiatives.append(row)
        numbers.append(number)
    refs = {row["ref"] for row in initiatives}
    edges: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for number, ref, linked in links:
        if linked not in refs:
            errors.setdefault(cell_key(number, chosen["blocks"]), []).append(
                _("Unknown issue %(key)s: it is not in the file.", key=repr(linked)))
        elif (ref, linked) not in seen:
            seen.add((ref, linked))
            edges.append({"prerequisite_ref": ref, "dependent_ref": linked, "lag_weeks": 0.0})
    if not initiatives and not errors:
        errors["file"] = [_("The file has no rows under its header.")]
    if errors:
        raise InvalidInput(_("The file has errors; nothing was created."), errors=errors)
    return {"initiatives": initiatives, "dependencies": edges}, numbers
