"""The roadmap and dependency pages never show a bare error for incomplete data: what the
plan leaves out is listed with its reasons, translated, each initiative linked; rendered
server-side on the demo organization and on a fresh one."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from tests.web_helpers import seed_demo, sign_in
from tracker.domain import roadmap as planning
from tracker.extensions import db
from tracker.models import Dependency, Initiative, User
from tracker.services import derived
from tracker.services.tenancy import organizations

LEAD = "lead@novatechna.example"


@pytest.fixture
def demo_org(app) -> int:
    return seed_demo()


@pytest.fixture
def fresh_idea(demo_org) -> dict[str, int]:
    """A title-only initiative and one (2 weeks) that waits for it, in the demo."""
    idea = Initiative(org_id=demo_org, title="Fresh idea", status="proposed")
    follow_up = Initiative(org_id=demo_org, title="Follow-up", status="approved",
                           duration_weeks=2.0)
    db.session.add_all([idea, follow_up])
    db.session.flush()
    db.session.add(Dependency(org_id=demo_org, prerequisite_id=idea.id,
                              dependent_id=follow_up.id, lag_weeks=0.0))
    db.session.commit()
    return {"idea": idea.id, "follow_up": follow_up.id}


def left_out(page: str) -> str:
    """The page's list of initiatives left out of the plan."""
    match = re.search(r'<section class="card" id="unplanned".*?</section>', page, re.S)
    assert match, "no list of unplanned initiatives"
    return match.group(0)


def link(org_id: int, initiative_id: int, title: str) -> str:
    return f'<a href="/orgs/{org_id}/initiatives/{initiative_id}">{title}</a>'


def test_the_roadmap_plans_the_rest_and_lists_what_it_leaves_out(client, demo_org, fresh_idea):
    sign_in(client, LEAD)

    response = client.get(f"/orgs/{demo_org}/roadmap?start=2026-06-01")

    assert response.status_code == 200
    assert 'id="gantt"' in response.text and 'role="alert"' not in response.text
    listed = left_out(response.text)
    idea = link(demo_org, fresh_idea["idea"], "Fresh idea")
    assert f"{idea} — no duration yet" in listed
    assert (f"{link(demo_org, fresh_idea['follow_up'], 'Follow-up')} — waits for an "
            f"initiative left out: {idea}") in listed
    assert 'href="#unplanned"' in response.text  # the summary card points to the list


def test_the_lists_read_in_french(client, demo_org, fresh_idea):
    sign_in(client, LEAD)
    client.post("/locale", data={"locale": "fr"})

    for path in ("roadmap", "dependencies"):
        listed = left_out(client.get(f"/orgs/{demo_org}/{path}").text)
        assert "Hors du plan" in listed and "pas encore de durée" in listed, path
        assert "attend une initiative hors du plan" in listed, path


def test_the_dependency_page_keeps_its_critical_path_and_lists_the_left_out(
        client, demo_org, fresh_idea):
    sign_in(client, LEAD)

    page = client.get(f"/orgs/{demo_org}/dependencies").text

    assert re.search(r"Critical chain, \d+ initiatives?, [\d.,]+ weeks:\s*<a href=", page)
    assert link(demo_org, fresh_idea["idea"], "Fresh idea") in left_out(page)


def test_a_pinned_date_in_conflict_is_explained_on_the_dependency_page(client, demo_org):
    dependent = db.session.scalar(
        select(Initiative).join(Dependency, Dependency.dependent_id == Initiative.id)
        .where(Initiative.org_id == demo_org, Initiative.status.in_(("proposed", "approved")))
        .order_by(Initiative.id).limit(1))
    dependent.pinned_start = date(2000, 1, 3)
    db.session.commit()
    sign_in(client, LEAD)

    response = client.get(f"/orgs/{demo_org}/dependencies")

    assert response.status_code == 200
    assert "Critical path:" not in response.text
    assert re.search(r'<p class="note" id="no-plan">No critical path while the plan cannot '
                     r"be made: Pinned start dates conflict with prerequisites", response.text)


def test_a_fresh_organization_with_only_a_title_shows_it_left_out(client, app):
    seed_demo()
    lead = db.session.scalar(select(User).where(User.email == LEAD))
    org_id = organizations.create_organization(lead, {"name": "Fresh start"}).id
    idea = Initiative(org_id=org_id, title="Only a title", status="proposed")
    db.session.add(idea)
    db.session.commit()
    idea_id = idea.id
    sign_in(client, LEAD)

    roadmap = client.get(f"/orgs/{org_id}/roadmap")
    dependencies = client.get(f"/orgs/{org_id}/dependencies")

    assert (roadmap.status_code, dependencies.status_code) == (200, 200)
    assert "Nothing can be planned yet: the initiatives below need a duration first." in (
        roadmap.text)
    for page in (roadmap.text, dependencies.text):
        assert f"{link(org_id, idea_id, 'Only a title')} — no duration yet" in left_out(page)


def test_the_roadmap_says_when_it_could_not_verify_slack(client, demo_org, monkeypatch):
    sign_in(client, LEAD)
    assert 'id="slack-unverified"' not in client.get(
        f"/orgs/{demo_org}/roadmap?start=2026-06-01&capacity=2").text
    monkeypatch.setattr(planning, "SLACK_BUDGET", 0)
    derived.clear()  # the plan is kept per data version: a new budget is a new process

    page = client.get(f"/orgs/{demo_org}/roadmap?start=2026-06-01&capacity=2").text

    assert re.search(r'<p class="hint" id="slack-unverified">The plan is too large to verify '
                     r"the slack of \d+ initiatives under this capacity: they show none.</p>",
                     page)
