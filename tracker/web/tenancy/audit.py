"""The organization's audit log page at `/orgs/<id>/audit` (leads): who changed what and
when, newest first, a page at a time, filtered by record or action; each event in words
(`tracker.web.audit_words`), its time in the organization's time zone."""

from __future__ import annotations

from typing import Any

from flask import g, render_template, request, url_for
from flask_login import login_required

from tracker.services.decide import initiatives
from tracker.services.tenancy import organizations
from tracker.web.audit_words import event_lines
from tracker.web.base import bp, org_page
from tracker.web.labels import AUDIT_ACTION_LABELS, AUDIT_ENTITY_LABELS

PER_PAGE = 50


@bp.get("/orgs/<int:org_id>/audit")
@login_required
def audit_log(org_id: int) -> Any:
    """The audit log (leads)."""
    org = org_page(org_id, "lead")
    g.active_nav = "audit"
    entity = request.args.get("entity") if request.args.get("entity") in AUDIT_ENTITY_LABELS \
        else None
    action = request.args.get("action") if request.args.get("action") in AUDIT_ACTION_LABELS \
        else None
    number = max(1, request.args.get("page", 1, type=int) or 1)
    page = organizations.audit_log(org, number, PER_PAGE, entity=entity, action=action)
    return render_template(
        "tenancy/audit.html", org=org, page=page, entity=entity, action=action,
        events=event_lines(page.items, org.timezone, {
            code: d.name for code, d in initiatives.usable_dimensions(org).items()}),
        pages=max(1, -(-page.total // PER_PAGE)), actions=AUDIT_ACTION_LABELS,
        entities=AUDIT_ENTITY_LABELS,
        page_url=lambda n: url_for("web.audit_log", org_id=org.id, page=n, entity=entity,
                                   action=action))
