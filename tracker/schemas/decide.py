"""Initiative, scorecard, rater, dependency, backlog, pilot, import and audit schemas.

Decision log schemas."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, post_load, validate, validates_schema

from tracker.domain.constants import DB_INT_MAX
from tracker.domain.prioritization import CLASSES, CRITERION_KINDS, INPUT_FIELDS
from tracker.models.backlog import INITIATIVE_STATUSES, PILOT_DECISIONS, PILOT_STATUSES
from tracker.models.decisions import COMMITTEES
from tracker.schemas.common import (
    LAG_WEEKS,
    POSITIVE_WEEKS,
    Id,
    PageArgsSchema,
    Schema,
    WholeNested,
    csv_separator,
)

TITLE = validate.Length(min=1, max=300)
NAME = validate.Length(max=200)


def _input_fields() -> dict[str, fields.Field]:
    """One nullable float per prioritization input (validated by the domain)."""
    return {name: fields.Float(allow_none=True, allow_nan=False) for name in INPUT_FIELDS}


class UpliftSchema(Schema):
    dimension = fields.String(required=True, metadata={"description": "Dimension code"})
    expected = fields.Float(required=True, validate=validate.Range(min=0),
                            metadata={"description": "Expected uplift, in scale levels"})


class RaterSchema(Schema.from_dict(_input_fields())):  # type: ignore[misc]
    rater = fields.String(dump_only=True)


_InputsBase: Any = Schema.from_dict(_input_fields(), name="InitiativeInputs")


class EstimateSchema(Schema):
    """A three-point estimate in weeks, for the forecast (DESIGN section 3, "Forecast")."""

    optimistic = fields.Float(required=True, validate=validate.Range(min=0), allow_nan=False)
    likely = fields.Float(required=True, validate=validate.Range(min=0), allow_nan=False)
    pessimistic = fields.Float(required=True, validate=validate.Range(min=0), allow_nan=False)

    @validates_schema
    def _ordered(self, data: dict[str, Any], **_: Any) -> None:
        """optimistic ≤ likely ≤ pessimistic (all three are required, also in a partial
        change: the field is a `WholeNested`)."""
        if not data["optimistic"] <= data["likely"] <= data["pessimistic"]:
            raise ValidationError("Give optimistic ≤ likely ≤ pessimistic weeks.", "likely")

    @post_load
    def _columns(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        """The estimate as the initiative's three columns."""
        return {f"estimate_{name}": value for name, value in data.items()}


#: What the read-only `enabler` flag of an initiative means (DESIGN section 3, "Class").
ENABLER_DESCRIPTION = ("True when at least 3 initiatives depend on it, directly or "
                       "indirectly (archived and dropped ones left out): work others wait "
                       "on, whatever its class")


class InitiativeSchema(_InputsBase):
    id = Id(dump_only=True)
    title = fields.String(required=True, validate=TITLE)
    description = fields.String(load_default="")
    status = fields.String(load_default="proposed", validate=validate.OneOf(INITIATIVE_STATUSES))
    owner = fields.String(allow_none=True, validate=NAME)
    duration_weeks = fields.Float(allow_none=True, validate=POSITIVE_WEEKS)
    estimate = WholeNested(EstimateSchema, allow_none=True, metadata={
        "description": "Optimistic, most likely and pessimistic weeks; the forecast draws "
                       "the duration from them (PERT); null: the forecast uses "
                       "duration_weeks"})
    # named `load` in the data; not as an attribute, which would hide `Schema.load`
    load_value = fields.Float(data_key="load", attribute="load", allow_none=True,
                              validate=validate.Range(min=0))
    external_key = fields.String(allow_none=True, validate=validate.Length(max=100), metadata={
        "description": "Its key in the tool it came from (a Jira issue key, an Aha! reference)"})
    external_url = fields.Url(allow_none=True, validate=validate.Length(max=2000),
                              schemes={"http", "https"},
                              metadata={"description": "Its page in that tool"})
    finding_ids = fields.List(Id(), load_default=list)
    uplifts = fields.List(WholeNested(UpliftSchema), load_default=list)
    criteria = fields.Dict(keys=fields.String(), values=fields.Float(allow_nan=False),
                           load_default=dict,
                           metadata={"description": "Scorecard scores by criterion code"})
    class_override = fields.String(allow_none=True, validate=validate.OneOf(CLASSES))
    pinned_start = fields.Date(allow_none=True)
    actual_start = fields.Date(allow_none=True)
    actual_end = fields.Date(allow_none=True)
    template_code = fields.String(dump_only=True, allow_none=True,
                                  metadata={"description": "Playbook template adopted from"})
    archived_at = fields.DateTime(dump_only=True, allow_none=True, metadata={
        "description": "When it was archived (out of the backlog and the plan); null if not"})
    own_inputs = fields.Dict(keys=fields.String(), values=fields.Float(allow_none=True),
                             dump_only=True, metadata={
                                 "description": "The owner's method inputs; the input fields "
                                 "read the raters' median where a rater gave one"})
    # read-only in the document, yet accepted on a change: the version the change is based on
    version = fields.Integer(validate=validate.Range(min=1, max=DB_INT_MAX), metadata={
        "readOnly": True, "description": "Counts the initiative's writes (its `ETag`); send "
        "it back with a change (or as `If-Match`) to have a stale change refused (412)"})
    raters = fields.List(fields.Nested(RaterSchema), dump_only=True)
    enabler = fields.Boolean(dump_only=True, metadata={"description": ENABLER_DESCRIPTION})
    spread = fields.Dict(keys=fields.String(), values=fields.Float(), dump_only=True,
                         metadata={"description": "max − min of the raters' inputs per field"})
    created_at = fields.DateTime(dump_only=True)


class InitiativeListArgsSchema(PageArgsSchema):
    finding_id = Id(metadata={"description": "Only initiatives answering it"})
    status = fields.String(validate=validate.OneOf(INITIATIVE_STATUSES))
    archived = fields.Boolean(metadata={"description": "Only the archived (true) or the not "
                                                       "archived (false) initiatives"})


class FromFindingsSchema(Schema):
    finding_ids = fields.List(Id(), required=True,
                              validate=validate.Length(min=1))


class InitiativeListSchema(Schema):
    items = fields.List(fields.Nested(InitiativeSchema))


#: The longest scale hint of a criterion (its column holds 300).
HINT = validate.Length(max=300)


class CriterionSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=100))
    name = fields.String(load_default="", validate=NAME)
    kind = fields.String(required=True, validate=validate.OneOf(CRITERION_KINDS))
    weight = fields.Float(load_default=1.0, allow_nan=False)
    hint = fields.String(load_default="", validate=HINT, metadata={
        "description": "What a score means on this criterion, shown to raters "
                       "(\"1 = one team, 5 = the whole group\")"})


class CriterionFormSchema(Schema):
    """One criterion as the scorecard page edits it: named by people (the code is derived
    from the name when it is added, then kept, so the scores on it stay)."""

    name = fields.String(required=True, validate=[
        validate.Length(min=1, error="Give the criterion a name."), NAME])
    kind = fields.String(required=True, validate=validate.OneOf(CRITERION_KINDS))
    weight = fields.Float(required=True, allow_nan=False, validate=validate.Range(min=0))
    hint = fields.String(load_default="", validate=HINT)


class RaterFormSchema(Schema.from_dict(_input_fields())):  # type: ignore[misc]
    """One rater's inputs as the initiative page takes them: the rater's name and values."""

    rater = fields.String(required=True, validate=NAME,
                          error_messages={"null": "Give the rater's name.",
                                          "required": "Give the rater's name."})


class ScorecardSchema(Schema):
    criteria = fields.List(fields.Nested(CriterionSchema), required=True)


class DependencySchema(Schema):
    id = Id(dump_only=True)
    prerequisite_id = Id(required=True)
    dependent_id = Id(required=True)
    lag_weeks = fields.Float(load_default=0.0, allow_nan=False, validate=LAG_WEEKS)
    created_at = fields.DateTime(dump_only=True)


class BacklogArgsSchema(PageArgsSchema):
    method = fields.String(metadata={"description": "wsjf, rice, ice, scorecard or gap; "
                                                    "default: the organization's"})
    format = fields.String(load_default="json", validate=validate.OneOf(("json", "csv")))
    sep = csv_separator()
    include_done = fields.Boolean(load_default=False, metadata={
        "description": "Also rank the done and dropped initiatives (hidden by default)"})
    status = fields.String(validate=validate.OneOf(INITIATIVE_STATUSES), metadata={
        "description": "Only this status (done or dropped implies include_done)"})


class BacklogItemSchema(Schema):
    rank = fields.Integer()
    id = Id()
    title = fields.String()
    status = fields.String()
    value = fields.Float(allow_none=True)
    effort = fields.Float(allow_none=True)
    score = fields.Float(allow_none=True)
    missing = fields.List(fields.String())
    effective_priority = fields.Float(allow_none=True)
    class_ = fields.String(data_key="class")
    computed_class = fields.String()
    quadrant = fields.String(allow_none=True)
    enabler = fields.Boolean(metadata={"description": ENABLER_DESCRIPTION})
    actionable = fields.Boolean()
    blocked_by = fields.List(Id())


class BacklogSchema(Schema):
    method = fields.String()
    median_value = fields.Float(allow_none=True)
    median_effort = fields.Float(allow_none=True)
    items = fields.List(fields.Nested(BacklogItemSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


class PilotCriterionSchema(Schema):
    kpi_id = Id(required=True, metadata={"description": "A KPI of the organization, not archived"})
    threshold = fields.Float(required=True, allow_nan=False, metadata={
        "description": "Met when the KPI's latest measurement in the pilot's window is ≥ it "
                       "(higher_is_better) or ≤ it (lower_is_better)"})


class PilotVerdictSchema(Schema):
    kpi_id = Id()
    threshold = fields.Float()
    status = fields.String(metadata={"description": "`met`, `not_met` or `no_data`"})
    value = fields.Float(allow_none=True, metadata={
        "description": "The latest measurement dated within [start, end + 14 days]"})
    measured_at = fields.Date(allow_none=True)


class PilotSchema(Schema):
    id = Id(dump_only=True)
    initiative_id = Id(dump_only=True)
    teams = fields.List(fields.String(validate=validate.Length(min=1, max=100)),
                        load_default=list)
    value_stream = fields.String(allow_none=True, validate=NAME)
    hypothesis = fields.String(load_default="")
    success_criteria = fields.String(load_default="", metadata={
        "description": "Free-text note; `criteria` is the form that is judged"})
    kpi = fields.String(allow_none=True, validate=NAME, metadata={
        "description": "Free-text note kept readable; `criteria` is the form that is judged"})
    threshold = fields.Float(allow_none=True, allow_nan=False, metadata={
        "description": "Free-text note's threshold, never judged; see `criteria`"})
    criteria = fields.List(WholeNested(PilotCriterionSchema), load_default=list,
                           validate=validate.Length(max=20), metadata={
        "description": "Success criteria as KPI thresholds, judged on the measurements"})
    verdicts = fields.List(fields.Nested(PilotVerdictSchema), dump_only=True, metadata={
        "description": "Each criterion's verdict (DESIGN section 3, \"Pilot criteria\")"})
    suggested_decision = fields.String(dump_only=True, allow_none=True, metadata={
        "description": "generalize (all met), stop (none met), adjust (some); null while a "
                       "verdict is no_data or without a criterion"})
    start = fields.Date(allow_none=True)
    end = fields.Date(allow_none=True)
    status = fields.String(load_default="planned", validate=validate.OneOf(PILOT_STATUSES))
    decision = fields.String(allow_none=True, validate=validate.OneOf(PILOT_DECISIONS))
    decision_date = fields.Date(allow_none=True)
    rationale = fields.String(allow_none=True)
    decided_by = fields.String(allow_none=True, validate=NAME)
    keep_initiative = fields.Boolean(load_only=True, load_default=False, metadata={
        "description": "With decision `stop`: keep the initiative instead of dropping it"})
    created_at = fields.DateTime(dump_only=True)


class ImportInitiativeSchema(InitiativeSchema):
    ref = fields.String(required=True, validate=validate.Length(min=1, max=100))


class ImportDependencySchema(Schema):
    prerequisite_ref = fields.String(required=True)
    dependent_ref = fields.String(required=True)
    lag_weeks = fields.Float(load_default=0.0, allow_nan=False, validate=LAG_WEEKS)


class ImportSchema(Schema):
    initiatives = fields.List(fields.Nested(ImportInitiativeSchema), required=True,
                              validate=validate.Length(min=1))
    dependencies = fields.List(fields.Nested(ImportDependencySchema), load_default=list)


class ImportResultSchema(Schema):
    ids = fields.Dict(keys=fields.String(), values=Id())


class AuditEventSchema(Schema):
    id = Id()
    entity = fields.String()
    entity_id = Id()
    action = fields.String()
    changes = fields.Dict()
    user_id = Id(allow_none=True)
    at = fields.DateTime()


class DecisionSchema(Schema):
    id = Id(dump_only=True)
    kind = fields.String(dump_only=True, metadata={
        "description": "`decision` (logged here) or `pilot` (a pilot's go/no-go, read-only)"})
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    committee = fields.String(validate=validate.OneOf(COMMITTEES), metadata={
        "description": "The level of the committee that decided; default: the level of "
                       "`committee_id`'s committee (one of the two is required)"})
    committee_id = Id(allow_none=True, load_default=None, metadata={
        "description": "The committee (of the organization) that took the decision"})
    decided_on = fields.Date(required=True, allow_none=False)
    participants = fields.List(fields.String(validate=validate.Length(min=1, max=200)),
                               load_default=list)
    rationale = fields.String(load_default="")
    context = fields.String(load_default="", validate=validate.Length(max=20000), metadata={
        "description": "Dossier: the situation that calls for a decision"})
    options = fields.String(load_default="", validate=validate.Length(max=20000), metadata={
        "description": "Dossier: the options considered"})
    risks = fields.String(load_default="", validate=validate.Length(max=20000), metadata={
        "description": "Dossier: the risks of the decision"})
    portfolio_impact = fields.String(load_default="", validate=validate.Length(max=20000),
                                     metadata={"description": "Dossier: what it changes in "
                                                              "the portfolio and the plan"})
    success_indicators = fields.String(load_default="", validate=validate.Length(max=20000),
                                       metadata={"description": "Dossier: how the committee "
                                                                "will know it worked"})
    initiative_ids = fields.List(Id(), load_default=list)
    pilot_ids = fields.List(Id(), load_default=list)
    finding_ids = fields.List(Id(), load_default=list)
    decision = fields.String(dump_only=True, allow_none=True, metadata={
        "description": "For pilot entries: generalize, adjust or stop"})
    created_at = fields.DateTime(dump_only=True, allow_none=True)


class DecisionEntrySchema(DecisionSchema):
    """An entry of the decision log as read: a pilot's go/no-go may have no date."""

    decided_on = fields.Date(allow_none=True, metadata={
        "description": "null for a pilot decision recorded without a date"})


class DecisionListArgsSchema(PageArgsSchema):
    q = fields.String(metadata={"description": "Words searched in title and rationale"})
    sep = csv_separator()
    committee = fields.String(validate=validate.OneOf(COMMITTEES))
    committee_id = Id(metadata={"description": "Only the decisions of this committee"})
    date_from = fields.Date(data_key="from", metadata={"description": "Decided on or after"})
    date_to = fields.Date(data_key="to", metadata={"description": "Decided on or before"})
    include_pilots = fields.Boolean(load_default=True)
