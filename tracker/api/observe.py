"""Assessments, respondents, ratings, evidence and scores of an organization.

Who the respondents are (the respondents list, survey links, the respondent of a verbatim)
is read by ops and leads only; viewers and contributors read the aggregates.

CSV import of ratings: `POST .../assessments/{id}/ratings/import`."""

from __future__ import annotations

from typing import Any

from flask import g, request
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import validate

from tracker import jobs
from tracker.api import Blueprint
from tracker.api.access import requires
from tracker.api.jobs import JobSchema, accepted
from tracker.api.uploads import body_bytes
from tracker.domain.errors import InvalidInput
from tracker.schemas.common import PageArgsSchema, page_schema
from tracker.schemas.observe import (
    AssessmentListArgsSchema,
    AssessmentPatchSchema,
    AssessmentSchema,
    EvidenceListArgsSchema,
    EvidenceSchema,
    RatingSchema,
    RatingsImportResultSchema,
    RespondentSchema,
    ScoresSchema,
    UpsertResultSchema,
)
from tracker.services.diagnose.scores import assessment_scores
from tracker.services.observe import assessments, ratings, ratings_import

assessments_blp = Blueprint("assessments", __name__, description="Assessments, ratings and scores")
BASE = "/orgs/<int:org_id>/assessments"


@assessments_blp.route(BASE)
class Assessments(MethodView):
    @assessments_blp.arguments(AssessmentListArgsSchema, location="query")
    @assessments_blp.response(200, page_schema(AssessmentSchema))
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """The organization's assessments, newest first."""
        return assessments.list_assessments(g.org, args["page"], args["per_page"],
                                            args.get("status"))

    @assessments_blp.arguments(AssessmentSchema)
    @assessments_blp.response(201, AssessmentSchema)
    def post(self, data: dict[str, Any], org_id: int) -> Any:
        """Create an assessment (in draft) on a framework.

        A lead may give `opened_at` and `closed_at` to enter a past campaign with its real
        dates; anyone else sending them gets 403.
        """
        return assessments.create_assessment(g.org, data, actor=current_user)


@assessments_blp.route(f"{BASE}/<int:assessment_id>")
class AssessmentById(MethodView):
    @assessments_blp.response(200, AssessmentSchema)
    def get(self, org_id: int, assessment_id: int) -> Any:
        """One assessment."""
        return assessments.get_assessment(g.org, assessment_id)

    @assessments_blp.arguments(AssessmentPatchSchema)
    @assessments_blp.response(200, AssessmentSchema)
    def patch(self, changes: dict[str, Any], org_id: int, assessment_id: int) -> Any:
        """Rename, move along draft → open → closed, or correct (leads only).

        `{"status": "open", "reason": "..."}` reopens a closed assessment so its ratings can
        be corrected; closing it again keeps its `closed_at` unless one is given. `opened_at`
        and `closed_at` may be set by hand. Both are audited; anyone but a lead gets 403.
        """
        return assessments.update_assessment(g.org, assessment_id, changes,
                                             actor=current_user)


@assessments_blp.route(f"{BASE}/<int:assessment_id>/respondents")
class Respondents(MethodView):
    @assessments_blp.arguments(PageArgsSchema, location="query")
    @assessments_blp.response(200, page_schema(RespondentSchema))
    def get(self, args: dict[str, Any], org_id: int, assessment_id: int) -> Any:
        """Respondents with their emails and personal survey links (ops and leads).

        A viewer or contributor gets 403: who answered is not theirs to see, so that groups
        below the organization's `min_group_size` stay anonymous; scores and perception
        gaps give them the aggregates.
        """
        return assessments.list_respondents(g.org, assessment_id, args["page"],
                                            args["per_page"], actor=current_user)

    @requires("contributor")
    @assessments_blp.arguments(RespondentSchema)
    @assessments_blp.response(201, RespondentSchema)
    def post(self, data: dict[str, Any], org_id: int, assessment_id: int) -> Any:
        """Add a respondent (interviewee, document, observed ritual or survey taker).

        A contributor gets it back without `email` and `survey_url` (null).
        """
        return assessments.add_respondent(g.org, assessment_id, data, actor=current_user)


@assessments_blp.route(f"{BASE}/<int:assessment_id>/ratings")
class Ratings(MethodView):
    @requires("contributor")
    @assessments_blp.arguments(RatingSchema(many=True), validate=validate.Length(
        min=1, error="Give at least one rating."))
    @assessments_blp.response(200, UpsertResultSchema)
    def put(self, rows: list[dict[str, Any]], org_id: int, assessment_id: int) -> Any:
        """Create or update ratings in bulk: all are saved, or none."""
        return ratings.upsert_ratings(g.org, assessment_id, rows)


@assessments_blp.route(f"{BASE}/<int:assessment_id>/scores")
class Scores(MethodView):
    @assessments_blp.response(200, ScoresSchema)
    def get(self, org_id: int, assessment_id: int) -> Any:
        """Scores per dimension, axis and overall, with dispersion and source agreement."""
        return assessment_scores(g.org, assessment_id)


@assessments_blp.route(f"{BASE}/<int:assessment_id>/evidence")
class EvidenceList(MethodView):
    @assessments_blp.arguments(EvidenceListArgsSchema, location="query")
    @assessments_blp.response(200, page_schema(EvidenceSchema))
    def get(self, args: dict[str, Any], org_id: int, assessment_id: int) -> Any:
        """Verbatims, optionally on one dimension; `respondent_id` is null for viewers and
        contributors (a verbatim never says who to them)."""
        return assessments.list_evidence(g.org, assessment_id, args["page"], args["per_page"],
                                         args.get("dimension"), actor=current_user)

    @requires("contributor")
    @assessments_blp.arguments(EvidenceSchema)
    @assessments_blp.response(201, EvidenceSchema)
    def post(self, data: dict[str, Any], org_id: int, assessment_id: int) -> Any:
        """Attach a verbatim to dimensions."""
        return assessments.add_evidence(g.org, assessment_id, data)


ratings_import_blp = Blueprint("ratings_import", __name__, description="CSV import of ratings")

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_BODY = {"content": {
    "text/csv": {"schema": {"type": "string"}},
    XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
    "multipart/form-data": {"schema": {"type": "object", "properties": {
        "file": {"type": "string", "format": "binary"}}}}}}


@ratings_import_blp.route("/orgs/<int:org_id>/assessments/<int:assessment_id>/ratings/import")
class RatingsImport(MethodView):
    @requires("contributor")
    @ratings_import_blp.doc(requestBody=CSV_BODY)
    @ratings_import_blp.response(201, RatingsImportResultSchema)
    @ratings_import_blp.alt_response(202, schema=JobSchema,
                                     description="A big file, imported by a background job")
    def post(self, org_id: int, assessment_id: int) -> Any:
        """Import respondents and ratings from a CSV file: all are saved, or none.

        One row per respondent: `name`, `role`, `team`, `level`, `source` (and optionally
        `email`), then one column per dimension code; an empty cell is no rating, `?` or
        `n/a` is "cannot say". Errors are keyed `row N.COLUMN` (the header is row 1).
        A file beyond `TRACKER_RATINGS_IMPORT_MAX_ROWS` respondent rows (5,000) or
        `TRACKER_RATINGS_IMPORT_MAX_BYTES` (5 MiB) answers 413: split it. A file that is
        not UTF-8 is read as Windows-1252, and `warnings` says so. Messages follow
        Accept-Language (English or French), else the user's language. An `.xlsx`
        workbook (its body, or the multipart `file`) is read from its first sheet, with
        the same columns and the sheet's row numbers in the errors.
        A file of more than `TRACKER_JOB_IMPORT_ROWS` rows (2,000) is imported by a
        background job: 202 and its `Location` (the job's `result` holds what the import
        created, or its `errors` by cell).
        """
        data = _csv_bytes()
        upload = request.files.get("file")
        filename = (upload.filename or "") if upload else ""
        job = jobs.ratings_import_job(g.org, current_user.id, assessment_id, data, filename)
        if job is not None:
            return accepted(job)
        return ratings_import.import_ratings_upload(g.org, assessment_id, data, filename)


#: The body types of a ratings file: CSV text, a multipart form, an `.xlsx` workbook.
RATINGS_FILE_TYPES = ("text/csv", "multipart/form-data", XLSX_TYPE, "application/octet-stream")


def _csv_bytes() -> bytes:
    if request.mimetype not in RATINGS_FILE_TYPES:
        raise InvalidInput(_("Send the CSV as a text/csv body or as the multipart field "
                             "`file`."), errors={"file": [_("Missing CSV.")]})
    return body_bytes(ratings_import.MAX_BYTES_SETTING, what="CSV",
                      hint=ratings_import.split_advice())
