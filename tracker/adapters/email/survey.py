"""The email that gives a respondent their survey link (a pulse's invitation, a
reminder): a greeting, the caller's introduction, the link, thanks; plain text and HTML."""

from __future__ import annotations

from tracker.adapters.email.compose import bodies


def render(name: str, intro: str, link: str) -> tuple[str, str]:
    """Plain text and HTML of a survey link email to `name`, in the current locale (the
    caller forces the organization's and chooses the `intro` of the invitation or
    reminder)."""
    return bodies("survey", {"name": name, "intro": intro, "link": link})
