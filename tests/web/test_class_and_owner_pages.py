"""The class and the enabler tag on the backlog and initiative pages, the owner picker of
the initiative form, and the owner load table of the roadmap page (issue 17)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.web_helpers import seed_demo, sign_in
from tracker.extensions import db
from tracker.models import Initiative, Organization
from tracker.services.tenancy import accounts, organizations


@pytest.fixture
def demo_org(app) -> int:
    return seed_demo()


def role_cards(org_id: int) -> Initiative:
    return db.session.scalar(select(Initiative).where(
        Initiative.org_id == org_id, Initiative.title.startswith("Role cards")))


def test_the_backlog_shows_role_cards_as_a_quick_win_tagged_enabler(client, demo_org):
    sign_in(client, "lead@novatechna.example")
    page = client.get(f"/orgs/{demo_org}/backlog?include_done=1").text
    row = re.search(rf'<tr data-id="{role_cards(demo_org).id}">(.*?)</tr>', page, re.S).group(1)
    klass = re.search(r'<td data-value="quick_win">(.*?)</td>', row, re.S).group(1)
    assert "quick win" in klass and '<span class="badge enabler">enabler</span>' in klass
    assert "structural lever" not in row
    assert 'id="class-hint"' in page and "at most 6 weeks" in page


def test_the_initiative_page_shows_its_class_and_the_enabler_tag(client, demo_org):
    sign_in(client, "lead@novatechna.example")
    page = client.get(f"/orgs/{demo_org}/initiatives/{role_cards(demo_org).id}").text
    assert re.search(r'id="initiative-class">Class: quick win</span>', page)
    assert 'id="initiative-enabler"' in page
    other = db.session.scalar(select(Initiative).where(
        Initiative.org_id == demo_org, Initiative.title.startswith("Redraw team")))
    page = client.get(f"/orgs/{demo_org}/initiatives/{other.id}").text
    assert "Class: structural lever" in page and 'id="initiative-enabler"' not in page


def test_the_initiative_form_offers_the_members_as_owners_and_keeps_free_text(client, demo_org):
    sign_in(client, "lead@novatechna.example")
    form = client.get(f"/orgs/{demo_org}/initiatives/new").text
    options = re.findall(r'<option value="([^"]+)"></option>',
                         re.search(r'<datalist id="owner-names">(.*?)</datalist>', form,
                                   re.S).group(1))
    org = db.session.get(Organization, demo_org)
    assert options == organizations.member_names(org)
    assert {"Léa Vidal", "Hugo Mercier", "Philippe Garnier", "Inès Lambert"} <= set(options)
    assert 'list="owner-names"' in form
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    data = {"title": "Free owner", "status": "proposed", "owner": "Someone Outside"}
    if token:
        data["csrf_token"] = token.group(1)
    response = client.post(f"/orgs/{demo_org}/initiatives/new", data=data)
    assert response.status_code == 303, response.text
    created = db.session.scalar(select(Initiative).where(Initiative.title == "Free owner"))
    assert created.owner == "Someone Outside"


def test_member_names_fall_back_to_the_email_and_ignore_case(app):
    lead = accounts.create_user("zed@names.example", "password-123456", name="zoé Zed")
    org = organizations.create_organization(lead, {"name": "Names"})
    accounts.create_user("anon@names.example", "password-123456")
    organizations.add_member(org, "anon@names.example", "ops")
    assert organizations.member_names(org) == ["anon@names.example", "zoé Zed"]


def test_the_roadmap_shows_each_owner_s_load_per_phase(client, demo_org):
    for initiative in db.session.scalars(select(Initiative).where(
            Initiative.org_id == demo_org)):
        initiative.owner = "Léa Vidal"     # one person carries the whole plan
    db.session.commit()
    sign_in(client, "lead@novatechna.example")
    page = client.get(f"/orgs/{demo_org}/roadmap").text
    table = re.search(r'<table id="owner-load-table">(.*?)</table>', page, re.S).group(1)
    assert table.count("<th scope=\"row\">") == 1 and "Léa Vidal" in table
    assert "Phase 1 — Quick wins and pilots" in table
    assert '<span class="badge bad">overloaded</span>' in table


def test_the_owner_load_empty_state_names_the_next_step(client, demo_org):
    for initiative in db.session.scalars(select(Initiative).where(
            Initiative.org_id == demo_org)):
        initiative.owner = None
    db.session.commit()
    sign_in(client, "lead@novatechna.example")
    page = client.get(f"/orgs/{demo_org}/roadmap").text
    assert 'id="owner-load-empty"' in page and 'id="owner-load-table"' not in page
    assert f'href="/orgs/{demo_org}/backlog"' in page.split('id="owner-load-empty"')[1][:600]
