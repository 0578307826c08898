"""The demo organizations: NovaTechna in French (`seeds/demo/novatechna-fr.yaml`, named
"NovaTechna (FR)", the one to show a French client) and in English (`seeds/demo/novatechna.yaml`,
"NovaTechna"): the same people, ratings and history written in each language. The English
demo's users (locale `en`) are members of both; the French demo also has French-speaking
users of its own (`@fr.novatechna.example`, locale `fr`), so its pages show in French.

Besides its `pom-grid` diagnostic and pulse, the demo has the Target Operating Model
article's view of the same company: a cross self-assessment on `tom-layers`, its value
streams as teams, KPIs with families and perimeters, objectives, committees whose decisions
carry a dossier, and pilots judged on KPI criteria.

The demo is entered through the services, as its people would have entered it (the lead
creating the organization, the backlog and its dependencies...), so every rule a user obeys
holds for it too: a dependency cycle, an unknown dimension or a rating off the scale is
refused; objectives, committees, pilot criteria and decision dossiers are written on the
demo organization's own records. The whole load is one transaction, which the services' own
units of work join: the demo is there completely or not at all, and loading it again changes
nothing (an organization already there is left as it is).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

import yaml

from tracker.config import resource_dir
from tracker.domain.errors import InvalidInput
from tracker.models import Assessment, Organization, User
from tracker.seeding.demo_decide import (
    load_committees,
    load_initiatives,
    load_pilot_criteria,
    load_pilots,
)
from tracker.seeding.demo_diagnose import load_findings, load_targets
from tracker.seeding.demo_follow import load_kpis, load_objectives, load_schedules
from tracker.seeding.demo_plan import load_roadmap
from tracker.seeding.demo_playbook import load_playbook
from tracker.services.frame import frameworks
from tracker.services.observe import assessments, ratings
from tracker.services.tenancy import accounts, organizations
from tracker.services.unit_of_work import transaction

DEMO_PASSWORD = "novatechna-demo"
#: The demo file of each language, in loading order: the English demo keeps the first
#: organization id it had before the French one existed; the French one is the demo to show.
DEMO_FILES = {"en": "novatechna.yaml", "fr": "novatechna-fr.yaml"}
PRIMARY_LANGUAGE = "fr"
ORG_SETTINGS = ("min_group_size", "perception_gap_threshold", "default_method",
                "quick_win_max_weeks", "structural_min_weeks", "timezone")
RESPONDENT_FIELDS = ("name", "email", "role", "team", "level", "source", "perspective")


@dataclass
class DemoContext:
    """What the loading steps share: the document, the organization, its lead (who enters
    the demo, so the audit trail names her), and the records loaded so far by demo key."""

    document: Mapping[str, Any]
    org: Organization
    framework_id: int
    lead: User
    assessments: dict[str, Assessment] = field(default_factory=dict)
    respondents: dict[tuple[str, str], int] = field(default_factory=dict)
    evidence: dict[str, list[int]] = field(default_factory=dict)
    findings: dict[str, int] = field(default_factory=dict)
    initiatives: dict[str, int] = field(default_factory=dict)
    pilots: dict[str, int] = field(default_factory=dict)
    kpis: dict[str, int] = field(default_factory=dict)
    committees: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoResult:
    """The demo organization, whether this run created it, and whom to sign in as."""

    organization: str
    org_id: int
    created: bool
    login: str


def demo_document(language: str = "en") -> dict[str, Any]:
    """The demo data file of this language (`DEMO_FILES`), parsed (by libyaml when PyYAML has
    it: the file is large and the demo is loaded by many tests)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    path = resource_dir("seeds") / "demo" / DEMO_FILES[language]
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=loader)


def load_demos(password: str = DEMO_PASSWORD) -> dict[str, DemoResult]:
    """Every demo organization by language, loaded in the order of `DEMO_FILES` (each in its
    own transaction; the users are shared, so they are members of both)."""
    return {language: load_demo(password, language) for language in DEMO_FILES}


def load_demo(password: str = DEMO_PASSWORD, language: str = "en") -> DemoResult:
    """Create the demo's users, then the organization of this language and its history
    unless it exists, in one transaction (an error anywhere leaves nothing behind). English
    by default: most tests read the English demo's texts."""
    document = demo_document(language)
    name = document["organization"]["name"]
    login = next(m["email"] for m in document["members"] if m["role"] == "lead")
    with transaction():
        users = {m["email"]: _user(m, password) for m in document["members"]}
        existing = organizations.find_organization(name)
        if existing is not None:
            return DemoResult(name, existing.id, False, login)
        framework_id = _framework_id(document["framework"])
        context = DemoContext(document, _organization(document, users, login), framework_id,
                              users[login])
        for step in STEPS:
            step(context)
    return DemoResult(name, context.org.id, True, login)


def _user(member: Mapping[str, Any], password: str) -> User:
    """The demo user of this member entry, created in the member's `locale` (default `en`)
    when missing; an existing user keeps the language they chose."""
    existing = accounts.find_user(member["email"])
    return existing or accounts.create_user(member["email"], password,
                                            name=member.get("name", ""),
                                            locale=member.get("locale", "en"))


def _framework_id(code: str) -> int:
    """The id of the framework the demo is rated on (its highest version); `InvalidInput`
    when it is not loaded."""
    framework = frameworks.find_framework(code)
    if framework is None:
        raise InvalidInput(f"Framework {code} is missing; run `tracker seed frameworks` first.")
    return framework.id


def _organization(document: Mapping[str, Any], users: Mapping[str, User],
                  login: str) -> Organization:
    """The organization with its language and settings, created by its lead (`login`), and
    its other members."""
    spec = document["organization"]
    settings = spec.get("settings", {})
    org = organizations.create_organization(users[login], {
        "name": spec["name"], "locale": spec.get("locale", "en"),
        **{k: settings[k] for k in ORG_SETTINGS if k in settings}})
    for member in document["members"]:
        if member["email"] != login:
            organizations.add_member(org, member["email"], member["role"])
    return org


def _moment(day: date | None) -> datetime | None:
    """Demo dates are days; they become 09:00 UTC on that day."""
    return datetime.combine(day, time(9), tzinfo=UTC) if day else None


def load_assessments(context: DemoContext) -> None:
    """Each assessment as it was run, on the demo's framework unless it names another
    (`framework`: the Target Operating Model view is rated on `tom-layers`): created and
    opened on its first day, its respondents, ratings and verbatims added, then closed on its
    last day."""
    for spec in context.document["assessments"]:
        opened = _moment(spec.get("opened_at"))
        framework_id = (_framework_id(spec["framework"]) if spec.get("framework")
                        else context.framework_id)
        assessment = assessments.create_assessment(context.org, {
            "framework_id": framework_id, "title": spec["title"],
            "kind": spec["kind"]}, now=opened)
        assessments.update_assessment(context.org, assessment.id, {"status": "open"},
                                      now=opened)
        context.assessments[spec["key"]] = assessment
        _load_respondents(context, spec, assessment)
        _load_ratings(context, spec, assessment)
        _load_evidence(context, spec, assessment)
        if spec.get("closed_at"):
            assessments.update_assessment(context.org, assessment.id, {"status": "closed"},
                                          now=_moment(spec["closed_at"]))


def _load_respondents(context: DemoContext, spec: Mapping[str, Any],
                      assessment: Assessment) -> None:
    """The respondents, each with a survey token, kept by `(assessment key, respondent key)`."""
    for person in spec["respondents"]:
        respondent = assessments.add_respondent(
            context.org, assessment.id, {k: person[k] for k in RESPONDENT_FIELDS if k in person})
        context.respondents[(spec["key"], person["key"])] = respondent.id


def _load_ratings(context: DemoContext, spec: Mapping[str, Any],
                  assessment: Assessment) -> None:
    """Every rating of the assessment in one bulk upsert (checked against the grid)."""
    ratings.upsert_ratings(context.org, assessment.id, [
        {"respondent_id": context.respondents[(spec["key"], respondent_key)],
         "dimension": code, "value": value}
        for respondent_key, values in spec["ratings"].items() for code, value in values.items()])


def _load_evidence(context: DemoContext, spec: Mapping[str, Any],
                   assessment: Assessment) -> None:
    """The verbatims, kept in their order so findings can name them by index."""
    context.evidence[spec["key"]] = [assessments.add_evidence(context.org, assessment.id, {
        "text": verbatim["text"], "source": verbatim.get("source", "interview"),
        "tone": verbatim.get("tone", "neutral"),
        "respondent_id": context.respondents.get((spec["key"], verbatim.get("respondent"))),
        "dimensions": verbatim.get("dimensions", [])}).id
        for verbatim in spec.get("evidence", [])]


STEPS: list[Callable[[DemoContext], None]] = [load_assessments, load_targets, load_findings,
                                              load_initiatives, load_pilots,
                                              load_kpis, load_pilot_criteria, load_objectives,
                                              load_schedules, load_roadmap, load_committees,
                                              load_playbook]
