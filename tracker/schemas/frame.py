"""Framework schemas: the grid format of DESIGN section 5, in and out.

Target schemas: the ambition per dimension of a framework.

Organization profile, playbook template, suggestion, adoption and root-cause schemas."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from flask import request
from marshmallow import (
    ValidationError,
    fields,
    missing,
    pre_load,
    validate,
    validates,
    validates_schema,
)
from marshmallow.utils import get_value

from tracker.domain.constants import DB_INT_MAX, LOCALES
from tracker.domain.frame.localization import TEXT_FIELDS
from tracker.domain.frame.playbook import GROWTH_OUTLOOKS, SIZE_BANDS
from tracker.models.assessments import SOURCES
from tracker.models.playbook import TEMPLATE_CLASSES
from tracker.schemas.common import POSITIVE_WEEKS, STORED_COUNT, Id, PageArgsSchema, Schema
from tracker.schemas.decide import DependencySchema

CODE_RULE = "Codes use unaccented lowercase letters, digits, '.', '_' and '-'."
CODE = validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$", error=CODE_RULE)
POSITIVE = validate.Range(min=0, min_inclusive=False)
LANGUAGE = validate.OneOf(LOCALES)


class Translations(fields.Field):
    """`translations: {fr: {name: ..., levels: {1: ...}}}` on an object of kind `kind`
    (DESIGN section 9): known locales, only that kind's text fields, texts as strings
    (level descriptors a mapping of level to text, answers and success criteria a list of
    texts). Errors are keyed by their path below `translations`."""

    def __init__(self, kind: str, **kwargs: Any) -> None:
        kwargs.setdefault("load_default", dict)
        super().__init__(**kwargs)
        self.allowed = TEXT_FIELDS[kind]

    def _deserialize(self, value: Any, attr: str | None, data: Any,
                     **kwargs: Any) -> dict[str, dict[str, Any]]:
        if not isinstance(value, dict):
            raise ValidationError("A mapping of language to texts, e.g. {fr: {name: ...}}.")
        errors: dict[str, Any] = {}
        loaded: dict[str, dict[str, Any]] = {}
        for language, texts in value.items():
            if language not in LOCALES:
                errors[str(language)] = [f"Unknown language; use one of {', '.join(LOCALES)}."]
            elif not isinstance(texts, dict):
                errors[language] = ["A mapping of field to text."]
            else:
                loaded[language] = self._texts(texts, errors.setdefault(language, {}))
                if not errors[language]:
                    del errors[language]
        if errors:
            raise ValidationError(errors)
        return loaded

    def _texts(self, texts: dict[Any, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
        """One language's texts, noting in `errors` each field not allowed or not text."""
        loaded: dict[str, Any] = {}
        for name, text in texts.items():
            if name not in self.allowed:
                errors[str(name)] = [f"Not a translatable field; use {', '.join(self.allowed)}."]
            elif name == "levels" and isinstance(text, dict) and all(
                    isinstance(t, str) for t in text.values()):
                loaded[name] = {_level_key(k): t for k, t in text.items()}
            elif name in ("answers", "success_criteria") and isinstance(text, list) and all(
                    isinstance(t, str) for t in text):
                loaded[name] = list(text)
            elif name not in ("levels", "answers", "success_criteria") and isinstance(text, str):
                loaded[name] = text
            else:
                errors[name] = [_SHAPES.get(name, "Not a text.")]
        return loaded


_SHAPES = {"levels": "A mapping of level to text.", "answers": "A list of texts.",
           "success_criteria": "A list of texts."}


def _lang() -> fields.String:
    """`?lang=`: the language a reader asks the texts in."""
    return fields.String(validate=LANGUAGE, metadata={
        "description": "The language of the texts (else Accept-Language, else the content's)"})


def _language() -> fields.String:
    """`language`: the one the content's texts are written in (English by default)."""
    return fields.String(load_default="en", validate=LANGUAGE, metadata={
        "description": "The language the texts are written in; `translations` add others"})


def _code(**kwargs: Any) -> fields.String:
    return fields.String(required=True, validate=[validate.Length(min=1, max=100), CODE],
                         **kwargs)


class ScaleLevelSchema(Schema):
    value = fields.Float(required=True)
    label = fields.String(required=True, validate=validate.Length(min=1, max=100))
    descriptor = fields.String(load_default="")
    translations = Translations("scale")


class AnswerSchema(Schema):
    text = fields.String(required=True, validate=validate.Length(min=1))
    value = fields.Float(required=True)


class QuestionSchema(Schema):
    id = Id(dump_only=True)
    code = _code()
    text = fields.String(required=True, validate=validate.Length(min=1))
    stream = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=50))
    answers = fields.List(fields.Nested(AnswerSchema), required=True,
                          validate=validate.Length(min=1))
    translations = Translations("question")


class DimensionSchema(Schema):
    id = Id(dump_only=True)
    code = _code()
    name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    description = fields.String(load_default="")
    weight = fields.Float(load_default=1.0, validate=POSITIVE)
    levels = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict)
    questions = fields.List(fields.Nested(QuestionSchema), load_default=list)
    translations = Translations("dimension")

    @pre_load
    def _level_keys_as_text(self, data: Any, **_: Any) -> Any:
        """YAML writes `levels: {1: ...}` with integer keys; they are stored as text."""
        if isinstance(data, dict) and isinstance(data.get("levels"), dict):
            data = {**data, "levels": {_level_key(k): v for k, v in data["levels"].items()}}
        return data


class AxisSchema(Schema):
    id = Id(dump_only=True)
    code = _code()
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    description = fields.String(load_default="")
    weight = fields.Float(load_default=1.0, validate=POSITIVE)
    dimensions = fields.List(fields.Nested(DimensionSchema), required=True,
                             validate=validate.Length(min=1))
    translations = Translations("axis")


class CrosswalkLinkSchema(Schema):
    """One line of a crosswalk: the previous version's dimension `from` counts toward this
    version's dimension `to` with `weight` (a rename: one line; a split: several lines
    from one code; a merge: several lines into one)."""

    source = fields.String(data_key="from", attribute="from", required=True,
                           validate=validate.Length(min=1),
                           metadata={"description": "A dimension code of the previous version"})
    target = fields.String(data_key="to", attribute="to", required=True,
                           validate=validate.Length(min=1),
                           metadata={"description": "A dimension code of this version"})
    weight = fields.Float(load_default=1.0, validate=validate.Range(min=0, min_inclusive=False))


class FrameworkSchema(Schema):
    """A whole framework; `org_id` set means owned by that organization, else shared."""

    id = Id(dump_only=True)
    org_id = Id(load_default=None, allow_none=True)
    code = _code()
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    version = fields.Integer(load_default=1, validate=validate.Range(min=1, max=DB_INT_MAX))
    description = fields.String(load_default="")
    language = _language()
    translations = Translations("framework")
    scale = fields.List(fields.Nested(ScaleLevelSchema), required=True,
                        validate=validate.Length(min=2))
    source_weights = fields.Dict(keys=fields.String(validate=validate.OneOf(SOURCES)),
                                 values=fields.Float(validate=validate.Range(min=0)),
                                 load_default=dict)
    question_rule = fields.String(load_default="mean", validate=validate.OneOf(["mean", "samm"]))
    axes = fields.List(fields.Nested(AxisSchema), required=True, validate=validate.Length(min=1))
    previous_version = fields.Integer(load_default=None, allow_none=True,
                                      validate=validate.Range(min=1, max=DB_INT_MAX), metadata={
        "description": "The version of the same code this one follows; with a crosswalk, "
                       "the barometer keeps one series across them (default: the version "
                       "before, when a crosswalk is given)"})
    crosswalk = fields.List(fields.Nested(CrosswalkLinkSchema), load_default=list, metadata={
        "description": "How the previous version's dimensions map onto this one's; a code "
                       "present in both and named by no line maps onto itself"})
    created_at = fields.DateTime(dump_only=True)

    @validates_schema
    def _check_grid(self, data: dict[str, Any], **_: Any) -> None:
        """Scale ascending, codes unique, level descriptors on scale values, crosswalk
        targets among the grid's dimensions, the previous version below this one."""
        errors: dict[str, list[str]] = {}
        values = [level["value"] for level in data.get("scale", [])]
        if any(b <= a for a, b in pairwise(values)):
            errors["scale"] = ["Level values must be strictly ascending."]
        for path, message in _translation_problems(data.get("axes", []), set(values)):
            errors.setdefault(path, []).append(message)
        for path, message in _grid_problems(data.get("axes", []), set(values)):
            errors.setdefault(path, []).append(message)
        codes = {dim.get("code") for axis in data.get("axes", [])
                 for dim in axis.get("dimensions", [])}
        for index, link in enumerate(data.get("crosswalk", [])):
            if link["to"] not in codes:
                errors.setdefault(f"crosswalk.{index}.to", []).append(
                    f"{link['to']} is not a dimension of this version.")
        if data.get("previous_version") is not None and data["previous_version"] >= data.get(
                "version", 1):
            errors.setdefault("previous_version", []).append(
                "The previous version must be lower than this one.")
        if errors:
            raise ValidationError(errors)


class FrameworkSummarySchema(Schema):
    """A framework in lists: without its axes."""

    id = Id()
    org_id = Id(allow_none=True)
    code = fields.String()
    name = fields.String()
    version = fields.Integer()
    description = fields.String()
    question_rule = fields.String()
    language = fields.String()
    translations = fields.Dict()


class LanguageArgsSchema(Schema):
    lang = _lang()


class FrameworkListArgsSchema(PageArgsSchema):
    code = fields.String(metadata={"description": "Only frameworks with this code"})
    lang = _lang()


class FrameworkImportSchema(Schema):
    """`POST /frameworks/import`: a framework file's content and its format."""

    format = fields.String(load_default="tracker", validate=validate.OneOf(["tracker", "samm"]))
    content = fields.Raw(metadata={
        "description": "`tracker`: the framework document, a JSON object or YAML/JSON text"})
    path = fields.String(validate=validate.Length(min=1), metadata={
        "description": "`samm`: the server-side path of an OWASP SAMM v2 `model/` folder "
                       "(instance admins only)"})
    org_id = Id(load_default=None, allow_none=True)

    @validates_schema
    def _source(self, data: dict[str, Any], **_: Any) -> None:
        """`content` for the tracker format, `path` for a SAMM model folder."""
        needed = "path" if data.get("format") == "samm" else "content"
        if data.get(needed) is None:
            raise ValidationError(f"Required for the {data.get('format')} format.", needed)


def _level_key(key: Any) -> Any:
    if isinstance(key, float) and key.is_integer():
        return str(int(key))
    return str(key) if isinstance(key, int | float) else key


def _grid_problems(axes: list[dict[str, Any]], scale_values: set[float]) -> list[tuple[str, str]]:
    """Duplicate codes and level descriptors off the scale, with their field paths."""
    problems: list[tuple[str, str]] = []
    seen: dict[str, set[str]] = {"axis": set(), "dimension": set(), "question": set()}

    def check_unique(kind: str, code: str, path: str) -> None:
        if code in seen[kind]:
            problems.append((path, f"Duplicate {kind} code {code!r}."))
        seen[kind].add(code)

    for a, axis in enumerate(axes):
        check_unique("axis", axis["code"], f"axes[{a}].code")
        for d, dim in enumerate(axis["dimensions"]):
            path = f"axes[{a}].dimensions[{d}]"
            check_unique("dimension", dim["code"], f"{path}.code")
            for key in dim.get("levels", {}):
                if _as_number(key) not in scale_values:
                    problems.append((f"{path}.levels", f"Level {key!r} is not on the scale."))
            for q, question in enumerate(dim.get("questions", [])):
                check_unique("question", question["code"], f"{path}.questions[{q}].code")
    return problems


def _translation_problems(axes: list[dict[str, Any]],
                          scale_values: set[float]) -> list[tuple[str, str]]:
    """Translated level descriptors off the scale, translated answers not matching the
    question's answers one for one, with their field paths."""
    problems: list[tuple[str, str]] = []
    for a, axis in enumerate(axes):
        for d, dim in enumerate(axis["dimensions"]):
            path = f"axes[{a}].dimensions[{d}]"
            for language, texts in dim.get("translations", {}).items():
                for key in texts.get("levels", {}):
                    if _as_number(key) not in scale_values:
                        problems.append((f"{path}.translations.{language}.levels",
                                         f"Level {key!r} is not on the scale."))
            for q, question in enumerate(dim.get("questions", [])):
                for language, texts in question.get("translations", {}).items():
                    if "answers" in texts and len(texts["answers"]) != len(question["answers"]):
                        problems.append((f"{path}.questions[{q}].translations.{language}"
                                         ".answers", f"Give {len(question['answers'])} "
                                         "answers, in the order of the source's."))
    return problems


def _as_number(key: str) -> float | None:
    try:
        return float(key)
    except ValueError:
        return None


class TargetRowSchema(Schema):
    dimension = fields.String(required=True, validate=validate.Length(min=1),
                              metadata={"description": "Dimension code"})
    level = fields.Float(required=True, metadata={"description": "A level within the scale"})


class TargetsSchema(Schema):
    """`PUT /targets` body and answer: a framework's target per dimension.

    The body may also be DESIGN's bare list `[{dimension, level}]`, with the framework
    given as the `?framework_id=` query argument.
    """

    framework_id = Id(required=True)
    targets = fields.List(fields.Nested(TargetRowSchema), required=True)

    @pre_load
    def _bare_list(self, data: Any, **_: Any) -> Any:
        """A bare list of rows is the `targets` of the framework named in the query."""
        if isinstance(data, list):
            return {"targets": data, "framework_id": request.args.get("framework_id")}
        return data


class TargetsArgsSchema(Schema):
    framework_id = Id(required=True)


RESERVED_CODES = ("export", "import")


class ProfileSchema(Schema):
    size_band = fields.String(load_default=None, allow_none=True,
                              validate=validate.OneOf(SIZE_BANDS))
    management_levels = fields.Integer(load_default=None, allow_none=True,
                                       validate=validate.Range(min=0, max=20))
    product_tech_people = fields.Integer(load_default=None, allow_none=True,
                                         validate=STORED_COUNT)
    growth_outlook = fields.String(load_default=None, allow_none=True,
                                   validate=validate.OneOf(GROWTH_OUTLOOKS))
    regulatory_constraints = fields.List(fields.String(validate=validate.Length(min=1,
                                                                                max=100)),
                                         load_default=list)


class TemplateSchema(Schema):
    code = fields.String(required=True, validate=[
        validate.Regexp(r"^[a-z0-9][a-z0-9_.-]*$", error=CODE_RULE),
        validate.Length(max=100)])
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    description = fields.String(load_default="")
    template_class = fields.String(data_key="class", load_default="quick_win",
                                   validate=validate.OneOf(TEMPLATE_CLASSES))
    duration_weeks = fields.Float(load_default=None, allow_none=True, allow_nan=False,
                                  validate=POSITIVE_WEEKS)
    uplifts = fields.Dict(keys=fields.String(), values=fields.Float(
        allow_nan=False, validate=validate.Range(min=0, min_inclusive=False)),
        load_default=dict, metadata={"description": "Expected uplift by dimension code"})
    prerequisites = fields.List(fields.String(), load_default=list,
                                metadata={"description": "Codes of prerequisite templates"})
    success_criteria = fields.List(fields.String(), load_default=list)
    rules = fields.Dict(load_default=None, allow_none=True, metadata={
        "description": "Applicability rule: {all|any: [...]}, {not: rule}, "
                       "{profile: field, op, value} or {score: dimension, op, value}"})
    language = _language()
    translations = Translations("template")
    builtin = fields.Method("_builtin", dump_only=True)
    retired = fields.Boolean(dump_only=True)

    def _builtin(self, template: Any) -> bool:
        return get_value(template, "org_id") is None

    @validates("code")
    def _not_reserved(self, value: str, **_kwargs: Any) -> None:
        if value in RESERVED_CODES:
            raise ValidationError(f"{value!r} is reserved.")


class TemplatePatchSchema(Schema):
    title = fields.String(validate=validate.Length(min=1, max=300))
    description = fields.String()
    template_class = fields.String(data_key="class", validate=validate.OneOf(TEMPLATE_CLASSES))
    duration_weeks = fields.Float(allow_none=True, allow_nan=False, validate=POSITIVE_WEEKS)
    uplifts = fields.Dict(keys=fields.String(), values=fields.Float(
        allow_nan=False, validate=validate.Range(min=0, min_inclusive=False)))
    prerequisites = fields.List(fields.String())
    success_criteria = fields.List(fields.String())
    rules = fields.Dict(allow_none=True)
    language = fields.String(validate=LANGUAGE)
    translations = Translations("template", load_default=missing)
    retired = fields.Boolean(metadata={"description": "false brings a retired template back"})


class TemplateListArgsSchema(PageArgsSchema):
    include_retired = fields.Boolean(load_default=False)
    lang = _lang()


class AdoptedBySchema(Schema):
    id = Id()
    title = fields.String()


class SuggestedTemplateSchema(Schema):
    code = fields.String()
    title = fields.String()
    template_class = fields.String(data_key="class")
    duration_weeks = fields.Float(allow_none=True)
    value = fields.Float(metadata={"description": "Gap value: Σ share·min(uplift, target gap)"})
    dimensions = fields.List(fields.String(), metadata={
        "description": "The finding's dimensions it lifts"})
    reason = fields.String()
    adopted_by = fields.Nested(AdoptedBySchema, allow_none=True, metadata={
        "description": "The initiative (not archived) already adopted from it, if any: "
                       "adopting it again is refused"})


class FindingSuggestionsSchema(Schema):
    finding_id = Id()
    kind = fields.String()
    title = fields.String()
    dimensions = fields.List(fields.String())
    templates = fields.List(fields.Nested(SuggestedTemplateSchema))


class ReadinessConditionSchema(Schema):
    kind = fields.String(metadata={"description": "`profile` or `score`"})
    name = fields.String(metadata={"description": "The profile field or dimension code"})
    op = fields.String()
    value = fields.Raw(metadata={"description": "The rule's value"})
    actual = fields.Raw(allow_none=True, metadata={
        "description": "The organization's value (profile field or dimension score in the "
                       "assessment); null when unknown, which fails the condition"})
    holds = fields.Boolean()
    negated = fields.Boolean(metadata={"description": "Under a `not`: it must not hold"})
    text = fields.String(metadata={
        "description": "The condition with the organization's value, in its language "
                       "(`organisation.roles 2.08 < 3`)"})


class ReadinessTemplateSchema(Schema):
    code = fields.String()
    title = fields.String()
    ready = fields.Boolean(metadata={"description": "Whether its rule holds (false here)"})
    reason = fields.String(metadata={
        "description": "Why not yet, in the organization's language: the failed conditions "
                       "with the organization's values and what to do first"})
    conditions = fields.List(fields.Nested(ReadinessConditionSchema), metadata={
        "description": "Every condition of its rule with its outcome"})
    unmet = fields.List(fields.List(fields.Nested(ReadinessConditionSchema)), metadata={
        "description": "What stands in the way: meeting one condition of each group "
                       "makes the rule hold"})
    finding_ids = fields.List(Id(), metadata={
        "description": "The findings it would answer once its rule holds"})
    answered_by = fields.List(fields.Dict(), metadata={
        "description": "Initiatives `{id, title, status}` (not archived) already traced to "
                       "those findings: work started before the organization is ready"})
    lifted_by_findings = fields.List(fields.Nested(AdoptedBySchema), metadata={
        "description": "Findings on the dimensions of its unmet conditions: answer them first"})
    lifted_by_templates = fields.List(fields.Dict(), metadata={
        "description": "Its prerequisite templates `{code, title, adopted_by}`"})
    adopted_by = fields.Nested(AdoptedBySchema, allow_none=True, metadata={
        "description": "An initiative adopted from it anyway (by hand or earlier), if any"})


class SuggestionsSchema(Schema):
    assessment_id = Id()
    findings = fields.List(fields.Nested(FindingSuggestionsSchema))
    readiness = fields.List(fields.Nested(ReadinessTemplateSchema), metadata={
        "description": "Templates that lift the findings' dimensions but whose rule does "
                       "not hold: the readiness check with its reasons"})


class AdoptSchema(Schema):
    template_codes = fields.List(fields.String(), required=True,
                                 validate=validate.Length(min=1))


class AdoptedUpliftSchema(Schema):
    dimension = fields.String()
    expected = fields.Float()


class AdoptedInitiativeSchema(Schema):
    id = Id()
    template_code = fields.String()
    title = fields.String()
    description = fields.String()
    duration_weeks = fields.Float(allow_none=True)
    finding_ids = fields.List(Id())
    uplifts = fields.List(fields.Nested(AdoptedUpliftSchema))


class AdoptResultSchema(Schema):
    initiatives = fields.List(fields.Nested(AdoptedInitiativeSchema))
    dependencies = fields.List(fields.Nested(DependencySchema))


class RootCauseSchema(Schema):
    root_cause_id = Id(required=True)


class FindingLinksSchema(Schema):
    id = Id()
    kind = fields.String()
    title = fields.String()
    status = fields.String()
    root_causes = fields.List(Id())
    symptoms = fields.List(Id())


class FindingLinksListSchema(Schema):
    items = fields.List(fields.Nested(FindingLinksSchema))


class UntreatedSchema(Schema):
    id = Id()
    title = fields.String()


class SymptomOnlySchema(Schema):
    initiative_id = Id()
    title = fields.String()
    finding_ids = fields.List(Id())
    untreated_root_causes = fields.List(fields.Nested(UntreatedSchema))


class SymptomOnlyListSchema(Schema):
    items = fields.List(fields.Nested(SymptomOnlySchema))
