"""Owner load: each owner's weeks of work in flight per phase of the current plan, and
whether it is more than they can carry (DESIGN, issue 17 "Owner load").

An initiative's `owner` is free text, offered from the organization's members' names; the
load groups owners by that text (trimmed, case ignored). The plan is the roadmap's
(`roadmap.get_roadmap`) with the organization's plan settings (the plan the trajectory and
the report use: start and capacity saved from the roadmap page, else from today with
unlimited capacity): its schedule and its phases, stored or proposed. The arithmetic is
`tracker.domain.roadmap.owner_load`: in a phase, an owner's `weeks` is the sum over their
initiatives of the weeks the initiative's planned `[start, end)` shares with the phase, and
`overloaded` is `weeks > 1.5 × phase_weeks` (`OVERLOAD_FACTOR`: more than one and a half
initiatives at once on average).
"""

from __future__ import annotations

from tracker.domain.roadmap import OVERLOAD_FACTOR, OwnerLoad
from tracker.models import Organization
from tracker.services.plan.roadmap import PlanParams, get_roadmap

__all__ = ["OVERLOAD_FACTOR", "OwnerLoad", "owner_load"]


def owner_load(org: Organization, params: PlanParams | None = None) -> list[OwnerLoad]:
    """Per phase (in order) and per owner (by name), the weeks of work in flight and the
    overload flag, for the plan computed with `params` (default: the organization's plan
    settings). Every owner with planned work has a row for every phase."""
    settings = PlanParams(org.plan_start, org.plan_capacity, org.plan_points)
    return get_roadmap(org, params or settings).owner_load
