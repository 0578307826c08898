"""The two demo organizations: NovaTechna in English and "NovaTechna (FR)" in French, the same
people, numbers and history, every text of the French one written in French; the French one
has French-speaking accounts of its own besides the English ones."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import (
    Assessment,
    Decision,
    Dependency,
    Evidence,
    Finding,
    Initiative,
    Kpi,
    Measurement,
    Membership,
    Organization,
    Phase,
    Pilot,
    Rating,
    Respondent,
    User,
)
from tracker.seeding import demo
from tracker.seeding import frameworks as seeds
from tracker.services.diagnose.scores import assessment_scores

#: Models counted per organization, directly by `org_id`.
COUNTED = (Assessment, Finding, Initiative, Pilot, Kpi, Phase, Decision, Dependency)
#: Fields of the demo files that a reader reads: they must differ between the languages.
TEXT_FIELDS = {"text", "title", "description", "hypothesis", "success_criteria",
               "decision_rationale", "value_stream", "kpi", "rationale", "context", "options",
               "risks", "portfolio_impact", "success_indicators"}
#: Fields that are names or labels, translated or not (people keep their names); KPIs are
#: named by their (translated) names; emails are each demo's own accounts.
LABELS = {"name", "locale", "team", "perimeter", "unit", "kpis", "committee_name", "members",
          "recipients"}
#: The English demo's accounts, members of both demos.
ENGLISH_ROLES = {"lead@novatechna.example": "lead", "ops@novatechna.example": "ops",
                 "sponsor@novatechna.example": "viewer",
                 "contributor@novatechna.example": "contributor"}


@pytest.fixture
def demos(app) -> dict[str, Organization]:
    """Both demo organizations by language, loaded as `tracker seed demo` does."""
    seeds.seed_frameworks()
    return {language: db.session.get(Organization, result.org_id)
            for language, result in demo.load_demos().items()}


def _count(model: Any, org: Organization) -> int:
    return db.session.scalar(select(func.count()).select_from(model)
                             .where(model.org_id == org.id))


def _per_assessment(model: Any, org: Organization) -> int:
    return db.session.scalar(select(func.count()).select_from(model).join(
        Assessment, Assessment.id == model.assessment_id).where(Assessment.org_id == org.id))


def _assessment(org: Organization, kind: str) -> Assessment:
    """The pom-grid assessment of this kind (the demo also has a `tom-layers` diagnostic)."""
    return db.session.scalars(select(Assessment).where(
        Assessment.org_id == org.id, Assessment.kind == kind).order_by(Assessment.id)).first()


def test_both_demos_load_the_french_one_in_french(demos):
    french, english = demos["fr"], demos["en"]
    assert (english.name, english.locale) == ("NovaTechna", "en")
    assert (french.name, french.locale) == ("NovaTechna (FR)", "fr")
    assert french.timezone == english.timezone == "Europe/Paris"
    # load_demo() alone is still the English demo the other tests read
    assert demo.load_demo().org_id == english.id


def test_the_demo_users_are_members_of_both_with_the_same_roles(demos):
    def roles(org: Organization) -> dict[str, str]:
        rows = db.session.execute(select(User.email, Membership.role).join(Membership).where(
            Membership.org_id == org.id))
        return {email: role for email, role in rows}

    french = {email.replace("@", "@fr."): role for email, role in ENGLISH_ROLES.items()}
    assert roles(demos["en"]) == ENGLISH_ROLES
    assert roles(demos["fr"]) == {**ENGLISH_ROLES, **french}
    assert db.session.scalar(select(func.count(User.id)).where(
        User.email.like("%@novatechna.example"))) == 4
    # the French demo's own accounts read the pages in French, the English ones in English
    locales = dict(db.session.execute(select(User.email, User.locale)).all())
    assert {locales[email] for email in ENGLISH_ROLES} == {"en"}
    assert {locales[email] for email in french} == {"fr"}


def test_the_french_demo_has_the_same_counts(demos):
    french, english = demos["fr"], demos["en"]
    for model in COUNTED:
        assert _count(model, french) == _count(model, english) > 0, model.__name__
    for model in (Respondent, Rating, Evidence):
        assert _per_assessment(model, french) == _per_assessment(model, english) > 0
    # 12 respondents in each of the 3 assessments (2 pom-grid, 1 tom-layers); 17 initiatives,
    # 3 decisions
    assert _per_assessment(Respondent, french) == 36
    assert _count(Initiative, french) == 17
    assert _count(Decision, french) == 3
    measurements = select(func.count()).select_from(Measurement).join(Kpi)
    # 16 of the first 3 KPIs, then 6 + 5 + 3 + 3 + 3 + 3 = 23 of the 6 others
    assert db.session.scalar(measurements.where(Kpi.org_id == french.id)) == db.session.scalar(
        measurements.where(Kpi.org_id == english.id)) == 16 + 23


def _dimension_scores(scores: dict[str, Any]) -> dict[str, tuple[float | None, int]]:
    return {d["code"]: (d["score"], d["n"]) for a in scores["axes"] for d in a["dimensions"]}


def test_the_french_demo_has_the_same_scores(demos):
    for kind in ("diagnostic", "pulse"):
        french, english = (assessment_scores(org, _assessment(org, kind).id)
                           for org in (demos["fr"], demos["en"]))
        assert french["overall"] == english["overall"] is not None
        assert _dimension_scores(french) == _dimension_scores(english)
    # pulse, products.vision, 12 ratings, every source weighing 1:
    # (4+4+4+2+2+3+3+2+2+3+2+2) / 12 = 33 / 12 = 2.75
    assert _dimension_scores(french)["products.vision"] == (pytest.approx(2.75), 12)


def test_the_french_demo_reads_french(demos):
    french = demos["fr"]
    diagnostic = _assessment(french, "diagnostic")
    verbatims = db.session.scalars(select(Evidence.text).where(
        Evidence.assessment_id == diagnostic.id).order_by(Evidence.id)).all()
    assert verbatims[1] == ("Nos équipes sont autonomes. Elles choisissent leurs outils, leurs "
                            "rituels et leur découpage du travail ; personne ne leur dit "
                            "comment coder.")
    assert ("Tout le monde sait où nous allons. J'ai présenté la vision « sinistre zéro papier » "
            "au séminaire de lancement de janvier.") in verbatims
    titles = set(db.session.scalars(select(Initiative.title).where(
        Initiative.org_id == french.id)))
    assert {"Routine de découverte continue", "Financer des équipes pérennes plutôt que des "
            "projets", "Stratégie produit avec des paris explicites et une liste « pas "
            "maintenant »"} <= titles
    assert "Continuous discovery routine" not in titles
    assert diagnostic.title == "Diagnostic initial"
    assert {"Lead time des stories", "Délai de résolution des incidents",
            "Satisfaction interne", "Délai de livraison des stories"} <= set(db.session.scalars(
                select(Kpi.name).where(Kpi.org_id == french.id)))
    assert set(db.session.scalars(select(Phase.name).where(Phase.org_id == french.id))) == {
        "Phase 1 — Gains rapides et pilotes (Delivery et Support)",
        "Phase 2 — Généraliser et restructurer (Innovation)",
        "Phase 3 — Piloter par les résultats et la valeur (Consolidation)"}
    decision = db.session.scalars(select(Decision).where(
        Decision.org_id == french.id).order_by(Decision.decided_on)).first()
    assert decision.title == "Lancer la transformation du modèle opérationnel produit"
    assert decision.decided_on == date(2026, 5, 28)
    pilot = db.session.scalars(select(Pilot).where(Pilot.org_id == french.id,
                                                   Pilot.status == "succeeded")).one()
    assert (pilot.teams, pilot.kpi) == (["tarification"], "Lead time des stories")


def test_the_demo_files_differ_only_in_their_texts():
    english, french = demo.demo_document("en"), demo.demo_document("fr")
    texts: list[tuple[str, str]] = []

    def walk(en: Any, fr: Any, key: str) -> None:
        """Same keys, lengths, numbers, dates and codes; texts collected by pairs (a list's
        items count as its key's)."""
        if isinstance(en, dict):
            assert en.keys() == fr.keys(), key
            for name in en:
                walk(en[name], fr[name], name)
        elif isinstance(en, list):
            assert len(en) == len(fr), key
            for a, b in zip(en, fr, strict=True):
                walk(a, b, key)
        elif key in TEXT_FIELDS and en is not None:
            texts.append((en, fr))
        elif key not in LABELS:
            assert en == fr, (key, en, fr)

    members = {language: document.pop("members") for language, document in
               (("en", english), ("fr", french))}
    walk(english, french, "document")
    # 3 assessment titles + 28 verbatims + 12 findings × 2 + 17 initiatives × 2 + 2 pilots × 6
    # (value stream, hypothesis, criteria, KPI, 2 criteria KPIs) + 1 pilot decision rationale
    # + 9 KPI descriptions + 4 objectives × 2 + 3 decisions × 7 (title, rationale and the 5
    # dossier fields) = 31 + 24 + 34 + 13 + 9 + 8 + 21 = 140
    assert len(texts) == 140 and all(en != fr for en, fr in texts)
    assert members["fr"][4:] == [{**m, "locale": "en"} for m in members["en"]]


def test_loading_the_demos_again_changes_nothing(demos):
    again = demo.load_demos()
    assert {language: (r.org_id, r.created) for language, r in again.items()} == {
        "en": (demos["en"].id, False), "fr": (demos["fr"].id, False)}
    assert db.session.scalar(select(func.count(Organization.id))) == 2


def test_the_seed_command_loads_both_and_names_the_french_one(app):
    result = app.test_cli_runner().invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("NovaTechna: loaded (organization id ")
    assert lines[1].startswith("NovaTechna (FR): loaded (organization id ")
    assert lines[2] == ("Sign in as lead@fr.novatechna.example / novatechna-demo "
                        "and open NovaTechna (FR).")
