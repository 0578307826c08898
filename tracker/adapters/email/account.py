"""The emails about a person's own account: the password reset link (plain text and HTML)."""

from __future__ import annotations

from tracker.adapters.email.compose import bodies


def render_password_reset(name: str, link: str, minutes: int) -> tuple[str, str]:
    """Plain text and HTML of the email carrying a password reset `link` that works for
    `minutes`, in the current locale (the caller forces the user's)."""
    return bodies("password_reset", {"name": name, "link": link, "minutes": minutes})
