"""Server-rendered pages: sign-in, language, organizations, and each area's pages.

Pages call the same services as the API and pass plain data to the templates; charts are
drawn by Plotly's JavaScript (a partial bundle vendored in `static/vendor`, no CDN) from
figures put in `data-figure` attributes, under a CSP without inline scripts. Static files go
out under fingerprinted names, compressed and cached (`assets`).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from tracker.domain.errors import TrackerError
from tracker.schemas import problems
from tracker.web import assets, i18n
from tracker.web.base import bp

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
       "script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; "
       "object-src 'none'")

ERROR_TITLES: dict[int, Any] = {
    400: _l("Bad request"), 401: _l("Sign in first"), 403: _l("Not allowed"),
    404: _l("Not found"), 405: _l("Method not allowed"), 409: _l("Conflict"),
    410: _l("Gone"), 413: _l("Too large"), 422: _l("Invalid input"),
    500: _l("Internal error"),
}
ERROR_DETAILS: dict[int, Any] = {
    400: _l("The request could not be understood (an expired form? reload the page and "
            "try again)."),
    403: _l("Your role in this organization does not allow this."),
    404: _l("This page does not exist, or you do not have access to it."),
    405: _l("This address does not accept this kind of request."),
    500: _l("Something went wrong on our side; it has been logged."),
}


def init_app(app: Flask) -> None:
    """Register the pages, languages, HTML error pages, the security headers and the
    fingerprinted static files."""
    from tracker import survey
    from tracker.web import (  # noqa: F401  (routes)
        decide,
        diagnose,
        follow,
        frame,
        jobs,
        observe,
        plan,
        tenancy,
    )

    i18n.init_app(app)
    app.register_blueprint(bp)
    survey.init_app(app)
    problems.register(app, _error_page, _unexpected_page)
    app.after_request(_security_headers)
    assets.init_app(app)


def _error_page(error: HTTPException | TrackerError) -> Any:
    """Our errors keep their own message; HTTP errors get a translated one."""
    status = error.status if isinstance(error, TrackerError) else error.code or 500
    title = ERROR_TITLES.get(status, getattr(error, "name", None) or _("Error"))
    if isinstance(error, TrackerError):
        detail = error.detail
    else:
        detail = ERROR_DETAILS.get(status) or error.description or ""
    return render_template("error.html", status=status, title=title, detail=detail), status


def _unexpected_page(_error: Exception) -> Any:
    from flask import current_app

    current_app.logger.exception("Unhandled error on %s", request.path)
    return render_template("error.html", status=500, title=ERROR_TITLES[500],
                           detail=ERROR_DETAILS[500]), 500


def _security_headers(response: Any) -> Any:
    """Headers every response carries: no sniffing, no framing, a CSP without inline scripts.

    `style-src` allows inline styles because Plotly positions its SVG with style attributes
    and injects its own stylesheet (Chromium reports CSP violations otherwise); scripts stay
    `'self'` only, so an injected `<script>` or event handler never runs.

    """
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if not request.path.startswith("/api/v1/docs"):
        response.headers.setdefault("Content-Security-Policy", CSP)
    return response
