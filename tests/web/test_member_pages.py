"""The members page on the demo organization: a lead invites by email (the email waits in
the outbox, nobody joins yet), resends (a new invitation replaces the pending one) and
cancels, changes a role and removes a member; the last lead is refused with the service's
message; a viewer reads the list without any control and is refused every change."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.web_helpers import seed_demo, sign_in
from tracker.extensions import db
from tracker.models import Invitation, Membership, OutboxMessage
from tracker.services.tenancy import accounts

INVITEE = "colleague@example.org"


@pytest.fixture
def demo_org(app, client) -> int:
    org_id = seed_demo()
    sign_in(client, "lead@novatechna.example")
    return org_id


def user_id(email: str) -> int:
    user = accounts.find_user(email)
    assert user is not None
    return user.id


def role_of(org_id: int, email: str) -> str | None:
    return db.session.scalar(select(Membership.role).where(
        Membership.org_id == org_id, Membership.user_id == user_id(email)))


def pending(org_id: int) -> list[Invitation]:
    db.session.expire_all()
    return list(db.session.scalars(select(Invitation).where(
        Invitation.org_id == org_id, Invitation.cancelled_at.is_(None),
        Invitation.accepted_at.is_(None))))


def invite(client, org_id: int, email: str = INVITEE, role: str = "ops"):
    return client.post(f"/orgs/{org_id}/invitations", data={"email": email, "role": role})


def test_the_lead_sees_members_roles_and_the_invitation_form(client, demo_org):
    page = client.get(f"/orgs/{demo_org}/members").text

    assert "sponsor@novatechna.example" in page
    assert 'id="invite-form"' in page and '<label for="invite-email">' in page
    assert f'id="role-{user_id("ops@novatechna.example")}"' in page
    assert "No pending invitation" in page
    assert f'href="/orgs/{demo_org}/settings"' in page  # the lead's menu entry


def test_an_invitation_queues_an_email_and_makes_nobody_a_member(client, demo_org):
    response = invite(client, demo_org)

    assert response.status_code == 303
    messages = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == INVITEE)).all()
    assert len(messages) == 1 and "/invitations/" in messages[0].text
    assert accounts.find_user(INVITEE) is None
    [invitation] = pending(demo_org)
    assert invitation.role == "ops"
    page = client.get(f"/orgs/{demo_org}/members").text
    assert INVITEE in page and f'id="resend-{invitation.id}"' in page


def test_a_bad_invitation_is_refused_beside_its_fields_with_the_input_kept(client, demo_org):
    response = invite(client, demo_org, email="not-an-email", role="boss")

    assert response.status_code == 422
    assert 'id="invite-email-error"' in response.text
    assert 'id="invite-role-error"' in response.text
    assert 'value="not-an-email"' in response.text
    taken = invite(client, demo_org, email="ops@novatechna.example")
    assert taken.status_code == 409 and "Already a member." in taken.text


def test_resend_replaces_the_pending_invitation_and_cancel_ends_it(client, demo_org):
    invite(client, demo_org)
    [first] = pending(demo_org)

    assert client.post(f"/orgs/{demo_org}/invitations/{first.id}/resend").status_code == 303

    [second] = pending(demo_org)
    assert second.id != first.id and (second.email, second.role) == (INVITEE, "ops")
    assert len(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == INVITEE)).all()) == 2

    assert client.post(f"/orgs/{demo_org}/invitations/{second.id}/cancel").status_code == 303
    assert pending(demo_org) == []
    assert "The invitation is cancelled." in client.get(f"/orgs/{demo_org}/members").text


def test_a_lead_changes_a_role_and_removes_a_member_once_confirmed(client, demo_org):
    ops = user_id("ops@novatechna.example")
    client.post(f"/orgs/{demo_org}/members/{ops}/role", data={"role": "viewer"})
    assert role_of(demo_org, "ops@novatechna.example") == "viewer"

    unconfirmed = client.post(f"/orgs/{demo_org}/members/{ops}/remove", data={})
    assert unconfirmed.status_code == 303
    assert role_of(demo_org, "ops@novatechna.example") == "viewer"

    client.post(f"/orgs/{demo_org}/members/{ops}/remove", data={"confirm": "1"})
    assert role_of(demo_org, "ops@novatechna.example") is None
    assert "The member is removed." in client.get(f"/orgs/{demo_org}/members").text


def test_a_lead_who_leaves_lands_on_the_home_page(client, demo_org):
    ops = user_id("ops@novatechna.example")
    client.post(f"/orgs/{demo_org}/members/{ops}/role", data={"role": "lead"})
    lead = user_id("lead@novatechna.example")

    response = client.post(f"/orgs/{demo_org}/members/{lead}/remove", data={"confirm": "1"})

    assert response.headers["Location"] == "/"
    assert role_of(demo_org, "lead@novatechna.example") is None


def test_the_last_lead_is_neither_demoted_nor_removed(client, demo_org):
    lead = user_id("lead@novatechna.example")

    client.post(f"/orgs/{demo_org}/members/{lead}/role", data={"role": "ops"})
    page = client.get(f"/orgs/{demo_org}/members").text
    assert "An organization keeps at least one lead." in page
    client.post(f"/orgs/{demo_org}/members/{lead}/remove", data={"confirm": "1"})

    assert role_of(demo_org, "lead@novatechna.example") == "lead"
    assert "An organization keeps at least one lead." in \
        client.get(f"/orgs/{demo_org}/members").text


def test_a_viewer_reads_the_members_without_controls_and_cannot_change_them(client, app):
    org_id = seed_demo()
    sign_in(client, "sponsor@novatechna.example")
    ops = user_id("ops@novatechna.example")

    page = client.get(f"/orgs/{org_id}/members")

    assert page.status_code == 200 and "ops@novatechna.example" in page.text
    for control in ('id="invite-form"', f'id="role-{ops}"', f'id="remove-{ops}"',
                    'id="pending"', "/settings"):
        assert control not in page.text
    assert invite(client, org_id).status_code == 403
    assert client.post(f"/orgs/{org_id}/members/{ops}/role",
                       data={"role": "viewer"}).status_code == 403
    assert client.post(f"/orgs/{org_id}/members/{ops}/remove",
                       data={"confirm": "1"}).status_code == 403
    assert client.post(f"/orgs/{org_id}/invitations/1/resend").status_code == 403
    assert client.post(f"/orgs/{org_id}/invitations/1/cancel").status_code == 403
    assert role_of(org_id, "ops@novatechna.example") == "ops"


def test_an_outsider_gets_404(client, app):
    org_id = seed_demo()
    accounts.create_user("outsider@example.org", "a-long-enough-password-1")
    client.post("/login", data={"email": "outsider@example.org",
                                "password": "a-long-enough-password-1"})

    assert client.get(f"/orgs/{org_id}/members").status_code == 404
