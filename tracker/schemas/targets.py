"""Target schemas: the ambition per dimension of a framework."""

from __future__ import annotations

from typing import Any

from flask import request
from marshmallow import Schema, fields, pre_load, validate


class TargetRowSchema(Schema):
    dimension = fields.String(required=True, validate=validate.Length(min=1),
                              metadata={"description": "Dimension code"})
    level = fields.Float(required=True, metadata={"description": "A level within the scale"})


class TargetsSchema(Schema):
    """`PUT /targets` body and answer: a framework's target per dimension.

    The body may also be DESIGN's bare list `[{dimension, level}]`, with the framework
    given as the `?framework_id=` query argument.
    """

    framework_id = fields.Integer(required=True)
    targets = fields.List(fields.Nested(TargetRowSchema), required=True)

    @pre_load
    def _bare_list(self, data: Any, **_: Any) -> Any:
        """A bare list of rows is the `targets` of the framework named in the query."""
        if isinstance(data, list):
            return {"targets": data, "framework_id": request.args.get("framework_id")}
        return data


class TargetsArgsSchema(Schema):
    framework_id = fields.Integer(required=True)
