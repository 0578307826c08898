"""The organization profile and the playbook: built-in and own initiative templates, their
validation, YAML import and export, and the built-in library.

An organization sees the built-in templates (`org_id` null) and its own; its own template
with a built-in code overrides that built-in for it (editing a built-in creates the
override, deleting retires). Every write checks the whole resulting library: dimensions
known, rules valid, prerequisites known and acyclic; nothing is saved otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import yaml
from marshmallow import ValidationError
from sqlalchemy import func, select

from tracker.adapters.importers.documents import load_document
from tracker.domain.constants import LOCALES
from tracker.domain.errors import Conflict, DependencyCycle, InvalidInput, NotFound
from tracker.domain.frame.localization import localized
from tracker.domain.frame.playbook import Profile, TemplateSpec, check_prerequisites, rule_errors
from tracker.extensions import db
from tracker.models import Dimension, Framework, Organization, OrganizationProfile, User
from tracker.models import PlaybookTemplate as Template
from tracker.schemas.common import flatten_messages
from tracker.schemas.frame import TemplateSchema
from tracker.services.pagination import Page
from tracker.services.tenancy import organizations
from tracker.services.unit_of_work import transaction

PROFILE_FIELDS = ("size_band", "management_levels", "product_tech_people", "growth_outlook",
                  "regulatory_constraints")
TEMPLATE_FIELDS = ("title", "description", "template_class", "duration_weeks", "uplifts",
                   "prerequisites", "success_criteria", "rules", "language", "translations")
#: The template fields a read carries beside its texts.
READ_FIELDS = ("code", "org_id", "template_class", "duration_weeks", "uplifts",
               "prerequisites", "rules", "language", "translations", "retired")


# --- profile -------------------------------------------------------------------------------

def get_profile(org: Organization) -> OrganizationProfile:
    """The organization's profile (an empty, unsaved one when never filled in)."""
    profile = db.session.scalar(select(OrganizationProfile)
                                .where(OrganizationProfile.org_id == org.id))
    return profile or OrganizationProfile(org_id=org.id, regulatory_constraints=[])


def put_profile(org: Organization, data: Mapping[str, Any]) -> OrganizationProfile:
    """Replace the organization's profile with `data` (missing fields become unknown)."""
    profile = get_profile(org)
    with transaction() as session:
        for name in PROFILE_FIELDS:
            setattr(profile, name, data.get(name, [] if name == "regulatory_constraints"
                                            else None))
        session.add(profile)
    return profile


def create_organization_with_profile(creator: User, settings: Mapping[str, Any],
                                     profile: Mapping[str, Any]) -> Organization:
    """Create an organization (its creator becomes lead) and its profile in one unit of
    work, so no organization is ever left without the profile it was created with."""
    with transaction():
        org = organizations.create_organization(creator, settings)
        put_profile(org, profile)
    return org


def domain_profile(profile: OrganizationProfile) -> Profile:
    """The profile as the playbook rules read it."""
    return Profile(profile.size_band, profile.management_levels, profile.product_tech_people,
                   profile.growth_outlook, tuple(profile.regulatory_constraints or ()))


# --- reading the library --------------------------------------------------------------------

def visible_templates(org: Organization, include_retired: bool = False) -> list[Template]:
    """Built-in templates and the organization's own, its own winning on a shared code;
    by code. One query."""
    rows = db.session.scalars(select(Template).where(
        Template.org_id.is_(None) | (Template.org_id == org.id)))
    by_code: dict[str, Template] = {}
    for row in sorted(rows, key=lambda t: t.org_id is not None):
        by_code[row.code] = row
    return [t for code, t in sorted(by_code.items()) if include_retired or not t.retired]


def list_templates(org: Organization, page: int, per_page: int,
                   include_retired: bool = False) -> Page[Template]:
    """A page of the organization's playbook, by code."""
    templates = visible_templates(org, include_retired)
    start = (page - 1) * per_page
    return Page(templates[start:start + per_page], len(templates), page, per_page)


def get_template(org: Organization, code: str) -> Template:
    """One template of the organization's playbook, retired or not (404 if unknown)."""
    template = next((t for t in visible_templates(org, True) if t.code == code), None)
    if template is None:
        raise NotFound(f"Template {code!r} not found.")
    return template


def template_read(template: Template, wanted: str | None) -> dict[str, Any]:
    """A template as the API reads it: its title, description and success criteria in the
    `wanted` language where translated, else in its own, with `translations` beside them."""
    own = template.language or "en"
    texts = localized({"title": template.title, "description": template.description,
                       "success_criteria": list(template.success_criteria or [])},
                      template.translations, wanted, own)
    return {**{name: getattr(template, name) for name in READ_FIELDS}, **texts,
            "language": own, "translations": dict(template.translations or {})}


def specs(templates: Iterable[Template]) -> list[TemplateSpec]:
    """Templates as the domain ranks them."""
    return [TemplateSpec(t.code, t.title, dict(t.uplifts or {}), t.rules,
                         tuple(t.prerequisites or ())) for t in templates]


# --- writing --------------------------------------------------------------------------------

def create_template(org: Organization, data: Mapping[str, Any]) -> Template:
    """Add one of the organization's own templates; 409 if the code is taken."""
    if any(t.code == data["code"] for t in visible_templates(org, True)):
        raise Conflict(f"Template {data['code']!r} exists; PATCH it to change it.",
                       errors={"code": ["Already in the playbook."]})
    _check_library(org, [data])
    with transaction() as session:
        template = Template(org_id=org.id, code=data["code"],
                            **{k: data[k] for k in TEMPLATE_FIELDS if k in data})
        session.add(template)
    return template


def update_template(org: Organization, code: str, changes: Mapping[str, Any]) -> Template:
    """Change a template; for a built-in one, the organization's own override is created."""
    current = get_template(org, code)
    merged = {"code": code, **{k: getattr(current, k) for k in TEMPLATE_FIELDS},
              "retired": current.retired, **changes}
    _check_library(org, [merged])
    with transaction() as session:
        template = current if current.org_id == org.id else Template(org_id=org.id, code=code)
        for key in (*TEMPLATE_FIELDS, "retired"):
            setattr(template, key, merged[key])
        session.add(template)
    return template


def retire_template(org: Organization, code: str) -> None:
    """Retire a template (a built-in one through the organization's override)."""
    update_template(org, code, {"retired": True})


def _check_library(org: Organization, changed: Sequence[Mapping[str, Any]]) -> None:
    """422 unless the library with `changed` templates replaced or added is consistent."""
    dimensions = known_dimensions(org)
    errors: dict[str, list[str]] = {}
    for index, data in enumerate(changed):
        prefix = f"templates[{index}]." if len(changed) > 1 else ""
        unknown = sorted(set(data.get("uplifts") or {}) - dimensions)
        if unknown:
            errors[f"{prefix}uplifts"] = [f"unknown dimension {c!r}" for c in unknown]
        problems = rule_errors(data.get("rules"), dimensions)
        if problems:
            errors[f"{prefix}rules"] = problems
    library = {t.code: list(t.prerequisites or ()) for t in visible_templates(org, True)}
    library.update({d["code"]: list(d.get("prerequisites") or ()) for d in changed})
    try:
        check_prerequisites(library)
    except DependencyCycle as cycle:
        errors["prerequisites"] = [f"cycle: {' → '.join(map(str, cycle.cycle))}"]
    except InvalidInput as invalid:
        errors.update(invalid.errors)
    if errors:
        raise InvalidInput("The playbook would be invalid; nothing was saved.", errors=errors)


def known_dimensions(org: Organization) -> set[str]:
    """Dimension codes of the frameworks the organization may use (shared or its own)."""
    return set(db.session.scalars(
        select(Dimension.code).join(Framework, Framework.id == Dimension.framework_id)
        .where(Framework.org_id.is_(None) | (Framework.org_id == org.id))))


# --- YAML -----------------------------------------------------------------------------------

def export_yaml(org: Organization) -> str:
    """The organization's playbook (built-in and own, not retired) as a YAML document that
    `import_yaml` reads back."""
    documents = TemplateSchema(exclude=("builtin", "retired")).dump(
        visible_templates(org), many=True)
    return yaml.safe_dump({"templates": documents}, sort_keys=False, allow_unicode=True)


def import_yaml(org: Organization, text: str) -> list[Template]:
    """Create or replace the organization's own templates from a YAML document
    `{templates: [...]}`: all of them, or none with every error named."""
    documents = parse_library(text)
    _check_library(org, documents)
    own = {t.code: t for t in db.session.scalars(select(Template)
                                                 .where(Template.org_id == org.id))}
    with transaction() as session:
        saved = []
        for data in documents:
            template = own.get(data["code"]) or Template(org_id=org.id, code=data["code"])
            for key in TEMPLATE_FIELDS:
                setattr(template, key, data.get(key))
            template.retired = False
            session.add(template)
            saved.append(template)
    return saved


def parse_library(text: str) -> list[dict[str, Any]]:
    """The templates of a YAML playbook, validated by the schema (422 naming the fields);
    YAML anchors and aliases are refused, and the document kept within its node budget."""
    document = load_document(text, field="body", what="playbook")
    if not isinstance(document, Mapping) or not isinstance(document.get("templates"), list):
        raise InvalidInput("A playbook is a YAML mapping with a `templates` list.",
                           errors={"templates": ["Missing or not a list."]})
    language = document.get("language", "en")
    if language not in LOCALES:
        raise InvalidInput("The playbook's language is not known.", errors={
            "language": [f"Use one of {', '.join(LOCALES)}."]})
    try:
        templates = TemplateSchema(exclude=("builtin", "retired")).load(
            [{"language": language, **t} if isinstance(t, Mapping) else t
             for t in document["templates"]], many=True)
    except ValidationError as error:
        raise InvalidInput("Some templates are invalid; nothing was saved.",
                           errors=flatten_messages(error.messages, "templates")) from None
    codes = [t["code"] for t in templates]
    doubles = sorted({c for c in codes if codes.count(c) > 1})
    if doubles:
        raise InvalidInput("A code appears twice.", errors={"templates": [
            f"code {c!r} appears more than once" for c in doubles]})
    return templates


# --- the built-in library ------------------------------------------------------------------

def count_builtin_templates() -> int:
    """How many built-in template codes are stored (retired ones included)."""
    return db.session.scalar(select(func.count(Template.code.distinct()))
                             .where(Template.org_id.is_(None))) or 0


def add_builtin_templates(text: str) -> list[Template]:
    """Add the built-in templates of a YAML playbook whose code is not stored yet, all or
    none: the whole document is validated first, prerequisites known and acyclic. A stored
    one keeps its texts and rules but takes the file's `language` and `translations`, so an
    existing database gains the translations of a newer file. Answers the templates added
    (what `tracker seed playbook` loads)."""
    documents = parse_library(text)
    check_prerequisites({d["code"]: d.get("prerequisites") or [] for d in documents})
    existing = {t.code: t for t in db.session.scalars(select(Template)
                                                      .where(Template.org_id.is_(None)))}
    with transaction() as session:
        added = [Template(org_id=None, code=data["code"],
                          **{k: data[k] for k in TEMPLATE_FIELDS if k in data})
                 for data in documents if data["code"] not in existing]
        session.add_all(added)
        for data in documents:
            if data["code"] in existing:
                stored = existing[data["code"]]
                stored.language, stored.translations = data["language"], data["translations"]
    return added
