"""Committees of an organization: their level, cadence and members, and the meeting pack
for a date (JSON or PDF)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Response, g
from flask.views import MethodView

from tracker.adapters.report import CSP
from tracker.api import Blueprint
from tracker.models.decisions import Committee
from tracker.schemas.committees import (
    CommitteePackSchema,
    CommitteePatchSchema,
    CommitteeSchema,
    PackArgsSchema,
)
from tracker.schemas.common import PageArgsSchema, page_schema
from tracker.services.follow import committee_pack, committees

committees_blp = Blueprint("committees", __name__,
                           description="Committees, their cadence and meeting packs")
BASE = "/orgs/<int:org_id>/committees"


def view(committee: Committee) -> dict[str, Any]:
    """A committee as the API shows it, with its next meetings."""
    return {name: getattr(committee, name) for name in (
        "id", "created_at", *committees.FIELDS)} | {
        "next_meetings": committees.next_meetings(committee, g.org, 3)}


@committees_blp.route(BASE)
class Committees(MethodView):
    @committees_blp.arguments(PageArgsSchema, location="query")
    @committees_blp.response(200, page_schema(CommitteeSchema))
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """The organization's committees, strategic first."""
        page = committees.list_committees(g.org, args["page"], args["per_page"])
        return {"items": [view(c) for c in page.items], "total": page.total,
                "page": page.page, "per_page": page.per_page}

    @committees_blp.arguments(CommitteeSchema)
    @committees_blp.response(201, CommitteeSchema)
    def post(self, data: dict[str, Any], org_id: int) -> Any:
        """Create a committee: a name, a level, a cadence (cron, time zone) and members."""
        return view(committees.create_committee(g.org, data))


@committees_blp.route(f"{BASE}/<int:committee_id>")
class CommitteeById(MethodView):
    @committees_blp.response(200, CommitteeSchema)
    def get(self, org_id: int, committee_id: int) -> Any:
        """One committee with its next meetings."""
        return view(committees.get_committee(g.org, committee_id))

    @committees_blp.arguments(CommitteePatchSchema)
    @committees_blp.response(200, CommitteeSchema)
    def patch(self, changes: dict[str, Any], org_id: int, committee_id: int) -> Any:
        """Change a committee's settings."""
        return view(committees.update_committee(g.org, committee_id, changes))

    @committees_blp.response(204)
    @committees_blp.alt_response(409, response="CONFLICT")
    def delete(self, org_id: int, committee_id: int) -> None:
        """Remove a committee that took no decision; 409 when it has decisions (history)."""
        committees.delete_committee(g.org, committee_id)


@committees_blp.route(f"{BASE}/<int:committee_id>/pack")
class Pack(MethodView):
    @committees_blp.arguments(PackArgsSchema, location="query")
    @committees_blp.response(200, CommitteePackSchema)
    @committees_blp.alt_response(200, schema={"type": "string", "format": "binary"},
                                 content_type="application/pdf", success=True,
                                 description="With `format=pdf`, the pack printed")
    @committees_blp.alt_response(501, description="PDF asked where Chromium is not installed")
    def get(self, args: dict[str, Any], org_id: int, committee_id: int) -> Any:
        """The meeting pack for `date` (default today): pilots awaiting a decision, blocked
        and stalled initiatives, KPIs off target, slips against the newest baseline,
        findings no initiative answers, decisions since the previous meeting."""
        committee = committees.get_committee(g.org, committee_id)
        day = args.get("date") or datetime.now(
            ZoneInfo(committees.zone_of(committee, g.org))).date()
        if args["format"] == "pdf":
            content = committee_pack.pack_pdf(g.org, committee_id, day)
            name = f"pack-{committee_id}-{day.isoformat()}.pdf"
            return Response(content, content_type="application/pdf",
                            headers={"Content-Disposition": f'inline; filename="{name}"',
                                     "Content-Security-Policy": CSP})
        return committee_pack.meeting_pack(g.org, committee_id, day)
