"""Decision log schemas."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from tracker.models.decisions import COMMITTEES
from tracker.schemas.common import PageArgsSchema


class DecisionSchema(Schema):
    id = fields.Integer(dump_only=True)
    kind = fields.String(dump_only=True, metadata={
        "description": "`decision` (logged here) or `pilot` (a pilot's go/no-go, read-only)"})
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    committee = fields.String(required=True, validate=validate.OneOf(COMMITTEES))
    decided_on = fields.Date(required=True, allow_none=False)
    participants = fields.List(fields.String(validate=validate.Length(min=1, max=200)),
                               load_default=list)
    rationale = fields.String(load_default="")
    initiative_ids = fields.List(fields.Integer(), load_default=list)
    pilot_ids = fields.List(fields.Integer(), load_default=list)
    finding_ids = fields.List(fields.Integer(), load_default=list)
    decision = fields.String(dump_only=True, allow_none=True, metadata={
        "description": "For pilot entries: generalize, adjust or stop"})
    created_at = fields.DateTime(dump_only=True, allow_none=True)


class DecisionListArgsSchema(PageArgsSchema):
    q = fields.String(metadata={"description": "Words searched in title and rationale"})
    committee = fields.String(validate=validate.OneOf(COMMITTEES))
    date_from = fields.Date(data_key="from", metadata={"description": "Decided on or after"})
    date_to = fields.Date(data_key="to", metadata={"description": "Decided on or before"})
    include_pilots = fields.Boolean(load_default=True)
