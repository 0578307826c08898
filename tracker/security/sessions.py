"""Who is calling: web sessions (Flask-Login over server-side session rows) and API Bearer
tokens.

The signed session cookie carries only the secret of a `user_session` row (in Flask-Login's
`_user_id`); the row decides whether the cookie still signs anyone in, so logging out ends
the session for every copy of the cookie. Flask-Login's remember-me cookie is never set, and
one sent anyway signs no one in (it names no session).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, g, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user, user_loaded_from_request

from tracker.extensions import login_manager
from tracker.models import User
from tracker.schemas.problems import is_api_request, problem
from tracker.services.tenancy import accounts
from tracker.services.tenancy import sessions as user_sessions

SESSION_KEY = "_user_id"  # where Flask-Login keeps the id it hands the user loader


def init_app(app: Flask) -> None:
    """Wire Flask-Login: users from the session cookie or from a Bearer token."""
    login_manager.login_view = "web.login"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(secret: str) -> User | None:
        return user_sessions.user_for_session(secret, current_app.config)

    @login_manager.request_loader
    def load_user_from_token(req: Any) -> User | None:
        header = req.headers.get("Authorization", "")
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret:
            return None
        return accounts.user_for_token(secret.strip())

    @login_manager.unauthorized_handler
    def unauthorized() -> Any:
        if is_api_request():
            return problem(401, "Unauthorized", "Sign in first.",
                           headers={"WWW-Authenticate": "Bearer"})
        return redirect(url_for("web.login", next=request.full_path))

    @user_loaded_from_request.connect_via(app)
    def _token_used(_sender: Any, user: User) -> None:
        g.token_auth = True


def _client() -> tuple[str, str]:
    return request.headers.get("User-Agent", ""), request.remote_addr or ""


def _attach(user: User, secret: str) -> None:
    """A fresh cookie session (nothing kept from before) naming the session `secret`."""
    session.clear()
    login_user(user)
    session[SESSION_KEY] = secret


def sign_in(user: User) -> None:
    """Sign `user` in on this browser with a new server-side session; whatever the cookie
    held before (an anonymous session, another user's, which ends) is dropped."""
    _end_current()
    _attach(user, user_sessions.sign_in(user, *_client()))


def sign_out() -> None:
    """End this browser's session on the server, then forget it in the cookie."""
    _end_current()
    logout_user()
    session.clear()


def _end_current() -> None:
    """Revoke the session the cookie names, if any."""
    secret = session.get(SESSION_KEY)
    if secret:
        user_sessions.revoke_session(secret)


def renew() -> None:
    """After the signed-in user's sessions were ended (a password change), keep this
    browser signed in with a new session; a Bearer call has no browser session to keep."""
    if not g.get("token_auth") and session.get(SESSION_KEY):
        user = current_user._get_current_object()  # the user itself, not the proxy
        _attach(user, user_sessions.start_session(user, *_client()))
