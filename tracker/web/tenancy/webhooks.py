"""The webhooks page at `/orgs/<id>/webhooks` (ops and leads), linked from the settings:
the organization's webhooks, a form to add one (address, events, format, optional secret:
a generated one is shown once, on the page that answers the creation), a "send a test"
button and archiving per webhook, and each webhook's delivery log (status, attempts,
last answer or error) at `/orgs/<id>/webhooks/<webhook_id>`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.domain.errors import TrackerError
from tracker.models.outbox import WEBHOOK_EVENTS, WEBHOOK_FORMATS
from tracker.services.tenancy import webhooks
from tracker.web.base import bp, org_page

#: The most webhooks listed (an organization has a handful).
SHOWN = 200
#: Deliveries per page of a webhook's log.
PER_PAGE = 50
EVENT_LABELS = {"assessment.opened": _l("An assessment or pulse opens"),
                "assessment.closed": _l("An assessment or pulse closes"),
                "barometer.sent": _l("The barometer email is sent"),
                "initiative.status_changed": _l("An initiative changes status"),
                "pilot.decided": _l("A pilot is decided"),
                "decision.logged": _l("A decision is logged"),
                webhooks.TEST_EVENT: _l("Test message")}
FORMAT_LABELS = {"json": _l("JSON (signed, for your own service)"),
                 "slack": _l("Slack incoming webhook"),
                 "teams": _l("Microsoft Teams incoming webhook")}
DELIVERY_STATUS_LABELS = {"pending": _l("pending"), "sent": _l("sent"), "failed": _l("failed")}


@bp.get("/orgs/<int:org_id>/webhooks", endpoint="webhooks")
@login_required
def webhooks_page(org_id: int) -> Any:
    """The organization's webhooks and the form to add one."""
    return _page(org_id)


def _page(org_id: int, status: int = 200, values: Mapping[str, Any] | None = None,
          errors: Mapping[str, list[str]] | None = None,
          new_secret: str | None = None) -> tuple[str, int]:
    """The webhooks page, with the form's values and errors when refused, or the secret
    of the webhook just created."""
    org = org_page(org_id, "ops")
    g.active_nav = "webhooks"
    return render_template(
        "tenancy/webhooks.html", org=org,
        hooks=webhooks.list_webhooks(org, 1, SHOWN).items, events=WEBHOOK_EVENTS,
        formats=WEBHOOK_FORMATS, event_labels=EVENT_LABELS, format_labels=FORMAT_LABELS,
        masked=webhooks.masked, new_secret=new_secret, errors=errors or {},
        values=values or {"url": "", "events": list(WEBHOOK_EVENTS), "format": "json"}), status


@bp.post("/orgs/<int:org_id>/webhooks", endpoint="webhook_add")
@login_required
def webhook_add(org_id: int) -> Any:
    """Add a webhook; the page that answers shows its secret once. A refusal comes back
    with its errors beside the fields and the input kept."""
    org = org_page(org_id, "ops")
    values = {"url": request.form.get("url", "").strip(),
              "events": request.form.getlist("events"),
              "format": request.form.get("format", "json"),
              "secret": request.form.get("secret", "").strip()}
    try:
        _, secret = webhooks.create_webhook(org, current_user, values)
    except TrackerError as failure:
        return _page(org_id, failure.status, values, failure.errors or {"url": [failure.detail]})
    return _page(org_id, 201, new_secret=secret)


@bp.post("/orgs/<int:org_id>/webhooks/<int:webhook_id>/test", endpoint="webhook_test")
@login_required
def webhook_test(org_id: int, webhook_id: int) -> Response:
    """Send a test message now and say how it went (the log keeps it)."""
    org = org_page(org_id, "ops")
    delivery = webhooks.send_test(org, webhook_id, current_app.config)
    if delivery.status == "sent":
        flash(_("The test message was received (HTTP %(status)s).",
                status=delivery.response_status), "success")
    else:
        flash(_("The test message did not get through: %(error)s. Check the address, then "
                "try again.", error=delivery.last_error or ""), "error")
    return redirect(url_for("web.webhook_log", org_id=org_id, webhook_id=webhook_id), code=303)


@bp.post("/orgs/<int:org_id>/webhooks/<int:webhook_id>/archive", endpoint="webhook_archive")
@login_required
def webhook_archive(org_id: int, webhook_id: int) -> Response:
    """Archive a webhook once the box is checked: it receives nothing more, its log stays."""
    org = org_page(org_id, "ops")
    if not request.form.get("confirm"):
        flash(_("Check the box to confirm the archiving."), "error")
    else:
        webhooks.archive_webhook(org, current_user, webhook_id)
        flash(_("The webhook is archived; its delivery log stays readable."), "success")
    return redirect(url_for("web.webhooks", org_id=org_id), code=303)


@bp.get("/orgs/<int:org_id>/webhooks/<int:webhook_id>", endpoint="webhook_log")
@login_required
def webhook_log(org_id: int, webhook_id: int) -> str:
    """A webhook's settings and its delivery log, newest first, a page at a time."""
    org = org_page(org_id, "ops")
    g.active_nav = "webhooks"
    webhook = webhooks.get_webhook(org, webhook_id)
    number = max(1, request.args.get("page", 1, type=int) or 1)
    page = webhooks.list_deliveries(org, webhook_id, number, PER_PAGE)
    return render_template(
        "tenancy/webhooks_log.html", org=org, hook=webhook, page=page,
        pages=max(1, -(-page.total // PER_PAGE)), event_labels=EVENT_LABELS,
        format_labels=FORMAT_LABELS, status_labels=DELIVERY_STATUS_LABELS,
        masked=webhooks.masked,
        page_url=lambda n: url_for("web.webhook_log", org_id=org.id, webhook_id=webhook_id,
                                   page=n))
