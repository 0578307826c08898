"""Demo step of the playbook area: NovaTechna's profile, root-cause links between its
findings and the committee decisions of its transformation (the document's `decisions`),
entered through the services (a root-cause cycle would be refused), each with its committee
(by name) and its dossier."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.models import Decision
from tracker.services.decide import decisions
from tracker.services.diagnose import root_causes
from tracker.services.frame import playbook
from tracker.services.unit_of_work import transaction

if TYPE_CHECKING:  # the demo loader imports this module for its STEPS
    from tracker.seeding.demo import DemoContext

#: (symptom, root cause) by finding key: no product ops while roles are blurred; teams
#: cannot own outcomes while empowerment is only felt at the top.
ROOT_CAUSES: tuple[tuple[str, str], ...] = (("f-product-ops", "f-roles"),
                                            ("f-outcomes-blind", "f-empowerment-blind"))
#: The dossier a PMO prepares for a decision (written on the record after it is logged).
DOSSIER = ("context", "options", "risks", "portfolio_impact", "success_indicators")


def load_playbook(context: DemoContext) -> None:
    """The profile of `organization.profile`, root-cause links and the decision log (the
    document's `decisions`, in its language), linked to the initiatives, pilots and findings
    loaded by the earlier steps, by key, and to the committee (`committee_name`) that took
    each, with the dossier fields (`DOSSIER`)."""
    playbook.put_profile(context.org, context.document["organization"].get("profile") or {})
    for symptom, cause in ROOT_CAUSES:
        root_causes.add_root_cause(context.org, context.findings[symptom],
                                   context.findings[cause])
    for spec in context.document.get("decisions", []):
        entry = decisions.create_decision(context.org, {
            **{k: v for k, v in spec.items() if k in decisions.FIELDS and k not in DOSSIER},
            "initiative_ids": [context.initiatives[k] for k in spec.get("initiatives", [])],
            "pilot_ids": [context.pilots[k] for k in spec.get("pilots_of", [])],
            "finding_ids": [context.findings[k] for k in spec.get("findings", [])]})
        with transaction() as session:
            decision = session.get_one(Decision, entry.id)
            if spec.get("committee_name"):
                decision.committee_id = context.committees[spec["committee_name"]]
            for key in DOSSIER:
                setattr(decision, key, spec.get(key) or "")
