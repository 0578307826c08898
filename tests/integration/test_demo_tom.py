"""The demo follows the Target Operating Model article: a `tom-layers` cross self-assessment
rated 2, 1, 1, 1, 2, 1, the value streams Delivery, Support and Innovation, its roles and
transition phases, KPIs with their families and perimeters, objectives, committees whose
decisions carry a dossier, and pilots judged on KPI criteria; in English and in French, with
the French demo's own French-speaking accounts."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.web_helpers import sign_in
from tracker.extensions import db
from tracker.models import (
    Assessment,
    Committee,
    Decision,
    Framework,
    Kpi,
    Membership,
    Objective,
    Organization,
    Phase,
    Pilot,
    Respondent,
    User,
)
from tracker.seeding import demo
from tracker.seeding import frameworks as seeds
from tracker.services.decide import pilots
from tracker.services.follow import objectives
from tracker.services.tenancy import accounts

LANGUAGES = ("en", "fr")
#: By language: the KPIs a pilot is judged on, by initiative key of the demo.
CRITERIA_KPIS = {
    "en": {"i-flow-autonomy": ["Pricing story lead time", "Change failure rate"],
           "i-discovery-routine": ["Ideas tested per week", "Claims handlers' satisfaction"]},
    "fr": {"i-flow-autonomy": ["Lead time des stories de la tarification",
                               "Taux d'échec des changements"],
           "i-discovery-routine": ["Idées testées par semaine",
                                   "Satisfaction des gestionnaires sinistres"]},
}


@pytest.fixture
def demos(app) -> dict[str, Organization]:
    """Both demo organizations by language, as `tracker seed demo` loads them."""
    seeds.seed_frameworks()
    return {language: db.session.get_one(Organization, result.org_id)
            for language, result in demo.load_demos().items()}


def _headers(email: str = "lead@novatechna.example") -> dict[str, str]:
    user = db.session.scalar(select(User).where(User.email == email))
    _, secret = accounts.create_token(user)
    return {"Authorization": f"Bearer {secret}"}


def _tom(org: Organization) -> Assessment:
    return db.session.scalars(select(Assessment).join(Framework).where(
        Assessment.org_id == org.id, Framework.code == "tom-layers")).one()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_tom_assessment_scores_as_the_article_rates_it(demos, client: FlaskClient,
                                                           language: str):
    org = demos[language]
    tom = _tom(org)
    assert (tom.status, tom.kind) == ("closed", "diagnostic")
    response = client.get(f"/api/v1/orgs/{org.id}/assessments/{tom.id}/scores",
                          headers=_headers())

    assert response.status_code == 200, response.json
    scores = response.json
    # strategy, value model, processes, structure, skills, technology, every weight 1: each
    # dimension of strategy and skills is (3 POs × 3 + 6 client × 2 + 3 consultants × 1) / 12
    # = 24 / 12 = 2, every other rating is 1
    assert [(a["code"], a["score"]) for a in scores["axes"]] == [
        ("strategy", 2), ("value_model", 1), ("processes", 1), ("structure", 1),
        ("skills", 2), ("technology", 1)]
    # overall: (2 + 1 + 1 + 1 + 2 + 1) / 6 = 8 / 6 = 1.333… (the article rounds it to 1.4)
    assert scores["overall"] == pytest.approx(8 / 6)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_value_streams_are_teams_with_the_articles_roles(demos, client: FlaskClient,
                                                             language: str):
    org = demos[language]
    tom = _tom(org)
    rows = db.session.execute(select(Respondent.team, Respondent.role, Respondent.perspective)
                              .where(Respondent.assessment_id == tom.id)).all()

    assert {team for team, _, _ in rows} == {"delivery", "support", "innovation", None}
    assert {"product_owner", "scrum_master", "delivery_manager"} <= {r for _, r, _ in rows}
    # 9 client respondents (3 per value stream), 3 consultants
    assert sorted(p for _, _, p in rows).count("client") == 9
    assert [team for team, _, _ in rows].count("delivery") == 3

    gaps = client.get(f"/api/v1/orgs/{org.id}/assessments/{tom.id}/perception-gaps"
                      "?by=perspective", headers=_headers()).json
    ambition = next(d for d in gaps["dimensions"] if d["dimension"] == "strategy.ambition")
    # the client (3 × 3 + 6 × 2) / 9 = 21 / 9 = 2.333…, the consultants 1: gap 1.333… ≥ 1
    assert ambition["gap"] == pytest.approx(21 / 9 - 1) and ambition["flagged"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pom_grid_story_is_unchanged_by_the_tom_view(demos, client: FlaskClient,
                                                         language: str):
    org = demos[language]
    org_id = org.id
    # the barometer still follows the pom-grid (its latest closed assessment is the pulse)
    barometer = client.get(f"/api/v1/orgs/{org.id}/barometer", headers=_headers()).json
    framework = db.session.get_one(Framework, barometer["framework_id"])
    assert framework.code == "pom-grid"
    kinds = db.session.execute(select(Assessment.kind, Framework.code).join(Framework).where(
        Assessment.org_id == org_id).order_by(Assessment.id)).all()
    assert [tuple(k) for k in kinds] == [("diagnostic", "pom-grid"), ("pulse", "pom-grid"),
                                         ("diagnostic", "tom-layers")]
    phases = db.session.scalars(select(Phase.name).where(Phase.org_id == org_id)
                                .order_by(Phase.position)).all()
    streams = "Delivery and Support)" if language == "en" else "Delivery et Support)"
    assert [name.rsplit("(", 1)[1] for name in phases] == [
        streams, "Innovation)", "Consolidation)"]


def test_the_kpis_have_families_owners_and_perimeters(demos, client: FlaskClient):
    org = demos["en"]
    response = client.get(f"/api/v1/orgs/{org.id}/kpis?per_page=100", headers=_headers())

    assert response.status_code == 200, response.json
    by_name = {k["name"]: k for k in response.json["items"]}
    story = by_name["Story lead time"]
    assert (story["family"], story["owner"], story["direction"], story["perimeter"]) == (
        "flow", "Camille Durand", "lower_is_better", {"kind": "value_stream", "name": "Delivery"})
    assert {(k["perimeter"]["kind"], k["perimeter"]["name"]) for k in by_name.values()} >= {
        ("value_stream", "Delivery"), ("value_stream", "Support"),
        ("value_stream", "Innovation"), ("team", "pricing"), ("team", "claims"),
        ("organization", None)}
    assert all(k["family"] and k["owner"] for k in by_name.values())
    assert len(by_name) == 9


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_objectives_are_measured_by_kpis_with_their_status(demos, language: str):
    org = demos[language]
    reports = objectives.objectives_of(org)

    # soonest horizon first; latest measurements (DESIGN "Objective status"): pricing lead
    # time 5 ≤ 5 and change failure rate 2.5 ≤ 15 (both on); ideas 3 ≥ 2 (on), claims
    # handlers 79 < 85 (off); story lead time 7.2 > 7 (off); capacity on innovation 12 < 20
    assert [(str(r.horizon), r.status, r.kpis_on_target, r.kpis_total) for r in reports] == [
        ("2026-10-31", "on_track", 2, 2), ("2027-03-31", "at_risk", 1, 2),
        ("2027-06-30", "off_track", 0, 1), ("2027-12-31", "off_track", 0, 1)]
    first = reports[2]
    assert first.title == ("Cut story lead time by 30 %" if language == "en"
                           else "Réduire de 30 % le lead time des stories")
    assert first.dimensions == ["practices.delivery_flow"] and len(first.initiative_ids) == 2
    assert all(db.session.get_one(Kpi, i).org_id == org.id for r in reports for i in r.kpi_ids)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pilots_are_judged_on_their_kpi_criteria(demos, language: str):
    org = demos[language]
    listed = db.session.scalars(select(Pilot).where(Pilot.org_id == org.id)
                                .order_by(Pilot.id)).all()
    names = {k.id: k.name for k in db.session.scalars(select(Kpi).where(Kpi.org_id == org.id))}
    judged = pilots.judged(org, listed)

    def verdicts(index: int) -> list[tuple[str, str, float | None]]:
        return [(names[v.kpi_id], v.status, v.value) for v in judged[index].verdicts]

    expected = CRITERIA_KPIS[language]
    # release autonomy, 2026-07-06 → 2026-09-25 (+14 days): the latest measurements by
    # 2026-10-09 are 5 ≤ 5 and 2.5 ≤ 15: both met → generalize (as the committee decided)
    assert verdicts(0) == [(expected["i-flow-autonomy"][0], "met", 5),
                           (expected["i-flow-autonomy"][1], "met", 2.5)]
    assert judged[0].suggested_decision == "generalize"
    # continuous discovery, from 2026-09-07: 3 ideas ≥ 2 met, satisfaction 79 < 85 not met →
    # adjust
    assert verdicts(1) == [(expected["i-discovery-routine"][0], "met", 3),
                           (expected["i-discovery-routine"][1], "not_met", 79)]
    assert judged[1].suggested_decision == "adjust"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_decisions_belong_to_committees_and_carry_a_dossier(demos, language: str):
    org = demos[language]
    committees = {c.id: c for c in db.session.scalars(
        select(Committee).where(Committee.org_id == org.id))}
    members = set(db.session.scalars(select(User.email).join(Membership).where(
        Membership.org_id == org.id)))

    assert sorted(c.level for c in committees.values()) == [
        "operational", "portfolio", "strategic"]
    cadence = {c.level: (c.cron, c.timezone) for c in committees.values()}
    assert cadence == {"strategic": ("0 9 1 * *", "Europe/Paris"),  # monthly
                       "portfolio": ("0 14 1,15 * *", "Europe/Paris"),  # fortnightly
                       "operational": ("0 10 * * 1", "Europe/Paris")}  # weekly
    assert all(set(c.member_emails) <= members and c.member_emails
               for c in committees.values())
    decisions = db.session.scalars(select(Decision).where(Decision.org_id == org.id)).all()
    assert len(decisions) == 3
    for decision in decisions:
        committee = committees[decision.committee_id]  # the demo's own committee
        assert committee.level == decision.committee
        assert all(getattr(decision, key) for key in (
            "context", "options", "risks", "portfolio_impact", "success_indicators"))


def test_the_french_demo_has_french_speaking_accounts(demos, client: FlaskClient):
    french_id, english_id = demos["fr"].id, demos["en"].id
    locales = dict(db.session.execute(select(User.email, User.locale).where(
        User.email.like("%novatechna.example"))).all())
    assert locales == {
        **{f"{role}@novatechna.example": "en" for role in ("lead", "ops", "sponsor",
                                                             "contributor")},
        **{f"{role}@fr.novatechna.example": "fr" for role in ("lead", "ops", "sponsor",
                                                                "contributor")}}
    french = {email for email, in db.session.execute(select(User.email).join(Membership).where(
        Membership.org_id == french_id))}
    english = {email for email, in db.session.execute(select(User.email).join(Membership).where(
        Membership.org_id == english_id))}
    assert english < french and not any("@fr." in email for email in english)
    # the French lead signs in and reads the pages in French
    sign_in(client, "lead@fr.novatechna.example")
    page = client.get(f"/orgs/{french_id}/kpis")
    assert page.status_code == 200
    assert 'lang="fr"' in page.text and "Délai de livraison des stories" in page.text


def test_loading_the_demos_again_adds_nothing(demos):
    def counts() -> dict[str, Any]:
        return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
                for model in (Objective, Committee, Kpi, Decision, Assessment, User)}

    before = counts()
    again = demo.load_demos()

    assert [r.created for r in again.values()] == [False, False]
    assert counts() == before
    assert before["Objective"] == 8 and before["Committee"] == 6 and before["User"] == 8
