"""Demo step of the playbook area: NovaTechna's profile, root-cause links between its
findings and three committee decisions of its transformation."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select

from tracker.models import Decision, OrganizationProfile, Pilot, finding_root_cause

if TYPE_CHECKING:  # the demo loader imports this module for its STEPS
    from tracker.seeding.demo import DemoContext

#: (symptom, root cause) by finding key: no product ops while roles are blurred; teams
#: cannot own outcomes while empowerment is only felt at the top.
ROOT_CAUSES: tuple[tuple[str, str], ...] = (("f-product-ops", "f-roles"),
                                            ("f-outcomes-blind", "f-empowerment-blind"))
DECISIONS: tuple[dict[str, Any], ...] = (
    {"title": "Launch the product operating model transformation",
     "committee": "strategic", "decided_on": date(2026, 5, 28),
     "participants": ["Hélène Marchal", "Thomas Berger", "Isabelle Fournier", "Léa Vidal"],
     "rationale": "The diagnostic shows a strong delivery engine but a feature factory: no "
                  "discovery, no outcome measures, blurred roles. The committee sponsors an "
                  "18-month transformation with targets for the end of 2027.",
     "findings": ["f-outcomes-blind", "f-discovery", "f-roles"]},
    {"title": "Approve the first wave of initiatives",
     "committee": "portfolio", "decided_on": date(2026, 6, 9),
     "participants": ["Hélène Marchal", "Thomas Berger", "Léa Vidal", "Hugo Mercier"],
     "rationale": "Quick wins first: clarify product roles, hold the leadership mirror "
                  "session and measure delivery; structural levers wait for the roles.",
     "initiatives": ["i-roles", "i-leadership-mirror", "i-delivery-metrics"],
     "findings": ["f-roles", "f-empowerment-blind"]},
    {"title": "Run the release autonomy pilot on the pricing team",
     "committee": "operational", "decided_on": date(2026, 7, 2),
     "participants": ["Camille Durand", "Antoine Girard", "Romain Petit", "Hugo Mercier"],
     "rationale": "Pricing has the most mature pipeline use and a clear KPI (lead time of "
                  "stories); a three-month pilot tests release autonomy before generalizing.",
     "initiatives": ["i-flow-autonomy"], "pilots_of": ["i-flow-autonomy"],
     "findings": ["f-platform-tension"]},
)


def load_playbook(context: DemoContext) -> None:
    """The profile of `organization.profile`, root-cause links and the decision log (linked
    to the initiatives, pilots and findings loaded by the earlier steps, by key)."""
    profile = context.document["organization"].get("profile") or {}
    context.session.add(OrganizationProfile(
        org_id=context.org.id, size_band=profile.get("size_band"),
        management_levels=profile.get("management_levels"),
        product_tech_people=profile.get("product_tech_people"),
        growth_outlook=profile.get("growth_outlook"),
        regulatory_constraints=list(profile.get("regulatory_constraints") or [])))
    findings = getattr(context, "findings", {})
    initiatives = getattr(context, "initiatives", {})
    context.session.flush()
    for symptom, cause in ROOT_CAUSES:
        if symptom in findings and cause in findings:
            context.session.execute(insert(finding_root_cause).values(
                symptom_id=findings[symptom].id, root_cause_id=findings[cause].id))
    pilots = dict(context.session.execute(select(Pilot.initiative_id, Pilot.id).where(
        Pilot.org_id == context.org.id).order_by(Pilot.id.desc())).all())
    for spec in DECISIONS:
        piloted = [initiatives[k].id for k in spec.get("pilots_of", []) if k in initiatives]
        context.session.add(Decision(
            org_id=context.org.id, title=spec["title"], committee=spec["committee"],
            decided_on=spec["decided_on"], participants=spec["participants"],
            rationale=spec["rationale"],
            initiative_ids=[initiatives[k].id for k in spec.get("initiatives", [])
                            if k in initiatives],
            pilot_ids=[pilots[i] for i in piloted if i in pilots],
            finding_ids=[findings[k].id for k in spec.get("findings", []) if k in findings]))
    context.session.flush()
