"""Rendering helpers of the diagnostic report: its Jinja template (rendered with the
application's Jinja environment, so Flask-Babel's `_()` and tracker's filters work), its
charts as PNG images and its PDF conversion by headless Chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import current_app
from jinja2 import FileSystemLoader

TEMPLATES = Path(__file__).parent / "templates"
# The report is self-contained: inline styles, data: images, no script at all.
CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
       "frame-ancestors 'none'; base-uri 'none'; form-action 'none'")


def render(name: str, **context: Any) -> str:
    """Render one of the report templates with the app's environment (autoescape on)."""
    environment = current_app.jinja_env.overlay(loader=FileSystemLoader(TEMPLATES),
                                                autoescape=True)
    return environment.get_template(name).render(**context)
