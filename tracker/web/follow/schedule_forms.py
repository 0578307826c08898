"""The schedule form (ops and leads): create or edit a schedule of any kind, with a cron
helper showing the expression in words and its next five runs in the schedule's (else the
organization's) time zone, computed by the scheduler's own recurrence engine. "Preview"
re-renders the form with them and saves nothing; a small script (static/js/
schedule-preview.js) asks the JSON endpoint for the same while one types.

Recipients (barometer emails) are picked from the organization's members or typed, each
address checked and a bad one named. Every bad field is shown beside it, at once, with the
input kept (422)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask import flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from marshmallow import ValidationError
from werkzeug.wrappers import Response

from tracker.domain.errors import TrackerError
from tracker.models import Organization
from tracker.models.schedules import SCHEDULE_KINDS
from tracker.schemas.common import Email, time_zones
from tracker.schemas.follow import ScheduleSchema
from tracker.services.follow import committees, cron_words, schedules
from tracker.services.tenancy import organizations
from tracker.web.base import bp, org_page
from tracker.web.follow.schedules import KINDS
from tracker.web.i18n import moment

#: The form's text fields, in order (`members` is the multiple choice of members).
FORM_FIELDS: tuple[str, ...] = ("kind", "cron", "interval_days", "timezone", "others",
                                "close_after_days", "committee_id")
#: How many members the recipients' picker lists (an organization has a few dozen).
MEMBERS_SHOWN = 500
#: How many next runs the helper shows.
RUNS = 5
_SEPARATORS = re.compile(r"[\s,;]+")


@bp.route("/orgs/<int:org_id>/schedules/new", methods=["GET", "POST"],
          endpoint="schedule_new")
@login_required
def schedule_new(org_id: int) -> Any:
    """Create a schedule; "Preview" shows its next runs without saving."""
    org = org_page(org_id, "ops")
    values: dict[str, Any] = {"kind": request.args.get("kind", "barometer"), "cron": "",
                              "members": [], "committee_id": request.args.get("committee_id", "")}
    if request.method == "GET":
        return _render(org, None, values, {}, 200)
    return _submit(org, None)


@bp.route("/orgs/<int:org_id>/schedules/<int:schedule_id>/edit", methods=["GET", "POST"],
          endpoint="schedule_edit")
@login_required
def schedule_edit(org_id: int, schedule_id: int) -> Any:
    """Edit a schedule (404 outside the organization); "Preview" saves nothing."""
    org = org_page(org_id, "ops")
    schedule = schedules.get_schedule(org, schedule_id)
    if request.method == "POST":
        return _submit(org, schedule)
    members = set(_member_emails(org))
    chosen = [r for r in schedule.recipients if r.lower() in members]
    values = {"kind": schedule.kind, "cron": schedule.cron or "",
              "interval_days": str(schedule.interval_days or ""),
              "timezone": schedule.timezone if schedule.timezone != org.timezone else "",
              "close_after_days": str(schedule.close_after_days or ""),
              "members": chosen, "committee_id": str(schedule.committee_id or ""),
              "others": "\n".join(r for r in schedule.recipients if r not in chosen)}
    return _render(org, schedule, values, {}, 200)


@bp.get("/orgs/<int:org_id>/schedules/preview", endpoint="schedule_preview")
@login_required
def schedule_preview(org_id: int) -> tuple[Response, int]:
    """The cron helper as JSON for the form's script: the settings in words and the next
    runs in the time zone (or the errors, by field, with 422)."""
    org = org_page(org_id, "ops")
    values = {name: request.args.get(name, "").strip()
              for name in ("kind", "cron", "interval_days", "timezone")}
    data, errors = _timing(values)
    if errors:
        return jsonify(errors=errors), 422
    return jsonify(_preview(org, data, request.args.get("schedule_id", type=int))), 200


def _submit(org: Organization, schedule: schedules.ScheduleView | None) -> Any:
    """Check the posted form; preview it, or save it and go back to the schedules."""
    values: dict[str, Any] = {name: request.form.get(name, "").strip() for name in FORM_FIELDS}
    values["members"] = request.form.getlist("members")
    if schedule is not None:
        values["paused"] = request.form.get("paused") == "1"
    data, errors = _parse(org, values)
    if errors:
        return _render(org, schedule, values, errors, 422)
    if request.form.get("action") == "preview":
        return _render(org, schedule, values, {}, 200,
                       _preview(org, data, schedule.id if schedule else None))
    try:
        if schedule is None:
            schedules.create_schedule(org, data)
        else:
            schedules.update_schedule(org, schedule.id, data)
    except TrackerError as failure:
        return _render(org, schedule, values, _by_field(failure.errors or
                                                        {"": [failure.detail]}),
                       failure.status)
    flash(_("Schedule saved: %(kind)s.", kind=KINDS.get(data["kind"], data["kind"])), "ok")
    return redirect(url_for("web.schedules", org_id=org.id), code=303)


def _timing(values: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """When the schedule runs (`cron` or `interval_days`, `timezone`), checked by the
    schema then by the service (every error at once, by field)."""
    raw = {k: values.get(k) for k in ("kind", "cron", "interval_days", "timezone")
           if values.get(k)}
    raw.setdefault("kind", "pulse")
    fields = ("kind", "cron", "interval_days", "timezone")
    try:
        data = ScheduleSchema(only=fields).load(raw)
        errors: dict[str, list[str]] = {}
    except ValidationError as invalid:
        data = invalid.valid_data if isinstance(invalid.valid_data, dict) else {}
        errors = _by_field(invalid.messages)
    for name, messages in schedules.schedule_errors({**data, "cron": raw.get("cron"),
                                                     "interval_days": raw.get(
                                                         "interval_days")}).items():
        errors.setdefault(name, messages)
    return data, errors


def _parse(org: Organization, values: Mapping[str, Any],
           ) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The schedule's data from the form, and its errors by field (all at once)."""
    timing, errors = _timing(values)
    data: dict[str, Any] = {"cron": None, "interval_days": None, "timezone": None, **timing}
    try:
        extra = ScheduleSchema(only=("close_after_days",)).load(
            {"close_after_days": values["close_after_days"] or None})
        data.update(extra)
    except ValidationError as invalid:
        errors.update(_by_field(invalid.messages))
    if "paused" in values:
        data["paused"] = values["paused"]
    committee = values.get("committee_id") or ""
    data["committee_id"] = int(committee) if committee.isdigit() else None
    recipients, recipient_errors = _recipients(org, values["members"], values["others"])
    errors.update(recipient_errors)
    data["recipients"] = recipients
    return data, errors


def _recipients(org: Organization, members: list[str], others: str,
                ) -> tuple[list[str], dict[str, list[str]]]:
    """The members picked and the addresses typed (separated by spaces, commas or lines),
    once each; every address that is not one is named."""
    known = set(_member_emails(org))
    errors: dict[str, list[str]] = {}
    strangers = [m for m in members if m.lower() not in known]
    if strangers:
        errors["members"] = [_("Not a member of the organization: %(emails)s.",
                               emails=", ".join(strangers))]
    typed = [t for t in _SEPARATORS.split(others) if t]
    field = Email()
    bad = []
    for address in typed:
        try:
            field.deserialize(address)
        except ValidationError:
            bad.append(address)
    errors.update({"others": [_("Not a valid email address: %(email)s.", email=address)
                              for address in bad]} if bad else {})
    chosen = dict.fromkeys(a.lower() for a in [*members, *typed] if a not in bad)
    return list(chosen), errors


def _preview(org: Organization, data: Mapping[str, Any],
             schedule_id: int | None) -> dict[str, Any]:
    """The settings in words, their time zone and next runs (as the `moment` filter
    writes them) for the helper."""
    zone = schedules.safe_zone(data.get("timezone") or org.timezone)
    runs = schedules.upcoming_runs(org, data, RUNS, schedule_id=schedule_id)
    words = (cron_words.describe(data["cron"]) if data.get("cron")
             else cron_words.describe_interval(data.get("interval_days") or 1))
    return {"description": words, "timezone": zone,
            "runs": [moment(run, zone) for run in runs],
            "iso": [run.isoformat() for run in runs]}


def _member_emails(org: Organization) -> list[str]:
    """The organization's members' addresses (lower case), by address."""
    return [m.user.email.lower()
            for m in organizations.list_members(org, 1, MEMBERS_SHOWN).items]


def _by_field(messages: Any) -> dict[str, list[str]]:
    """Errors by form field; those of fields the form does not show go under `""`."""
    errors: dict[str, list[str]] = {}
    items = messages.items() if isinstance(messages, dict) else [("", messages)]
    for name, problems in items:
        key = name if name in (*FORM_FIELDS, "members") else ""
        flat = problems if isinstance(problems, list) else [problems]
        errors.setdefault(key, []).extend(str(p) for p in flat)
    return errors


def _render(org: Organization, schedule: schedules.ScheduleView | None,
            values: Mapping[str, Any], errors: Mapping[str, list[str]], status: int,
            preview: Mapping[str, Any] | None = None) -> tuple[str, int]:
    """The schedule form, with its values, errors and the helper's preview."""
    g.active_nav = "schedules"
    return render_template(
        "follow/schedules_form.html", org=org, schedule=schedule, values=values,
        errors=errors, preview=preview, kinds=KINDS, kind_codes=SCHEDULE_KINDS,
        members=_member_emails(org), zones=sorted(time_zones()),
        committees=committees.all_committees(org),
        org_zone=schedules.safe_zone(org.timezone)), status
