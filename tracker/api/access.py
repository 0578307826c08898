"""Authentication and role checks for the API, done before any body is read.

Views declare the least role they need with `@requires("contributor")`; reads need
`viewer`, and an undeclared write needs `ops`. For every route with an `org_id`, the
organization is resolved once, through `services.access.org_for`, and kept in `g.org`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, g, request
from flask_login import current_user

from tracker.extensions import csrf
from tracker.schemas.problems import problem
from tracker.services.tenancy import access, feeds

F = TypeVar("F", bound=Callable[..., Any])
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PUBLIC_ENDPOINTS = ("api-docs.", "swagger_ui_assets")


def requires(role: str) -> Callable[[F], F]:
    """Declare the least role a view needs in the organization of its URL."""

    def mark(view: F) -> F:
        view._min_role = role  # type: ignore[attr-defined]
        return view

    return mark


def public(view: F) -> F:
    """Mark a view as open to anonymous callers (health, token creation)."""
    view._public = True  # type: ignore[attr-defined]
    return view


def feed_readable(view: F) -> F:
    """Mark a view as readable with a calendar feed's `?feed=` secret instead of sign-in."""
    view._feed = True  # type: ignore[attr-defined]
    return view


def check_request(app: Flask) -> Any:
    """Before an API view runs: signed in, CSRF for cookie writes, role in the org."""
    view = view_method(app, request.endpoint or "", request.method)
    if request.args.get("feed") and getattr(view, "_feed", False):
        return _feed_access(request.args["feed"])
    if (view is None or is_public(view)
            or (request.endpoint or "").startswith(PUBLIC_ENDPOINTS)):
        return None
    if not current_user.is_authenticated:
        return problem(401, "Unauthorized", "Sign in or send 'Authorization: Bearer <token>'.",
                       headers={"WWW-Authenticate": "Bearer"})
    if request.method not in SAFE_METHODS and not g.get("token_auth"):
        csrf.protect()
    org_id = (request.view_args or {}).get("org_id")
    if org_id is not None:
        default = "viewer" if request.method in SAFE_METHODS else "ops"
        g.org = access.org_for(current_user, org_id, getattr(view, "_min_role", default))
    return None


def _feed_access(secret: str) -> Any:
    """A calendar feed's secret in place of sign-in: 401 unknown or revoked, 404 for
    another organization's roadmap or a user no longer a member."""
    org = feeds.org_for_feed(secret, (request.view_args or {})["org_id"])
    if org is None:
        return problem(401, "Unauthorized", "This calendar feed is unknown or was revoked.")
    g.org = org
    return None


def is_public(view: Any) -> bool:
    """Whether `view` is open to anonymous callers (marked `@public`)."""
    return bool(getattr(view, "_public", False))


def view_method(app: Flask, endpoint: str, method: str) -> Any:
    """The function that answers `method` on `endpoint`: a MethodView's method, or the view.
    HEAD is answered by `get` when the view has no `head` (as Flask dispatches it), so a
    HEAD request is checked like the GET it runs."""
    view = app.view_functions.get(endpoint)
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        found = getattr(view_class, method.lower(), None)
        if found is None and method == "HEAD":
            found = getattr(view_class, "get", None)
        return found
    return view
