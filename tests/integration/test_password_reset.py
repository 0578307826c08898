"""Resetting a forgotten password (issue 13, finding 7), end to end through the outbox and a
real SMTP server: ask, receive the link, follow it, choose a password; the old sessions are
dead and the link works once, for an hour."""

from __future__ import annotations

import re
import time

import pytest
from itsdangerous.timed import TimestampSigner
from sqlalchemy import func, select

from tests.smtp_server import SmtpServer
from tracker.extensions import db
from tracker.models.outbox import OutboxMessage
from tracker.services.follow import outbox
from tracker.services.tenancy import accounts

PASSWORD = "correct horse battery"
NEW_PASSWORD = "a brand new passphrase"
LINK = re.compile(r"http://tracker\.test/password-reset/(\S+)")


@pytest.fixture
def smtp():
    with SmtpServer() as server:
        yield server


@pytest.fixture
def ann(app) -> int:
    return accounts.create_user("ann@example.org", PASSWORD, name="Ann").id


def emailed_token(app, client, smtp, email: str = "ann@example.org") -> str:
    """Ask for a reset link over the API, deliver the outbox, and read the link's token."""
    before = len(smtp.collector.messages)
    assert client.post("/api/v1/auth/password-reset", json={"email": email}).status_code == 202
    outbox.deliver_pending({**app.config, **smtp.config})
    message = smtp.collector.messages[before]
    assert message["To"] == email
    return LINK.search(message.get_body(("plain",)).get_content()).group(1)


def test_the_emailed_link_sets_a_new_password_once_and_ends_old_sessions(app, client, smtp,
                                                                        ann):
    browser = app.test_client()
    assert browser.post("/login", data={"email": "ann@example.org",
                                        "password": PASSWORD}).status_code == 302
    token = emailed_token(app, client, smtp)

    form = client.get(f"/password-reset/{token}")
    assert form.status_code == 200 and 'name="password"' in form.text
    done = client.post(f"/password-reset/{token}", data={
        "password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert done.status_code == 303

    assert browser.get("/account").status_code == 302  # signed out
    assert accounts.authenticate("ann@example.org", NEW_PASSWORD) is not None
    assert accounts.authenticate("ann@example.org", PASSWORD) is None

    again = client.post(f"/api/v1/auth/password-reset/{token}",
                        json={"password": "yet another passphrase"})
    assert again.status_code == 422
    assert "already used" in again.json["errors"]["token"][0]
    page = client.post(f"/password-reset/{token}", data={
        "password": "yet another passphrase", "confirm_password": "yet another passphrase"})
    assert page.status_code == 422 and "already used" in page.text


def test_the_answer_is_the_same_whether_or_not_the_account_exists(app, client, smtp, ann):
    known = client.post("/api/v1/auth/password-reset", json={"email": "ann@example.org"})
    unknown = client.post("/api/v1/auth/password-reset", json={"email": "bob@example.org"})
    assert (known.status_code, known.data) == (unknown.status_code, unknown.data)
    assert known.status_code == 202
    web_known = client.post("/password-reset", data={"email": "ann@example.org"})
    web_unknown = client.post("/password-reset", data={"email": "bob@example.org"})
    assert (web_known.status_code, web_known.location) == (303, web_unknown.location)
    recipients = db.session.scalars(select(OutboxMessage.recipient)).all()
    assert recipients == ["ann@example.org"]  # asked twice: one email in five minutes


def test_an_expired_link_is_refused_with_a_clear_message(app, client, smtp, ann, monkeypatch):
    token = emailed_token(app, client, smtp)
    later = int(time.time()) + app.config["TRACKER_PASSWORD_RESET_MINUTES"] * 60 + 5
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)
    expired = client.post(f"/api/v1/auth/password-reset/{token}",
                          json={"password": NEW_PASSWORD})
    assert expired.status_code == 422
    assert "expired" in expired.json["errors"]["token"][0]
    assert accounts.authenticate("ann@example.org", PASSWORD) is not None


def test_an_altered_link_or_a_weak_password_is_refused(app, client, smtp, ann):
    token = emailed_token(app, client, smtp)
    altered = client.post(f"/api/v1/auth/password-reset/{token[:-2]}xx",
                          json={"password": NEW_PASSWORD})
    assert altered.status_code == 422
    assert "not valid" in altered.json["errors"]["token"][0]
    weak = client.post(f"/api/v1/auth/password-reset/{token}", json={"password": "iloveyou"})
    assert weak.status_code == 422
    assert weak.json["errors"]["password"] == ["At least 12 characters."]
    assert client.post(f"/api/v1/auth/password-reset/{token}",
                       json={"password": NEW_PASSWORD}).status_code == 204


def test_the_login_page_links_to_the_reset_form(client):
    assert 'href="/password-reset"' in client.get("/login").text
    assert client.get("/password-reset").status_code == 200
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0
