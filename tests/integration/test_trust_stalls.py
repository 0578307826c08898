"""Stalled initiatives (DESIGN section 3, "Stalled": in progress beyond 1.5 × their duration
without an estimate) are flagged in the barometer email and in the committee's meeting pack
(its printable page and its email), and an initiative still within its limit is not."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.builders import Scenario
from tracker.adapters.email import committee_pack as pack_email
from tracker.adapters.email.barometer import render
from tracker.extensions import db
from tracker.models import Initiative, Organization
from tracker.services.follow import barometer_mail, committee_pack


@pytest.fixture
def org(lead, admin) -> tuple[Organization, int]:
    """An organization with two 4-week initiatives in progress (limit 1.5 × 4 = 6 weeks):
    one started 70 days ago (10.0 weeks: stalled), one 35 days ago (5.0 weeks: not yet);
    and a committee. The organization and the committee's id."""
    scenario = Scenario(lead, admin)
    committee = lead.post(scenario.url("/committees"), json={
        "name": "Portfolio board", "level": "portfolio", "cron": "0 9 * * 1",
        "member_emails": ["pmo@acme.test"]})
    assert committee.status_code == 201, committee.json
    org_id, today = scenario.org["id"], date.today()
    db.session.add_all([
        Initiative(org_id=org_id, title="Slow migration", status="in_progress",
                   duration_weeks=4, actual_start=today - timedelta(days=70)),
        Initiative(org_id=org_id, title="Fresh start", status="in_progress",
                   duration_weeks=4, actual_start=today - timedelta(days=35))])
    db.session.commit()
    return db.session.get(Organization, org_id), committee.json["id"]


def test_the_barometer_email_flags_only_the_stalled_initiative(org):
    organization, _committee = org
    digest, _charts = barometer_mail.digest(organization, "2026-Q4", "http://tracker.test")
    assert [(s.title, s.weeks_in_progress, s.limit_weeks) for s in digest.stalls] == [
        ("Slow migration", pytest.approx(10.0), 6.0)]
    _subject, text, html = render(digest, "en")
    assert "- Slow migration: 10.0 weeks in progress, limit 6.0 weeks" in text
    assert "Fresh start" not in text.split("Stalled initiatives:")[1].split("Objectives:")[0]
    assert "Slow migration: 10.0 weeks in progress, limit 6.0 weeks" in html


def test_the_meeting_pack_flags_it_on_its_page_and_in_its_email(org):
    organization, committee_id = org
    day = date.today()
    page = committee_pack.pack_html(organization, committee_id, day)
    stalled = page[page.index("Stalled initiatives"):]
    stalled = stalled[:stalled.index("</table>")]
    assert "Stalled initiatives (1)" in stalled
    assert "<td>Slow migration</td>" in stalled and "Fresh start" not in stalled
    assert '<td class="num">10</td><td class="num">6</td>' in stalled
    pack = committee_pack.meeting_pack(organization, committee_id, day)
    text, html = pack_email.render(organization.name, pack, committee_pack.counts(pack),
                                   "http://tracker.test/pack")
    section = text[text.index("Stalled initiatives (1)"):]
    assert section.splitlines()[1] == "- Slow migration"
    assert "Slow migration" in html
