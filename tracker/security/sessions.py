"""Who is calling: web sessions (Flask-Login) and API Bearer tokens."""

from __future__ import annotations

from typing import Any

from flask import Flask, g, redirect, request, url_for
from flask_login import user_loaded_from_request

from tracker.extensions import db, login_manager
from tracker.models import User
from tracker.problems import is_api_request, problem
from tracker.services.tenancy import accounts


def init_app(app: Flask) -> None:
    """Wire Flask-Login: users from the session cookie or from a Bearer token."""
    login_manager.login_view = "web.login"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        user = db.session.get(User, int(user_id))
        return user if user is not None and user.active else None

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
