"""Every template root is served by the app's one Jinja environment, so a name must mean
one template: no two roots may hold the same name (the first would hide the other)."""

from __future__ import annotations

from collections import Counter

from jinja2 import FileSystemLoader

from tracker.adapters import templating


def _names() -> list[str]:
    """Every template name of every root, prefixed ones with their prefix."""
    names = [n for root in templating.ROOTS for n in FileSystemLoader(root).list_templates()]
    return names + [f"{prefix}/{n}" for prefix, root in templating.PREFIXED_ROOTS.items()
                    for n in FileSystemLoader(root).list_templates()]


def test_no_two_template_roots_hold_the_same_name() -> None:
    assert [name for name, count in Counter(_names()).items() if count > 1] == []


def test_every_root_is_found_by_the_one_loader() -> None:
    assert {"base.html", "survey/form.html", "email/survey.txt", "report/report.html"} <= set(
        templating.loader().list_templates())
