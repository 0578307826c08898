"""Barometer schemas: maturity over time and realized uplifts.

KPI and measurement schemas.

Schedule schemas."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

from tracker.domain.constants import RESEND_TO
from tracker.domain.follow.effects import DIRECTIONS
from tracker.models.kpis import KPI_FAMILIES, PERIMETER_KINDS
from tracker.models.schedules import SCHEDULE_KINDS
from tracker.schemas.common import Email, Id, PageArgsSchema, Schema, TimeZone
from tracker.schemas.plan import PlanChoiceArgsSchema, PlanUsedSchema, UnplannedSchema
from tracker.schemas.trend import CalibrationSchema

SCORE: dict[str, Any] = {"allow_none": True}  # keyword arguments of a nullable score


class BarometerArgsSchema(Schema):
    framework_id = Id(
        load_default=None, metadata={"description": "One framework version alone. Default: "
                                                    "every version of the latest closed "
                                                    "assessment's framework code"})
    framework = fields.String(load_default=None, validate=validate.Length(min=1, max=100),
                              metadata={"description": (
        "A framework code: the series across its versions, older ones carried onto the "
        "newest assessed grid through their crosswalks")})


class BarometerReadArgsSchema(BarometerArgsSchema, PlanChoiceArgsSchema):
    """The barometer's framework, and the baseline its projection may use."""


class ScoreMovesSchema(Schema):
    """A score's 95 % margin and the significance of its deltas (DESIGN section 3,
    "Significant change"); null where an interval is unknown."""

    margin = fields.Float(attribute="moves.margin", allow_none=True, metadata={
        "description": "Half-width of the score's 95 % interval"})
    delta_previous_margin = fields.Float(
        attribute="moves.delta_previous_margin", allow_none=True, metadata={
            "description": "The margin delta_previous must exceed (Welch–Satterthwaite, 95 %)"})
    delta_previous_significant = fields.Boolean(
        attribute="moves.delta_previous_significant", allow_none=True, metadata={
            "description": "|delta_previous| > delta_previous_margin"})
    delta_first_margin = fields.Float(attribute="moves.delta_first_margin", allow_none=True)
    delta_first_significant = fields.Boolean(attribute="moves.delta_first_significant",
                                             allow_none=True)


class DimensionPointSchema(ScoreMovesSchema):
    code = fields.String()
    name = fields.String()
    score = fields.Float(**SCORE)
    delta_previous = fields.Float(**SCORE)
    delta_first = fields.Float(**SCORE)


class AxisPointSchema(DimensionPointSchema):
    dimensions = fields.List(fields.Nested(DimensionPointSchema))


class BreaksSchema(Schema):
    new = fields.List(fields.String(), metadata={
        "description": "Dimension codes of the current grid with no counterpart in this "
                       "assessment's version"})
    gone = fields.List(fields.String(), metadata={
        "description": "Dimension codes of this assessment's version mapped nowhere"})


class BarometerPointSchema(ScoreMovesSchema):
    id = Id()
    title = fields.String()
    kind = fields.String()
    framework_id = Id(allow_none=True, metadata={"description": "The grid version it ran on"})
    version = fields.Integer(allow_none=True)
    breaks = fields.Nested(BreaksSchema)
    closed_at = fields.DateTime(allow_none=True)
    overall = fields.Float(**SCORE)
    delta_previous = fields.Float(**SCORE)
    delta_first = fields.Float(**SCORE)
    progress_to_target = fields.Float(
        **SCORE, metadata={"description": "(current - first) / (target - first), overall"})
    percent_to_target = fields.Float(**SCORE)
    axes = fields.List(fields.Nested(AxisPointSchema))


class ProjectedScoreSchema(Schema):
    code = fields.String()
    score = fields.Float(**SCORE)


class ProjectedPointSchema(Schema):
    phase = fields.String()
    date = fields.Date()
    overall = fields.Float(**SCORE)
    axes = fields.List(fields.Nested(ProjectedScoreSchema))
    dimensions = fields.List(fields.Nested(ProjectedScoreSchema))
    finished = fields.List(Id(), metadata={
        "description": "Initiatives planned to be finished by then"})


class BarometerSchema(Schema):
    framework_id = Id(allow_none=True, metadata={
        "description": "The current grid: older versions' scores are carried onto it"})
    assessments = fields.List(fields.Nested(BarometerPointSchema))
    projected = fields.List(fields.Nested(ProjectedPointSchema), metadata={
        "description": "The roadmap's projected trajectory, per phase end"})
    plan = fields.Nested(PlanUsedSchema, allow_none=True, metadata={
        "description": "The plan the projection used; null when nothing is projected"})
    unplanned = fields.List(fields.Nested(UnplannedSchema), metadata={
        "description": "Initiatives the plan leaves out: their uplifts are not projected"})
    projection_error = fields.String(allow_none=True, metadata={
        "description": "Why there is no projection when the plan cannot be computed"})
    calibrated = fields.List(fields.Nested(ProjectedPointSchema), metadata={
        "description": "The projection with every expected uplift multiplied by the "
                       "calibration factor; empty under three known (realized, expected) "
                       "pairs"})
    calibration = fields.Nested(CalibrationSchema, allow_none=True)


class DimensionUpliftSchema(Schema):
    dimension = fields.String()
    expected = fields.Float()
    before = fields.Float(**SCORE)
    after = fields.Float(**SCORE)
    realized = fields.Float(**SCORE)


class InitiativeUpliftSchema(Schema):
    initiative_id = Id()
    title = fields.String()
    actual_start = fields.Date(allow_none=True)
    actual_end = fields.Date(allow_none=True)
    before_assessment_id = Id(allow_none=True)
    after_assessment_id = Id(allow_none=True)
    dimensions = fields.List(fields.Nested(DimensionUpliftSchema))
    moved_nothing = fields.Boolean()


class UpliftReportSchema(Schema):
    framework_id = Id(allow_none=True)
    note = fields.String()
    initiatives = fields.List(fields.Nested(InitiativeUpliftSchema))


class PilotMeasureSchema(Schema):
    assessment_id = Id()
    title = fields.String()
    closed_at = fields.DateTime(allow_none=True)
    effect = fields.Float(**SCORE, metadata={
        "description": "difference_now - difference_before (difference-in-differences); "
                       "null without a baseline or when a group is too small"})
    difference_now = fields.Float(**SCORE, metadata={
        "description": "m(pilot) - m(rest) at this assessment, on the lifted dimensions"})
    difference_before = fields.Float(**SCORE, metadata={
        "description": "m(pilot) - m(rest) at the baseline assessment"})
    baseline_assessment_id = Id(allow_none=True, metadata={
        "description": "The last closed assessment before the pilot's start"})
    sizes = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={
        "description": "pilot_now, rest_now, pilot_before, rest_before: respondents with a "
                       "rating on the lifted dimensions"})
    reason = fields.String(allow_none=True, metadata={
        "description": "Why a term is null: a group under min_group_size, or no baseline"})
    per_dimension = fields.Dict(keys=fields.String(), values=fields.Float(allow_none=True))
    inside_n = fields.Integer()
    outside_n = fields.Integer()


class PilotEffectSchema(Schema):
    pilot_id = Id()
    initiative_id = Id()
    title = fields.String()
    teams = fields.List(fields.String())
    dimensions = fields.List(fields.String())
    measures = fields.List(fields.Nested(PilotMeasureSchema))


class PilotEffectReportSchema(Schema):
    framework_id = Id(allow_none=True)
    note = fields.String()
    min_group_size = fields.Integer()
    pilots = fields.List(fields.Nested(PilotEffectSchema))


#: The longest comment a measurement keeps.
COMMENT_MAX = 2000


class MeasurementSchema(Schema):
    id = Id(dump_only=True)
    value = fields.Float(required=True, allow_nan=False)
    measured_at = fields.Date(required=True)
    comment = fields.String(load_default="", validate=validate.Length(max=COMMENT_MAX),
                            metadata={"description": "What explains the value (optional)"})


class KpiListArgsSchema(PageArgsSchema):
    archived = fields.Boolean(load_default=False, metadata={
        "description": "true: only the archived KPIs; false (default): the KPIs in use, "
                       "archived ones left out"})


class PerimeterSchema(Schema):
    kind = fields.String(load_default="organization", validate=validate.OneOf(PERIMETER_KINDS),
                         metadata={"description": "organization, team or value_stream"})
    name = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200),
                         metadata={"description": "The team's or value stream's name; "
                                                  "required for them, refused for the "
                                                  "organization"})


class KpiLinksSchema(Schema):
    """What a KPI is and where it applies: family, owner, perimeter, links."""

    family = fields.String(load_default=None, allow_none=True,
                           validate=validate.OneOf(KPI_FAMILIES), metadata={
                               "description": "What it measures: " + ", ".join(KPI_FAMILIES)
                               + "; null while unclassified"})
    owner = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200),
                          metadata={"description": "Who answers for it (a name or an email)"})
    perimeter = fields.Nested(PerimeterSchema, load_default=lambda: {"kind": "organization"},
                              metadata={"description": "Where it is measured (default: the "
                                                       "whole organization)"})
    initiative_ids = fields.List(Id(), load_default=list, metadata={
        "description": "The organization's initiatives it follows"})
    objective_ids = fields.List(Id(), load_default=list, metadata={
        "description": "The organization's objectives it measures"})


class KpiSchema(KpiLinksSchema):
    id = Id(dump_only=True)
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
    archived_at = fields.DateTime(dump_only=True, allow_none=True, metadata={
        "description": "When it was archived (out of the lists, measurements kept); null if "
                       "not"})


class KpiPatchSchema(Schema):
    name = fields.String(validate=validate.Length(min=1, max=200))
    description = fields.String()
    unit = fields.String(validate=validate.Length(max=50))
    direction = fields.String(validate=validate.OneOf(DIRECTIONS))
    target = fields.Float(allow_none=True, allow_nan=False)
    dimensions = fields.List(fields.String(validate=validate.Length(min=1)))
    family = fields.String(allow_none=True, validate=validate.OneOf(KPI_FAMILIES))
    owner = fields.String(allow_none=True, validate=validate.Length(max=200))
    perimeter = fields.Nested(PerimeterSchema, metadata={
        "description": "Replaced as a whole: send its kind and, for a team or value stream, "
                       "its name"})
    initiative_ids = fields.List(Id())
    objective_ids = fields.List(Id())


class ScheduleSchema(Schema):
    id = Id(dump_only=True)
    kind = fields.String(required=True, validate=validate.OneOf(SCHEDULE_KINDS))
    cron = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100),
                         metadata={"description": "Five-field cron expression"})
    interval_days = fields.Integer(load_default=None, allow_none=True,
                                   validate=validate.Range(min=1, max=366))
    timezone = TimeZone(load_default=None, allow_none=True, metadata={
        "description": "IANA time zone, e.g. Europe/Paris; default: the organization's (an "
                       "unknown zone stored earlier is read as UTC, with a `warning`)"})
    recipients = fields.List(Email(), load_default=list)
    close_after_days = fields.Integer(load_default=None, allow_none=True,
                                      validate=validate.Range(min=1, max=366))
    paused = fields.Boolean(load_default=False)
    committee_id = Id(load_default=None, allow_none=True, metadata={
        "description": "For `committee_pack`: the committee whose next meeting's pack is "
                       "emailed to its members (and the recipients)"})
    last_period = fields.String(dump_only=True, allow_none=True)
    next_run_at = fields.DateTime(dump_only=True, allow_none=True, metadata={
        "description": "ISO 8601 with the offset of the schedule's time zone"})
    last_run_at = fields.DateTime(dump_only=True, allow_none=True, metadata={
        "description": "When the job last ran its work, with the offset of the schedule's "
                       "time zone"})
    last_error = fields.String(dump_only=True, allow_none=True, metadata={
        "description": "Why the job last failed (null once it runs again): the scheduler "
                       "skips a failing schedule and runs the others"})
    last_error_at = fields.DateTime(dump_only=True, allow_none=True, metadata={
        "description": "When the job last failed, with the offset of the schedule's time "
                       "zone"})
    warning = fields.String(dump_only=True, allow_none=True, metadata={
        "description": "A problem with the stored settings the schedule runs despite, such "
                       "as an unknown time zone read as UTC"})


class SchedulePatchSchema(Schema):
    kind = fields.String(validate=validate.OneOf(SCHEDULE_KINDS))
    cron = fields.String(allow_none=True, validate=validate.Length(max=100))
    interval_days = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=366))
    timezone = TimeZone(allow_none=True)
    recipients = fields.List(Email())
    close_after_days = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=366))
    paused = fields.Boolean(metadata={"description": "true pauses, false resumes"})
    committee_id = Id(allow_none=True)


class RunResultSchema(Schema):
    schedule_id = Id()
    kind = fields.String()
    period = fields.String()
    ran = fields.Boolean()
    detail = fields.String()


class ResendSchema(Schema):
    to = fields.String(required=True, validate=validate.OneOf(RESEND_TO), metadata={
        "description": "`all`: every recipient again; `new`: only those not sent yet for the "
                       "period (added since, or whose message failed)"})


class ResendResultSchema(Schema):
    schedule_id = Id()
    period = fields.String()
    to = fields.String()
    queued = fields.Integer(metadata={"description": "How many messages were queued"})
    recipients = fields.List(fields.String(), metadata={"description": "Who they are for"})
    skipped = fields.List(fields.String(), metadata={
        "description": "Recipients left out: their message of the period is still pending, "
                       "or (with `new`) was sent already"})
