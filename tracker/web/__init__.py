"""Server-rendered pages: sign-in, and the overview of your organizations."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.exceptions import HTTPException

from tracker.api import errors as api_errors
from tracker.domain.errors import TrackerError
from tracker.services import accounts, organizations

bp = Blueprint("web", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    """Register the pages, the HTML error pages and the security headers."""
    from tracker import survey

    app.register_blueprint(bp)
    survey.init_app(app)
    api_errors.register(app, _error_page, _unexpected_page)
    app.after_request(_security_headers)


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
        flash("Unknown email or wrong password.", "error")
    return render_template("login.html"), 200 if request.method == "GET" else 401


@bp.post("/logout")
@login_required
def logout() -> Any:
    """Sign out."""
    logout_user()
    return redirect(url_for("web.login"))


def _safe_next(target: str | None) -> str:
    """Only same-site paths are followed after sign-in (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("web.index")


def _error_page(error: HTTPException | TrackerError) -> Any:
    status = getattr(error, "code", None) or getattr(error, "status", 500)
    title = getattr(error, "name", None) or getattr(error, "title", "Error")
    detail = getattr(error, "description", None) or getattr(error, "detail", "")
    return render_template("error.html", status=status, title=title, detail=detail), status


def _unexpected_page(_error: Exception) -> Any:
    from flask import current_app

    current_app.logger.exception("Unhandled error on %s", request.path)
    return render_template("error.html", status=500, title="Internal Server Error",
                           detail="Something went wrong on our side; it has been logged."), 500


def _security_headers(response: Any) -> Any:
    """Headers every response carries: no sniffing, no framing, a strict CSP."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if not request.path.startswith("/api/v1/docs"):
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
    return response
