"""The roadmap page's "Subscribe in your calendar" block: create a calendar feed (its
address shown once, to paste into a calendar application) and revoke one.

Feeds live in `tracker.services.tenancy.feeds`; the address opens the API's
`roadmap.ics?feed=…`, which a calendar fetches without signing in.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from marshmallow import ValidationError

from tracker.schemas.tenancy import FeedCreateSchema
from tracker.services.tenancy import feeds
from tracker.web.base import bp, org_page
from tracker.web.plan.roadmap import render_roadmap


@bp.post("/orgs/<int:org_id>/roadmap/feeds", endpoint="roadmap_feed_create")
@login_required
def create_feed(org_id: int) -> Any:
    """Create a feed of this roadmap for the signed-in member and show the roadmap with
    its address, this once."""
    org = org_page(org_id)
    try:
        data = FeedCreateSchema().load({"org_id": org.id, "name": request.form.get("name", "")})
    except ValidationError as invalid:
        return render_roadmap(org, 422, new_feed={"errors": invalid.messages_dict})
    feed, secret = feeds.create_feed(current_user, org.id, data["name"])
    return render_roadmap(org, 201, new_feed={"name": feed.name, "errors": {}, "url": url_for(
        "roadmap.RoadmapIcs", org_id=org.id, feed=secret, _external=True)})


@bp.post("/orgs/<int:org_id>/roadmap/feeds/<int:feed_id>/revoke",
         endpoint="roadmap_feed_revoke")
@login_required
def revoke_feed(org_id: int, feed_id: int) -> Any:
    """Revoke one of the signed-in member's feeds; calendars stop receiving the roadmap."""
    org = org_page(org_id)
    feed = feeds.revoke_feed(current_user, feed_id)
    flash(_("The calendar feed “%(name)s” is revoked: calendars no longer receive the "
            "roadmap through it.", name=feed.name), "success")
    return redirect(url_for("web.roadmap", org_id=org.id, _anchor="subscribe"), code=303)
