"""Composing an email's bodies from its templates, `email/<stem>.txt` and `.html`, through
the app's one Jinja environment (Flask-Babel's `_()`, the app's filters; the text is not
HTML-escaped, the HTML is). Rendering needs an application context."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app


def bodies(stem: str, context: Mapping[str, Any]) -> tuple[str, str]:
    """Plain text and HTML of the email whose templates are `email/<stem>.txt|html`."""
    environment = current_app.jinja_env
    return (environment.get_template(f"email/{stem}.txt").render(context),
            environment.get_template(f"email/{stem}.html").render(context))
