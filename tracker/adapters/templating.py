"""One Jinja environment for every template: the app's own (`current_app.jinja_env`), with
Flask-Babel's `_()` and the app's filters, whatever renders (pages, survey, emails, report).

Its loader covers every template root: the pages' (`base.html`, `follow/barometer.html`),
the survey's (`survey/form.html`), and the adapters' under a prefix (`email/barometer.txt`,
`report/report.html`), so names never collide. Flask's autoescaping applies to all of them
by extension: `.html` is escaped, `.txt` is not.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from jinja2 import BaseLoader, ChoiceLoader, FileSystemLoader, PrefixLoader

from tracker.adapters.email.barometer import FILTERS as BAROMETER_FILTERS

PACKAGE = Path(__file__).parents[1]
#: Roots whose templates are named from the root (the survey's sit in a `survey/` folder).
ROOTS: tuple[Path, ...] = (PACKAGE / "web" / "templates", PACKAGE / "survey" / "templates")
#: Roots whose templates are named `<prefix>/<name>`.
PREFIXED_ROOTS: dict[str, Path] = {
    "email": PACKAGE / "adapters" / "email" / "templates",
    "report": PACKAGE / "adapters" / "report" / "templates",
}


def loader() -> BaseLoader:
    """A loader over every template root, prefixed roots last."""
    prefixed = PrefixLoader({prefix: FileSystemLoader(root)
                             for prefix, root in PREFIXED_ROOTS.items()})
    return ChoiceLoader([*(FileSystemLoader(root) for root in ROOTS), prefixed])


def init_app(app: Flask) -> None:
    """Make the app's Jinja environment load every root and know the emails' filters."""
    app.jinja_loader = loader()
    app.jinja_env.filters.update(BAROMETER_FILTERS)
