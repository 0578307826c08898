"""Organizations, their settings and members; invitations (how members join) and the
organization's audit log.

Organization export and import: the whole organization as one JSON document."""

from __future__ import annotations

from typing import Any

from flask import current_app, g
from flask.views import MethodView
from flask_login import current_user

from tracker.api import Blueprint
from tracker.api.access import public, requires
from tracker.extensions import csrf
from tracker.schemas.common import PageArgsSchema, page_schema
from tracker.schemas.tenancy import (
    AuditArgsSchema,
    AuditEntrySchema,
    InvitationAcceptSchema,
    InvitationRequestSchema,
    InvitationSchema,
    InvitationSentSchema,
    JoinedSchema,
    MemberRoleSchema,
    MemberSchema,
    NewWebhookSchema,
    OrganizationImportSchema,
    OrganizationSchema,
    WebhookArgsSchema,
    WebhookDeliverySchema,
    WebhookSchema,
)
from tracker.services.tenancy import invitations, organizations, portability, webhooks

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
        return organizations.update_organization(g.org, changes, actor=current_user)


@orgs_blp.route("/orgs/<int:org_id>/members")
class Members(MethodView):
    @orgs_blp.arguments(PageArgsSchema, location="query")
    @orgs_blp.response(200, page_schema(MemberSchema))
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """Members and their roles."""
        page = organizations.list_members(g.org, args["page"], args["per_page"])
        return {**page.__dict__, "items": [_member(m) for m in page.items]}

    @requires("lead")
    @orgs_blp.arguments(InvitationRequestSchema)
    @orgs_blp.response(202, InvitationSentSchema)
    def post(self, data: dict[str, Any], org_id: int) -> Any:
        """Invite a person (leads): the same as `POST .../invitations`. Nobody becomes a
        member without accepting; the answer is the same whether or not they have an
        account."""
        return _invite(data)


@orgs_blp.route("/orgs/<int:org_id>/members/<int:user_id>")
class MemberById(MethodView):
    @requires("lead")
    @orgs_blp.arguments(MemberRoleSchema)
    @orgs_blp.response(200, MemberSchema)
    def patch(self, data: dict[str, Any], org_id: int, user_id: int) -> Any:
        """Change a member's role (leads); the last lead stays a lead."""
        return _member(organizations.change_member_role(g.org, user_id, data["role"],
                                                        actor=current_user))

    @requires("lead")
    @orgs_blp.response(204)
    def delete(self, org_id: int, user_id: int) -> None:
        """Remove a member (leads)."""
        organizations.remove_member(g.org, user_id, actor=current_user)


def _invite(data: dict[str, Any]) -> dict[str, Any]:
    invitation = invitations.invite(g.org, current_user, data["email"], data["role"],
                                    current_app.config)
    return {"id": invitation.id, "role": invitation.role}


@orgs_blp.route("/orgs/<int:org_id>/invitations")
class Invitations(MethodView):
    @requires("lead")
    @orgs_blp.arguments(PageArgsSchema, location="query")
    @orgs_blp.response(200, page_schema(InvitationSchema))
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """Pending invitations, newest first (leads)."""
        page = invitations.list_pending(g.org, args["page"], args["per_page"])
        items = [{"id": i.id, "email": i.email, "role": i.role, "created_at": i.created_at,
                  "expires_at": i.expires_at,
                  "invited_by": i.invited_by.email if i.invited_by else None}
                 for i in page.items]
        return {**page.__dict__, "items": items}

    @requires("lead")
    @orgs_blp.arguments(InvitationRequestSchema)
    @orgs_blp.response(202, InvitationSentSchema)
    def post(self, data: dict[str, Any], org_id: int) -> Any:
        """Invite a person by email with a role (leads); they get a link that works for 14
        days (`TRACKER_INVITATION_DAYS`). Inviting the same email again replaces the
        pending invitation (a resend). The answer is the same whether or not the email has
        an account."""
        return _invite(data)


@orgs_blp.route("/orgs/<int:org_id>/invitations/<int:invitation_id>")
class InvitationById(MethodView):
    @requires("lead")
    @orgs_blp.response(204)
    def delete(self, org_id: int, invitation_id: int) -> None:
        """Cancel a pending invitation (leads): its link stops working."""
        invitations.cancel(g.org, current_user, invitation_id)


@orgs_blp.route("/invitations/<token>/accept")
class InvitationAccept(MethodView):
    @public
    @orgs_blp.arguments(InvitationAcceptSchema)
    @orgs_blp.response(200, JoinedSchema)
    def post(self, data: dict[str, Any], token: str) -> Any:
        """Accept an invitation: signed in with the invited email, or signed out with a
        `password` for the new account. 404 for an unknown link, 410 for one used,
        cancelled or expired."""
        user = current_user if current_user.is_authenticated else None
        if user is not None and not g.get("token_auth"):
            csrf.protect()  # a cookie write, as `access.check_request` does for others
        membership = invitations.accept(token, user, data["password"], data["name"])
        return {"org_id": membership.org_id, "user_id": membership.user_id,
                "role": membership.role}


@orgs_blp.route("/orgs/<int:org_id>/audit")
class AuditLog(MethodView):
    @requires("lead")
    @orgs_blp.arguments(AuditArgsSchema, location="query")
    @orgs_blp.response(200, page_schema(AuditEntrySchema))
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """The organization's audit log, newest first (leads): members and roles,
        invitations, settings, sign-ins, exports, imports, assessments, initiatives."""
        return organizations.audit_log(g.org, args["page"], args["per_page"],
                                       entity=args["entity"], action=args["action"])


portability_blp = Blueprint("portability", __name__, description="Organization export and import")


@portability_blp.route("/orgs/<int:org_id>/export")
class OrganizationExport(MethodView):
    @requires("lead")
    @portability_blp.response(200, description="`{format_version, organization, <table>: [rows]}`; "
                  "rows carry refs instead of ids (see the README).")
    def get(self, org_id: int) -> Any:
        """The whole organization as JSON, ready for `POST /orgs/import` (leads)."""
        return portability.export_organization(g.org, current_user)


@portability_blp.route("/orgs/import")
class OrganizationImport(MethodView):
    @portability_blp.arguments(OrganizationImportSchema)
    @portability_blp.response(201, OrganizationSchema)
    def post(self, document: dict[str, Any]) -> Any:
        """Recreate an exported organization (all or nothing); you become its lead."""
        return portability.import_organization(current_user, document)


def _webhook(webhook: Any, secret: str | None = None) -> dict[str, Any]:
    """A webhook as the API shows it: the secret masked, or in full once (`secret`)."""
    shown = {name: getattr(webhook, name) for name in (
        "id", "url", "events", "format", "active", "archived_at", "created_at")}
    return {**shown, "secret_hint": webhooks.masked(webhook.secret),
            **({"secret": secret} if secret else {})}


@orgs_blp.route("/orgs/<int:org_id>/webhooks")
class Webhooks(MethodView):
    @requires("ops")
    @orgs_blp.arguments(WebhookArgsSchema, location="query")
    @orgs_blp.response(200, page_schema(WebhookSchema))
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """The organization's webhooks, or its archived ones (ops and leads)."""
        page = webhooks.list_webhooks(g.org, args["page"], args["per_page"], args["archived"])
        return {**page.__dict__, "items": [_webhook(w) for w in page.items]}

    @requires("ops")
    @orgs_blp.arguments(WebhookSchema)
    @orgs_blp.response(201, NewWebhookSchema)
    def post(self, data: dict[str, Any], org_id: int) -> Any:
        """Add a webhook (ops and leads): the answer carries its signing secret, given or
        generated, this once."""
        webhook, secret = webhooks.create_webhook(g.org, current_user, data)
        return _webhook(webhook, secret)


@orgs_blp.route("/orgs/<int:org_id>/webhooks/<int:webhook_id>")
class WebhookById(MethodView):
    @requires("ops")
    @orgs_blp.response(200, WebhookSchema)
    def get(self, org_id: int, webhook_id: int) -> Any:
        """A webhook, its secret masked (ops and leads)."""
        return _webhook(webhooks.get_webhook(g.org, webhook_id))

    @requires("ops")
    @orgs_blp.arguments(WebhookSchema(partial=True))
    @orgs_blp.response(200, WebhookSchema)
    def patch(self, changes: dict[str, Any], org_id: int, webhook_id: int) -> Any:
        """Change a webhook's URL, events, format or secret, or pause it (ops and leads)."""
        return _webhook(webhooks.update_webhook(g.org, current_user, webhook_id, changes))

    @requires("ops")
    @orgs_blp.response(204)
    def delete(self, org_id: int, webhook_id: int) -> None:
        """Archive a webhook (ops and leads): it receives nothing more; its deliveries
        stay readable."""
        webhooks.archive_webhook(g.org, current_user, webhook_id)


@orgs_blp.route("/orgs/<int:org_id>/webhooks/<int:webhook_id>/deliveries")
class WebhookDeliveries(MethodView):
    @requires("ops")
    @orgs_blp.arguments(PageArgsSchema, location="query")
    @orgs_blp.response(200, page_schema(WebhookDeliverySchema))
    def get(self, args: dict[str, Any], org_id: int, webhook_id: int) -> Any:
        """The webhook's delivery log, newest first: status, attempts, last answer or
        error (ops and leads)."""
        return webhooks.list_deliveries(g.org, webhook_id, args["page"], args["per_page"])


@orgs_blp.route("/orgs/<int:org_id>/webhooks/<int:webhook_id>/test")
class WebhookTest(MethodView):
    @requires("ops")
    @orgs_blp.response(201, WebhookDeliverySchema)
    def post(self, org_id: int, webhook_id: int) -> Any:
        """Send a test message to the webhook now (ops and leads); answers its delivery."""
        return webhooks.send_test(g.org, webhook_id, current_app.config)
