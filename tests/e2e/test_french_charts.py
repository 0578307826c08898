"""A French user's Plotly charts speak French (static/js/charts.js): the diagnostic's figures
write decimal commas (`2,40`, never `2.40`) once drawn in a real browser, with no console
error."""

from __future__ import annotations

import re

import pytest

from tests.e2e.accessibility import Watched, assert_accessible
from tests.e2e.browser import sign_in
from tests.french_orgs import PASSWORD, build_org
from tracker.extensions import db
from tracker.models import User


@pytest.mark.e2e
def test_a_french_diagnostic_draws_its_figures_with_decimal_commas(live_server, chromium,
                                                                   lead):
    built = build_org(lead, "Acme FR", "fr")
    watched = Watched(chromium.new_page(viewport={"width": 1280, "height": 900}))
    sign_in(watched.page, live_server, "lead@example.org", PASSWORD)
    db.session.scalar(db.select(User).where(User.email == "lead@example.org")).locale = "fr"
    db.session.commit()

    watched.page.goto(f"{live_server}/orgs/{built.org_id}/assessments/{built.second_id}")
    watched.page.wait_for_selector("[data-figure] .main-svg")
    texts = watched.page.eval_on_selector_all(
        "[data-figure] svg text", "nodes => nodes.map(n => n.textContent)")

    assert any(re.fullmatch(r"\d,\d{2}", t) for t in texts), texts
    assert not [t for t in texts if re.fullmatch(r"\d\.\d{2}", t)]
    assert_accessible(watched, "french diagnostic")
