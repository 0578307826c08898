"""The email that invites a person into an organization: who invites them, to which
organization and role, the link to accept, and until when it works; plain text and HTML."""

from __future__ import annotations

from datetime import datetime

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from tracker.adapters.email.compose import bodies

ROLE_NAMES = {"viewer": _l("viewer"), "contributor": _l("contributor"), "ops": _l("ops"),
              "lead": _l("lead")}


def render(org_name: str, inviter: str, role: str, link: str,
           expires_at: datetime) -> tuple[str, str]:
    """Plain text and HTML of an invitation email, in the current locale (the caller forces
    the organization's)."""
    return bodies("invitation", {"org_name": org_name, "inviter": inviter,
                                 "role": str(ROLE_NAMES.get(role, role)), "link": link,
                                 "expires": format_date(expires_at, format="long")})
