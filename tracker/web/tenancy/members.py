"""The members page at `/orgs/<id>/members`: every member reads who belongs to the
organization with which role; leads change a role, remove a member (never the last lead:
the service refuses and its message is shown), invite by email with a role (the email goes
to the outbox) and resend or cancel a pending invitation."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from marshmallow import ValidationError
from werkzeug.wrappers import Response

from tracker.domain.errors import TrackerError
from tracker.models.organizations import ROLES
from tracker.schemas.tenancy import InvitationRequestSchema, MemberRoleSchema
from tracker.services.tenancy import invitations, organizations
from tracker.web.base import bp, can, org_page
from tracker.web.labels import ROLE_LABELS

#: The most members and pending invitations listed (an organization has a few dozen).
SHOWN = 500


@bp.get("/orgs/<int:org_id>/members", endpoint="members")
@login_required
def members_page(org_id: int) -> Any:
    """Members and roles; for leads, the controls and the pending invitations."""
    return _page(org_id)


def _page(org_id: int, status: int = 200, invite_values: Mapping[str, str] | None = None,
          invite_errors: Mapping[str, list[str]] | None = None) -> tuple[str, int]:
    """The members page, with the invitation form's values and errors when refused."""
    org = org_page(org_id)
    g.active_nav = "members"
    pending = invitations.list_pending(org, 1, SHOWN).items if can("lead") else []
    return render_template(
        "tenancy/members.html", org=org, members=organizations.list_members(org, 1, SHOWN).items,
        pending=pending, roles=ROLES, role_labels=ROLE_LABELS,
        invite_values=invite_values or {"email": "", "role": "contributor"},
        invite_errors=invite_errors or {}), status


@bp.post("/orgs/<int:org_id>/members/<int:user_id>/role", endpoint="member_role")
@login_required
def member_role(org_id: int, user_id: int) -> Response:
    """Change a member's role (leads); the last lead stays a lead."""
    org = org_page(org_id, "lead")
    return _act(org_id, _("The role is changed."), lambda: organizations.change_member_role(
        org, user_id, MemberRoleSchema().load({"role": request.form.get("role", "")})["role"],
        actor=current_user))


@bp.post("/orgs/<int:org_id>/members/<int:user_id>/remove", endpoint="member_remove")
@login_required
def member_remove(org_id: int, user_id: int) -> Response:
    """Remove a member once the confirmation box is checked (leads); never the last lead."""
    org = org_page(org_id, "lead")
    if not request.form.get("confirm"):
        flash(_("Check the box to confirm the removal."), "error")
        return redirect(url_for("web.members", org_id=org_id), code=303)
    leaving = user_id == current_user.id
    return _act(org_id, _("The member is removed."),
                lambda: organizations.remove_member(org, user_id, actor=current_user),
                back=url_for("web.index") if leaving else None)


@bp.post("/orgs/<int:org_id>/invitations", endpoint="invitation_send")
@login_required
def invitation_send(org_id: int) -> Any:
    """Invite a person by email with a role (leads); the email waits in the outbox. A
    refused invitation comes back with its errors beside the fields and the input kept."""
    org = org_page(org_id, "lead")
    values = {"email": request.form.get("email", "").strip(),
              "role": request.form.get("role", "")}
    try:
        data = InvitationRequestSchema().load(values)
        invitations.invite(org, current_user, data["email"], data["role"], current_app.config)
    except ValidationError as invalid:
        return _page(org_id, 422, values, invalid.messages_dict)
    except TrackerError as failure:
        return _page(org_id, failure.status, values, failure.errors or {"email": [failure.detail]})
    flash(_("The invitation to %(email)s is on its way.", email=data["email"]), "success")
    return redirect(url_for("web.members", org_id=org_id), code=303)


@bp.post("/orgs/<int:org_id>/invitations/<int:invitation_id>/resend",
         endpoint="invitation_resend")
@login_required
def invitation_resend(org_id: int, invitation_id: int) -> Response:
    """Send a pending invitation again with a new link (leads); the old link stops."""
    org = org_page(org_id, "lead")
    return _act(org_id, _("The invitation is sent again, with a new link."),
                lambda: invitations.resend(org, current_user, invitation_id,
                                           current_app.config))


@bp.post("/orgs/<int:org_id>/invitations/<int:invitation_id>/cancel",
         endpoint="invitation_cancel")
@login_required
def invitation_cancel(org_id: int, invitation_id: int) -> Response:
    """Cancel a pending invitation (leads): its link stops working."""
    org = org_page(org_id, "lead")
    return _act(org_id, _("The invitation is cancelled."),
                lambda: invitations.cancel(org, current_user, invitation_id))


def _act(org_id: int, done: str, action: Callable[[], object],
         back: str | None = None) -> Response:
    """Run a lead's action and come back to the members page (or to `back` once it is
    done, e.g. home for a lead who left), saying what happened or the service's refusal."""
    members = url_for("web.members", org_id=org_id)
    try:
        action()
    except ValidationError as invalid:
        flash(" ".join(m for ms in invalid.messages_dict.values() for m in ms), "error")
    except TrackerError as failure:
        flash(failure.detail, "error")
    else:
        flash(done, "success")
        return redirect(back or members, code=303)
    return redirect(members, code=303)
