"""The organization pages: creating one through the form (its creator becomes its lead,
its profile is kept, every bad field is reported at once with the input kept), the
settings page of leads, and the home page listing your organizations or saying what to do
first."""

from __future__ import annotations

import re

import pytest

from tests.web_helpers import seed_demo, sign_in
from tracker.extensions import db
from tracker.models import Membership, Organization
from tracker.services.frame import playbook
from tracker.services.tenancy import accounts

PASSWORD = "a-long-enough-password-1"
NEW_ORG = {"name": "Acme Insurance", "locale": "fr", "timezone": "Europe/Paris",
           "min_group_size": "4", "perception_gap_threshold": "1.5", "default_method": "rice",
           "quick_win_max_weeks": "5", "structural_min_weeks": "10", "size_band": "mid_size",
           "management_levels": "3", "product_tech_people": "120",
           "growth_outlook": "strong", "regulatory_constraints": "GDPR, Solvency II"}


@pytest.fixture
def newcomer(app, client) -> int:
    """A signed-in user who belongs to no organization."""
    user_id = accounts.create_user("new@example.org", PASSWORD, name="Nora New").id
    response = client.post("/login", data={"email": "new@example.org", "password": PASSWORD})
    assert response.status_code == 302
    return user_id


def field_errors(page: str) -> set[str]:
    return set(re.findall(r'<p class="field-error" id="([\w-]+)-error">', page))


def test_a_new_user_sees_what_to_do_first(client, newcomer):
    page = client.get("/").text

    assert 'id="no-organization"' in page
    assert "/orgs/new" in page
    assert "invitation" in page
    assert "with the API" not in page


def test_creating_an_organization_makes_its_creator_lead_and_keeps_its_profile(
        client, newcomer):
    form = client.get("/orgs/new").text
    assert '<label for="f-timezone">' in form
    assert '<optgroup label="Europe">' in form

    response = client.post("/orgs/new", data=NEW_ORG)

    assert response.status_code == 303
    org = db.session.query(Organization).filter_by(name="Acme Insurance").one()
    assert response.headers["Location"].endswith(f"/orgs/{org.id}/members")
    assert (org.locale, org.timezone, org.min_group_size, org.default_method) == (
        "fr", "Europe/Paris", 4, "rice")
    assert org.perception_gap_threshold == 1.5
    membership = db.session.query(Membership).filter_by(org_id=org.id).one()
    assert (membership.user_id, membership.role) == (newcomer, "lead")
    profile = playbook.get_profile(org)
    assert (profile.size_band, profile.management_levels, profile.product_tech_people,
            profile.growth_outlook) == ("mid_size", 3, 120, "strong")
    assert profile.regulatory_constraints == ["GDPR", "Solvency II"]
    home = client.get("/").text
    assert "Acme Insurance" in home and "lead" in home


def test_a_blank_name_and_a_bad_group_size_are_reported_together_with_the_input_kept(
        client, newcomer):
    response = client.post("/orgs/new", data={**NEW_ORG, "name": "", "min_group_size": "0",
                                              "management_levels": "many"})

    assert response.status_code == 422
    assert field_errors(response.text) == {"name", "min_group_size", "management_levels"}
    assert 'value="0"' in response.text and 'value="many"' in response.text
    assert '<option value="Europe/Paris" selected>' in response.text
    assert db.session.query(Organization).count() == 0


def test_a_lead_edits_the_settings_and_the_change_is_audited(client, app):
    org_id = seed_demo()
    sign_in(client, "lead@novatechna.example")
    form = client.get(f"/orgs/{org_id}/settings").text
    assert 'id="organization-form"' in form

    response = client.post(f"/orgs/{org_id}/settings", data={
        **NEW_ORG, "name": "Novatechna SA", "timezone": "America/Montreal",
        "min_group_size": "5", "size_band": "", "growth_outlook": "",
        "regulatory_constraints": ""})

    assert response.status_code == 303
    org = db.session.get(Organization, org_id)
    db.session.refresh(org)
    assert (org.name, org.timezone, org.min_group_size) == ("Novatechna SA",
                                                            "America/Montreal", 5)
    profile = playbook.get_profile(org)
    assert profile.size_band is None and profile.regulatory_constraints == []
    audit = client.get(f"/orgs/{org_id}/audit").text
    assert "Novatechna SA" in audit


def test_bad_settings_are_refused_beside_their_fields(client, app):
    org_id = seed_demo()
    sign_in(client, "lead@novatechna.example")

    response = client.post(f"/orgs/{org_id}/settings", data={
        **NEW_ORG, "timezone": "Mars/Olympus", "quick_win_max_weeks": "-1"})

    assert response.status_code == 422
    assert field_errors(response.text) == {"timezone", "quick_win_max_weeks"}


def test_settings_are_for_leads_only(client, app):
    org_id = seed_demo()
    sign_in(client, "ops@novatechna.example")

    assert client.get(f"/orgs/{org_id}/settings").status_code == 403
    assert client.post(f"/orgs/{org_id}/settings", data=NEW_ORG).status_code == 403
    assert f"/orgs/{org_id}/settings" not in client.get(f"/orgs/{org_id}/members").text


def test_the_home_page_lists_your_organizations_with_your_role(client, app):
    org_id = seed_demo()
    sign_in(client, "sponsor@novatechna.example")

    page = client.get("/").text

    assert f'data-id="{org_id}"' in page
    assert "Your role: viewer" in page
    assert 'id="organization-create"' in page
