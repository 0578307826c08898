"""Demo step of the playbook area: NovaTechna's profile, root-cause links between its
findings and three committee decisions of its transformation, entered through the
services (a root-cause cycle would be refused)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from tracker.services.decide import decisions
from tracker.services.diagnose import root_causes
from tracker.services.frame import playbook

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
    """The profile of `organization.profile`, root-cause links and the decision log (the
    document's `decisions` when it writes them in its language, else `DECISIONS`), linked to
    the initiatives, pilots and findings loaded by the earlier steps, by key."""
    playbook.put_profile(context.org, context.document["organization"].get("profile") or {})
    for symptom, cause in ROOT_CAUSES:
        root_causes.add_root_cause(context.org, context.findings[symptom],
                                   context.findings[cause])
    for spec in context.document.get("decisions", DECISIONS):
        decisions.create_decision(context.org, {
            **{k: v for k, v in spec.items() if k in decisions.FIELDS},
            "initiative_ids": [context.initiatives[k] for k in spec.get("initiatives", [])],
            "pilot_ids": [context.pilots[k] for k in spec.get("pilots_of", [])],
            "finding_ids": [context.findings[k] for k in spec.get("findings", [])]})
