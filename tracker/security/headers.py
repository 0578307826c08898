"""Response headers that keep answers where they belong: HSTS in production, no caching of
anything personal, no server banner, and a Content-Security-Policy on the API docs.

The pages' own CSP and `nosniff` are set by `tracker.web`; this module adds:

* `Strict-Transport-Security` when `TRACKER_ENV=production` (where cookies are `Secure` too);
* `Cache-Control: no-store` on every answer to a signed-in caller (session or Bearer token:
  exports included), on the survey pages and on any URL that carries a secret token (an
  invitation, a password reset), so no shared cache or browser history keeps them;
* `Server: tracker` instead of `Werkzeug/… Python/…` from werkzeug's server (`tracker run`,
  the browser tests), which writes that header itself, whatever the application says;
* on `/api/v1/docs`, a CSP allowing Swagger UI's own assets, its inline styles and its one
  inline script, by hash.
"""

from __future__ import annotations

import base64
import hashlib
import re
from http.server import BaseHTTPRequestHandler

from flask import Flask, Response, current_app, g, request
from werkzeug.serving import WSGIRequestHandler

HSTS = "max-age=31536000; includeSubDomains"
SERVER = "tracker"
DOCS_PATH = "/api/v1/docs"
DOCS_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "script-src 'self' {scripts}; connect-src 'self'; frame-ancestors 'none'; "
            "base-uri 'self'; form-action 'self'; object-src 'none'")
INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)


def init_app(app: Flask) -> None:
    """Add the headers to every response, and quiet werkzeug's server banner."""
    WSGIRequestHandler.version_string = _banner  # type: ignore[method-assign,assignment]
    app.after_request(_headers)


def _banner(_handler: BaseHTTPRequestHandler) -> str:
    """What werkzeug's server says it is: no product version, no Python version."""
    return SERVER


def _headers(response: Response) -> Response:
    if current_app.config.get("TRACKER_ENV") == "production":
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    if _private():
        response.headers["Cache-Control"] = "no-store"
    if request.path == DOCS_PATH and response.mimetype == "text/html":
        response.headers["Content-Security-Policy"] = _docs_csp(response.get_data())
    return response


def _private() -> bool:
    """Whether the answer is for one person: a signed-in caller (as Flask-Login already
    loaded them for this request), a survey page, or a URL holding a secret token."""
    user = g.get("_login_user")
    return (bool(user is not None and user.is_authenticated) or request.blueprint == "survey"
            or "token" in (request.view_args or {}))


def _docs_csp(page: bytes) -> str:
    """The docs page's CSP, allowing exactly its inline scripts by their SHA-256."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"
        for script in INLINE_SCRIPT.findall(page))
    return DOCS_CSP.format(scripts=hashes)
