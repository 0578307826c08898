"""Frameworks: the assessment grids.

Targets: the organization's ambition per dimension of a framework.

The organization profile, the playbook of initiative templates, suggested initiatives
for an assessment and their adoption, and root causes between findings."""

from __future__ import annotations

from typing import Any

from flask import Response, g, request
from flask.views import MethodView
from flask_login import current_user

from tracker.api import Blueprint
from tracker.api.access import requires
from tracker.api.uploads import body_bytes, limited_body
from tracker.domain.constants import LOCALES
from tracker.domain.errors import InvalidInput
from tracker.domain.frame.localization import reader_language
from tracker.schemas.common import page_schema
from tracker.schemas.frame import (
    AdoptResultSchema,
    AdoptSchema,
    FindingLinksListSchema,
    FindingLinksSchema,
    FrameworkImportSchema,
    FrameworkListArgsSchema,
    FrameworkSchema,
    FrameworkSummarySchema,
    LanguageArgsSchema,
    ProfileSchema,
    RootCauseSchema,
    SuggestionsSchema,
    SymptomOnlyListSchema,
    TargetsArgsSchema,
    TargetsSchema,
    TemplateListArgsSchema,
    TemplatePatchSchema,
    TemplateSchema,
)
from tracker.services.decide import suggestions
from tracker.services.diagnose import root_causes
from tracker.services.frame import frameworks, playbook, targets
from tracker.services.pagination import Page

MAX_DOCUMENT = "TRACKER_MAX_DOCUMENT_BYTES"
frameworks_blp = Blueprint("frameworks", __name__, description="Assessment frameworks (grids)")


def _wanted(args: dict[str, Any]) -> str | None:
    """The reader's language: `?lang=`, then `Accept-Language` (None: the content's own)."""
    return reader_language(args.get("lang"), request.accept_languages.best_match(LOCALES),
                           LOCALES)


def _page(found: Page[Any], read: Any) -> Page[Any]:
    """`found` with each item read through `read`."""
    return Page([read(item) for item in found.items], found.total, found.page, found.per_page)


@frameworks_blp.route("/frameworks")
class Frameworks(MethodView):
    @frameworks_blp.arguments(FrameworkListArgsSchema, location="query")
    @frameworks_blp.response(200, page_schema(FrameworkSummarySchema))
    def get(self, args: dict[str, Any]) -> Any:
        """Shared frameworks and those of your organizations, named in the reader's language
        (`?lang=`, then `Accept-Language`, else the framework's own)."""
        wanted = _wanted(args)
        return _page(frameworks.list_frameworks(current_user, args["page"], args["per_page"],
                                                args.get("code")),
                     lambda framework: frameworks.framework_summary(framework, wanted))

    @frameworks_blp.arguments(FrameworkSchema)
    @frameworks_blp.response(201, FrameworkSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Create a framework: shared (instance admins) or owned by `org_id` (ops, leads).
        Its texts may carry `translations` (DESIGN section 9)."""
        framework = frameworks.create_framework(current_user, data)
        return frameworks.framework_read(frameworks.load_framework(framework.id), _wanted({}))


@frameworks_blp.route("/frameworks/import")
class FrameworkImport(MethodView):
    @limited_body(MAX_DOCUMENT, what="framework document")
    @frameworks_blp.arguments(FrameworkImportSchema)
    @frameworks_blp.response(201, FrameworkSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Import a framework file (tracker YAML or JSON) given as `content`, or an OWASP
        SAMM v2 model folder of the server given as `path` (`format: samm`, admins only).

        A shared framework is for instance admins; one with `org_id` for that organization's
        ops and leads, checked before `content` is parsed. The body is at most
        `TRACKER_MAX_DOCUMENT_BYTES` (413 beyond); YAML anchors and aliases are refused (422).
        """
        framework = frameworks.import_framework(current_user, data)
        return frameworks.framework_read(frameworks.load_framework(framework.id), _wanted({}))


@frameworks_blp.route("/frameworks/<int:framework_id>")
class FrameworkById(MethodView):
    @frameworks_blp.arguments(LanguageArgsSchema, location="query")
    @frameworks_blp.response(200, FrameworkSchema)
    def get(self, args: dict[str, Any], framework_id: int) -> Any:
        """A framework with its scale, axes, dimensions and questions, every text in the
        reader's language (`?lang=`, then `Accept-Language`, else the framework's own) and
        the full `translations` beside them."""
        return frameworks.framework_read(frameworks.get_framework(current_user, framework_id),
                                         _wanted(args))


targets_blp = Blueprint("targets", __name__, description="Targets per dimension")


def _answer(framework_id: int, levels: dict[str, float]) -> dict[str, Any]:
    return {"framework_id": framework_id,
            "targets": [{"dimension": code, "level": level} for code, level in levels.items()]}


@targets_blp.route("/orgs/<int:org_id>/targets")
class Targets(MethodView):
    @targets_blp.arguments(TargetsArgsSchema, location="query")
    @targets_blp.response(200, TargetsSchema)
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """The current target of each dimension of a framework (latest `valid_from`)."""
        return _answer(args["framework_id"],
                       targets.framework_targets(g.org, args["framework_id"]))

    @targets_blp.arguments(TargetsSchema)
    @targets_blp.response(200, TargetsSchema)
    def put(self, data: dict[str, Any], org_id: int) -> Any:
        """Set target levels, valid from today: all are saved, or none."""
        return _answer(data["framework_id"],
                       targets.set_targets(g.org, data["framework_id"], data["targets"]))


playbook_blp = Blueprint("playbook", __name__,
                description="Profile, playbook, suggested initiatives and root causes")
ORG = "/orgs/<int:org_id>"
BASE = f"{ORG}/playbook"
YAML_BODY = {"required": True, "content": {"application/yaml": {"schema": {"type": "string"}}}}


@playbook_blp.route(f"{ORG}/profile")
class Profile(MethodView):
    @playbook_blp.response(200, ProfileSchema)
    def get(self, org_id: int) -> Any:
        """The organization profile read by the playbook rules."""
        return playbook.get_profile(g.org)

    @requires("lead")
    @playbook_blp.arguments(ProfileSchema)
    @playbook_blp.response(200, ProfileSchema)
    def put(self, data: dict[str, Any], org_id: int) -> Any:
        """Replace the profile (leads only)."""
        return playbook.put_profile(g.org, data)


@playbook_blp.route(BASE)
class Playbook(MethodView):
    @playbook_blp.arguments(TemplateListArgsSchema, location="query")
    @playbook_blp.response(200, page_schema(TemplateSchema))
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """Built-in templates and the organization's own, by code (retired ones on demand),
        in the reader's language (`?lang=`, then `Accept-Language`, else the template's)."""
        wanted = _wanted(args)
        return _page(playbook.list_templates(g.org, args["page"], args["per_page"],
                                             args["include_retired"]),
                     lambda template: playbook.template_read(template, wanted))

    @playbook_blp.arguments(TemplateSchema)
    @playbook_blp.response(201, TemplateSchema)
    def post(self, data: dict[str, Any], org_id: int) -> Any:
        """Add a template of the organization's own."""
        return playbook.create_template(g.org, data)


@playbook_blp.route(f"{BASE}/export")
class PlaybookExport(MethodView):
    @playbook_blp.response(200, content_type="application/yaml")
    def get(self, org_id: int) -> Any:
        """The playbook (not retired templates) as YAML, as `import` reads it."""
        return Response(playbook.export_yaml(g.org), mimetype="application/yaml", headers={
            "Content-Disposition": f'attachment; filename="playbook-{org_id}.yaml"'})


@playbook_blp.route(f"{BASE}/import")
class PlaybookImport(MethodView):
    @playbook_blp.doc(requestBody=YAML_BODY)
    @playbook_blp.response(201, page_schema(TemplateSchema))
    def post(self, org_id: int) -> Any:
        """Create or replace own templates from YAML `{templates: [...]}`: all or nothing.

        At most `TRACKER_MAX_DOCUMENT_BYTES` (413 beyond), read once the role is checked;
        YAML anchors and aliases are refused (422).
        """
        saved = playbook.import_yaml(g.org, _yaml_text())
        return {"items": saved, "total": len(saved), "page": 1, "per_page": len(saved)}


def _yaml_text() -> str:
    data = body_bytes(MAX_DOCUMENT, what="playbook")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("The playbook must be UTF-8 text.",
                           errors={"body": ["Not UTF-8."]}) from None


@playbook_blp.route(f"{BASE}/<string:code>")
class TemplateByCode(MethodView):
    @playbook_blp.arguments(LanguageArgsSchema, location="query")
    @playbook_blp.response(200, TemplateSchema)
    def get(self, args: dict[str, Any], org_id: int, code: str) -> Any:
        """One template, in the reader's language."""
        return playbook.template_read(playbook.get_template(g.org, code), _wanted(args))

    @playbook_blp.arguments(TemplatePatchSchema)
    @playbook_blp.response(200, TemplateSchema)
    def patch(self, changes: dict[str, Any], org_id: int, code: str) -> Any:
        """Change a template; changing a built-in one creates the organization's override."""
        return playbook.update_template(g.org, code, changes)

    @playbook_blp.response(204)
    def delete(self, org_id: int, code: str) -> None:
        """Retire a template (PATCH `retired: false` brings it back)."""
        playbook.retire_template(g.org, code)


@playbook_blp.route(f"{ORG}/assessments/<int:assessment_id>/suggested-initiatives")
class Suggested(MethodView):
    @playbook_blp.response(200, SuggestionsSchema)
    def get(self, org_id: int, assessment_id: int) -> Any:
        """For each gap, tension or blind spot, the applicable templates ranked by gap value,
        each with the reason it applies."""
        return suggestions.suggestions_view(g.org, assessment_id)


@playbook_blp.route(f"{ORG}/assessments/<int:assessment_id>/suggested-initiatives/adopt")
class Adopt(MethodView):
    @playbook_blp.arguments(AdoptSchema)
    @playbook_blp.response(201, AdoptResultSchema)
    def post(self, data: dict[str, Any], org_id: int, assessment_id: int) -> Any:
        """Create initiatives from templates, traced to their findings, with dependencies
        from the templates' prerequisites: all or nothing."""
        return suggestions.adopt(g.org, current_user, assessment_id, data["template_codes"])


@playbook_blp.route(f"{ORG}/findings/<int:finding_id>/root-causes")
class RootCauses(MethodView):
    @playbook_blp.arguments(RootCauseSchema)
    @playbook_blp.response(201, FindingLinksSchema)
    def post(self, data: dict[str, Any], org_id: int, finding_id: int) -> Any:
        """This finding is a symptom of `root_cause_id`; a cycle answers 409 with `cycle`."""
        return root_causes.add_root_cause(g.org, finding_id, data["root_cause_id"])

    @playbook_blp.arguments(RootCauseSchema)
    @playbook_blp.response(204)
    def delete(self, data: dict[str, Any], org_id: int, finding_id: int) -> None:
        """Remove the link to `root_cause_id`."""
        root_causes.remove_root_cause(g.org, finding_id, data["root_cause_id"])


@playbook_blp.route(f"{ORG}/findings/<int:finding_id>/root-causes/<int:root_cause_id>")
class RootCauseById(MethodView):
    @playbook_blp.response(204)
    def delete(self, org_id: int, finding_id: int, root_cause_id: int) -> None:
        """Remove the link to this root cause."""
        root_causes.remove_root_cause(g.org, finding_id, root_cause_id)


@playbook_blp.route(f"{ORG}/findings/root-causes")
class FindingsRootCausesFirst(MethodView):
    @playbook_blp.response(200, FindingLinksListSchema)
    def get(self, org_id: int) -> Any:
        """Every finding after its root causes, with its root causes and symptoms."""
        return {"items": root_causes.findings_root_causes_first(g.org)}


@playbook_blp.route(f"{ORG}/initiatives/symptom-only")
class SymptomOnly(MethodView):
    @playbook_blp.response(200, SymptomOnlyListSchema)
    def get(self, org_id: int) -> Any:
        """Initiatives that only answer symptoms, with the root causes they leave untreated."""
        return {"items": root_causes.symptom_only_initiatives(g.org)}
