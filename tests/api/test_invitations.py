"""Invitations replace silent membership (issue 13, finding 8): adding someone sends an
emailed link; nobody joins before accepting; the answer never says whether an account
exists; used, cancelled and expired links answer 410."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import AuditEvent, Invitation, Membership, OutboxMessage
from tracker.services.tenancy import accounts

LINK = re.compile(r"http://tracker\.test/invitations/([\w-]+)")


def _invite(lead, org: int, email: str, role: str = "viewer", path: str = "/invitations"):
    return lead.post(f"/api/v1/orgs/{org}{path}", json={"email": email, "role": role})


def _secret(email: str) -> str:
    """The secret of the last invitation emailed to `email`, read from the outbox."""
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == email)
                                 .order_by(OutboxMessage.id.desc())).first()
    match = LINK.search(message.text)
    assert match and match.group(0) in message.html
    return match.group(1)


def _members(org: int) -> set[str]:
    return {m.user.email for m in db.session.scalars(
        select(Membership).where(Membership.org_id == org))}


@pytest.mark.parametrize("path", ["/invitations", "/members"])
def test_inviting_answers_the_same_whether_or_not_an_account_exists(lead, make_api, org,
                                                                    path):
    make_api("known@example.org")
    known = _invite(lead, org, "known@example.org", path=path)
    unknown = _invite(lead, org, "nobody@example.org", path=path)
    assert known.status_code == unknown.status_code == 202

    def without_ids(response) -> tuple[bytes, list[tuple[str, str]]]:
        body = re.sub(rb'"id": ?\d+', b'"id": 0', response.get_data())
        return body, sorted((k, v) for k, v in response.headers.items()
                            if k not in {"Content-Length", "Location", "X-Request-ID"})

    assert without_ids(known) == without_ids(unknown)
    assert _members(org) == {"lead@example.org"}  # no membership before acceptance


def test_a_signed_in_user_with_the_invited_email_joins_by_accepting(lead, make_api, org):
    invitee = make_api("ann@example.org")
    assert invitee.get(f"/api/v1/orgs/{org}").status_code == 404
    _invite(lead, org, "ANN@example.org", role="ops")
    secret = _secret("ann@example.org")

    response = invitee.post(f"/api/v1/invitations/{secret}/accept", json={})
    assert response.status_code == 200, response.json
    assert response.json["role"] == "ops" and response.json["org_id"] == org
    assert invitee.get(f"/api/v1/orgs/{org}").status_code == 200
    used = invitee.post(f"/api/v1/invitations/{secret}/accept", json={})
    assert used.status_code == 410 and "already been accepted" in used.json["detail"]


def test_someone_else_cannot_accept_an_invitation(lead, make_api, org):
    intruder = make_api("mallory@example.org")
    _invite(lead, org, "ann@example.org")
    response = intruder.post(f"/api/v1/invitations/{_secret('ann@example.org')}/accept",
                             json={})
    assert response.status_code == 403
    assert _members(org) == {"lead@example.org"}


def test_a_person_without_an_account_sets_a_password_and_joins(lead, client, org):
    _invite(lead, org, "new@example.org", role="contributor")
    secret = _secret("new@example.org")
    missing = client.post(f"/api/v1/invitations/{secret}/accept", json={})
    assert missing.status_code == 422 and "password" in missing.json["errors"]

    password = "a long and unusual passphrase"
    joined = client.post(f"/api/v1/invitations/{secret}/accept",
                         json={"password": password, "name": "New"})
    assert joined.status_code == 200, joined.json
    user = accounts.authenticate("new@example.org", password)
    assert user is not None and user.name == "New"
    assert _members(org) == {"lead@example.org", "new@example.org"}


def test_signed_out_with_an_existing_account_one_must_sign_in(lead, make_api, client, org):
    make_api("known@example.org")
    _invite(lead, org, "known@example.org")
    response = client.post(f"/api/v1/invitations/{_secret('known@example.org')}/accept",
                           json={"password": "another long passphrase"})
    assert response.status_code == 409
    assert accounts.authenticate("known@example.org", "correct horse battery") is not None


def test_unknown_cancelled_replaced_and_expired_links_do_not_work(lead, client, org):
    assert client.post("/api/v1/invitations/nonsense/accept", json={}).status_code == 404
    _invite(lead, org, "a@example.org")
    first = _secret("a@example.org")
    _invite(lead, org, "a@example.org")  # a resend replaces the pending invitation
    second = _secret("a@example.org")
    replaced = client.post(f"/api/v1/invitations/{first}/accept", json={"password": "x" * 20})
    assert replaced.status_code == 410 and "cancelled" in replaced.json["detail"]

    pending = lead.get(f"/api/v1/orgs/{org}/invitations").json
    assert pending["total"] == 1 and pending["items"][0]["email"] == "a@example.org"
    assert pending["items"][0]["invited_by"] == "lead@example.org"
    invitation_id = pending["items"][0]["id"]
    assert lead.delete(f"/api/v1/orgs/{org}/invitations/{invitation_id}").status_code == 204
    assert lead.delete(f"/api/v1/orgs/{org}/invitations/{invitation_id}").status_code == 404
    assert client.post(f"/api/v1/invitations/{second}/accept",
                       json={"password": "x" * 20}).status_code == 410

    _invite(lead, org, "b@example.org")
    invitation = db.session.scalars(select(Invitation).where(
        Invitation.email == "b@example.org")).one()
    invitation.expires_at = invitation.created_at - timedelta(seconds=1)
    db.session.commit()
    expired = client.post(f"/api/v1/invitations/{_secret('b@example.org')}/accept",
                          json={"password": "x" * 20})
    assert expired.status_code == 410 and "expired" in expired.json["detail"]
    assert _members(org) == {"lead@example.org"}


def test_the_link_expires_after_the_configured_days(lead, org, app):
    app.config["TRACKER_INVITATION_DAYS"] = 3
    try:
        _invite(lead, org, "a@example.org")
    finally:
        app.config.pop("TRACKER_INVITATION_DAYS")
    invitation = db.session.scalars(select(Invitation)).one()
    assert invitation.expires_at - invitation.created_at == timedelta(days=3)


def test_only_leads_invite_list_and_cancel(lead, make_api, org):
    from tests.builders import add_member

    ops = make_api("ops@example.org")
    add_member(org, "ops@example.org", "ops")
    assert _invite(ops, org, "x@example.org").status_code == 403
    assert ops.get(f"/api/v1/orgs/{org}/invitations").status_code == 403
    assert _invite(lead, org, "ops@example.org").status_code == 409  # already a member


def test_invitations_are_audited(lead, make_api, org):
    invitee = make_api("ann@example.org")
    _invite(lead, org, "ann@example.org", role="ops")
    invitee.post(f"/api/v1/invitations/{_secret('ann@example.org')}/accept", json={})
    log = lead.get(f"/api/v1/orgs/{org}/audit").json
    assert [(i["action"], i["actor_email"]) for i in log["items"]] == [
        ("join", "ann@example.org"), ("invite", "lead@example.org")]
    assert log["items"][1]["changes"] == {"email": "ann@example.org", "role": "ops"}
    assert db.session.scalar(select(AuditEvent.entity).limit(1)) == "invitation"
