"""KPI and measurement schemas."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from tracker.domain.effects import DIRECTIONS


class MeasurementSchema(Schema):
    id = fields.Integer(dump_only=True)
    value = fields.Float(required=True, allow_nan=False)
    measured_at = fields.Date(required=True)


class KpiSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    description = fields.String(load_default="")
    unit = fields.String(load_default="", validate=validate.Length(max=50))
    direction = fields.String(required=True, validate=validate.OneOf(DIRECTIONS))
    target = fields.Float(required=True, allow_none=True, allow_nan=False)
    dimensions = fields.List(fields.String(validate=validate.Length(min=1)), load_default=list,
                             metadata={"description": "Codes of the dimensions it evidences"})
    current = fields.Float(dump_only=True, allow_none=True,
                           metadata={"description": "The latest measurement by date"})
    measured_at = fields.Date(dump_only=True, allow_none=True)
    gap = fields.Float(dump_only=True, allow_none=True,
                       metadata={"description": "current - target"})
    on_target = fields.Boolean(dump_only=True, allow_none=True)
    history = fields.List(fields.Nested(MeasurementSchema), dump_only=True)


class KpiPatchSchema(Schema):
    name = fields.String(validate=validate.Length(min=1, max=200))
    description = fields.String()
    unit = fields.String(validate=validate.Length(max=50))
    direction = fields.String(validate=validate.OneOf(DIRECTIONS))
    target = fields.Float(allow_none=True, allow_nan=False)
    dimensions = fields.List(fields.String(validate=validate.Length(min=1)))
