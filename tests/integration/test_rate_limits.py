"""Anti-automation (issue 13, finding 8): 120 wrong passwords on `/login` and on
`POST /auth/tokens`, and 300 random survey links, are answered 429 with `Retry-After` once
past the limits; in memory and in Redis. Each test builds its own app with the limits on
(the shared test app keeps them off: the suite signs in hundreds of times)."""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tracker import create_app
from tracker.extensions import db, limiter
from tracker.services.tenancy import accounts

REDIS_URL = "redis://127.0.0.1:6379/15"


def _limited_app(tmp_path: Path, **config: Any) -> Iterator[Flask]:
    application = create_app({
        "TESTING": True, "RATELIMIT_ENABLED": True, "WTF_CSRF_ENABLED": False,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'limits.db'}",
        "SECRET_KEY": "x", "TRACKER_SCHEDULER": False, **config})
    with application.app_context():
        db.create_all()
        accounts.create_user("ann@example.org", "correct horse battery")
        yield application
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def limited(tmp_path: Path) -> Iterator[Flask]:
    yield from _limited_app(tmp_path)


def _redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


def _statuses(responses: list[Any]) -> Counter[int]:
    return Counter(r.status_code for r in responses)


def _wrong_logins(application: Flask, count: int) -> list[Any]:
    client = application.test_client()
    return [client.post("/login", data={"email": "ann@example.org", "password": f"guess{i}"})
            for i in range(count)]


def test_wrong_passwords_on_the_sign_in_page_are_answered_429(limited):
    responses = _wrong_logins(limited, 120)
    assert _statuses(responses) == {401: 10, 429: 110}
    blocked = responses[-1]
    assert 0 < int(blocked.headers["Retry-After"]) <= 60
    assert blocked.mimetype == "text/html" and "Too many attempts" in blocked.text
    # the right password waits too: the account is the one under attack
    right = limited.test_client().post("/login", data={"email": "ann@example.org",
                                                       "password": "correct horse battery"})
    assert right.status_code == 429


def test_wrong_passwords_on_token_creation_are_answered_429_as_problems(limited):
    client = limited.test_client()
    responses = [client.post("/api/v1/auth/tokens", json={"email": f"user{i % 3}@example.org",
                                                          "password": "wrong"})
                 for i in range(120)]
    assert _statuses(responses) == {401: 10, 429: 110}
    blocked = responses[-1]
    assert blocked.mimetype == "application/problem+json"
    assert blocked.json["status"] == 429 and int(blocked.headers["Retry-After"]) > 0


def test_one_account_is_protected_from_many_addresses(limited):
    client = limited.test_client()
    statuses = Counter(client.post("/api/v1/auth/tokens", json={
        "email": "ann@example.org", "password": "wrong"},
        environ_base={"REMOTE_ADDR": f"10.0.0.{i}"}).status_code for i in range(30))
    assert statuses == {401: 10, 429: 20}


def test_successful_sign_ins_are_not_counted(limited):
    client = limited.test_client()
    statuses = {client.post("/api/v1/auth/tokens", json={
        "email": "ann@example.org", "password": "correct horse battery"}).status_code
        for _ in range(15)}
    assert statuses == {201}


def test_random_survey_links_are_answered_429(limited):
    client = limited.test_client()
    responses = [client.get(f"/survey/{secrets.token_urlsafe(16)}") for _ in range(300)]
    assert _statuses(responses) == {404: 20, 429: 280}
    assert "Retry-After" in responses[-1].headers


def test_guessing_invitation_links_is_limited(limited):
    client = limited.test_client()
    statuses = _statuses([client.post(f"/api/v1/invitations/{secrets.token_urlsafe(8)}/accept",
                                      json={}) for _ in range(15)])
    assert statuses == {404: 10, 429: 5}


def test_the_limits_come_from_the_settings(tmp_path):
    for application in _limited_app(tmp_path, TRACKER_RATELIMIT_SIGNIN="3/minute"):
        assert _statuses(_wrong_logins(application, 5)) == {401: 3, 429: 2}


@pytest.mark.skipif(not _redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_the_limits_live_in_redis_when_configured(tmp_path):
    for application in _limited_app(tmp_path, RATELIMIT_STORAGE_URI=REDIS_URL):
        limiter.reset()
        assert _statuses(_wrong_logins(application, 12)) == {401: 10, 429: 2}
        assert type(limiter.storage).__name__ == "RedisStorage"
        limiter.reset()


def test_password_reset_requests_are_limited(limited):
    client = limited.test_client()
    statuses = _statuses([client.post("/api/v1/auth/password-reset",
                                      json={"email": "ann@example.org"}) for _ in range(8)])
    assert statuses == {202: 5, 429: 3}


def test_every_endpoint_of_the_table_exists(limited):
    from tracker.security.limits import RULES

    named = {e for rule in RULES for e in rule.endpoints if not e.endswith(".")}
    assert named <= set(limited.view_functions), named - set(limited.view_functions)
