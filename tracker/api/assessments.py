"""Assessments, respondents, ratings, evidence and scores of an organization."""

from __future__ import annotations

from typing import Any

from flask import g
from flask.views import MethodView

from tracker.api import Blueprint
from tracker.api.access import requires
from tracker.schemas.assessments import (
    AssessmentListArgsSchema,
    AssessmentPatchSchema,
    AssessmentSchema,
    EvidenceListArgsSchema,
    EvidenceSchema,
    RatingSchema,
    RespondentSchema,
    ScoresSchema,
    UpsertResultSchema,
)
from tracker.schemas.common import PageArgsSchema, page_schema
from tracker.services import assessments, ratings

blp = Blueprint("assessments", __name__, description="Assessments, ratings and scores")
BASE = "/orgs/<int:org_id>/assessments"


@blp.route(BASE)
class Assessments(MethodView):
    @blp.arguments(AssessmentListArgsSchema, location="query")
    @blp.response(200, page_schema(AssessmentSchema))
    def get(self, args: dict[str, Any], org_id: int) -> Any:
        """The organization's assessments, newest first."""
        return assessments.list_assessments(g.org, args["page"], args["per_page"],
                                            args.get("status"))

    @blp.arguments(AssessmentSchema)
    @blp.response(201, AssessmentSchema)
    def post(self, data: dict[str, Any], org_id: int) -> Any:
        """Create an assessment (in draft) on a framework."""
        return assessments.create_assessment(g.org, data)


@blp.route(f"{BASE}/<int:assessment_id>")
class AssessmentById(MethodView):
    @blp.response(200, AssessmentSchema)
    def get(self, org_id: int, assessment_id: int) -> Any:
        """One assessment."""
        return assessments.get_assessment(g.org, assessment_id)

    @blp.arguments(AssessmentPatchSchema)
    @blp.response(200, AssessmentSchema)
    def patch(self, changes: dict[str, Any], org_id: int, assessment_id: int) -> Any:
        """Rename, or move along draft → open → closed."""
        return assessments.update_assessment(g.org, assessment_id, changes)


@blp.route(f"{BASE}/<int:assessment_id>/respondents")
class Respondents(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, page_schema(RespondentSchema))
    def get(self, args: dict[str, Any], org_id: int, assessment_id: int) -> Any:
        """Respondents with their personal survey links."""
        return assessments.list_respondents(g.org, assessment_id, args["page"],
                                            args["per_page"])

    @requires("contributor")
    @blp.arguments(RespondentSchema)
    @blp.response(201, RespondentSchema)
    def post(self, data: dict[str, Any], org_id: int, assessment_id: int) -> Any:
        """Add a respondent (interviewee, document, observed ritual or survey taker)."""
        return assessments.add_respondent(g.org, assessment_id, data)


@blp.route(f"{BASE}/<int:assessment_id>/ratings")
class Ratings(MethodView):
    @requires("contributor")
    @blp.arguments(RatingSchema(many=True))
    @blp.response(200, UpsertResultSchema)
    def put(self, rows: list[dict[str, Any]], org_id: int, assessment_id: int) -> Any:
        """Create or update ratings in bulk: all are saved, or none."""
        return ratings.upsert_ratings(g.org, assessment_id, rows)


@blp.route(f"{BASE}/<int:assessment_id>/scores")
class Scores(MethodView):
    @blp.response(200, ScoresSchema)
    def get(self, org_id: int, assessment_id: int) -> Any:
        """Scores per dimension, axis and overall, with dispersion and source agreement."""
        return ratings.assessment_scores(g.org, assessment_id)


@blp.route(f"{BASE}/<int:assessment_id>/evidence")
class EvidenceList(MethodView):
    @blp.arguments(EvidenceListArgsSchema, location="query")
    @blp.response(200, page_schema(EvidenceSchema))
    def get(self, args: dict[str, Any], org_id: int, assessment_id: int) -> Any:
        """Verbatims, optionally on one dimension."""
        return assessments.list_evidence(g.org, assessment_id, args["page"], args["per_page"],
                                         args.get("dimension"))

    @requires("contributor")
    @blp.arguments(EvidenceSchema)
    @blp.response(201, EvidenceSchema)
    def post(self, data: dict[str, Any], org_id: int, assessment_id: int) -> Any:
        """Attach a verbatim to dimensions."""
        return assessments.add_evidence(g.org, assessment_id, data)
