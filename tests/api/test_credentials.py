"""Credentials over the API (issue 13, finding 7): tokens expire and record their last use,
`/me/tokens` lists, creates and revokes them, passwords follow the rule wherever they are
chosen, and `/me/password` changes one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from tracker.domain.errors import InvalidInput
from tracker.extensions import db
from tracker.models import ApiToken, User, UserSession
from tracker.models.base import utcnow
from tracker.services.tenancy import accounts

PASSWORD = "correct horse battery"


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def ann_token(app) -> str:
    return accounts.create_token(accounts.create_user("ann@example.org", PASSWORD))[1]


@pytest.mark.parametrize(("password", "reason"), [
    ("12345678", "At least 12 characters."),
    ("password", "At least 12 characters."),
    ("PASSWORD1234", "most common"),        # in the list, whatever the case
    ("ann.lee@example.org", "email"),
    ("Ann.Lee123456", None),
    ("ann.lee", "At least 12 characters."),
])
def test_a_chosen_password_follows_the_rule(app, password, reason):
    if reason is None:
        assert accounts.create_user("ann.lee@example.org", password)
        return
    with pytest.raises(InvalidInput) as refused:
        accounts.create_user("ann.lee@example.org", password)
    assert reason in refused.value.errors["password"][0]


def test_the_local_part_of_the_email_is_refused_too(app):
    with pytest.raises(InvalidInput):
        accounts.check_password("annabelle.lee1", "Annabelle.Lee1@example.org")


def test_a_user_with_an_older_short_password_still_signs_in(client):
    db.session.add(User(email="old@example.org", password_hash=accounts.hash_password("short")))
    db.session.commit()
    response = client.post("/api/v1/auth/tokens", json={"email": "old@example.org",
                                                        "password": "short"})
    assert response.status_code == 201


def test_a_token_expires_after_its_days(client, ann_token):
    expiry = db.session.scalar(select(ApiToken.expires_at))
    assert timedelta(days=89) < expiry - utcnow() <= timedelta(days=90)
    assert client.get("/api/v1/orgs", headers=bearer(ann_token)).status_code == 200
    db.session.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    expired = client.get("/api/v1/orgs", headers=bearer(ann_token))
    assert expired.status_code == 401


def test_a_caller_may_ask_fewer_days_but_not_more(app, client, ann_token):
    def expires_in(days: int) -> timedelta:
        created = client.post("/api/v1/auth/tokens", json={
            "email": "ann@example.org", "password": PASSWORD, "expires_in_days": days})
        assert created.status_code == 201, created.json
        return db.session.get(ApiToken, created.json["id"]).expires_at - utcnow()

    assert timedelta(days=6) < expires_in(7) <= timedelta(days=7)
    assert expires_in(3000) <= timedelta(days=app.config["TRACKER_TOKEN_DAYS"])


def test_last_used_at_is_written_at_most_once_a_minute(client, ann_token):
    def last_used():
        db.session.expire_all()
        return db.session.scalar(select(ApiToken.last_used_at))

    assert last_used() is None
    client.get("/api/v1/orgs", headers=bearer(ann_token))
    first = last_used()
    assert first is not None
    client.get("/api/v1/orgs", headers=bearer(ann_token))
    assert last_used() == first
    db.session.execute(update(ApiToken).values(last_used_at=first - timedelta(minutes=2)))
    db.session.commit()
    client.get("/api/v1/orgs", headers=bearer(ann_token))
    assert last_used() > first - timedelta(minutes=2)


def test_me_tokens_lists_creates_from_a_session_and_revokes(app, client, ann_token):
    listed = client.get("/api/v1/me/tokens", headers=bearer(ann_token))
    assert listed.status_code == 200
    assert listed.json["total"] == 1
    assert {"expires_at", "last_used_at", "created_at"} <= set(listed.json["items"][0])

    refused = client.post("/api/v1/me/tokens", json={"name": "more"}, headers=bearer(ann_token))
    assert refused.status_code == 403  # a stolen token cannot outlive itself

    client.post("/login", data={"email": "ann@example.org", "password": PASSWORD})
    csrf = {"X-CSRFToken": client.get("/account").text.split(
        'name="csrf_token" value="')[1].split('"')[0]}
    created = client.post("/api/v1/me/tokens", json={"name": "ci", "expires_in_days": 30},
                          headers=csrf)
    assert created.status_code == 201
    secret = created.json["token"]
    script = app.test_client()  # no session cookie: only the token speaks
    assert script.get("/api/v1/orgs", headers=bearer(secret)).status_code == 200

    revoked = client.delete(f"/api/v1/me/tokens/{created.json['id']}", headers=csrf)
    assert revoked.status_code == 204
    assert script.get("/api/v1/orgs", headers=bearer(secret)).status_code == 401
    assert client.delete("/api/v1/me/tokens/999", headers=csrf).status_code == 404


def test_me_password_checks_the_current_one_and_the_rule(client, ann_token):
    wrong = client.post("/api/v1/me/password", headers=bearer(ann_token), json={
        "current_password": "not it at all", "new_password": "a brand new passphrase"})
    assert wrong.status_code == 422
    assert "current_password" in wrong.json["errors"]
    weak = client.post("/api/v1/me/password", headers=bearer(ann_token), json={
        "current_password": PASSWORD, "new_password": "qwerty"})
    assert weak.status_code == 422
    assert weak.json["errors"]["new_password"] == ["At least 12 characters."]


def test_me_password_ends_the_web_sessions_and_keeps_the_tokens(app, client, ann_token):
    browser = app.test_client()
    browser.post("/login", data={"email": "ann@example.org", "password": PASSWORD})
    changed = client.post("/api/v1/me/password", headers=bearer(ann_token), json={
        "current_password": PASSWORD, "new_password": "a brand new passphrase"})
    assert changed.status_code == 204
    assert browser.get("/api/v1/me/tokens").status_code == 401
    assert db.session.scalar(select(UserSession.revoked_at)) is not None
    assert client.get("/api/v1/orgs", headers=bearer(ann_token)).status_code == 200
    assert accounts.authenticate("ann@example.org", "a brand new passphrase") is not None
    assert accounts.authenticate("ann@example.org", PASSWORD) is None


def test_the_openapi_document_lists_the_account_operations(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert {"/api/v1/me/tokens", "/api/v1/me/tokens/{token_id}", "/api/v1/me/password",
            "/api/v1/auth/password-reset", "/api/v1/auth/password-reset/{token}"} <= set(paths)
