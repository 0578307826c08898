"""Barometer schemas: maturity over time and realized uplifts."""

from __future__ import annotations

from marshmallow import Schema, fields

SCORE = {"allow_none": True}


class BarometerArgsSchema(Schema):
    framework_id = fields.Integer(
        load_default=None, metadata={"description": "Default: the framework of the latest "
                                                    "closed assessment"})


class DimensionPointSchema(Schema):
    code = fields.String()
    name = fields.String()
    score = fields.Float(**SCORE)
    delta_previous = fields.Float(**SCORE)
    delta_first = fields.Float(**SCORE)


class AxisPointSchema(DimensionPointSchema):
    dimensions = fields.List(fields.Nested(DimensionPointSchema))


class BarometerPointSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    kind = fields.String()
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
    finished = fields.List(fields.Integer(), metadata={
        "description": "Initiatives planned to be finished by then"})


class BarometerSchema(Schema):
    framework_id = fields.Integer(allow_none=True)
    assessments = fields.List(fields.Nested(BarometerPointSchema))
    projected = fields.List(fields.Nested(ProjectedPointSchema), metadata={
        "description": "The roadmap's projected trajectory, per phase end"})


class DimensionUpliftSchema(Schema):
    dimension = fields.String()
    expected = fields.Float()
    before = fields.Float(**SCORE)
    after = fields.Float(**SCORE)
    realized = fields.Float(**SCORE)


class InitiativeUpliftSchema(Schema):
    initiative_id = fields.Integer()
    title = fields.String()
    actual_start = fields.Date(allow_none=True)
    actual_end = fields.Date(allow_none=True)
    before_assessment_id = fields.Integer(allow_none=True)
    after_assessment_id = fields.Integer(allow_none=True)
    dimensions = fields.List(fields.Nested(DimensionUpliftSchema))
    moved_nothing = fields.Boolean()


class UpliftReportSchema(Schema):
    framework_id = fields.Integer(allow_none=True)
    note = fields.String()
    initiatives = fields.List(fields.Nested(InitiativeUpliftSchema))


class PilotMeasureSchema(Schema):
    assessment_id = fields.Integer()
    title = fields.String()
    closed_at = fields.DateTime(allow_none=True)
    effect = fields.Float(**SCORE, metadata={
        "description": "Mean rating inside the perimeter minus outside, lifted dimensions"})
    per_dimension = fields.Dict(keys=fields.String(), values=fields.Float(allow_none=True))
    inside_n = fields.Integer()
    outside_n = fields.Integer()


class PilotEffectSchema(Schema):
    pilot_id = fields.Integer()
    initiative_id = fields.Integer()
    title = fields.String()
    teams = fields.List(fields.String())
    dimensions = fields.List(fields.String())
    measures = fields.List(fields.Nested(PilotMeasureSchema))


class PilotEffectReportSchema(Schema):
    framework_id = fields.Integer(allow_none=True)
    note = fields.String()
    min_group_size = fields.Integer()
    pilots = fields.List(fields.Nested(PilotEffectSchema))
