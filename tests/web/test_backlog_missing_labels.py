"""The backlog names the inputs an initiative still lacks by their field labels, in the
reader's language, never by their raw field names (DESIGN section 9)."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from tests.web_helpers import seed_demo, sign_in
from tracker.extensions import db
from tracker.models import Initiative, User

LEAD = "lead@novatechna.example"


@pytest.fixture
def bare(app) -> tuple[int, int]:
    """The demo organization and an initiative of it with no prioritization input."""
    org_id = seed_demo()
    initiative = Initiative(org_id=org_id, title="Bare initiative")
    db.session.add(initiative)
    db.session.commit()
    return org_id, initiative.id


def _missing(client, org_id: int, initiative_id: int) -> str:
    page = html.unescape(client.get(f"/orgs/{org_id}/backlog?method=wsjf").text)
    row = re.search(rf'<tr data-id="{initiative_id}".*?</tr>', page, re.S)
    assert row, "the bare initiative is listed"
    return re.search(r'<span class="note">([^<]*)</span>', row.group(0)).group(1)


def test_missing_inputs_show_their_labels(client, bare):
    sign_in(client, LEAD)

    missing = _missing(client, *bare)

    assert missing == ("missing: Business value, Time criticality, Risk reduction, "
                       "Job size")


def test_missing_inputs_read_in_french_for_a_french_reader(client, bare):
    db.session.scalars(select(User).where(User.email == LEAD)).one().locale = "fr"
    db.session.commit()
    sign_in(client, LEAD)

    missing = _missing(client, *bare)

    assert "Valeur métier" in missing
    assert "business" not in missing.lower() and "_" not in missing
