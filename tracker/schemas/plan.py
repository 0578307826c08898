"""Schemas of the roadmap: plan parameters, the plan, phases, baselines, what-if, impact,
projected trajectory and exports."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

_POSITIVE = validate.Range(min=0, min_inclusive=False)


class PlanArgsSchema(Schema):
    """`start` (a date; today in the organization's timezone by default), `capacity` (how
    many initiatives at once) or `points` (capacity points per week against `load`)."""

    start = fields.Date(metadata={"description": "YYYY-MM-DD; default today"})
    capacity = fields.Integer(validate=validate.Range(min=1),
                              metadata={"description": "Initiatives at once; none: unlimited"})
    points = fields.Float(validate=_POSITIVE,
                          metadata={"description": "Capacity points per week against load"})


class RoadmapItemSchema(Schema):
    initiative_id = fields.Integer()
    title = fields.String()
    start = fields.Date()
    end = fields.Date(metadata={"description": "Exclusive: the day after the last day"})
    wave = fields.Integer()
    phase = fields.String(allow_none=True)
    slack_weeks = fields.Float()
    critical = fields.Boolean()


class CriticalPathSchema(Schema):
    initiative_ids = fields.List(fields.Integer())
    duration_weeks = fields.Float()


class PhaseSchema(Schema):
    """A named window `[start, end)` of the roadmap."""

    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    start = fields.Date(required=True)
    end = fields.Date(required=True)
    proposed = fields.Boolean(dump_only=True, dump_default=False)


class RoadmapSchema(Schema):
    start = fields.Date()
    end = fields.Date()
    initiatives = fields.List(fields.Nested(RoadmapItemSchema))
    critical_path = fields.Nested(CriticalPathSchema)
    makespan_weeks = fields.Float()
    phases = fields.List(fields.Nested(PhaseSchema))
    pin_delays = fields.List(fields.Dict(), metadata={
        "description": "Pinned initiatives that waited for capacity past their date"})


class BaselineCreateSchema(PlanArgsSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))


class BaselineSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    created_at = fields.DateTime()
    params = fields.Dict()


class SlipSchema(Schema):
    initiative_id = fields.Integer()
    title = fields.String(allow_none=True)
    baseline_end = fields.Date(allow_none=True)
    current_end = fields.Date(allow_none=True)
    slip_weeks = fields.Float(allow_none=True)
    status = fields.String(metadata={"description": "late, early, on_time, added, removed"})


class BaselineComparisonSchema(Schema):
    baseline_id = fields.Integer()
    name = fields.String()
    start = fields.Date()
    items = fields.List(fields.Nested(SlipSchema))


def _weeks_by_id() -> fields.Dict:
    """`{initiative_id: weeks ≥ 0}`."""
    return fields.Dict(keys=fields.Integer(), values=fields.Float(validate=validate.Range(min=0)),
                       load_default=dict)


class WhatIfSchema(PlanArgsSchema):
    """Changes to try: `delay` starts, `slip` durations (weeks by initiative id), `drop`
    initiatives, and a new capacity (`new_capacity` and/or `new_points`)."""

    delay = _weeks_by_id()
    slip = _weeks_by_id()
    drop = fields.List(fields.Integer(), load_default=list)
    new_capacity = fields.Integer(validate=validate.Range(min=1))
    new_points = fields.Float(validate=_POSITIVE)


class MoveSchema(Schema):
    initiative_id = fields.Integer()
    title = fields.String(allow_none=True)
    start_before = fields.Date()
    start_after = fields.Date()
    delta_weeks = fields.Float()


class WhatIfResultSchema(Schema):
    makespan_before = fields.Float()
    makespan_after = fields.Float()
    makespan_change = fields.Float()
    moved = fields.List(fields.Nested(MoveSchema))


class ImpactArgsSchema(PlanArgsSchema):
    weeks = fields.Float(required=True, validate=validate.Range(min=0))


class InitiativeRefSchema(Schema):
    initiative_id = fields.Integer()
    title = fields.String(allow_none=True)


class ImpactSchema(Schema):
    initiative_id = fields.Integer()
    weeks = fields.Float()
    makespan_change = fields.Float()
    dependents = fields.List(fields.Nested(InitiativeRefSchema))


class TrajectoryArgsSchema(PlanArgsSchema):
    framework_id = fields.Integer(required=True)


class CodeScoreSchema(Schema):
    code = fields.String()
    score = fields.Float(allow_none=True)


class CheckpointSchema(Schema):
    phase = fields.String()
    date = fields.Date()
    overall = fields.Float(allow_none=True)
    axes = fields.List(fields.Nested(CodeScoreSchema))
    dimensions = fields.List(fields.Nested(CodeScoreSchema))
    finished = fields.List(fields.Integer())


class TrajectorySchema(Schema):
    framework_id = fields.Integer()
    assessment_id = fields.Integer()
    measured_overall = fields.Float(allow_none=True)
    scale_max = fields.Float()
    checkpoints = fields.List(fields.Nested(CheckpointSchema))


class GraphArgsSchema(Schema):
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "graphml"]))
