"""Accounts pages: sign in and out, the interface language, your account (name, language,
password, API tokens) and the reset of a forgotten password (the home page is
`organizations`)."""

from __future__ import annotations

from typing import Any

from authlib.integrations.base_client import OAuthError
from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from marshmallow import ValidationError

from tracker.adapters import oidc
from tracker.domain.constants import LOCALES
from tracker.domain.errors import TrackerError
from tracker.models.base import utcnow
from tracker.schemas.tenancy import TokenCreateSchema
from tracker.security import sessions
from tracker.services.tenancy import accounts, passwords, sso
from tracker.web.base import bp

#: How many of your tokens the account page lists (newest first).
TOKENS_SHOWN = 50


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """Sign in with email and password; the browser gets a new session."""
    if request.method == "POST":
        user = accounts.authenticate(request.form.get("email", ""),
                                     request.form.get("password", ""))
        if user is not None:
            sessions.sign_in(user)
            return redirect(_safe_next(request.args.get("next")))
        flash(_("Unknown email or wrong password."), "error")
    return render_template("login.html"), 200 if request.method == "GET" else 401


@bp.post("/logout")
@login_required
def logout() -> Any:
    """Sign out: the session ends on the server, for every copy of the cookie."""
    sessions.sign_out()
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


def _account_page(status: int = 200, **context: Any) -> tuple[str, int]:
    """Your account page, with the form errors or the new token of `context`."""
    tokens = accounts.tokens_page(current_user, 1, TOKENS_SHOWN)
    context.setdefault("errors", {})
    return render_template("tenancy/account.html", tokens=tokens, now=utcnow(),
                           token_days=current_app.config["TRACKER_TOKEN_DAYS"],
                           **context), status


@bp.get("/account")
@login_required
def account() -> Any:
    """Your name, language, password and API tokens."""
    return _account_page()


@bp.post("/account")
@login_required
def account_update() -> Any:
    """Change your name and interface language."""
    try:
        accounts.update_profile(current_user, request.form.get("name", ""),
                                request.form.get("locale", ""))
    except TrackerError as failure:
        return _account_page(422, errors=failure.errors)
    flash(_("Your account is saved."), "success")
    return redirect(url_for("web.account"), code=303)


@bp.post("/account/password")
@login_required
def account_password() -> Any:
    """Change your password; your other sessions end, this one carries on."""
    new = request.form.get("new_password", "")
    if new != request.form.get("confirm_password", ""):
        return _account_page(422, errors={"confirm_password": [_("The two passwords differ.")]})
    try:
        passwords.change_password(current_user, request.form.get("current_password", ""), new)
    except TrackerError as failure:
        return _account_page(422, errors=failure.errors)
    sessions.renew()
    flash(_("Your password is changed; your other sessions are signed out."), "success")
    return redirect(url_for("web.account"), code=303)


@bp.post("/account/tokens")
@login_required
def account_token_create() -> Any:
    """Create an API token and show its secret, this once."""
    form = {k: v for k, v in request.form.items() if k in ("name", "expires_in_days") and v}
    try:
        data = TokenCreateSchema().load(form)
    except ValidationError as invalid:
        return _account_page(422, errors=invalid.messages_dict)
    days = accounts.token_days(data["expires_in_days"],
                               current_app.config["TRACKER_TOKEN_DAYS"])
    token, secret = accounts.create_token(current_user, data["name"], days)
    return _account_page(201, new_token=token, new_secret=secret)


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def account_token_revoke(token_id: int) -> Any:
    """Revoke one of your API tokens."""
    accounts.revoke_token(current_user, token_id)
    flash(_("The token is revoked."), "success")
    return redirect(url_for("web.account"), code=303)


@bp.route("/password-reset", methods=["GET", "POST"])
def password_reset_request() -> Any:
    """Ask for a reset link by email; the answer never says whether the account exists."""
    if request.method == "POST":
        passwords.request_password_reset(request.form.get("email", ""), current_app.config)
        flash(_("If an account has this address, an email with a link to choose a new "
                "password is on its way."), "success")
        return redirect(url_for("web.login"), code=303)
    return render_template("tenancy/password_reset_request.html")


@bp.route("/password-reset/<token>", methods=["GET", "POST"])
def password_reset(token: str) -> Any:
    """Choose a new password through the emailed link; then sign in with it."""
    errors: dict[str, Any] = {}
    if request.method == "POST":
        password = request.form.get("password", "")
        if password != request.form.get("confirm_password", ""):
            errors = {"confirm_password": [_("The two passwords differ.")]}
        else:
            try:
                passwords.reset_password(token, password, current_app.config)
            except TrackerError as failure:
                errors = failure.errors
            else:
                flash(_("Your password is changed; sign in with it."), "success")
                return redirect(url_for("web.login"), code=303)
    return (render_template("tenancy/password_reset.html", token=token, errors=errors),
            422 if errors else 200)


def _safe_next(target: str | None) -> str:
    """Only same-site paths are followed after sign-in (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("web.index")


@bp.get("/auth/oidc/login")
def oidc_login() -> Any:
    """Start single sign-on: off to the provider (authorization code, PKCE, state, nonce)."""
    if not oidc.configured(current_app.config):
        return render_template("login.html"), 404
    session["oidc_next"] = _safe_next(request.args.get("next"))
    return oidc.client(current_app).authorize_redirect(
        url_for("web.oidc_callback", _external=True))


@bp.get("/auth/oidc/callback")
def oidc_callback() -> Any:
    """Back from the provider: the ID token is verified, the user found, linked or created."""
    if not oidc.configured(current_app.config):
        return render_template("login.html"), 404
    target = _safe_next(session.pop("oidc_next", None))
    try:
        user = sso.user_for_claims(oidc.callback_claims(current_app))
    except TrackerError as error:
        flash(str(error), "error")
        return render_template("login.html"), 403
    except (OAuthError, ValueError, KeyError, OSError):
        current_app.logger.warning("single sign-on failed", exc_info=True)
        flash(_("Single sign-on failed; please try again."), "error")
        return render_template("login.html"), 400
    sessions.sign_in(user)
    return redirect(target)
