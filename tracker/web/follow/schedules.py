"""Schedules and outbox page: each schedule with its next and last runs (in its time zone),
its last failure and any warning about its settings, pause / resume, run now and, for the
barometer, resend to everyone, the new recipients or one (ops and leads), a link to create
or edit a schedule (`schedule_forms`), and the organization's emails (pending, sent, failed,
with the reason) with their times in its time zone (UTC, with a warning, when the stored
zone is unknown)."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required

from tracker import jobs
from tracker.domain.errors import TrackerError
from tracker.services.follow import committees, outbox, schedules
from tracker.web.base import bp, org_page

KINDS = {"pulse": _l("pulse survey"), "reminder": _l("reminder"), "close": _l("close"),
         "barometer": _l("barometer email"), "committee_pack": _l("committee meeting pack")}
MAIL_STATUSES = {"pending": _l("pending"), "sent": _l("sent"), "failed": _l("failed")}
#: Emails shown per page of the outbox table, newest first.
EMAILS_PER_PAGE = 50
RESEND_TO = {"new": _l("new recipients only"), "all": _l("all recipients")}


@bp.get("/orgs/<int:org_id>/schedules", endpoint="schedules")
@login_required
def schedules_page(org_id: int) -> str:
    """The organization's schedules and emails."""
    org = org_page(org_id)
    g.active_nav = "schedules"
    status = request.args.get("status") if request.args.get("status") in MAIL_STATUSES else None
    number = max(request.args.get("emails_page", 1, type=int) or 1, 1)
    emails = outbox.list_messages(org.id, number, EMAILS_PER_PAGE, status)
    return render_template(
        "follow/schedules.html", org=org,
        schedules=schedules.list_schedules(org, 1, 200).items,
        emails=emails.items, emails_total=emails.total, emails_page=number,
        emails_pages=max(1, -(-emails.total // EMAILS_PER_PAGE)),
        emails_url=lambda n: url_for("web.schedules", org_id=org.id, status=status,
                                     emails_page=n) + "#emails-title", status=status,
        kinds=KINDS, mail_statuses=MAIL_STATUSES, resend_to=RESEND_TO,
        zone=schedules.safe_zone(org.timezone), zone_warning=schedules.zone_warning(org.timezone),
        files=not current_app.config.get("TRACKER_SMTP_HOST"),
        committee_names={c.id: c.name for c in committees.all_committees(org)})


@bp.post("/orgs/<int:org_id>/schedules/<int:schedule_id>/pause", endpoint="schedule_pause")
@login_required
def pause(org_id: int, schedule_id: int) -> Any:
    """Pause (`paused=1`) or resume (`paused=0`) a schedule."""
    org = org_page(org_id, "ops")
    paused = request.form.get("paused") == "1"
    schedules.update_schedule(org, schedule_id, {"paused": paused})
    flash(_("Schedule paused.") if paused else _("Schedule resumed."), "ok")
    return redirect(url_for("web.schedules", org_id=org_id), code=303)


@bp.post("/orgs/<int:org_id>/schedules/<int:schedule_id>/run", endpoint="schedule_run")
@login_required
def run_now(org_id: int, schedule_id: int) -> Any:
    """Run a schedule's job now for the current period (never twice per period)."""
    org = org_page(org_id, "ops")
    result = schedules.run_schedule(org, schedule_id, current_app.config)
    if result.ran:
        flash(_("Ran for %(period)s: %(detail)s", period=result.period, detail=result.detail),
              "ok")
    else:
        flash(_("Already done for %(period)s.", period=result.period), "ok")
    return redirect(url_for("web.schedules", org_id=org_id), code=303)


@bp.post("/orgs/<int:org_id>/schedules/<int:schedule_id>/resend", endpoint="schedule_resend")
@login_required
def resend(org_id: int, schedule_id: int) -> Any:
    """Resend a barometer schedule's email of the current period, to all its recipients,
    only the new ones, or one recipient (`to` is then their address), through the outbox,
    and say how many messages were queued and for whom."""
    org = org_page(org_id, "ops")
    to = request.form.get("to", "")
    one = None if to in RESEND_TO else to
    try:
        if jobs.is_big_campaign(org, schedule_id):
            job = jobs.barometer_send_job(org, current_user.id, schedule_id,
                                          "all" if one else to, one)
            return redirect(url_for("web.job", key=job.key), code=303)
        result = schedules.resend_schedule(org, schedule_id, "all" if one else to,
                                           current_app.config, recipient=one)
    except TrackerError as failure:
        flash(failure.detail, "error")
        return redirect(url_for("web.schedules", org_id=org_id), code=303)
    message = ngettext("Barometer %(period)s queued for %(num)d recipient.",
                       "Barometer %(period)s queued for %(num)d recipients.", result.queued,
                       period=result.period)
    if result.recipients:
        message += " " + _("Queued for: %(emails)s.", emails=", ".join(result.recipients))
    if result.skipped:
        message += " " + ngettext(
            "%(num)d skipped (already sent, or still pending).",
            "%(num)d skipped (already sent, or still pending).", len(result.skipped))
    flash(message, "ok")
    return redirect(url_for("web.schedules", org_id=org_id), code=303)
