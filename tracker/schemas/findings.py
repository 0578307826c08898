"""Finding schemas: diagnostic conclusions and suggestion runs."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from tracker.models.findings import FINDING_KINDS, FINDING_STATUSES
from tracker.schemas.common import PageArgsSchema

DIMENSION_CODES = fields.List(fields.String(validate=validate.Length(min=1)))


class FindingSchema(Schema):
    id = fields.Integer(dump_only=True)
    assessment_id = fields.Integer(load_default=None, allow_none=True)
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
        return fields.List(fields.Integer()).deserialize(value)


class FindingPatchSchema(Schema):
    kind = fields.String(validate=validate.OneOf(FINDING_KINDS))
    title = fields.String(validate=validate.Length(min=1, max=300))
    description = fields.String()
    status = fields.String(validate=validate.OneOf(("accepted", "dismissed")),
                           metadata={"description": "Accept or dismiss"})
    dimensions = fields.List(fields.String(validate=validate.Length(min=1)))
    evidence_ids = fields.List(fields.Integer())


class FindingListArgsSchema(PageArgsSchema):
    assessment_id = fields.Integer()
    kind = fields.String(validate=validate.OneOf(FINDING_KINDS))
    status = fields.String(validate=validate.OneOf(FINDING_STATUSES))


class SuggestResultSchema(Schema):
    created = fields.List(fields.Nested(FindingSchema))
    skipped = fields.Integer(metadata={"description": "Suggestions already stored"})
    skipped_dismissed = fields.Integer(metadata={
        "description": "Of those, dismissed ones (they stay dismissed)"})
