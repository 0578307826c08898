"""Schemas of the roadmap: plan parameters, the plan, phases, baselines, what-if, impact,
projected trajectory and exports."""

from __future__ import annotations

from marshmallow import fields, validate

from tracker.domain.constants import DB_INT_MAX, PLAN_SOURCES
from tracker.domain.roadmap import UNPLANNED_REASONS
from tracker.schemas.common import WEEKS, Id, Schema, csv_separator

_POSITIVE = validate.Range(min=0, min_inclusive=False)
_CAPACITY = validate.Range(min=1, max=DB_INT_MAX)


class PlanArgsSchema(Schema):
    """`start` (a date; today in the organization's timezone by default), `capacity` (how
    many initiatives at once) or `points` (capacity points per week against `load`)."""

    start = fields.Date(metadata={"description": "YYYY-MM-DD; default today"})
    capacity = fields.Integer(validate=_CAPACITY,
                              metadata={"description": "Initiatives at once; none: unlimited"})
    points = fields.Float(validate=_POSITIVE,
                          metadata={"description": "Capacity points per week against load"})


class RoadmapCsvArgsSchema(PlanArgsSchema):
    """The plan's arguments, and the CSV's separator."""

    sep = csv_separator()


class RoadmapItemSchema(Schema):
    initiative_id = Id()
    title = fields.String()
    start = fields.Date()
    end = fields.Date(metadata={"description": "Exclusive: the day after the last day"})
    wave = fields.Integer()
    phase = fields.String(allow_none=True)
    slack_weeks = fields.Float(metadata={
        "description": "How many weeks it can start later (work under way: end later) "
                       "without moving the plan's end or breaking a pinned date, under the "
                       "same capacity. Unlimited capacity: the critical path method's float. "
                       "Limited: whole weeks confirmed by re-simulating the plan (a week "
                       "more moves the end); 0 when the plan is too large to verify it "
                       "(slack_verified false)"})
    critical = fields.Boolean(metadata={"description": "True when slack_weeks is 0"})
    slack_verified = fields.Boolean(metadata={
        "description": "False when the plan was too large for the re-simulations to verify "
                       "this slack (it then reads 0: no delay is promised)"})


class CriticalPathSchema(Schema):
    initiative_ids = fields.List(Id())
    duration_weeks = fields.Float()


class PhaseSchema(Schema):
    """A named window `[start, end)` of the roadmap."""

    id = Id(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    start = fields.Date(required=True)
    end = fields.Date(required=True)
    proposed = fields.Boolean(dump_only=True, dump_default=False)


class UnplannedSchema(Schema):
    """An initiative the plan leaves out, and why."""

    initiative_id = Id()
    title = fields.String()
    reasons = fields.List(fields.String(validate=validate.OneOf(UNPLANNED_REASONS)), metadata={
        "description": "Stable codes: `no_duration` (it needs a duration and has none yet; "
                       "done work, or work under way with an actual end, needs none), "
                       "`depends_on_unplanned` (it waits on an initiative left out, named in "
                       "prerequisite_ids)"})
    prerequisite_ids = fields.List(Id(), metadata={
        "description": "The prerequisites it waits on that are left out too, in id order"})


def _unplanned() -> fields.List:
    """The `unplanned` list of a plan's answers."""
    return fields.List(fields.Nested(UnplannedSchema), metadata={
        "description": "Initiatives the plan leaves out, in id order: the plan holds the "
                       "others as if these did not exist"})


class OwnerLoadSchema(Schema):
    """One owner's weeks of work in flight during one phase of the plan."""

    owner = fields.String(metadata={
        "description": "The initiatives' owner as written (trimmed; grouped case-insensitively)"})
    phase = fields.String(metadata={"description": "The phase's name"})
    weeks = fields.Float(metadata={
        "description": "Sum over the owner's planned initiatives of the weeks their "
                       "[start, end) shares with the phase"})
    phase_weeks = fields.Float(metadata={"description": "The phase's length in weeks"})
    overloaded = fields.Boolean(metadata={
        "description": "weeks > 1.5 × phase_weeks: more than one and a half initiatives at "
                       "once on average"})


class RoadmapSchema(Schema):
    start = fields.Date()
    end = fields.Date()
    initiatives = fields.List(fields.Nested(RoadmapItemSchema))
    critical_path = fields.Nested(CriticalPathSchema)
    makespan_weeks = fields.Float()
    phases = fields.List(fields.Nested(PhaseSchema))
    pin_delays = fields.List(fields.Dict(), metadata={
        "description": "Pinned initiatives that waited for capacity past their date"})
    unplanned = _unplanned()
    owner_load = fields.List(fields.Nested(OwnerLoadSchema), metadata={
        "description": "Per phase (in order) and per owner (by name): every owner with "
                       "planned work has a row for every phase; initiatives without an owner "
                       "are left out"})


class BaselineCreateSchema(PlanArgsSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))


class BaselineSchema(Schema):
    id = Id()
    name = fields.String()
    created_at = fields.DateTime()
    params = fields.Dict()


class SlipSchema(Schema):
    initiative_id = Id()
    title = fields.String(allow_none=True)
    baseline_end = fields.Date(allow_none=True)
    current_end = fields.Date(allow_none=True)
    slip_weeks = fields.Float(allow_none=True)
    status = fields.String(metadata={
        "description": "late, early, on_time, added, removed, unplanned (left out of the "
                       "plan now: see the roadmap's unplanned)"})


class BaselineComparisonSchema(Schema):
    baseline_id = Id()
    name = fields.String()
    start = fields.Date()
    items = fields.List(fields.Nested(SlipSchema))


def _weeks_by_id() -> fields.Dict:
    """`{initiative_id: weeks}`, 0 to ten years."""
    return fields.Dict(keys=Id(), values=fields.Float(validate=WEEKS),
                       load_default=dict)


class WhatIfSchema(PlanArgsSchema):
    """Changes to try: `delay` starts, `slip` durations (weeks by initiative id), `drop`
    initiatives, and a new capacity (`new_capacity` and/or `new_points`)."""

    delay = _weeks_by_id()
    slip = _weeks_by_id()
    drop = fields.List(Id(), load_default=list)
    new_capacity = fields.Integer(validate=_CAPACITY)
    new_points = fields.Float(validate=_POSITIVE)


class MoveSchema(Schema):
    initiative_id = Id()
    title = fields.String(allow_none=True)
    start_before = fields.Date()
    start_after = fields.Date()
    delta_weeks = fields.Float()


class WhatIfResultSchema(Schema):
    makespan_before = fields.Float()
    makespan_after = fields.Float()
    makespan_change = fields.Float()
    moved = fields.List(fields.Nested(MoveSchema))
    unplanned = _unplanned()


class ImpactArgsSchema(PlanArgsSchema):
    weeks = fields.Float(required=True, validate=WEEKS)


class InitiativeRefSchema(Schema):
    initiative_id = Id()
    title = fields.String(allow_none=True)


class ImpactSchema(Schema):
    initiative_id = Id()
    weeks = fields.Float()
    makespan_change = fields.Float()
    dependents = fields.List(fields.Nested(InitiativeRefSchema))


class PlanChoiceArgsSchema(Schema):
    """Which plan a projection uses: a saved baseline, by name (default: the plan in use)."""

    baseline = fields.String(validate=validate.Length(min=1, max=200), metadata={
        "description": "Plan with this baseline's start and capacity instead of the "
                       "organization's plan settings"})


class TrajectoryArgsSchema(PlanArgsSchema, PlanChoiceArgsSchema):
    framework_id = Id(required=True)


class CodeScoreSchema(Schema):
    code = fields.String()
    score = fields.Float(allow_none=True)


class CheckpointSchema(Schema):
    phase = fields.String()
    date = fields.Date()
    overall = fields.Float(allow_none=True)
    axes = fields.List(fields.Nested(CodeScoreSchema))
    dimensions = fields.List(fields.Nested(CodeScoreSchema))
    finished = fields.List(Id())


class PlanUsedSchema(Schema):
    """Which plan a projection used and with what start and capacity."""

    source = fields.String(validate=validate.OneOf(PLAN_SOURCES), metadata={
        "description": "`request`: the query's start and capacity; `baseline`: a named "
                       "baseline's; `settings`: the organization's plan settings; "
                       "`default`: today, unlimited capacity"})
    start = fields.Date()
    capacity = fields.Integer(allow_none=True, metadata={
        "description": "Initiatives at once; null: unlimited"})
    points = fields.Float(allow_none=True, metadata={
        "description": "Capacity points per week; null: unlimited"})
    baseline = fields.String(allow_none=True, metadata={
        "description": "The baseline's name when `source` is `baseline`"})


class TrajectorySchema(Schema):
    framework_id = Id()
    assessment_id = Id(metadata={"description": "The assessment projected from"})
    measured_overall = fields.Float(allow_none=True)
    scale_max = fields.Float()
    checkpoints = fields.List(fields.Nested(CheckpointSchema))
    calibrated = fields.List(fields.Nested(CheckpointSchema), metadata={
        "description": "The same with every expected uplift times the calibration factor; "
                       "empty when the trajectory is asked for alone"})
    plan = fields.Nested(PlanUsedSchema)
    unplanned = fields.List(fields.Nested(UnplannedSchema), metadata={
        "description": "Initiatives the plan leaves out: their uplifts are not projected"})


class GraphArgsSchema(Schema):
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "graphml"]))
