"""Initiatives, scorecard, raters, dependencies, the ranked backlog, pilots and audit trail.

The decision log of an organization: committee decisions and pilot go/no-go decisions."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from flask import Response, current_app, g, request
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import abort
from marshmallow import ValidationError

from tracker.adapters.exporters import xlsx
from tracker.api import Blueprint
from tracker.api.access import requires
from tracker.api.uploads import body_bytes
from tracker.domain.errors import InvalidInput
from tracker.models import Initiative
from tracker.schemas.common import PageArgsSchema, page_schema
from tracker.schemas.decide import (
    AuditEventSchema,
    BacklogArgsSchema,
    BacklogSchema,
    DecisionEntrySchema,
    DecisionListArgsSchema,
    DecisionSchema,
    DependencySchema,
    FromFindingsSchema,
    ImportResultSchema,
    ImportSchema,
    InitiativeListArgsSchema,
    InitiativeListSchema,
    InitiativeSchema,
    PilotSchema,
    RaterSchema,
    ScorecardSchema,
)
from tracker.services.decide import (
    archive,
    backlog,
    decisions,
    dependencies,
    initiatives,
    initiatives_import,
    pilots,
    raters,
)

backlog_blp = Blueprint("backlog", __name__, description="Backlog: initiatives, ranking, pilots")
ORG = "/orgs/<int:org_id>"
ONE = f"{ORG}/initiatives/<int:initiative_id>"
#: The response header carrying an initiative's version, as a strong entity tag.
ETAG = {"ETag": {"description": 'The initiative\'s `version`, quoted (`"3"`): send it back '
                                "as `If-Match` to change it only if nobody has since.",
                 "schema": {"type": "string"}}}
IF_MATCH = {"in": "header", "name": "If-Match", "required": False, "schema": {"type": "string"},
            "description": 'The `version` (`ETag`) the change is based on, quoted (`"3"`): '
                           "the initiative is changed only if it is still at that version, "
                           "else 412. Without it (or with `*`), and without `version` in the "
                           "body, the change applies to the current initiative."}


def view(initiative: Initiative, enablers: set[int] | None = None) -> dict[str, Any]:
    """An initiative as the API shows it: columns plus links, uplifts, scores and raters. The
    method inputs are the ones the methods read (the raters' median, else the owner's value);
    `own_inputs` are the owner's. `enablers` (the organization's `backlog.enabler_ids`, loaded
    once for a list) sets `enabler`; without it, it is loaded."""
    if enablers is None:
        enablers = backlog.enabler_ids(g.org)
    data = {name: getattr(initiative, name) for name in (
        "id", "created_at", "external_key", "external_url", "template_code", "version",
        "archived_at", "estimate",
        *initiatives.PLAIN_FIELDS)}
    data.update(asdict(initiatives.effective_inputs(initiative)),
                own_inputs=asdict(initiatives.own_inputs(initiative)),
                finding_ids=initiatives.finding_ids(initiative),
                uplifts=initiatives.uplifts(initiative),
                criteria=initiatives.criteria_scores(initiative),
                raters=initiative.rater_inputs, spread=initiatives.spread(initiative),
                enabler=initiative.id in enablers)
    return data


def tagged(initiative: Initiative) -> tuple[dict[str, Any], dict[str, str]]:
    """The initiative's view and its `ETag` header (its version, quoted)."""
    return view(initiative), {"ETag": f'"{initiative.version}"'}


def if_match() -> set[int] | None:
    """The versions the request's `If-Match` header names: None without one (or for `*`:
    any version will do); a tag that is not a version names none, so it never matches."""
    tags = request.if_match
    if not tags or tags.star_tag:
        return None
    return {int(tag) for tag in tags.as_set() if tag and tag.isascii() and tag.isdigit()}


@backlog_blp.route(f"{ORG}/initiatives")
class Initiatives(MethodView):
    @backlog_blp.arguments(InitiativeListArgsSchema, location="query")
    @backlog_blp.response(200, page_schema(InitiativeSchema))
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """Initiatives by id, archived ones included; `finding_id` gives those answering a
        finding, `archived` only the archived (true) or the other (false) ones."""
        page = initiatives.list_initiatives(g.org, args["page"], args["per_page"],
                                            args.get("finding_id"), args.get("status"),
                                            args.get("archived"))
        enablers = backlog.enabler_ids(g.org)
        return {"items": [view(i, enablers) for i in page.items], "total": page.total,
                "page": page.page, "per_page": page.per_page}

    @backlog_blp.arguments(InitiativeSchema)
    @backlog_blp.response(201, InitiativeSchema, headers=ETAG)
    def post(self, data: dict[str, Any], org_id: int) -> Any:
        """Create an initiative (at version 1)."""
        return tagged(initiatives.create_initiative(g.org, current_user, data))


@backlog_blp.route(f"{ORG}/initiatives/from-findings")
class FromFindings(MethodView):
    @backlog_blp.arguments(FromFindingsSchema)
    @backlog_blp.response(201, InitiativeListSchema)
    def post(self, data: dict[str, Any], org_id: int) -> Any:
        """One initiative per finding, pre-filled with its title, dimensions and uplift."""
        created = initiatives.create_from_findings(g.org, current_user, data["finding_ids"])
        return {"items": [view(i) for i in created]}


PRESET_NAMES = list(initiatives_import.PRESETS)
IMPORT_BODY = {"content": {
    "application/json": {"schema": ImportSchema},
    "text/csv": {"schema": {"type": "string"}},
    "multipart/form-data": {"schema": {"type": "object", "properties": {
        "file": {"type": "string", "format": "binary"},
        "preset": {"type": "string", "enum": PRESET_NAMES},
        "mapping": {"type": "string", "description": "JSON object: field → column"}}}}}}


@backlog_blp.route(f"{ORG}/initiatives/import")
class Import(MethodView):
    @backlog_blp.doc(requestBody=IMPORT_BODY, parameters=[
        {"in": "query", "name": "preset", "schema": {"type": "string", "enum": PRESET_NAMES}},
        {"in": "query", "name": "mapping", "schema": {"type": "string"}}])
    @backlog_blp.response(201, ImportResultSchema)
    def post(self, org_id: int) -> Any:
        """Bulk import initiatives and dependencies by `ref`: all or nothing.

        A JSON body (`initiatives` by `ref`, `dependencies` by ref), or a `text/csv` body,
        or a multipart `file` (CSV or `.xlsx`) with `preset` (`jira`, `productboard`,
        `aha`; query or form field) or `mapping` (JSON object: our field → their column
        header; fields `title`, `external_key`, `description`, `status`, `job_size`,
        `external_url`, `blocks`). Jira's `Outward issue link (Blocks)` columns become
        dependencies (the blocked issue depends on the row). Errors of a file name their
        cell (`row 3, Status`; the header is row 1). Size limits: those of the ratings
        import (`TRACKER_RATINGS_IMPORT_MAX_ROWS` rows, `TRACKER_RATINGS_IMPORT_MAX_BYTES`).
        """
        if request.mimetype not in ("text/csv", "multipart/form-data"):
            data = load_body(ImportSchema(), request.get_json(silent=True))
            return {"ids": initiatives_import.import_backlog(g.org, current_user, data)}
        content = body_bytes(initiatives_import.MAX_BYTES_SETTING, what="file")
        upload = request.files.get("file")
        xlsx = bool(upload and (upload.filename or "").lower().endswith(".xlsx"))
        preset = request.values.get("preset") or None
        return {"ids": initiatives_import.import_backlog_file(
            g.org, current_user, content, xlsx=xlsx, preset=preset,
            mapping=parse_mapping(request.values.get("mapping")),
            max_rows=int(current_app.config[initiatives_import.ROWS_SETTING]))}


def load_body(schema: Any, body: Any) -> dict[str, Any]:
    """The JSON body loaded by `schema`; its errors as the 422 problem."""
    try:
        return dict(schema.load(body if isinstance(body, dict) else {}))
    except ValidationError as error:
        abort(422, messages={"json": error.normalized_messages()})
        raise  # abort raises


def parse_mapping(text: str | None) -> dict[str, str] | None:
    """The `mapping` field (a JSON object of strings), or InvalidInput on `mapping`."""
    if not text:
        return None
    try:
        mapping = json.loads(text)
    except ValueError:
        mapping = None
    if not isinstance(mapping, dict) or not all(
            isinstance(v, str) for v in mapping.values()):
        raise InvalidInput("The mapping is not valid.", errors={"mapping": [
            "Give a JSON object: our field → the column header."]})
    return mapping


@backlog_blp.route(ONE)
class InitiativeById(MethodView):
    @backlog_blp.response(200, InitiativeSchema, headers=ETAG)
    def get(self, org_id: int, initiative_id: int) -> Any:
        """One initiative; its `ETag` is its version."""
        return tagged(initiatives.get_initiative(g.org, initiative_id))

    @backlog_blp.arguments(InitiativeSchema(partial=True))
    @backlog_blp.response(200, InitiativeSchema, headers=ETAG)
    @backlog_blp.alt_response(412, response="PRECONDITION_FAILED")
    @backlog_blp.doc(parameters=[IF_MATCH])
    def patch(self, changes: dict[str, Any], org_id: int, initiative_id: int) -> Any:
        """Change an initiative; illegal status moves answer 409 with the allowed ones. With
        `If-Match: "<version>"` or `version` in the body, a change based on a version that
        is no longer the current one answers 412 with `current_version`."""
        return tagged(initiatives.update_initiative(g.org, current_user, initiative_id, changes,
                                                    if_match()))

    @backlog_blp.response(204)
    @backlog_blp.alt_response(409, response="CONFLICT")
    def delete(self, org_id: int, initiative_id: int) -> None:
        """Delete an initiative that never had pilots, decisions or audited changes (its
        dependency links go, each removal audited); otherwise 409: archive it instead."""
        archive.delete_initiative(g.org, current_user, initiative_id)


@backlog_blp.route(f"{ONE}/archive")
class ArchiveInitiative(MethodView):
    @backlog_blp.response(200, InitiativeSchema)
    @backlog_blp.alt_response(409, response="CONFLICT")
    def post(self, org_id: int, initiative_id: int) -> Any:
        """Archive an initiative: it leaves the backlog and the plan and keeps its pilots,
        decisions and audit trail (audited; 409 if already archived)."""
        return view(archive.archive_initiative(g.org, current_user, initiative_id))


@backlog_blp.route(f"{ONE}/restore")
class RestoreInitiative(MethodView):
    @backlog_blp.response(200, InitiativeSchema)
    @backlog_blp.alt_response(409, response="CONFLICT")
    def post(self, org_id: int, initiative_id: int) -> Any:
        """Bring an archived initiative back to the backlog and the plan (audited)."""
        return view(archive.restore_initiative(g.org, current_user, initiative_id))


@backlog_blp.route(f"{ONE}/ratings/<string(maxlength=200):rater>")  # the column holds 200
class RaterRating(MethodView):
    @requires("contributor")
    @backlog_blp.arguments(RaterSchema)
    @backlog_blp.response(200, InitiativeSchema, headers=ETAG)
    def put(self, data: dict[str, Any], org_id: int, initiative_id: int, rater: str) -> Any:
        """One rater's method inputs, beside the owner's (`own_inputs`, never changed): each
        field then reads the median of the raters who gave it, else the owner's value."""
        return tagged(initiatives.rate(g.org, current_user, initiative_id, rater, data))

    @requires("contributor")
    @backlog_blp.response(200, InitiativeSchema, headers=ETAG)
    def delete(self, org_id: int, initiative_id: int, rater: str) -> Any:
        """Remove one rater's inputs (audited): the fields they gave then read the other
        raters' median, else the owner's value. 404 when the rater gave none."""
        return tagged(raters.remove_rater(g.org, current_user, initiative_id, rater))


@backlog_blp.route(f"{ONE}/audit")
class Audit(MethodView):
    @backlog_blp.arguments(PageArgsSchema, location="query")
    @backlog_blp.response(200, page_schema(AuditEventSchema))
    def get(self, args: dict[str, Any], org_id: int, initiative_id: int) -> Any:
        """Who changed what and when on the initiative, its pilots and dependencies."""
        return initiatives.audit_trail(g.org, initiative_id, args["page"], args["per_page"])


@backlog_blp.route(f"{ORG}/scorecard")
class Scorecard(MethodView):
    @backlog_blp.response(200, ScorecardSchema)
    def get(self, org_id: int) -> Any:
        """The organization's scorecard criteria."""
        return {"criteria": initiatives.scorecard(g.org)}

    @requires("lead")
    @backlog_blp.arguments(ScorecardSchema)
    @backlog_blp.response(200, ScorecardSchema)
    def put(self, data: dict[str, Any], org_id: int) -> Any:
        """Replace the scorecard criteria (leads)."""
        return {"criteria": initiatives.replace_scorecard(g.org, data["criteria"])}


@backlog_blp.route(f"{ORG}/backlog")
class RankedBacklog(MethodView):
    @backlog_blp.arguments(BacklogArgsSchema, location="query")
    @backlog_blp.response(200, BacklogSchema)
    @backlog_blp.alt_response(200, schema={"type": "string"}, content_type="text/csv",
                              success=True,
                              description="The ranked backlog; with `format=csv`, all of it as CSV")
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """The ranked backlog with one method: the initiatives still to do, unless
        `include_done` (or a `status` of done or dropped) shows the others too; `format=csv`
        exports all of it."""
        shown = _shown(args)
        if args["format"] == "csv":
            return _csv(backlog.backlog_csv(g.org, args.get("method"), **shown,
                                            sep=args.get("sep")))
        return backlog.backlog_page(g.org, args.get("method"), args["page"], args["per_page"],
                                    **shown)


@backlog_blp.route(f"{ORG}/backlog.csv")
class BacklogCsv(MethodView):
    @backlog_blp.arguments(BacklogArgsSchema, location="query")
    @backlog_blp.response(200, content_type="text/csv")
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """The whole ranked backlog as CSV."""
        return _csv(backlog.backlog_csv(g.org, args.get("method"), **_shown(args),
                                        sep=args.get("sep")))


@backlog_blp.route(f"{ORG}/backlog.xlsx")
class BacklogXlsx(MethodView):
    @backlog_blp.arguments(BacklogArgsSchema, location="query")
    @backlog_blp.response(200, content_type=xlsx.MIMETYPE)
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """The whole ranked backlog as an Excel workbook (the CSV's columns)."""
        return _file(backlog.backlog_xlsx(g.org, args.get("method"), **_shown(args)),
                     xlsx.MIMETYPE, "backlog.xlsx")


@backlog_blp.route(f"{ORG}/backlog.jira.csv")
class BacklogJiraCsv(MethodView):
    @backlog_blp.response(200, content_type="text/csv")
    def get(self, org_id: int) -> Any:
        """Every initiative not archived as Jira's CSV importer reads it (`Summary`, `Issue
        key`, `Status`, `Description`, `Custom field (Story Points)`, one `Outward issue
        link (Blocks)` per initiative it blocks); `initiatives/import?preset=jira` reads it
        back."""
        return _file(backlog.backlog_jira_csv(g.org), "text/csv", f"backlog-{org_id}.jira.csv")


def _file(content: str | bytes, mimetype: str, filename: str) -> Response:
    """A download with its type and name."""
    return Response(content, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _shown(args: dict[str, Any]) -> dict[str, Any]:
    """What of the backlog the query asks to show (`include_done`, `status`)."""
    return {"include_done": args["include_done"], "status": args.get("status")}


def _csv(content: str) -> Response:
    return Response(content, mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="backlog.csv"'})


@backlog_blp.route(f"{ORG}/dependencies")
class Dependencies(MethodView):
    @backlog_blp.arguments(PageArgsSchema, location="query")
    @backlog_blp.response(200, page_schema(DependencySchema))
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """The dependency edges."""
        return dependencies.list_dependencies(g.org, args["page"], args["per_page"])

    @backlog_blp.arguments(DependencySchema)
    @backlog_blp.response(201, DependencySchema)
    def post(self, data: dict[str, Any], org_id: int) -> Any:
        """`dependent_id` waits for `prerequisite_id`; a cycle answers 409 with `cycle`."""
        return dependencies.add_dependency(g.org, current_user, data)


@backlog_blp.route(f"{ORG}/dependencies/<int:dependency_id>")
class DependencyById(MethodView):
    @backlog_blp.response(204)
    def delete(self, org_id: int, dependency_id: int) -> None:
        """Remove a dependency."""
        dependencies.delete_dependency(g.org, current_user, dependency_id)


@backlog_blp.route(f"{ONE}/pilots")
class Pilots(MethodView):
    @backlog_blp.arguments(PageArgsSchema, location="query")
    @backlog_blp.response(200, page_schema(PilotSchema))
    def get(self, args: dict[str, Any], org_id: int, initiative_id: int) -> Any:
        """The initiative's pilots, each criterion with its verdict and the suggested decision."""
        return pilots.judged_page(g.org, pilots.list_pilots(g.org, initiative_id, args["page"],
                                                            args["per_page"]))

    @backlog_blp.arguments(PilotSchema)
    @backlog_blp.response(201, PilotSchema)
    def post(self, data: dict[str, Any], org_id: int, initiative_id: int) -> Any:
        """Start a pilot on a perimeter, with success criteria as KPI thresholds."""
        return pilots.judged_one(g.org, pilots.create_pilot(g.org, current_user, initiative_id,
                                                            data))


@backlog_blp.route(f"{ORG}/pilots/<int:pilot_id>")
class PilotById(MethodView):
    @backlog_blp.arguments(PilotSchema(partial=True))
    @backlog_blp.response(200, PilotSchema)
    def patch(self, changes: dict[str, Any], org_id: int, pilot_id: int) -> Any:
        """Change a pilot or record its decision (generalize, adjust, stop)."""
        return pilots.judged_one(g.org, pilots.update_pilot(g.org, current_user, pilot_id,
                                                            changes))


decisions_blp = Blueprint("decisions", __name__, description="Decision log of the committees")
BASE = "/orgs/<int:org_id>/decisions"


@decisions_blp.route(BASE)
class Decisions(MethodView):
    @decisions_blp.arguments(DecisionListArgsSchema, location="query")
    @decisions_blp.response(200, page_schema(DecisionEntrySchema))
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """The log, newest first: `q` searches title and rationale; filter by `committee`,
        `from` and `to` dates. Pilot decisions are listed as `kind: pilot` entries."""
        return decisions.list_decisions(g.org, args["page"], args["per_page"], args)

    @decisions_blp.arguments(DecisionSchema)
    @decisions_blp.response(201, DecisionSchema)
    def post(self, data: dict[str, Any], org_id: int) -> Any:
        """Log a committee decision with the initiatives, pilots and findings it concerns,
        its committee (`committee_id`, whose level is the default `committee`) and its
        dossier (context, options, risks, portfolio impact, success indicators)."""
        return decisions.create_decision(g.org, data)


@decisions_blp.route(f"{BASE}.csv")
class DecisionsCsv(MethodView):
    @decisions_blp.arguments(DecisionListArgsSchema, location="query")
    @decisions_blp.response(200, content_type="text/csv")
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """The filtered log as CSV."""
        return Response(decisions.decisions_csv(g.org, args, args.get("sep")),
                        mimetype="text/csv", headers={
            "Content-Disposition": f'attachment; filename="decisions-{org_id}.csv"'})


@decisions_blp.route(f"{BASE}.xlsx")
class DecisionsXlsx(MethodView):
    @decisions_blp.arguments(DecisionListArgsSchema, location="query")
    @decisions_blp.response(200, content_type=xlsx.MIMETYPE)
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """The filtered log as an Excel workbook (the CSV's columns)."""
        return _file(decisions.decisions_xlsx(g.org, args), xlsx.MIMETYPE,
                     f"decisions-{org_id}.xlsx")


@decisions_blp.route(f"{BASE}/<int:decision_id>")
class DecisionById(MethodView):
    @decisions_blp.response(200, DecisionSchema)
    def get(self, org_id: int, decision_id: int) -> Any:
        """One logged decision."""
        return decisions.get_decision(g.org, decision_id)
