"""Organization profile, playbook template, suggestion, adoption and root-cause schemas."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates

from tracker.domain.playbook import GROWTH_OUTLOOKS, SIZE_BANDS
from tracker.models.playbook import TEMPLATE_CLASSES
from tracker.schemas.backlog import DependencySchema
from tracker.schemas.common import PageArgsSchema

#: Codes that would collide with the playbook's own routes.
RESERVED_CODES = ("export", "import")


class ProfileSchema(Schema):
    size_band = fields.String(load_default=None, allow_none=True,
                              validate=validate.OneOf(SIZE_BANDS))
    management_levels = fields.Integer(load_default=None, allow_none=True,
                                       validate=validate.Range(min=0, max=20))
    product_tech_people = fields.Integer(load_default=None, allow_none=True,
                                         validate=validate.Range(min=0))
    growth_outlook = fields.String(load_default=None, allow_none=True,
                                   validate=validate.OneOf(GROWTH_OUTLOOKS))
    regulatory_constraints = fields.List(fields.String(validate=validate.Length(min=1,
                                                                                max=100)),
                                         load_default=list)


class TemplateSchema(Schema):
    code = fields.String(required=True, validate=[
        validate.Regexp(r"^[a-z0-9][a-z0-9_.-]*$",
                        error="Lower-case letters, digits, '.', '_' and '-'."),
        validate.Length(max=100)])
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    description = fields.String(load_default="")
    template_class = fields.String(data_key="class", load_default="quick_win",
                                   validate=validate.OneOf(TEMPLATE_CLASSES))
    duration_weeks = fields.Float(load_default=None, allow_none=True, allow_nan=False,
                                  validate=validate.Range(min=0, min_inclusive=False))
    uplifts = fields.Dict(keys=fields.String(), values=fields.Float(
        allow_nan=False, validate=validate.Range(min=0, min_inclusive=False)),
        load_default=dict, metadata={"description": "Expected uplift by dimension code"})
    prerequisites = fields.List(fields.String(), load_default=list,
                                metadata={"description": "Codes of prerequisite templates"})
    success_criteria = fields.List(fields.String(), load_default=list)
    rules = fields.Dict(load_default=None, allow_none=True, metadata={
        "description": "Applicability rule: {all|any: [...]}, {not: rule}, "
                       "{profile: field, op, value} or {score: dimension, op, value}"})
    builtin = fields.Method("_builtin", dump_only=True)
    retired = fields.Boolean(dump_only=True)

    def _builtin(self, template: Any) -> bool:
        return template.org_id is None

    @validates("code")
    def _not_reserved(self, value: str, **_kwargs: Any) -> None:
        if value in RESERVED_CODES:
            raise ValidationError(f"{value!r} is reserved.")


class TemplatePatchSchema(Schema):
    title = fields.String(validate=validate.Length(min=1, max=300))
    description = fields.String()
    template_class = fields.String(data_key="class", validate=validate.OneOf(TEMPLATE_CLASSES))
    duration_weeks = fields.Float(allow_none=True, allow_nan=False,
                                  validate=validate.Range(min=0, min_inclusive=False))
    uplifts = fields.Dict(keys=fields.String(), values=fields.Float(
        allow_nan=False, validate=validate.Range(min=0, min_inclusive=False)))
    prerequisites = fields.List(fields.String())
    success_criteria = fields.List(fields.String())
    rules = fields.Dict(allow_none=True)
    retired = fields.Boolean(metadata={"description": "false brings a retired template back"})


class TemplateListArgsSchema(PageArgsSchema):
    include_retired = fields.Boolean(load_default=False)


class SuggestedTemplateSchema(Schema):
    code = fields.String()
    title = fields.String()
    template_class = fields.String(data_key="class")
    duration_weeks = fields.Float(allow_none=True)
    value = fields.Float(metadata={"description": "Gap value: Σ share·min(uplift, target gap)"})
    dimensions = fields.List(fields.String(), metadata={
        "description": "The finding's dimensions it lifts"})
    reason = fields.String()


class FindingSuggestionsSchema(Schema):
    finding_id = fields.Integer()
    kind = fields.String()
    title = fields.String()
    dimensions = fields.List(fields.String())
    templates = fields.List(fields.Nested(SuggestedTemplateSchema))


class SuggestionsSchema(Schema):
    assessment_id = fields.Integer()
    findings = fields.List(fields.Nested(FindingSuggestionsSchema))


class AdoptSchema(Schema):
    template_codes = fields.List(fields.String(), required=True,
                                 validate=validate.Length(min=1))


class AdoptedUpliftSchema(Schema):
    dimension = fields.String()
    expected = fields.Float()


class AdoptedInitiativeSchema(Schema):
    id = fields.Integer()
    template_code = fields.String()
    title = fields.String()
    description = fields.String()
    duration_weeks = fields.Float(allow_none=True)
    finding_ids = fields.List(fields.Integer())
    uplifts = fields.List(fields.Nested(AdoptedUpliftSchema))


class AdoptResultSchema(Schema):
    initiatives = fields.List(fields.Nested(AdoptedInitiativeSchema))
    dependencies = fields.List(fields.Nested(DependencySchema))


class RootCauseSchema(Schema):
    root_cause_id = fields.Integer(required=True)


class FindingLinksSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    title = fields.String()
    status = fields.String()
    root_causes = fields.List(fields.Integer())
    symptoms = fields.List(fields.Integer())


class FindingLinksListSchema(Schema):
    items = fields.List(fields.Nested(FindingLinksSchema))


class UntreatedSchema(Schema):
    id = fields.Integer()
    title = fields.String()


class SymptomOnlySchema(Schema):
    initiative_id = fields.Integer()
    title = fields.String()
    finding_ids = fields.List(fields.Integer())
    untreated_root_causes = fields.List(fields.Nested(UntreatedSchema))


class SymptomOnlyListSchema(Schema):
    items = fields.List(fields.Nested(SymptomOnlySchema))
