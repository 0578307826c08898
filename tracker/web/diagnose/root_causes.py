"""Root causes between findings: a finding marked as the symptom of another (a cycle is
refused and shown in order), or the mark removed (rules in `services.diagnose.root_causes`)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from tracker.domain.errors import Conflict, DependencyCycle, InvalidInput
from tracker.models import Finding
from tracker.services.diagnose import root_causes
from tracker.services.tenancy.access import get_owned
from tracker.web.base import bp, org_page


@bp.post("/orgs/<int:org_id>/findings/<int:finding_id>/root-causes",
         endpoint="finding_root_cause")
@login_required
def finding_root_cause(org_id: int, finding_id: int) -> Any:
    """Mark a finding as the symptom of another; a cycle is refused and shown in order."""
    org = org_page(org_id, "ops")
    finding = get_owned(Finding, org, finding_id, "Finding")
    raw = request.form.get("root_cause_id", "")
    try:
        if not raw.isdigit():
            raise InvalidInput(_("Choose the root cause."), errors={"root_cause_id": [raw]})
        root_causes.add_root_cause(org, finding.id, int(raw))
    except DependencyCycle as cycle:
        flash(_("Refused: this link would close a cycle: %(cycle)s",
                cycle=" → ".join(cycle.extra.get("cycle_titles", []))), "error")
    except (Conflict, InvalidInput) as refused:
        flash(refused.detail, "error")
    else:
        flash(_("“%(title)s” is now marked as a symptom.", title=finding.title), "ok")
    return redirect(url_for("web.assessment", org_id=org_id, assessment_id=finding.assessment_id,
                            _anchor="findings"), code=303)


@bp.post("/orgs/<int:org_id>/findings/<int:finding_id>/root-causes/<int:root_cause_id>/delete",
         endpoint="finding_root_cause_remove")
@login_required
def finding_root_cause_remove(org_id: int, finding_id: int, root_cause_id: int) -> Any:
    """Remove the link marking a finding as the symptom of another (ops and above); 404 when
    there is no such link."""
    org = org_page(org_id, "ops")
    finding = get_owned(Finding, org, finding_id, "Finding")
    root_causes.remove_root_cause(org, finding.id, root_cause_id)
    flash(_("“%(title)s” is no longer marked as a symptom of that finding.",
            title=finding.title), "ok")
    return redirect(url_for("web.assessment", org_id=org_id, assessment_id=finding.assessment_id,
                            _anchor="findings"), code=303)


