"""Server-side web sessions (issue 13, finding 7): a captured cookie dies with logout, sign-in
starts a new session, idle and old sessions end, a password change signs the other browsers
out, and the account page lists, creates and revokes API tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from tracker.extensions import db
from tracker.models import ApiToken, AuditEvent, Membership, Organization, User, UserSession
from tracker.models.base import utcnow
from tracker.services.tenancy import accounts

PASSWORD = "correct horse battery"
NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def ann(app) -> int:
    """Ann's user id (requests detach the test's objects, so tests keep ids)."""
    return accounts.create_user("ann@example.org", PASSWORD).id


def user(user_id: int):
    return db.session.get(User, user_id)


def sign_in(client, password: str = PASSWORD) -> None:
    response = client.post("/login", data={"email": "ann@example.org", "password": password})
    assert response.status_code == 302, response.text


def cookie(client) -> str:
    return client.get_cookie("session").value


def with_cookie(app, value: str):
    """Another browser, holding a copy of a session cookie."""
    other = app.test_client()
    other.set_cookie("session", value)
    return other


def signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def test_a_cookie_replayed_after_logout_is_refused(app, client, ann):
    sign_in(client)
    captured = cookie(client)
    assert signed_in(with_cookie(app, captured))

    assert client.post("/logout").status_code == 302

    replayed = with_cookie(app, captured)
    assert replayed.get("/account").status_code == 302  # to the sign-in page
    assert replayed.get("/api/v1/me/tokens").status_code == 401
    assert db.session.scalar(select(UserSession.revoked_at)) is not None


def test_sign_in_regenerates_the_session(app, client, ann):
    client.get("/login")  # an anonymous session, as an attacker could plant
    before = cookie(client)
    sign_in(client)
    after = cookie(client)
    assert after != before
    assert not signed_in(with_cookie(app, before))
    assert signed_in(with_cookie(app, after))

    sign_in(client)  # signing in again ends the previous session
    assert not signed_in(with_cookie(app, after))
    assert signed_in(client)


def test_the_cookie_carries_only_the_sessions_secret(app, client, ann):
    sign_in(client)
    stored = app.session_interface.get_signing_serializer(app).loads(cookie(client))
    assert stored["_user_id"] != str(ann)
    assert accounts.digest(stored["_user_id"]) == db.session.scalar(select(UserSession.digest))


def test_idle_and_old_sessions_end(app, client, ann):
    sign_in(client)
    now = utcnow()
    idle = timedelta(minutes=app.config["TRACKER_SESSION_IDLE_MINUTES"] + 1)
    db.session.execute(update(UserSession).values(last_seen_at=now - idle))
    db.session.commit()
    assert not signed_in(client)

    sign_in(client)
    old = timedelta(days=app.config["TRACKER_SESSION_MAX_DAYS"], minutes=1)
    db.session.execute(update(UserSession).where(UserSession.revoked_at.is_(None))
                       .values(created_at=now - old))
    db.session.commit()
    assert not signed_in(client)


def test_a_session_in_use_moves_its_last_seen_time(client, ann):
    sign_in(client)
    stale = utcnow() - timedelta(minutes=5)
    db.session.execute(update(UserSession).values(last_seen_at=stale))
    db.session.commit()
    assert signed_in(client)
    db.session.expire_all()
    assert db.session.scalar(select(UserSession.last_seen_at)) > stale


def test_a_remember_cookie_signs_no_one_in(app, client, ann):
    sign_in(client)
    client.post("/logout")
    client.set_cookie("remember_token", f"{ann}|forged")
    assert not signed_in(client)


def test_a_password_change_signs_the_other_browsers_out_and_keeps_this_one(app, client, ann):
    sign_in(client)
    elsewhere = app.test_client()
    sign_in(elsewhere)
    _, secret = accounts.create_token(user(ann))

    changed = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD})
    assert changed.status_code == 303

    assert signed_in(client)
    assert not signed_in(elsewhere)
    assert client.get("/api/v1/orgs", headers={"Authorization": f"Bearer {secret}"}
                      ).status_code == 200  # tokens are separate credentials: they stay
    sign_in(app.test_client(), NEW_PASSWORD)


def test_the_password_form_names_what_is_wrong(client, ann):
    sign_in(client)
    wrong = client.post("/account/password", data={
        "current_password": "not my password", "new_password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD})
    assert wrong.status_code == 422
    assert "Wrong password." in wrong.text
    common = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": "password1234",
        "confirm_password": "password1234"})
    assert common.status_code == 422
    assert "most common" in common.text
    differ = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD + "!"})
    assert differ.status_code == 422
    assert accounts.authenticate("ann@example.org", PASSWORD) is not None


def test_the_account_page_creates_lists_and_revokes_tokens(client, ann):
    sign_in(client)
    created = client.post("/account/tokens", data={"name": "laptop", "expires_in_days": "7"})
    assert created.status_code == 201
    secret = created.text.split('<code id="new-token">')[1].split("<")[0]
    assert accounts.user_for_token(secret).id == ann
    token = db.session.scalar(select(ApiToken))
    assert timedelta(days=6) < token.expires_at - utcnow() <= timedelta(days=7)

    page = client.get("/account")
    assert "laptop" in page.text and secret not in page.text
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 303
    assert accounts.user_for_token(secret) is None
    assert "revoked" in client.get("/account").text


def test_the_account_page_saves_name_and_language(client, ann):
    sign_in(client)
    saved = client.post("/account", data={"name": "Ann Lee", "locale": "fr"})
    assert saved.status_code == 303
    db.session.expire_all()
    assert (user(ann).name, user(ann).locale) == ("Ann Lee", "fr")
    assert client.post("/account", data={"name": "Ann", "locale": "xx"}).status_code == 422


def test_signing_in_is_audited_in_each_organization_of_the_user(client, ann):
    orgs = [Organization(name=name) for name in ("Acme", "Globex")]
    db.session.add_all(orgs)
    db.session.flush()
    org_ids = [org.id for org in orgs]
    db.session.add_all([Membership(org_id=org_id, user_id=ann, role="viewer")
                        for org_id in org_ids])
    db.session.commit()
    sign_in(client)
    client.post("/api/v1/auth/tokens", json={"email": "ann@example.org", "password": PASSWORD})
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "signin")).all()
    assert sorted(e.org_id for e in events) == sorted(org_ids * 2)
    assert {(e.user_id, e.entity, e.entity_id) for e in events} == {(ann, "user", ann)}
