"""Committee pages: the list with the create form (ops and leads), a committee's page (its
settings form, its next meetings from its cadence in words, its decisions a page at a
time, the link to its pack and to a pack schedule), and the meeting pack for a date with
each section's count, links and empty states, and its PDF.

Every rule is the services' (`services.follow.committees`, `services.follow.committee_pack`);
forms are loaded with the API's schema, so a refused field reads the same in both, beside
the field, with the input kept (422)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Response, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from marshmallow import ValidationError

from tracker.domain.errors import TrackerError
from tracker.models import Organization
from tracker.models.decisions import COMMITTEES, Committee
from tracker.schemas.committees import CommitteeSchema
from tracker.schemas.common import time_zones
from tracker.services.follow import committee_pack, committees, cron_words
from tracker.services.pagination import Page
from tracker.web.base import bp, org_page
from tracker.web.i18n import moment
from tracker.web.labels import (
    COMMITTEE_LABELS,
    DECISION_LABELS,
    DOSSIER_LABELS,
    PACK_SECTION_LABELS,
    PILOT_STATUS_LABELS,
)

WRITER = "ops"
PER_PAGE = 20
MEETINGS = 5
BASE = "/orgs/<int:org_id>/committees"
ONE = f"{BASE}/<int:committee_id>"
FORM_FIELDS = ("name", "level", "cron", "timezone", "member_emails")
_SEPARATORS = re.compile(r"[\s,;]+")


@bp.route(BASE, methods=["GET", "POST"], endpoint="committees")
@login_required
def committees_page(org_id: int) -> Any:
    """The organization's committees; ops and leads create one."""
    org = org_page(org_id, WRITER if request.method == "POST" else "viewer")
    values: dict[str, str] = {"level": "portfolio"}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = _values()
        created, errors = _save(org, None, values)
        if created is not None:
            flash(_("Committee created: %(name)s.", name=created.name), "ok")
            return redirect(url_for("web.committee", org_id=org.id,
                                    committee_id=created.id), code=303)
    page = committees.list_committees(org, request.args.get("page", 1, type=int), PER_PAGE)
    return _render("follow/committees.html", org, 422 if errors else 200, page=page,
                   values=values, errors=errors, pages=max(1, -(-page.total // PER_PAGE)),
                   page_url=lambda n: url_for("web.committees", org_id=org.id, page=n))


@bp.route(ONE, methods=["GET", "POST"], endpoint="committee")
@login_required
def committee_page(org_id: int, committee_id: int) -> Any:
    """A committee: its settings (edited by ops and leads), next meetings and decisions."""
    org = org_page(org_id, WRITER if request.method == "POST" else "viewer")
    committee = committees.get_committee(org, committee_id)
    errors: dict[str, list[str]] = {}
    values = _committee_values(committee)
    if request.method == "POST":
        values = _values()
        saved, errors = _save(org, committee, values)
        if saved is not None:
            flash(_("Committee saved."), "ok")
            return redirect(url_for("web.committee", org_id=org.id,
                                    committee_id=committee.id), code=303)
    zone = committees.zone_of(committee, org)
    decided = committees.decisions_of(org, committee.id)
    number = max(1, request.args.get("page", 1, type=int))
    page = Page(decided[(number - 1) * PER_PAGE:number * PER_PAGE], len(decided), number,
                PER_PAGE)
    return _render(
        "follow/committee.html", org, 422 if errors else 200, committee=committee,
        values=values, errors=errors, zone=zone,
        meetings=[moment(m, zone) for m in committees.next_meetings(committee, org, MEETINGS)],
        cadence=cron_words.describe(committee.cron) if committee.cron else None,
        decisions=page, pages=max(1, -(-page.total // PER_PAGE)),
        page_url=lambda n: url_for("web.committee", org_id=org.id,
                                   committee_id=committee.id, page=n),
        next_day=committees.next_meeting_date(committee, org),
        dossier_labels=DOSSIER_LABELS)


@bp.post(f"{ONE}/delete", endpoint="committee_delete")
@login_required
def committee_delete(org_id: int, committee_id: int) -> Any:
    """Delete a committee that took no decision; else say why it is kept."""
    org = org_page(org_id, WRITER)
    try:
        committees.delete_committee(org, committee_id)
    except TrackerError as failure:
        flash(failure.detail, "error")
        return redirect(url_for("web.committee", org_id=org.id, committee_id=committee_id),
                        code=303)
    flash(_("Committee deleted."), "ok")
    return redirect(url_for("web.committees", org_id=org.id), code=303)


@bp.get(f"{ONE}/pack", endpoint="committee_pack")
@login_required
def pack_page(org_id: int, committee_id: int) -> Any:
    """The meeting pack for `date` (default: the next meeting, else today); `format=pdf`
    prints it. A date that is not one is said beside the date field."""
    org = org_page(org_id)
    committee = committees.get_committee(org, committee_id)
    raw = request.args.get("date", "")
    day, error = _day(raw, committee, org)
    if request.args.get("format") == "pdf" and error is None:
        content = committee_pack.pack_pdf(org, committee.id, day)
        name = f"pack-{committee.id}-{day.isoformat()}.pdf"
        return Response(content, content_type="application/pdf",
                        headers={"Content-Disposition": f'inline; filename="{name}"'})
    pack = committee_pack.meeting_pack(org, committee.id, day)
    return _render("follow/committee_pack.html", org, 422 if error else 200,
                   committee=committee, pack=pack, counts=committee_pack.counts(pack),
                   day=day, raw=raw if error else day.isoformat(), error=error,
                   sections=PACK_SECTION_LABELS, pilot_statuses=PILOT_STATUS_LABELS,
                   decision_labels=DECISION_LABELS)


def _day(raw: str, committee: Committee, org: Organization) -> tuple[date, str | None]:
    """The pack's date: the one asked, else the committee's next meeting, else today."""
    today = datetime.now(ZoneInfo(committees.zone_of(committee, org))).date()
    if raw:
        try:
            return date.fromisoformat(raw), None
        except ValueError:
            return (committees.next_meeting_date(committee, org) or today,
                    _("Not a date: %(value)s. Use the format YYYY-MM-DD.", value=raw))
    return committees.next_meeting_date(committee, org) or today, None


def _values() -> dict[str, str]:
    return {name: request.form.get(name, "").strip() for name in FORM_FIELDS}


def _committee_values(committee: Committee) -> dict[str, str]:
    return {"name": committee.name, "level": committee.level, "cron": committee.cron or "",
            "timezone": committee.timezone or "",
            "member_emails": "\n".join(committee.member_emails or [])}


def _save(org: Organization, committee: Committee | None,
          values: Mapping[str, str]) -> tuple[Committee | None, dict[str, list[str]]]:
    """Create or change the committee from the form; the errors by field otherwise."""
    raw = {"name": values["name"], "level": values["level"],
           "cron": values["cron"] or None, "timezone": values["timezone"] or None,
           "member_emails": [e for e in _SEPARATORS.split(values["member_emails"]) if e]}
    try:
        data = CommitteeSchema().load(raw)
    except ValidationError as invalid:
        errors = _by_field(invalid.messages)
        for name, messages in committees.committee_errors(
                {**raw, "member_emails": []}).items():
            errors.setdefault(name, messages)
        return None, errors
    try:
        if committee is None:
            return committees.create_committee(org, data), {}
        return committees.update_committee(org, committee.id, data), {}
    except TrackerError as failure:
        return None, _by_field(failure.errors or {"": [failure.detail]})


def _by_field(messages: Any) -> dict[str, list[str]]:
    """Errors by form field (`member_emails[2]` is the members' field)."""
    errors: dict[str, list[str]] = {}
    items = messages.items() if isinstance(messages, dict) else [("", messages)]
    for name, problems in items:
        key = str(name).split("[")[0]
        key = key if key in FORM_FIELDS else ""
        flat = problems if isinstance(problems, list) else [problems]
        if isinstance(problems, dict):
            flat = [m for ms in problems.values() for m in ms]
        errors.setdefault(key, []).extend(str(p) for p in flat)
    return errors


def _render(template: str, org: Organization, status: int, **context: Any) -> tuple[str, int]:
    g.active_nav = "committees"
    return render_template(template, org=org, levels=COMMITTEES,
                           level_labels=COMMITTEE_LABELS, zones=sorted(time_zones()),
                           org_zone=org.timezone or "UTC", **context), status
