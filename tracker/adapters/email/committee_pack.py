"""The email that brings a committee's members the pack of their next meeting: each
section with its count and its first lines, and the link to the full pack; plain text and
HTML."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import format_date

from tracker.adapters.email.compose import bodies

#: How many lines of each section the email shows (the link opens the whole pack).
SHOWN = 5


def render(org_name: str, pack: Any, counts: Mapping[str, int],
           link: str) -> tuple[str, str]:
    """Plain text and HTML of a meeting pack email, in the current locale (the caller
    forces the organization's)."""
    return bodies("committee_pack", {
        "org_name": org_name, "pack": pack, "counts": counts, "link": link, "shown": SHOWN,
        "date": format_date(pack.date, format="long"),
        "since": format_date(pack.since, format="long")})
