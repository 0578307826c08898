"""The invitation page at `/invitations/<token>`: the invited person signs in with the
invited email and joins, or chooses a password for a new account; either way they land in
the organization. A used, cancelled or expired link says so plainly."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.domain.errors import Gone, NotFound, TrackerError
from tracker.security import sessions
from tracker.services.tenancy import invitations
from tracker.web.base import bp
from tracker.web.labels import ROLE_LABELS


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def invitation(token: str) -> Any:
    """Show the invitation; on POST, accept it (signed in) or create the account."""
    try:
        pending = invitations.usable(token)
    except (NotFound, Gone) as failure:
        return render_template("error.html", status=failure.status,
                               title=_("This invitation cannot be used"),
                               detail=failure.detail), failure.status
    errors: dict[str, Any] = {}
    if request.method == "POST":
        errors = _accept(token)
        if not errors:
            flash(_("Welcome to %(org)s.", org=pending.organization.name), "success")
            return redirect(url_for("web.assessments", org_id=pending.org_id), code=303)
    return render_template("tenancy/invitation.html", invitation=pending, errors=errors,
                           role_labels=ROLE_LABELS), 422 if errors else 200


def _accept(token: str) -> dict[str, Any]:
    """Accept as the signed-in user, or with the new account's password; the field errors."""
    signed_in = current_user if current_user.is_authenticated else None
    password = request.form.get("password", "")
    if signed_in is None and password != request.form.get("confirm_password", ""):
        return {"confirm_password": [_("The two passwords differ.")]}
    try:
        membership = invitations.accept(token, signed_in, password or None,
                                        request.form.get("name", "").strip())
    except TrackerError as failure:
        return failure.errors or {"": [failure.detail]}
    if signed_in is None:
        sessions.sign_in(membership.user)
    return {}
