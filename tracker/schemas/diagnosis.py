"""Perception gap and blind spot schemas."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from tracker.domain.perception import ATTRIBUTES


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
