"""Organizations, their settings and members."""

from __future__ import annotations

from typing import Any

from flask import g
from flask.views import MethodView
from flask_login import current_user

from tracker.api import Blueprint
from tracker.api.access import requires
from tracker.schemas.common import PageArgsSchema, page_schema
from tracker.schemas.organizations import MemberRoleSchema, MemberSchema, OrganizationSchema
from tracker.services import organizations

blp = Blueprint("orgs", __name__, description="Organizations (tenants) and members")


def _member(membership: Any) -> dict[str, Any]:
    return {"user_id": membership.user_id, "email": membership.user.email,
            "name": membership.user.name, "role": membership.role}


@blp.route("/orgs")
class Organizations(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, page_schema(OrganizationSchema))
    def get(self, args: dict[str, Any]) -> Any:
        """Organizations you belong to (all of them for an instance admin)."""
        return organizations.list_organizations(current_user, args["page"], args["per_page"])

    @blp.arguments(OrganizationSchema)
    @blp.response(201, OrganizationSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Create an organization; you become its lead."""
        return organizations.create_organization(current_user, data)


@blp.route("/orgs/<int:org_id>")
class OrganizationById(MethodView):
    @blp.response(200, OrganizationSchema)
    def get(self, org_id: int) -> Any:
        """An organization and its settings."""
        return g.org

    @requires("lead")
    @blp.arguments(OrganizationSchema(partial=True))
    @blp.response(200, OrganizationSchema)
    def patch(self, changes: dict[str, Any], org_id: int) -> Any:
        """Change the name or settings (leads)."""
        return organizations.update_organization(g.org, changes)


@blp.route("/orgs/<int:org_id>/members")
class Members(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, page_schema(MemberSchema))
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """Members and their roles."""
        page = organizations.list_members(g.org, args["page"], args["per_page"])
        return {**page.__dict__, "items": [_member(m) for m in page.items]}

    @requires("lead")
    @blp.arguments(MemberSchema)
    @blp.response(201, MemberSchema)
    def post(self, data: dict[str, Any], org_id: int) -> Any:
        """Give an existing user a role (leads)."""
        return _member(organizations.add_member(g.org, data["email"], data["role"]))


@blp.route("/orgs/<int:org_id>/members/<int:user_id>")
class MemberById(MethodView):
    @requires("lead")
    @blp.arguments(MemberRoleSchema)
    @blp.response(200, MemberSchema)
    def patch(self, data: dict[str, Any], org_id: int, user_id: int) -> Any:
        """Change a member's role (leads); the last lead stays a lead."""
        return _member(organizations.change_member_role(g.org, user_id, data["role"]))

    @requires("lead")
    @blp.response(204)
    def delete(self, org_id: int, user_id: int) -> None:
        """Remove a member (leads)."""
        organizations.remove_member(g.org, user_id)
