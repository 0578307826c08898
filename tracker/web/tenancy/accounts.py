"""Accounts pages: sign in and out, the interface language, and the home page listing the
organizations you belong to."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from tracker.domain.constants import LOCALES
from tracker.services.tenancy import accounts, organizations
from tracker.web.base import bp


@bp.get("/")
@login_required
def index() -> str:
    """The organizations you belong to."""
    page = organizations.list_organizations(current_user, 1, 200)
    return render_template("index.html", organizations=page.items)


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """Sign in with email and password."""
    if request.method == "POST":
        user = accounts.authenticate(request.form.get("email", ""),
                                     request.form.get("password", ""))
        if user is not None:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        flash(_("Unknown email or wrong password."), "error")
    return render_template("login.html"), 200 if request.method == "GET" else 401


@bp.post("/logout")
@login_required
def logout() -> Any:
    """Sign out."""
    logout_user()
    return redirect(url_for("web.login"))


@bp.post("/locale")
def set_locale() -> Any:
    """Switch the interface language: stored on the user, or in the session when signed out."""
    locale = request.form.get("locale", "")
    if current_user.is_authenticated:
        accounts.set_locale(current_user, locale)
    elif locale in LOCALES:
        session["locale"] = locale
    return redirect(_safe_next(request.form.get("next")), code=303)


def _safe_next(target: str | None) -> str:
    """Only same-site paths are followed after sign-in (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("web.index")
