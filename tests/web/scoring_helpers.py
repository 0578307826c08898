"""Helpers of the scorecard and raters page tests: the demo organization signed in, and
another organization's records (which the demo's pages must not find)."""

from __future__ import annotations

from typing import Any

from tests.web_helpers import seed_demo, sign_in
from tracker.extensions import db
from tracker.models import Initiative, Organization, ScorecardCriterion


def demo_signed_in(client: Any, email: str) -> int:
    """Load the demo organization and sign `email` in; the organization's id."""
    org_id = seed_demo()
    sign_in(client, email)
    return org_id


def elsewhere() -> dict[str, int]:
    """Another organization with an initiative and a scorecard criterion: their ids."""
    other = Organization(name="Elsewhere")
    db.session.add(other)
    db.session.flush()
    initiative = Initiative(org_id=other.id, title="Theirs")
    criterion = ScorecardCriterion(org_id=other.id, code="x", name="X", kind="benefit")
    db.session.add_all([initiative, criterion])
    db.session.commit()
    return {"org": other.id, "initiative": initiative.id, "criterion": criterion.id}
