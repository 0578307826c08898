"""The barometer email and page show the objectives with their status and group the KPIs
by family (issue 17), on a fresh organization built through the services."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.adapters.email.barometer import render
from tracker.extensions import db
from tracker.models import Organization
from tracker.services.follow import barometer_mail, kpis, objectives
from tracker.services.tenancy import accounts, organizations


@pytest.fixture
def org(app) -> Organization:
    user = accounts.create_user("lead@example.org", "a long enough password")
    created = organizations.create_organization(user, {"name": "Acme"})
    return db.session.get(Organization, created.id)


def kpi(org, name, direction, target, value, family=None):
    created = kpis.create_kpi(org, {"name": name, "direction": direction, "target": target,
                                    "family": family, "unit": "d"})
    kpis.add_measurement(org, created.id, {"value": value, "measured_at": date(2026, 11, 2)})
    return created.id


def test_the_email_lists_objectives_and_the_kpis_off_target_by_family(app, org):
    # off target: lead time 7 > 5 (flow), adoption 60 < 80 (adoption), cost 9 > 3 (none);
    # on target: defects 1 ≤ 2 (quality)
    lead_time = kpi(org, "Lead time", "lower_is_better", 5, 7, "flow")
    adoption = kpi(org, "Adoption", "higher_is_better", 80, 60, "adoption")
    defects = kpi(org, "Defects", "lower_is_better", 2, 1, "quality")
    kpi(org, "Cost", "lower_is_better", 3, 9)
    objectives.create_objective(org, None, {"title": "Faster flow", "horizon": date(2027, 6, 30),
                                            "kpi_ids": [lead_time, defects]})
    objectives.create_objective(org, None, {"title": "Adopted", "kpi_ids": [adoption]})
    digest, _ = barometer_mail.digest(org, "2026-Q4", "http://tracker.test")
    # lead time off, defects on → at risk, 1 of 2; adoption off → off track, 0 of 1
    assert [(o.title, o.status, o.kpis_on_target, o.kpis_total) for o in digest.objectives] == [
        ("Faster flow", "at_risk", 1, 2), ("Adopted", "off_track", 0, 1)]
    # family order of KPI_FAMILIES (adoption before flow), unclassified last
    assert [(k.family, k.name) for k in digest.kpis_off_target] == [
        ("adoption", "Adoption"), ("flow", "Lead time"), (None, "Cost")]
    with app.test_request_context():
        _, text, html = render(digest, "en")
        _, texte, _ = render(digest, "fr")
    assert "- Faster flow: at risk, 1 of 2 KPIs on target, by 2027-06-30" in text
    assert "- Adopted: off track, 0 of 1 KPIs on target" in text
    off = text.split("KPIs off target:")[1]
    assert off.index("Adoption:") < off.index("Flow:") < off.index("Not classified:")
    assert "Faster flow" in html and "at risk" in html and "Not classified" in html
    assert "Faster flow" in texte


def test_without_objectives_the_email_says_none(app, org):
    digest, _ = barometer_mail.digest(org, "2026-Q4", "http://tracker.test")
    with app.test_request_context():
        _, text, _ = render(digest, "en")
    assert "Objectives:\n- None." in text
