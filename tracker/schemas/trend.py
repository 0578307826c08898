"""Schemas of trust in the trend: the alignment trend, the calibration of expected uplifts,
and the roadmap's forecast (DESIGN sections 3 and 5)."""

from __future__ import annotations

from marshmallow import fields, validate

from tracker.schemas.common import Id, Schema
from tracker.schemas.plan import PlanArgsSchema


class GapPointSchema(Schema):
    assessment_id = Id()
    closed_at = fields.DateTime(allow_none=True)
    gap = fields.Float(allow_none=True, metadata={
        "description": "Leaders' dimension score minus the others'; null when a group has "
                       "fewer than min_group_size respondents"})


class DimensionAlignmentSchema(Schema):
    code = fields.String()
    name = fields.String()
    points = fields.List(fields.Nested(GapPointSchema))
    change_per_quarter = fields.Float(allow_none=True, metadata={
        "description": "Least-squares slope of the gap per 91.3125 days; null under two "
                       "known gaps"})
    initiative_ids = fields.List(Id(), metadata={
        "description": "Live initiatives whose expected uplifts target the dimension"})


class AlignmentSchema(Schema):
    framework_id = Id(allow_none=True)
    dimensions = fields.List(fields.Nested(DimensionAlignmentSchema))


class CalibrationFiguresSchema(Schema):
    ratio = fields.Float(allow_none=True, metadata={
        "description": "Σ realized uplift / Σ expected uplift over the pairs where both "
                       "are known"})
    n = fields.Integer(metadata={"description": "How many (initiative, dimension) pairs"})
    factor = fields.Float(allow_none=True, metadata={
        "description": "The ratio clamped to [0, 2], used by the calibrated projection "
                       "from 3 pairs on; null below"})


class TemplateCalibrationSchema(CalibrationFiguresSchema):
    code = fields.String()


class CalibrationSchema(CalibrationFiguresSchema):
    framework_id = Id(allow_none=True)
    templates = fields.List(fields.Nested(TemplateCalibrationSchema))
    note = fields.String()


class ForecastArgsSchema(PlanArgsSchema):
    runs = fields.Integer(load_default=2000, validate=validate.Range(min=1, max=20_000))
    seed = fields.Integer(load_default=0, validate=validate.Range(min=0, max=2 ** 31 - 1))
    level = fields.Float(load_default=None, metadata={
        "description": "With `by`: the probability that the projected overall score "
                       "reaches this level by that date"})
    by = fields.Date(load_default=None)


class SpreadSchema(Schema):
    p50 = fields.Float()
    p85 = fields.Float()
    p95 = fields.Float()


class ForecastInitiativeSchema(Schema):
    initiative_id = Id()
    title = fields.String()
    end_p50 = fields.Date()
    end_p85 = fields.Date()


class ForecastPhaseSchema(Schema):
    name = fields.String()
    end = fields.Date()
    end_p50 = fields.Date(allow_none=True, metadata={
        "description": "Nearest-rank P50 of the date the phase's last initiative ends; null "
                       "for a phase without planned initiatives"})
    end_p85 = fields.Date(allow_none=True)
    probability = fields.Float(metadata={
        "description": "Share of runs where every initiative of the phase ends by its end"})


class ForecastBinSchema(Schema):
    start = fields.Date()
    end = fields.Date(metadata={"description": "Exclusive"})
    runs = fields.Integer(metadata={"description": "Runs whose makespan ends in [start, end)"})


class ForecastTargetSchema(Schema):
    level = fields.Float()
    by = fields.Date()
    probability = fields.Float()


class ForecastSchema(Schema):
    runs = fields.Integer()
    seed = fields.Integer()
    start = fields.Date()
    estimated = fields.Integer(metadata={
        "description": "How many initiatives carry a three-point estimate (the others keep "
                       "their duration in every run)"})
    makespan_weeks = fields.Nested(SpreadSchema)
    makespan_dates = fields.Dict(keys=fields.String(), values=fields.Date())
    deterministic_makespan_weeks = fields.Float()
    histogram = fields.List(fields.Nested(ForecastBinSchema), metadata={
        "description": "The makespan's distribution: runs by end date, in bins of whole "
                       "weeks (at most 30 bins)"})
    initiatives = fields.List(fields.Nested(ForecastInitiativeSchema))
    phases = fields.List(fields.Nested(ForecastPhaseSchema))
    target = fields.Nested(ForecastTargetSchema, allow_none=True)


