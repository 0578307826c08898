"""Baselines of the roadmap: ops and leads save the plan shown on the roadmap page under a
name; everyone lists the saved baselines and compares the current plan with one (each
initiative late, early, on time, added, removed or left out, with its slip in weeks).

Saving, listing and comparing are `services.plan.roadmap`'s; a refused name comes back on
the roadmap page (422), beside the field, the name kept."""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from marshmallow import ValidationError

from tracker.domain.errors import TrackerError
from tracker.schemas.plan import BaselineCreateSchema
from tracker.services.pagination import page_args
from tracker.services.plan import listing, roadmap
from tracker.web.base import bp, org_page
from tracker.web.plan.roadmap import PLAN_ARGS, SLIP_STATUS_LABELS, render_roadmap

#: Baselines listed per page.
PER_PAGE = 50


@bp.post("/orgs/<int:org_id>/roadmap/baselines", endpoint="baseline_create")
@login_required
def baseline_create(org_id: int) -> Any:
    """Save the plan shown (the query's start and capacity) under the form's name (ops and
    leads), then compare the roadmap with it."""
    org = org_page(org_id, "ops")
    name = request.form.get("name", "").strip()
    plan_args: dict[str, Any] = {key: request.args[key] for key in PLAN_ARGS
                                 if request.args.get(key)}
    try:
        baseline = roadmap.create_baseline(org, BaselineCreateSchema().load(
            {"name": name, **plan_args}))
    except ValidationError as invalid:
        return render_roadmap(org, 422, {"name": name, "errors": {
            key: list(messages) for key, messages in invalid.normalized_messages().items()}})
    except TrackerError as refused:
        return render_roadmap(org, 422, {"name": name, "errors": refused.errors or {
            "name": [refused.detail]}})
    flash(_("Baseline %(name)s saved: the roadmap is compared with it.", name=baseline.name),
          "ok")
    return redirect(url_for("web.roadmap", org_id=org_id, baseline=baseline.id, **plan_args),
                    code=303)


@bp.get("/orgs/<int:org_id>/roadmap/baselines", endpoint="baselines")
@login_required
def baselines_page(org_id: int) -> Any:
    """The saved baselines, newest first, each with what it was planned with."""
    org = org_page(org_id)
    g.active_nav = "roadmap"
    number = max(request.args.get("page", 1, type=int) or 1, 1)
    page = roadmap.list_baselines(org, number, PER_PAGE)
    return render_template(
        "plan/baselines.html", org=org, page=page, pages=max(1, -(-page.total // PER_PAGE)),
        planned={b.id: roadmap.planned_with(b) for b in page.items},
        page_url=lambda n: url_for("web.baselines", org_id=org.id, page=n))


@bp.get("/orgs/<int:org_id>/roadmap/baselines/<int:baseline_id>", endpoint="baseline")
@login_required
def baseline_page(org_id: int, baseline_id: int) -> Any:
    """The current plan against one baseline, under the baseline's start and capacity:
    how many slipped (each count lists its status), then one page of the initiatives'
    slips (`status`, `page`, `per_page` ≤ 200 in the query)."""
    org = org_page(org_id)
    g.active_nav = "roadmap"
    found = listing.comparison(org, baseline_id, roadmap.PlanParams())
    status = request.args.get("status", "")
    status = status if status in SLIP_STATUS_LABELS else ""
    number, per_page = page_args(request.args)
    comparison = {**found, "status": status,
                  "page": listing.slips_page(found["items"], status, number, per_page)}

    def address(**changes: Any) -> str:
        kept = {"status": status or None, "per_page": request.args.get("per_page"), **changes}
        return url_for("web.baseline", org_id=org.id, baseline_id=baseline_id,
                       **{k: v for k, v in kept.items() if v})
    return render_template(
        "plan/baseline.html", org=org, comparison=comparison, status_labels=SLIP_STATUS_LABELS,
        status_url=lambda chosen: address(status=chosen, page=None),
        page_url=lambda n: address(page=n))
