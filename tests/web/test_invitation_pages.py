"""The invitation page (issue 13, finding 8): a person signs in or chooses a password, then
lands in the organization; dead links say why. The audit log page is for leads, newest
first, with human labels, and the menu links to it for leads only."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.builders import add_member
from tracker.extensions import db
from tracker.models import OutboxMessage
from tracker.services.tenancy import accounts

PASSWORD = "correct horse battery"


@pytest.fixture
def org(lead) -> int:
    return lead.post("/api/v1/orgs", json={"name": "Acme"}).json["id"]


def _invite(lead, org: int, email: str, role: str = "contributor") -> str:
    response = lead.post(f"/api/v1/orgs/{org}/invitations", json={"email": email, "role": role})
    assert response.status_code == 202
    text = db.session.scalars(select(OutboxMessage.text).where(
        OutboxMessage.recipient == email).order_by(OutboxMessage.id.desc())).first()
    return re.search(r"http://tracker\.test(/invitations/[\w-]+)", text).group(1)


def _sign_in(client, email: str) -> None:
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302


def test_a_new_person_chooses_a_password_and_lands_in_the_organization(client, lead, org):
    path = _invite(lead, org, "new@example.org")
    page = client.get(path)
    assert page.status_code == 200 and "Acme" in page.text and "new@example.org" in page.text
    differ = client.post(path, data={"password": "a long new passphrase",
                                     "confirm_password": "another one"})
    assert differ.status_code == 422 and "The two passwords differ." in differ.text

    joined = client.post(path, data={"name": "New", "password": "a long new passphrase",
                                     "confirm_password": "a long new passphrase"})
    assert joined.status_code == 303
    assert joined.headers["Location"].endswith(f"/orgs/{org}/assessments")
    assert client.get(joined.headers["Location"]).status_code == 200  # signed in, a member
    assert accounts.find_user("new@example.org").name == "New"
    used = client.get(path)
    assert used.status_code == 410 and "already been accepted" in used.text


def test_a_signed_in_person_joins_with_one_click(client, lead, make_api, org):
    make_api("ann@example.org")
    path = _invite(lead, org, "ann@example.org")
    _sign_in(client, "ann@example.org")
    assert client.get(f"/orgs/{org}/assessments").status_code == 404
    assert "Join Acme" in client.get(path).text
    assert client.post(path).status_code == 303
    assert client.get(f"/orgs/{org}/assessments").status_code == 200


def test_another_signed_in_person_cannot_join(client, lead, make_api, org):
    make_api("mallory@example.org")
    path = _invite(lead, org, "ann@example.org")
    _sign_in(client, "mallory@example.org")
    refused = client.post(path)
    assert refused.status_code == 422 and "another email address" in refused.text
    assert client.get(f"/orgs/{org}/assessments").status_code == 404


def test_an_unknown_link_is_a_404_page(client):
    response = client.get("/invitations/nonsense")
    assert response.status_code == 404 and "not valid" in response.text


def test_leads_read_the_audit_log_with_labels_newest_first(client, lead, make_api, org):
    make_api("ops@example.org")
    add_member(org, "ops@example.org", "ops")
    lead.patch(f"/api/v1/orgs/{org}", json={"name": "Acme Corp"})
    _invite(lead, org, "new@example.org")
    _sign_in(client, "lead@example.org")
    page = client.get(f"/orgs/{org}/audit")
    assert page.status_code == 200
    text = page.text.split("<tbody>")[1]
    assert text.index("invited") < text.index("settings changed") < text.index("added")
    assert "Acme → Acme Corp" in text
    assert f'href="/orgs/{org}/audit"' in page.text  # the menu links to it
    filtered = client.get(f"/orgs/{org}/audit?action=settings").text.split("<tbody>")[1]
    assert "settings changed" in filtered and "new@example.org" not in filtered


def test_the_audit_log_is_for_leads_only(client, lead, make_api, org):
    make_api("ops@example.org")
    add_member(org, "ops@example.org", "ops")
    _sign_in(client, "ops@example.org")
    assert client.get(f"/orgs/{org}/audit").status_code == 403
    assert f'href="/orgs/{org}/audit"' not in client.get(f"/orgs/{org}/assessments").text
