"""Organization export and import: the whole organization as one JSON document."""

from __future__ import annotations

from typing import Any

from flask import g
from flask.views import MethodView
from flask_login import current_user

from tracker.api import Blueprint
from tracker.schemas.organizations import OrganizationSchema
from tracker.schemas.portability import OrganizationImportSchema
from tracker.services import portability

blp = Blueprint("portability", __name__, description="Organization export and import")


@blp.route("/orgs/<int:org_id>/export")
class OrganizationExport(MethodView):
    @blp.response(200, description="`{format_version, organization, <table>: [rows]}`; "
                  "rows carry refs instead of ids (see the README).")
    def get(self, org_id: int) -> Any:
        """The whole organization as JSON, ready for `POST /orgs/import`."""
        return portability.export_organization(g.org)


@blp.route("/orgs/import")
class OrganizationImport(MethodView):
    @blp.arguments(OrganizationImportSchema)
    @blp.response(201, OrganizationSchema)
    def post(self, document: dict[str, Any]) -> Any:
        """Recreate an exported organization (all or nothing); you become its lead."""
        return portability.import_organization(current_user, document)
