"""Frameworks: create from the grid format, list and read what a user may see."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import yaml
from marshmallow import ValidationError
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from tracker.adapters.importers import samm
from tracker.adapters.importers.documents import check_tree, load_document
from tracker.adapters.importers.samm import read_samm_model
from tracker.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from tracker.domain.frame.localization import localize_framework, localized
from tracker.domain.scoring import AxisSpec, DimensionSpec
from tracker.extensions import db
from tracker.models import (
    Axis,
    Dimension,
    Framework,
    Membership,
    Organization,
    Question,
    ScaleLevel,
    User,
)
from tracker.schemas.common import flatten_messages
from tracker.schemas.frame import FrameworkSchema
from tracker.services.pagination import Page, paginate
from tracker.services.tenancy import access
from tracker.services.unit_of_work import transaction

_FULL = (selectinload(Framework.scale),
         selectinload(Framework.axes).selectinload(Axis.dimensions)
         .selectinload(Dimension.questions))


def validate_framework(document: Mapping[str, Any]) -> dict[str, Any]:
    """The framework document checked and normalized by the grid schema."""
    try:
        return FrameworkSchema().load(document)
    except ValidationError as error:
        raise InvalidInput("The framework is not valid.",
                           errors=flatten_messages(error.normalized_messages())) from error


def create_framework(user: User, data: Mapping[str, Any]) -> Framework:
    """Store a validated framework: shared (instance admins only) or owned by an organization
    (`ops` or `lead` there); `(code, version)` must be new."""
    check_owner(user, data.get("org_id"))
    return _insert(data, data.get("org_id"))


def check_owner(user: User, org_id: int | None) -> None:
    """Whether `user` may store a framework shared by every tenant (instance admins only)
    or owned by `org_id` (its ops and leads; 404 to a non-member): decided before the
    framework document is even parsed."""
    if org_id is None and not user.is_admin:
        raise InvalidInput("Only instance admins create shared frameworks; give the org_id "
                           "of the organization that owns this one.",
                           errors={"org_id": ["Required for non-admin users."]})
    if org_id is not None:
        access.org_for(user, org_id, "ops")


def import_framework_document(document: Mapping[str, Any], *,
                              org_id: int | None = None) -> Framework:
    """Validate and store a framework document whose owner is already allowed (the CLI and
    the seeds act as the instance)."""
    return _insert(validate_framework({**document, "org_id": org_id}), org_id)


def import_framework(user: User, data: Mapping[str, Any]) -> Framework:
    """`POST /frameworks/import`: a tracker document (`content`), or a SAMM model folder
    (`path`) read on the server, which only instance admins may ask for. Who may import is
    checked first; the document is parsed after, within its budgets (`load_document`)."""
    if data["format"] == "samm" and not user.is_admin:
        raise Forbidden("Only instance admins import from a server folder.",
                        errors={"path": ["Admins only."]})
    check_owner(user, data["org_id"])
    if data["format"] == "samm":
        document = read_samm_model(Path(data["path"]))
    else:
        document = parse_framework_content(data["content"])
    return import_framework_document(document, org_id=data["org_id"])


def import_framework_path(path: Path, fmt: str = "tracker", *,
                          org_id: int | None = None) -> Framework:
    """Import a framework file (`tracker`) or an OWASP SAMM v2 model folder (`samm`)."""
    document = read_samm_model(path) if fmt == "samm" else read_framework_file(path)
    return import_framework_document(document, org_id=org_id)


def read_framework_file(path: Path) -> dict[str, Any]:
    """Parse a framework file written in YAML or JSON."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InvalidInput(f"Cannot read {path}: {error.strerror}.",
                           errors={"file": [str(error)]}) from error
    return parse_framework_content(text)


def parse_framework_content(content: Any) -> dict[str, Any]:
    """A framework document from YAML or JSON text (JSON is valid YAML), or a mapping
    already parsed from a JSON body: no YAML anchor or alias, within the node and depth
    budgets (422 on `content` otherwise). Keys and dates come back as JSON has them."""
    if isinstance(content, str):
        document = load_document(content, field="content", what="framework")
    else:
        check_tree(content, field="content")
        document = content
    if not isinstance(document, dict):
        raise InvalidInput("A framework document is a mapping with code, name, scale, axes.",
                           errors={"content": ["Not a mapping."]})
    return json.loads(json.dumps(document, default=str))


def list_frameworks(user: User, page: int, per_page: int,
                    code: str | None = None) -> Page[Framework]:
    """Shared frameworks and those of the user's organizations (all for an admin)."""
    stmt = select(Framework).order_by(Framework.code, Framework.version)
    if not user.is_admin:
        member_orgs = select(Membership.org_id).where(Membership.user_id == user.id)
        stmt = stmt.where(or_(Framework.org_id.is_(None), Framework.org_id.in_(member_orgs)))
    if code:
        stmt = stmt.where(Framework.code == code)
    return paginate(stmt, page, per_page)


def get_framework(user: User, framework_id: int) -> Framework:
    """A framework with its whole grid, if the user may see it (404 otherwise)."""
    framework = _load(framework_id)
    if framework is None or not _visible(user, framework):
        raise NotFound(f"Framework {framework_id} not found.")
    return framework


def framework_for_org(org_id: int, framework_id: int) -> Framework:
    """A framework an organization may assess itself on: shared or its own."""
    framework = _load(framework_id)
    if framework is None or framework.org_id not in (None, org_id):
        raise InvalidInput(f"Framework {framework_id} does not exist.",
                           errors={"framework_id": ["No such framework."]})
    return framework


def load_framework(framework_id: int) -> Framework:
    """A framework known to exist (an assessment's, one just created) with its whole grid;
    `NotFound` if there is none after all."""
    framework = _load(framework_id)
    if framework is None:
        raise NotFound(f"Framework {framework_id} not found.")
    return framework


def _load(framework_id: int) -> Framework | None:
    """A framework with scale, axes, dimensions and questions, in a constant number of queries."""
    return db.session.scalar(select(Framework).where(Framework.id == framework_id)
                             .options(*_FULL))


def find_framework(code: str, version: int | None = None) -> Framework | None:
    """The framework with this code (the highest version when none is given)."""
    stmt = select(Framework).where(Framework.code == code)
    if version is not None:
        stmt = stmt.where(Framework.version == version)
    return db.session.scalar(stmt.order_by(Framework.version.desc()).limit(1))


def axis_specs(framework: Framework, wanted: str | None = None) -> list[AxisSpec]:
    """The grid as the scoring domain sees it, its names in the `wanted` language where
    translated (`display_names`): the names scores show, never their numbers."""
    names = display_names(framework, wanted)
    return [AxisSpec(code=axis.code, name=names.axes[axis.code], weight=axis.weight,
                     dimensions=tuple(DimensionSpec(d.code, names.dimensions[d.code], axis.code,
                                                    d.weight)
                                      for d in axis.dimensions))
            for axis in framework.axes]


@dataclass(frozen=True)
class DisplayNames:
    """A framework's name and the names of its axes and dimensions (by code, in grid
    order) in one language: what pages, the report and the email show beside scores."""

    framework: str
    axes: dict[str, str]
    dimensions: dict[str, str]

    def axis(self, code: str, default: str) -> str:
        """The axis' name, `default` for a code the grid does not hold."""
        return self.axes.get(code, default)

    def dimension(self, code: str, default: str) -> str:
        """The dimension's name, `default` for a code the grid does not hold."""
        return self.dimensions.get(code, default)


def framework_names(ids: Iterable[int], wanted: str | None) -> dict[int, str]:
    """The names of the frameworks `ids` in `wanted` where translated, in one query (for
    lists of grids that hold rows, not frameworks)."""
    found = db.session.scalars(select(Framework).where(Framework.id.in_(list(ids))))
    return {f.id: framework_summary(f, wanted)["name"] for f in found}


def dimension_name(dimension: Dimension, wanted: str | None) -> str:
    """One dimension's name in `wanted` where translated (its framework's own otherwise)."""
    return str(localized({"name": dimension.name}, dimension.translations, wanted,
                         dimension.framework.language or "en")["name"])


def display_names(framework: Framework, wanted: str | None) -> DisplayNames:
    """The framework's names in `wanted` (else its own language), chosen as every read
    chooses them (`localized`), without building the whole localized document."""
    own = framework.language or "en"

    def name(item: Any) -> str:
        return str(localized({"name": item.name}, item.translations, wanted, own)["name"])

    return DisplayNames(name(framework), {axis.code: name(axis) for axis in framework.axes},
                        {d.code: name(d) for axis in framework.axes for d in axis.dimensions})


def dimensions_by_code(framework: Framework) -> dict[str, Dimension]:
    """Every dimension of the framework, by code."""
    return {d.code: d for axis in framework.axes for d in axis.dimensions}


def _visible(user: User, framework: Framework) -> bool:
    if framework.org_id is None or user.is_admin:
        return True
    return access.role_in(user, framework.org_id) is not None


def _insert(data: Mapping[str, Any], org_id: int | None) -> Framework:
    if find_framework(data["code"], data["version"]) is not None:
        raise Conflict(f"Framework {data['code']} version {data['version']} already exists.",
                       errors={"version": [f"{data['code']} v{data['version']} exists; "
                                           "publish a new version."]})
    previous_version = _checked_crosswalk(data)
    with transaction() as session:
        framework = Framework(org_id=org_id, code=data["code"], name=data["name"],
                              version=data["version"], description=data["description"],
                              question_rule=data["question_rule"],
                              source_weights=dict(data["source_weights"]),
                              language=data["language"],
                              translations=dict(data["translations"]),
                              previous_version=previous_version,
                              crosswalk=[{"from": link["from"], "to": link["to"],
                                          "weight": link["weight"]}
                                         for link in data.get("crosswalk", [])])
        framework.scale = [ScaleLevel(**level) for level in data["scale"]]
        session.add(framework)
        for position, axis_data in enumerate(data["axes"]):
            framework.axes.append(_build_axis(framework, axis_data, position))
    return framework


def _checked_crosswalk(data: Mapping[str, Any]) -> int | None:
    """The version a new grid follows (`previous_version`, by default the one before when a
    crosswalk is given), refusing a crosswalk whose `from` codes that version lacks."""
    links = data.get("crosswalk") or []
    version = data.get("previous_version")
    if version is None and not links:
        return None
    version = version or data["version"] - 1
    previous = find_framework(data["code"], version) if version >= 1 else None
    if previous is None:
        raise InvalidInput("The crosswalk names a version that does not exist.",
                           errors={"previous_version": [
                               f"{data['code']} has no version {version} to follow."]})
    known = set(dimensions_by_code(load_framework(previous.id)))
    errors = {f"crosswalk.{index}.from": [f"{link['from']} is not a dimension of "
                                          f"{data['code']} v{version}."]
              for index, link in enumerate(links) if link["from"] not in known}
    if errors:
        raise InvalidInput("The crosswalk names unknown dimensions.", errors=errors)
    return version


def refresh_translations(document: Mapping[str, Any]) -> Framework | None:
    """Give the stored shared framework of the document's code and version the document's
    `language` and the `translations` of every object (matched by code, scale levels by
    value), its grid and texts left as they are: how a database seeded before the
    translations existed gains them. None when that framework is not stored."""
    data = validate_framework({**document, "org_id": None})
    stored = db.session.scalar(select(Framework).options(*_FULL).where(
        Framework.code == data["code"], Framework.version == data["version"],
        Framework.org_id.is_(None)))
    if stored is None:
        return None
    given = {("axis", a["code"]): a["translations"] for a in data["axes"]}
    for axis in data["axes"]:
        for dim in axis["dimensions"]:
            given[("dimension", dim["code"])] = dim["translations"]
            given.update({("question", q["code"]): q["translations"] for q in dim["questions"]})
    levels = {level["value"]: level["translations"] for level in data["scale"]}
    with transaction():
        stored.language, stored.translations = data["language"], data["translations"]
        for level in stored.scale:
            level.translations = levels.get(level.value, level.translations)
        for axis in stored.axes:
            axis.translations = given.get(("axis", axis.code), axis.translations)
            for dimension in axis.dimensions:
                dimension.translations = given.get(("dimension", dimension.code),
                                                   dimension.translations)
                for question in dimension.questions:
                    question.translations = given.get(("question", question.code),
                                                      question.translations)
    return stored


def _build_axis(framework: Framework, data: Mapping[str, Any], position: int) -> Axis:
    axis = Axis(code=data["code"], name=data["name"], description=data["description"],
                weight=data["weight"], position=position,
                translations=dict(data["translations"]))
    for d_position, dim in enumerate(data["dimensions"]):
        dimension = Dimension(framework=framework, code=dim["code"], name=dim["name"],
                              description=dim["description"], weight=dim["weight"],
                              levels=dict(dim["levels"]), position=d_position,
                              translations=dict(dim["translations"]))
        dimension.questions = [
            Question(framework=framework, code=q["code"], text=q["text"], stream=q["stream"],
                     answers=[dict(a) for a in q["answers"]], position=q_position,
                     translations=dict(q["translations"]))
            for q_position, q in enumerate(dim["questions"])]
        axis.dimensions.append(dimension)
    return axis


@dataclass(frozen=True)
class LibraryEntry:
    """A framework in an organization's library, with the size of its grid."""

    framework: Framework
    axes: int
    dimensions: int


@dataclass(frozen=True)
class PreviewWarning:
    """Something an uploaded grid may want fixed, though it imports: `kind` names it
    (`no_levels`, `answers_off_scale`, `later_version`), `codes` what it is about."""

    kind: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class FrameworkPreview:
    """An uploaded grid checked but not stored: the normalized `data`, the `document` to
    carry to the import step, how much it holds and what may want fixing."""

    data: dict[str, Any]
    document: dict[str, Any]
    counts: dict[str, int]
    warnings: list[PreviewWarning]
    latest_version: int | None


def org_library(org: Organization, *, owned: bool, page: int,
                per_page: int) -> Page[LibraryEntry]:
    """The shared frameworks (`owned=False`) or the organization's own, by code and
    version, with their counts of axes and dimensions (three queries per page)."""
    owner = Framework.org_id == org.id if owned else Framework.org_id.is_(None)
    found = paginate(select(Framework).where(owner)
                     .order_by(Framework.code, Framework.version), page, per_page)
    ids = [framework.id for framework in found.items]
    axes = _counts(Axis.framework_id, ids)
    dimensions = _counts(Dimension.framework_id, ids)
    entries = [LibraryEntry(f, axes.get(f.id, 0), dimensions.get(f.id, 0)) for f in found.items]
    return Page(items=entries, total=found.total, page=found.page, per_page=found.per_page)


def _counts(column: Any, ids: list[int]) -> dict[int, int]:
    """How many rows per framework id, for the given ids."""
    rows = db.session.execute(select(column, func.count()).where(column.in_(ids))
                              .group_by(column))
    return {framework_id: count for framework_id, count in rows}


def org_framework(org: Organization, framework_id: int) -> Framework:
    """A framework of the organization's library (shared or its own) with its whole grid;
    404 for another organization's, so its existence does not leak."""
    framework = _load(framework_id)
    if framework is None or framework.org_id not in (None, org.id):
        raise NotFound(f"Framework {framework_id} not found.")
    return framework


def preview_framework(user: User, org_id: int, document: Mapping[str, Any]) -> FrameworkPreview:
    """Check an uploaded grid as the import would (who may, the grid format, a new code
    and version), without storing it: InvalidInput names every problem by its path in the
    document, Conflict says the version exists."""
    data, latest = _checked_upload(user, org_id, document)
    counts = {"axes": len(data["axes"]),
              "dimensions": sum(len(axis["dimensions"]) for axis in data["axes"]),
              "questions": sum(len(d["questions"]) for axis in data["axes"]
                               for d in axis["dimensions"]),
              "levels": len(data["scale"])}
    return FrameworkPreview(data=data, document=dict(document), counts=counts,
                            warnings=_warnings(data, latest),
                            latest_version=latest.version if latest else None)


def import_org_framework(user: User, org_id: int, document: Mapping[str, Any]) -> Framework:
    """Import a previewed grid as the organization's own: checked again from scratch."""
    data, _latest = _checked_upload(user, org_id, document)
    return _insert(data, org_id)


def _checked_upload(user: User, org_id: int, document: Mapping[str, Any],
                    ) -> tuple[dict[str, Any], Framework | None]:
    """An uploaded grid validated for `org_id` (ops or lead there) whose code and version
    are new, with the latest stored version of its code."""
    check_owner(user, org_id)
    data = validate_framework({**document, "org_id": org_id})
    latest = find_framework(data["code"])
    if find_framework(data["code"], data["version"]) is not None:
        following = (latest.version if latest else data["version"]) + 1
        raise Conflict(f"Framework {data['code']} version {data['version']} already exists.",
                       errors={"version": [f"{data['code']} version {data['version']} already "
                                           f"exists; give this one version {following}."]})
    return data, latest


def read_samm_upload(user: User, org_id: int, stream: IO[bytes],
                     release: str = samm.DEFAULT_RELEASE) -> dict[str, Any]:
    """The framework document of an OWASP SAMM v2 model uploaded as a zip (leads of the
    organization only), read within the archive's budgets."""
    access.org_for(user, org_id, "lead")
    return samm.read_samm_zip(stream.read(samm.MAX_ZIP_BYTES + 1), release=release)


def _warnings(data: Mapping[str, Any], latest: Framework | None) -> list[PreviewWarning]:
    """What an importable grid may want fixed: dimensions without level descriptors,
    answers off the scale under the mean rule, a version below the latest one."""
    dimensions = [d for axis in data["axes"] for d in axis["dimensions"]]
    low, high = data["scale"][0]["value"], data["scale"][-1]["value"]
    found = [PreviewWarning("no_levels", tuple(d["code"] for d in dimensions if not d["levels"]))]
    if data["question_rule"] == "mean":
        found.append(PreviewWarning("answers_off_scale", tuple(
            q["code"] for d in dimensions for q in d["questions"]
            if any(not low <= a["value"] <= high for a in q["answers"]))))
    if latest is not None and latest.version > data["version"]:
        found.append(PreviewWarning("later_version", (f"{latest.code} v{latest.version}",)))
    return [warning for warning in found if warning.codes]


def next_version(framework: Framework) -> int:
    """The version a new version of this framework's code takes: after the highest one."""
    latest = find_framework(framework.code)
    return (latest.version if latest else framework.version) + 1


def framework_document(framework: Framework, *, version: int | None = None) -> dict[str, Any]:
    """A stored framework as the grid format of DESIGN section 5 (what an upload takes),
    optionally renumbered as `version`."""
    return {"code": framework.code, "name": framework.name,
            "version": version or framework.version, "description": framework.description,
            "language": framework.language or "en",
            **_translations(framework),
            "question_rule": framework.question_rule,
            "source_weights": dict(framework.source_weights or {}),
            "scale": [{"value": _plain(level.value), "label": level.label,
                       "descriptor": level.descriptor, **_translations(level)}
                      for level in framework.scale],
            "axes": [_axis_document(axis) for axis in framework.axes],
            **_lineage(framework)}


def _lineage(framework: Framework) -> dict[str, Any]:
    """The version a grid follows and its crosswalk, for grids that declare them."""
    if framework.previous_version is None and not framework.crosswalk:
        return {}
    return {"previous_version": framework.previous_version,
            "crosswalk": [dict(link) for link in framework.crosswalk or []]}


def framework_yaml(framework: Framework, *, version: int | None = None) -> str:
    """`framework_document` written as YAML."""
    return yaml.safe_dump(framework_document(framework, version=version), sort_keys=False,
                          allow_unicode=True)


def _axis_document(axis: Axis) -> dict[str, Any]:
    return {"code": axis.code, "name": axis.name, "description": axis.description,
            "weight": _plain(axis.weight), **_translations(axis),
            "dimensions": [{"code": d.code, "name": d.name, "description": d.description,
                            "weight": _plain(d.weight), "levels": dict(d.levels or {}),
                            **_translations(d),
                            "questions": [{"code": q.code, "text": q.text, "stream": q.stream,
                                           "answers": [{"text": a["text"],
                                                        "value": _plain(a["value"])}
                                                       for a in q.answers],
                                           **_translations(q)}
                                          for q in d.questions]}
                           for d in axis.dimensions]}


def _translations(item: Any) -> dict[str, Any]:
    """`{"translations": ...}` when the object has some, so an untranslated grid's document
    stays as it was."""
    return {"translations": dict(item.translations)} if item.translations else {}


# --- reading in the reader's language ------------------------------------------------------

def framework_read(framework: Framework, wanted: str | None) -> dict[str, Any]:
    """A framework as the API reads it (DESIGN section 5): every text in the `wanted`
    language where translated, else in the framework's own, with `translations` beside
    them and the ids of the grid's objects."""
    document = framework_document(framework)
    document["axes"] = [{**axis_doc, "id": axis.id, "dimensions": [
        {**dim_doc, "id": dim.id, "questions": [
            {**q_doc, "id": q.id} for q_doc, q in zip(dim_doc["questions"], dim.questions,
                                                      strict=True)]}
        for dim_doc, dim in zip(axis_doc["dimensions"], axis.dimensions, strict=True)]}
        for axis_doc, axis in zip(document["axes"], framework.axes, strict=True)]
    read = localize_framework(document, wanted)
    read.update(id=framework.id, org_id=framework.org_id, created_at=framework.created_at)
    return read


def framework_summary(framework: Framework, wanted: str | None) -> dict[str, Any]:
    """A framework as lists read it: without its grid, its name and description in the
    `wanted` language where translated."""
    texts = localized({"name": framework.name, "description": framework.description},
                      framework.translations, wanted, framework.language or "en")
    return {"id": framework.id, "org_id": framework.org_id, "code": framework.code,
            "version": framework.version, "question_rule": framework.question_rule,
            "language": framework.language or "en",
            "translations": dict(framework.translations or {}), **texts}


@dataclass(frozen=True)
class FrameworkTexts:
    """A framework's texts in one language, by code, for pages that show the grid (the
    survey): what `framework_read` gives, indexed."""

    framework: dict[str, Any]
    scale: dict[str, dict[str, Any]]
    axes: dict[str, dict[str, Any]]
    dimensions: dict[str, dict[str, Any]]

    def level(self, dimension_code: str, value: float) -> str:
        """What level `value` looks like on this dimension (may be empty)."""
        return str(self.dimensions[dimension_code]["levels"].get(f"{value:g}", ""))

    def question(self, dimension_code: str, position: int) -> dict[str, Any]:
        """The dimension's question at `position`, with its answers."""
        return dict(self.dimensions[dimension_code]["questions"][position])


def framework_texts(framework: Framework, wanted: str | None) -> FrameworkTexts:
    """The framework's texts in `wanted` (else its own language), by code."""
    read = framework_read(framework, wanted)
    return FrameworkTexts(
        framework=read,
        scale={f"{level['value']:g}": level for level in read["scale"]},
        axes={axis["code"]: axis for axis in read["axes"]},
        dimensions={d["code"]: d for axis in read["axes"] for d in axis["dimensions"]})


def _plain(number: float) -> float | int:
    """A whole float as an int, so the document reads `weight: 1`, not `1.0`."""
    return int(number) if float(number).is_integer() else number
