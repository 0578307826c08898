"""API tokens: exchange email and password for a Bearer token; list and revoke yours.

Organizations, their settings and members.

Organization export and import: the whole organization as one JSON document."""

from __future__ import annotations

from typing import Any

from flask import g
from flask.views import MethodView
from flask_login import current_user

from tracker.api import Blueprint
from tracker.api.access import public, requires
from tracker.problems import problem
from tracker.schemas.common import PageArgsSchema, page_schema
from tracker.schemas.tenancy import (
    MemberRoleSchema,
    MemberSchema,
    NewTokenSchema,
    OrganizationImportSchema,
    OrganizationSchema,
    TokenRequestSchema,
    TokenSchema,
)
from tracker.services.tenancy import accounts, organizations, portability

tokens_blp = Blueprint("tokens", __name__, description="API tokens")


@tokens_blp.route("/auth/tokens")
class Tokens(MethodView):
    @public
    @tokens_blp.arguments(TokenRequestSchema)
    @tokens_blp.response(201, NewTokenSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Create a token from an email and password; the secret is shown only here."""
        user = accounts.authenticate(data["email"], data["password"])
        if user is None:
            return problem(401, "Unauthorized", "Unknown email or wrong password.")
        token, secret = accounts.create_token(user, data["name"])
        return {"id": token.id, "name": token.name, "created_at": token.created_at,
                "revoked_at": None, "token": secret}

    @tokens_blp.response(200, TokenSchema(many=True))
    def get(self) -> Any:
        """Your tokens (without their secrets)."""
        return accounts.list_tokens(current_user)


@tokens_blp.route("/auth/tokens/<int:token_id>")
class TokenById(MethodView):
    @tokens_blp.response(204)
    def delete(self, token_id: int) -> None:
        """Revoke one of your tokens."""
        accounts.revoke_token(current_user, token_id)


orgs_blp = Blueprint("orgs", __name__, description="Organizations (tenants) and members")


def _member(membership: Any) -> dict[str, Any]:
    return {"user_id": membership.user_id, "email": membership.user.email,
            "name": membership.user.name, "role": membership.role}


@orgs_blp.route("/orgs")
class Organizations(MethodView):
    @orgs_blp.arguments(PageArgsSchema, location="query")
    @orgs_blp.response(200, page_schema(OrganizationSchema))
    def get(self, args: dict[str, Any]) -> Any:
        """Organizations you belong to (all of them for an instance admin)."""
        return organizations.list_organizations(current_user, args["page"], args["per_page"])

    @orgs_blp.arguments(OrganizationSchema)
    @orgs_blp.response(201, OrganizationSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Create an organization; you become its lead."""
        return organizations.create_organization(current_user, data)


@orgs_blp.route("/orgs/<int:org_id>")
class OrganizationById(MethodView):
    @orgs_blp.response(200, OrganizationSchema)
    def get(self, org_id: int) -> Any:
        """An organization and its settings."""
        return g.org

    @requires("lead")
    @orgs_blp.arguments(OrganizationSchema(partial=True))
    @orgs_blp.response(200, OrganizationSchema)
    def patch(self, changes: dict[str, Any], org_id: int) -> Any:
        """Change the name or settings (leads)."""
        return organizations.update_organization(g.org, changes)


@orgs_blp.route("/orgs/<int:org_id>/members")
class Members(MethodView):
    @orgs_blp.arguments(PageArgsSchema, location="query")
    @orgs_blp.response(200, page_schema(MemberSchema))
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """Members and their roles."""
        page = organizations.list_members(g.org, args["page"], args["per_page"])
        return {**page.__dict__, "items": [_member(m) for m in page.items]}

    @requires("lead")
    @orgs_blp.arguments(MemberSchema)
    @orgs_blp.response(201, MemberSchema)
    def post(self, data: dict[str, Any], org_id: int) -> Any:
        """Give an existing user a role (leads)."""
        return _member(organizations.add_member(g.org, data["email"], data["role"]))


@orgs_blp.route("/orgs/<int:org_id>/members/<int:user_id>")
class MemberById(MethodView):
    @requires("lead")
    @orgs_blp.arguments(MemberRoleSchema)
    @orgs_blp.response(200, MemberSchema)
    def patch(self, data: dict[str, Any], org_id: int, user_id: int) -> Any:
        """Change a member's role (leads); the last lead stays a lead."""
        return _member(organizations.change_member_role(g.org, user_id, data["role"]))

    @requires("lead")
    @orgs_blp.response(204)
    def delete(self, org_id: int, user_id: int) -> None:
        """Remove a member (leads)."""
        organizations.remove_member(g.org, user_id)


portability_blp = Blueprint("portability", __name__, description="Organization export and import")


@portability_blp.route("/orgs/<int:org_id>/export")
class OrganizationExport(MethodView):
    @portability_blp.response(200, description="`{format_version, organization, <table>: [rows]}`; "
                  "rows carry refs instead of ids (see the README).")
    def get(self, org_id: int) -> Any:
        """The whole organization as JSON, ready for `POST /orgs/import`."""
        return portability.export_organization(g.org)


@portability_blp.route("/orgs/import")
class OrganizationImport(MethodView):
    @portability_blp.arguments(OrganizationImportSchema)
    @portability_blp.response(201, OrganizationSchema)
    def post(self, document: dict[str, Any]) -> Any:
        """Recreate an exported organization (all or nothing); you become its lead."""
        return portability.import_organization(current_user, document)
