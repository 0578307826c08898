"""Anti-automation: rate limits (Flask-Limiter) on sign-in, token creation, password
reset, invitations and the survey pages, from the one table `RULES`.

Each rule names the endpoints it guards, the setting that holds its limits
(`TRACKER_RATELIMIT_<NAME>`, e.g. `10/minute;50/hour`), whom it counts (the client's
address, the account named in the request, or the signed-in user) and which answers count:
sign-in counts failures only (so people who sign in often are never slowed down) and the
survey counts unknown links only (so respondents are never slowed down, and guessing links
is). The limits are stored in memory (one process) or, with `TRACKER_RATELIMIT_STORAGE_URL`
or `TRACKER_REDIS_URL`, in Redis, shared by every process.

A limited request answers 429 with `Retry-After`: problem+json on API paths, a page
elsewhere. Limits are off in tests (`TESTING`) unless the test app sets
`RATELIMIT_ENABLED`, and off anywhere with `TRACKER_RATELIMIT=off`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, current_app, render_template, request
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from flask_limiter.util import get_remote_address
from flask_login import current_user

from tracker.extensions import limiter
from tracker.schemas.problems import is_api_request, problem
from tracker.services.tenancy import accounts


def _account() -> str:
    """The account a sign-in or reset request names (form or JSON `email`), else the
    client's address."""
    body = request.get_json(silent=True) if request.is_json else None
    email = (body.get("email") if isinstance(body, dict) else None) or request.form.get("email")
    if isinstance(email, str) and email.strip():
        return "account:" + accounts.normalize_email(email)
    return get_remote_address()


def _caller() -> str:
    """The signed-in user, else the client's address."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return get_remote_address()


def _failed(response: Response) -> bool:
    return response.status_code in (401, 403, 422)


def _unknown_link(response: Response) -> bool:
    return response.status_code in (404, 410)


@dataclass(frozen=True)
class Rule:
    """A rate limit: `name` (its setting `TRACKER_RATELIMIT_<name>`), the default limits, the
    endpoints it guards (a name ending with `.` stands for a whole blueprint), whom it
    counts, the methods it applies to (None: all) and which answers count (None: all).

    A rule is the limit's provider: called in a request, it gives the app's setting."""

    name: str
    default: str
    endpoints: tuple[str, ...]
    key: Callable[[], str] = get_remote_address
    methods: tuple[str, ...] | None = ("POST",)
    counts: Callable[[Response], bool] | None = None

    def __call__(self) -> str:
        return str(current_app.config.get(f"TRACKER_RATELIMIT_{self.name}") or self.default)


SIGN_IN = ("web.login", "tokens.Tokens")
RESET = ("account.PasswordResetRequest", "account.PasswordReset", "web.password_reset_request",
         "web.password_reset")
RULES: tuple[Rule, ...] = (
    Rule("SIGNIN", "10/minute;50/hour", SIGN_IN, counts=_failed),
    Rule("SIGNIN", "10/minute;50/hour", SIGN_IN, key=_account, counts=_failed),
    Rule("RESET", "5/minute;20/hour", RESET),
    Rule("RESET", "5/minute;20/hour", RESET, key=_account),
    Rule("TOKENS", "20/minute;100/hour", ("tokens.MyTokens", "web.account_token_create"),
         key=_caller),
    Rule("INVITE", "30/minute;200/hour", ("orgs.Invitations", "orgs.Members"), key=_caller),
    Rule("ACCEPT", "10/minute;50/hour", ("orgs.InvitationAccept", "web.invitation")),
    Rule("SURVEY", "20/minute;100/hour", ("survey.",), methods=None, counts=_unknown_link),
)


def init_app(app: Flask) -> None:
    """Bind the limiter (storage from the settings) and answer 429 as problem or page."""
    app.config.setdefault("RATELIMIT_ENABLED",
                          bool(app.config.get("TRACKER_RATELIMIT", True)) and not app.testing)
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    app.config.setdefault("RATELIMIT_STRATEGY", "moving-window")  # no burst at window edges
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "tracker")
    limiter.init_app(app)
    app.register_error_handler(RateLimitExceeded, _too_many)


def guard_endpoints(app: Flask) -> None:
    """Wrap the endpoints of `RULES` in their limits; called once every blueprint is
    registered, so the stages' modules need not know about limits."""
    if not app.config["RATELIMIT_ENABLED"]:
        return
    for rule in RULES:
        limit: Any = limiter.limit(
            rule, key_func=rule.key, methods=list(rule.methods) if rule.methods else None,
            deduct_when=rule.counts, override_defaults=False)
        for endpoint in _matching(app, rule.endpoints):
            app.view_functions[endpoint] = limit(app.view_functions[endpoint])


def _matching(app: Flask, names: tuple[str, ...]) -> list[str]:
    return [endpoint for endpoint in app.view_functions
            if endpoint in names or any(n.endswith(".") and endpoint.startswith(n)
                                        for n in names)]


def _too_many(_error: RateLimitExceeded) -> Any:
    """429: problem+json on API paths, the error page elsewhere; `Retry-After` either way."""
    limit = limiter.current_limit
    wait = max(1, math.ceil(limit.reset_at - time.time())) if limit else 60
    headers = {"Retry-After": str(wait)}
    detail = _("Too many attempts; wait %(seconds)s seconds and try again.", seconds=wait)
    if is_api_request():
        return problem(429, "Too Many Requests", detail, headers=headers)
    page = render_template("error.html", status=429, title=_("Too many attempts"),
                           detail=detail)
    return page, 429, headers
