"""The diagnostic report's page: its Jinja template, `report/<name>` in the application's
one Jinja environment (so Flask-Babel's `_()` and tracker's filters work, and `.html` is
escaped), and the Content-Security-Policy it is served with."""

from __future__ import annotations

from typing import Any

from flask import current_app

# The report is self-contained: inline styles, data: images, no script at all.
CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
       "frame-ancestors 'none'; base-uri 'none'; form-action 'none'")


def render(name: str, **context: Any) -> str:
    """Render the report template `name` (e.g. `report.html`) with the app's environment."""
    return current_app.jinja_env.get_template(f"report/{name}").render(**context)
