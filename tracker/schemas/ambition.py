"""Objective schemas: the ambition's measurable aims and their status from their KPIs."""

from __future__ import annotations

from marshmallow import fields, validate

from tracker.domain.follow.objectives import OBJECTIVE_STATUSES
from tracker.schemas.common import Id, Schema

TITLE = validate.Length(min=1, max=300)
CODE = validate.Length(min=1)


class ObjectiveKpiSchema(Schema):
    id = Id()
    name = fields.String()
    unit = fields.String()
    family = fields.String(allow_none=True)
    current = fields.Float(allow_none=True, metadata={
        "description": "Its latest measurement by date"})
    measured_at = fields.Date(allow_none=True)
    target = fields.Float(allow_none=True)
    on_target = fields.Boolean(allow_none=True)


class ObjectiveSchema(Schema):
    id = Id(dump_only=True)
    title = fields.String(required=True, validate=TITLE)
    description = fields.String(load_default="")
    horizon = fields.Date(load_default=None, allow_none=True, metadata={
        "description": "The date by which it should be reached"})
    kpi_ids = fields.List(Id(), load_default=list, metadata={
        "description": "The organization's KPIs that measure it"})
    initiative_ids = fields.List(Id(), load_default=list, metadata={
        "description": "The organization's initiatives that serve it"})
    dimensions = fields.List(fields.String(validate=CODE), load_default=list, metadata={
        "description": "Codes of the dimensions it lifts"})
    status = fields.String(dump_only=True, validate=validate.OneOf(OBJECTIVE_STATUSES),
                           metadata={"description": (
                               "From its KPIs' latest measurements, over the KPIs measured "
                               "against a target: on_track (all on target), at_risk (some), "
                               "off_track (none), no_data (none measured); archived KPIs "
                               "left out")})
    kpis_on_target = fields.Integer(dump_only=True)
    kpis_total = fields.Integer(dump_only=True, metadata={
        "description": "Its KPIs in use, measured or not"})
    kpis = fields.List(fields.Nested(ObjectiveKpiSchema), dump_only=True, metadata={
        "description": "Its KPIs in use with their latest measurement"})


class ObjectivePatchSchema(Schema):
    title = fields.String(validate=TITLE)
    description = fields.String()
    horizon = fields.Date(allow_none=True)
    kpi_ids = fields.List(Id())
    initiative_ids = fields.List(Id())
    dimensions = fields.List(fields.String(validate=CODE))
