"""Target schemas: the ambition per dimension of a framework."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class TargetRowSchema(Schema):
    dimension = fields.String(required=True, validate=validate.Length(min=1),
                              metadata={"description": "Dimension code"})
    level = fields.Float(required=True, metadata={"description": "A level within the scale"})


class TargetsSchema(Schema):
    """`PUT /targets` body and answer: a framework's target per dimension."""

    framework_id = fields.Integer(required=True)
    targets = fields.List(fields.Nested(TargetRowSchema), required=True)


class TargetsArgsSchema(Schema):
    framework_id = fields.Integer(required=True)
