"""Assessment, respondent, rating, evidence and score schemas."""

from __future__ import annotations

from typing import Any

from flask import current_app
from marshmallow import ValidationError, fields, validate, validates_schema

from tracker.models.assessments import KINDS, PERSPECTIVES, SOURCES, STATUSES, TONES
from tracker.schemas.common import Email, Id, PageArgsSchema, Schema
from tracker.schemas.tenancy import CsvImportResultSchema

SHORT = validate.Length(max=100)
OPENED_AT = ("When the campaign opened; leads may set it (back-entry). Without a time zone, "
             "read in the organization's. Set by the first move to `open` otherwise.")
CLOSED_AT = ("When the campaign closed (its place in the barometer), never in the future and "
             "not before `opened_at`; leads may set it (back-entry), and it is kept through a "
             "reopening. Set by the move to `closed` otherwise.")
PLANNED_OPEN_ON = ("The day the campaign is planned to open (ISO date, null: not planned); a "
                   "past day is allowed (back-entry). The cockpit counts the days to it while "
                   "the assessment is a draft.")
PLANNED_CLOSE_ON = ("The day the campaign is planned to close (ISO date, null: not planned), "
                    "not before `planned_open_on` (422 naming `planned_close_on`); a past day "
                    "is allowed. The cockpit counts the days left while it is open.")
PERSPECTIVE = ("For a cross self-assessment: whether the respondent answers as the `client` or "
               "as the `consultant` (null: neither); perception gaps can be read by it.")


class AssessmentSchema(Schema):
    id = Id(dump_only=True)
    framework_id = Id(required=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    kind = fields.String(load_default="diagnostic", validate=validate.OneOf(KINDS))
    status = fields.String(dump_only=True)
    opened_at = fields.DateTime(allow_none=True, metadata={"description": OPENED_AT})
    closed_at = fields.DateTime(allow_none=True, metadata={"description": CLOSED_AT})
    planned_open_on = fields.Date(allow_none=True, metadata={"description": PLANNED_OPEN_ON})
    planned_close_on = fields.Date(allow_none=True, metadata={"description": PLANNED_CLOSE_ON})
    created_at = fields.DateTime(dump_only=True)


class AssessmentPatchSchema(Schema):
    title = fields.String(validate=validate.Length(min=1, max=200))
    status = fields.String(validate=validate.OneOf(STATUSES), metadata={
        "description": "`open` or `closed` to move it along; `open` on a closed assessment "
                       "reopens it for corrections (leads only, with a `reason`)"})
    reason = fields.String(validate=validate.Length(max=2000), metadata={
        "description": "Why it is reopened (required then) or why its dates change; audited"})
    opened_at = fields.DateTime(metadata={"description": OPENED_AT})
    closed_at = fields.DateTime(metadata={"description": CLOSED_AT})
    planned_open_on = fields.Date(allow_none=True, metadata={"description": PLANNED_OPEN_ON})
    planned_close_on = fields.Date(allow_none=True, metadata={"description": PLANNED_CLOSE_ON})


class AssessmentListArgsSchema(PageArgsSchema):
    status = fields.String(validate=validate.OneOf(STATUSES))


class RespondentSchema(Schema):
    id = Id(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = Email(load_default=None, allow_none=True)
    role = fields.String(load_default=None, allow_none=True, validate=SHORT)
    team = fields.String(load_default=None, allow_none=True, validate=SHORT)
    level = fields.String(load_default=None, allow_none=True, validate=SHORT,
                          metadata={"description": "Hierarchy level; `leader` feeds blind spots"})
    source = fields.String(load_default="survey", validate=validate.OneOf(SOURCES))
    perspective = fields.String(load_default=None, allow_none=True,
                                validate=validate.OneOf(PERSPECTIVES),
                                metadata={"description": PERSPECTIVE})
    survey_url = fields.Method("_survey_url", dump_only=True, metadata={
        "type": "string", "nullable": True,
        "description": "The respondent's personal survey link; like `email`, shown to ops "
                       "and leads only (null for the others)"})

    def _survey_url(self, respondent: Any) -> str | None:
        if respondent.survey_token is None:
            return None
        return f"{current_app.config['TRACKER_BASE_URL']}/survey/{respondent.survey_token}"


class RatingSchema(Schema):
    """A rating of a dimension, or an answer to one of its questions (`question`)."""

    respondent_id = Id(required=True)
    dimension = fields.String(metadata={"description": "Dimension code"})
    question = fields.String(metadata={
        "description": "Question code, instead of `dimension`: `value` is an answer value"})
    value = fields.Float(required=True, allow_none=True,
                         metadata={"description": "A level within the scale; null: cannot say"})
    comment = fields.String(load_default="", allow_none=True)

    @validates_schema
    def _dimension_or_question(self, data: dict[str, Any], **_: Any) -> None:
        """Exactly one of `dimension` and `question`."""
        if ("dimension" in data) == ("question" in data):
            raise ValidationError("Give either a dimension or a question.", "dimension")


class UpsertResultSchema(Schema):
    created = fields.Integer()
    updated = fields.Integer()


class RatingsImportResultSchema(CsvImportResultSchema):
    """What a ratings import created, and what to know about the file."""

    warnings = fields.List(fields.String(), metadata={
        "description": "What to check in the file, in the language of Accept-Language (else "
                       "the user's): that a file which is not UTF-8 was read as Windows-1252 "
                       "(French Excel's CSV), so accents may be wrong. Empty for a UTF-8 file"})


class EvidenceSchema(Schema):
    id = Id(dump_only=True)
    text = fields.String(required=True, validate=validate.Length(min=1))
    source = fields.String(load_default="interview", validate=validate.OneOf(SOURCES))
    tone = fields.String(load_default="neutral", validate=validate.OneOf(TONES))
    dimensions = fields.Method("_codes", deserialize="_load_codes", load_default=list)
    respondent_id = Id(load_default=None, allow_none=True, metadata={
        "description": "Who said it; read back by ops and leads only (null for the others)"})
    created_at = fields.DateTime(dump_only=True)

    def _codes(self, evidence: Any) -> list[str]:
        return [d.code for d in evidence.dimensions]

    def _load_codes(self, value: Any) -> list[str]:
        return fields.List(fields.String(validate=validate.Length(min=1))).deserialize(value)


class EvidenceListArgsSchema(PageArgsSchema):
    dimension = fields.String(metadata={"description": "Only verbatims on this dimension code"})


MARGIN: dict[str, Any] = {"allow_none": True, "metadata": {
    "description": "Half-width of the 95 % interval (Student's t, DESIGN section 3 "
                   "\"Uncertainty\"); null under two (effective) ratings or respondents"}}
CI95: dict[str, Any] = {"allow_none": True, "metadata": {
    "description": "[score - margin, score + margin]"}}


class DimensionScoreSchema(Schema):
    code = fields.String()
    name = fields.String()
    score = fields.Float(allow_none=True)
    n = fields.Integer()
    stdev = fields.Float(allow_none=True)
    source_means = fields.Dict(keys=fields.String(), values=fields.Float())
    source_spread = fields.Float(allow_none=True)
    target = fields.Float(allow_none=True)
    target_gap = fields.Float(allow_none=True, metadata={"description": "max(0, target - score)"})
    share = fields.Float(metadata={"description": "The dimension's share of the overall score"})
    weighted_gap = fields.Float(allow_none=True, metadata={"description": "share · target gap"})
    margin = fields.Float(**MARGIN)
    ci95 = fields.List(fields.Float(), **CI95)


class AxisScoreSchema(Schema):
    code = fields.String()
    name = fields.String()
    score = fields.Float(allow_none=True)
    margin = fields.Float(**MARGIN)
    ci95 = fields.List(fields.Float(), **CI95)
    dimensions = fields.List(fields.Nested(DimensionScoreSchema))


class ScoresSchema(Schema):
    overall = fields.Float(allow_none=True)
    margin = fields.Float(**MARGIN)
    ci95 = fields.List(fields.Float(), **CI95)
    axes = fields.List(fields.Nested(AxisScoreSchema))
    percent_to_target = fields.Float(allow_none=True, metadata={
        "description": "1 - Σ target gaps / Σ targets; null without targets"})
