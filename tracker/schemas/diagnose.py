"""Perception gap and blind spot schemas.

Finding schemas: diagnostic conclusions and suggestion runs.

Query arguments of the diagnostic report."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

from tracker.domain.constants import LOCALES, REPORT_FORMATS
from tracker.domain.perception import ATTRIBUTES
from tracker.models.findings import FINDING_KINDS, FINDING_STATUSES
from tracker.schemas.common import Id, PageArgsSchema, Schema


class PerceptionArgsSchema(Schema):
    by = fields.String(load_default="role", validate=validate.OneOf(ATTRIBUTES))


class GroupMeanSchema(Schema):
    name = fields.String()
    mean = fields.Float()
    n = fields.Integer()


class DimensionGapSchema(Schema):
    dimension = fields.String()
    groups = fields.List(fields.Nested(GroupMeanSchema))
    hidden_groups = fields.Integer(metadata={
        "description": "Groups too small to be shown on their own (anonymity)"})
    gap = fields.Float(allow_none=True)
    flagged = fields.Boolean()


class PerceptionGapsSchema(Schema):
    by = fields.String()
    min_group_size = fields.Integer()
    threshold = fields.Float()
    dimensions = fields.List(fields.Nested(DimensionGapSchema))


class LeaderGapSchema(Schema):
    dimension = fields.String()
    leaders_mean = fields.Float(allow_none=True)
    others_mean = fields.Float(allow_none=True)
    difference = fields.Float(allow_none=True)
    n_leaders = fields.Integer()
    n_others = fields.Integer()
    blind_spot = fields.Boolean()


class BlindSpotsSchema(Schema):
    leader_level = fields.String()
    min_group_size = fields.Integer()
    threshold = fields.Float()
    dimensions = fields.List(fields.Nested(LeaderGapSchema))


DIMENSION_CODES = fields.List(fields.String(validate=validate.Length(min=1)))


class FindingSchema(Schema):
    id = Id(dump_only=True)
    assessment_id = Id(load_default=None, allow_none=True)
    kind = fields.String(required=True, validate=validate.OneOf(FINDING_KINDS))
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    description = fields.String(load_default="")
    status = fields.String(load_default="accepted", validate=validate.OneOf(FINDING_STATUSES))
    dimensions = fields.Method("_codes", deserialize="_load_codes", load_default=list,
                               metadata={"description": "Dimension codes"})
    evidence_ids = fields.Method("_evidence_ids", deserialize="_load_ids", load_default=list)
    suggestion_key = fields.String(dump_only=True, allow_none=True)
    metrics = fields.Dict(dump_only=True, metadata={
        "description": "The numbers that triggered a suggested finding"})
    created_at = fields.DateTime(dump_only=True)

    def _codes(self, finding: Any) -> list[str]:
        return [d.code for d in finding.dimensions]

    def _load_codes(self, value: Any) -> list[str]:
        return DIMENSION_CODES.deserialize(value)

    def _evidence_ids(self, finding: Any) -> list[int]:
        return [e.id for e in finding.evidence]

    def _load_ids(self, value: Any) -> list[int]:
        return fields.List(Id()).deserialize(value)


class FindingPatchSchema(Schema):
    kind = fields.String(validate=validate.OneOf(FINDING_KINDS))
    title = fields.String(validate=validate.Length(min=1, max=300))
    description = fields.String()
    status = fields.String(validate=validate.OneOf(("accepted", "dismissed")),
                           metadata={"description": "Accept or dismiss"})
    dimensions = fields.List(fields.String(validate=validate.Length(min=1)))
    evidence_ids = fields.List(Id())


class FindingListArgsSchema(PageArgsSchema):
    assessment_id = Id()
    kind = fields.String(validate=validate.OneOf(FINDING_KINDS))
    status = fields.String(validate=validate.OneOf(FINDING_STATUSES))


class SuggestResultSchema(Schema):
    created = fields.List(fields.Nested(FindingSchema))
    skipped = fields.Integer(metadata={"description": "Suggestions already stored"})
    skipped_dismissed = fields.Integer(metadata={
        "description": "Of those, dismissed ones (they stay dismissed)"})


class ReportArgsSchema(Schema):
    format = fields.String(load_default="html", validate=validate.OneOf(REPORT_FORMATS),
                           metadata={"description": "html (standalone page) or pdf"})
    lang = fields.String(validate=validate.OneOf(LOCALES),
                         metadata={"description": "en or fr; default: the user's language"})
