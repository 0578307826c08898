"""The plan in use on the pages: "Use as the plan" on the roadmap page saves the start and
capacity shown (ops and leads only), and the roadmap and barometer pages say which plan the
projection uses and what it leaves out."""

from __future__ import annotations

from datetime import date

import pytest

from tests.web.test_pages import sign_in
from tracker.extensions import db
from tracker.models import Initiative, Organization
from tracker.seeding import demo
from tracker.seeding import frameworks as seeds


@pytest.fixture
def org_id(app) -> int:
    seeds.seed_frameworks()
    return demo.load_demo().org_id


def saved_plan(org_id: int) -> tuple[date | None, int | None, float | None]:
    db.session.expire_all()
    org = db.session.get(Organization, org_id)
    assert org is not None
    return org.plan_start, org.plan_capacity, org.plan_points


def test_ops_use_the_plan_shown_as_the_organizations_plan(client, org_id):
    sign_in(client, "ops")
    page = client.get(f"/orgs/{org_id}/roadmap?start=2026-06-01&capacity=2").text
    assert "Use as the plan" in page
    assert 'name="plan_start" value="2026-06-01"' in page
    assert 'name="plan_capacity" value="2"' in page
    assert "No plan saved yet: planned from today" in page

    response = client.post(f"/orgs/{org_id}/roadmap/plan", data={
        "plan_start": "2026-06-01", "plan_capacity": "2", "plan_points": ""})
    assert response.status_code == 303
    assert response.location.endswith(f"/orgs/{org_id}/roadmap?start=2026-06-01&capacity=2")
    assert saved_plan(org_id) == (date(2026, 6, 1), 2, None)
    page = client.get(response.location).text
    assert ("Planned with the organization's plan: from Jun 1, 2026, 2 initiatives at "
            "once.") in page


def test_a_bad_plan_is_not_saved_and_says_why(client, org_id):
    sign_in(client, "lead")
    response = client.post(f"/orgs/{org_id}/roadmap/plan", data={
        "plan_start": "2026-06-01", "plan_capacity": "0"}, follow_redirects=True)
    assert "The plan was not saved: Initiatives at once:" in response.text
    assert saved_plan(org_id) == (None, None, None)


def test_a_viewer_cannot_use_a_plan(client, org_id):
    sign_in(client, "sponsor")  # viewer in the demo
    assert "Use as the plan" not in client.get(f"/orgs/{org_id}/roadmap").text
    response = client.post(f"/orgs/{org_id}/roadmap/plan", data={"plan_capacity": "1"})
    assert response.status_code == 403
    assert saved_plan(org_id) == (None, None, None)


def test_the_barometer_page_names_the_plan_and_what_it_leaves_out(client, org_id):
    db.session.add(Initiative(org_id=org_id, title="Idea without estimate", status="proposed"))
    db.session.commit()
    sign_in(client, "lead")
    page = client.get(f"/orgs/{org_id}/barometer")
    assert page.status_code == 200
    assert "No plan saved yet: planned from today" in page.text
    assert ("1 initiative is left out of the plan and its uplifts are not projected: "
            "Idea without estimate.") in page.text
    page = client.get(f"/orgs/{org_id}/barometer?baseline=Plan of record").text
    assert "Planned with the baseline “Plan of record”: from " in page
    assert '<option value="Plan of record" selected>' in page
