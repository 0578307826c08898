"""Issue 19 in a real browser against a real OpenID Connect provider (the npm package
`oidc-provider`, run with node): "Sign in with …", the provider's dev login and consent,
back signed in; a second sign-in reuses the same identity; an unverified email is refused."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from sqlalchemy import func, select
from werkzeug.serving import make_server

from tests.e2e.accessibility import Watched, assert_accessible
from tracker import create_app
from tracker.extensions import db
from tracker.models import User
from tracker.models.accounts import UserIdentity
from tracker.services.tenancy import accounts

ROOT = Path(__file__).resolve().parents[2]
PROVIDER = Path(__file__).with_name("oidc_provider.mjs")
CLIENT_ID, CLIENT_SECRET = "tracker-e2e", "e2e-client-secret-0123456789"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def sso_server(app: Flask) -> Iterator[str]:
    """The app served on 127.0.0.1 with single sign-on set up against a live provider."""
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "oidc-provider").exists():
        pytest.skip("node or the npm package oidc-provider is missing")
    provider_port = _free_port()
    issuer = f"http://127.0.0.1:{provider_port}"
    served = create_app({key: app.config[key] for key in
                         ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "TRACKER_MAIL_DIR")}
                        | {"TRACKER_SCHEDULER": False, "WTF_CSRF_ENABLED": True,
                           "TRACKER_OIDC_ISSUER": issuer, "TRACKER_OIDC_CLIENT_ID": CLIENT_ID,
                           "TRACKER_OIDC_CLIENT_SECRET": CLIENT_SECRET,
                           "TRACKER_OIDC_NAME": "Acme ID"})
    server = make_server("127.0.0.1", 0, served, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    provider = subprocess.Popen(
        [node, str(PROVIDER), str(provider_port), f"{base}/auth/oidc/callback",
         CLIENT_ID, CLIENT_SECRET], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                requests.get(f"{issuer}/.well-known/openid-configuration", timeout=2)
                break
            except requests.ConnectionError:
                if provider.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"oidc-provider did not start: {provider.stdout.read()}")
                time.sleep(0.2)
        yield base
    finally:
        provider.terminate()
        provider.wait(timeout=10)
        server.shutdown()
        thread.join(timeout=10)
        with served.app_context():
            db.engine.dispose()


def _sign_in_with_provider(page: Any, base: str, login: str) -> None:
    """From the sign-in page through the provider's dev login and consent, back to tracker."""
    page.goto(f"{base}/login")
    page.click("text=Sign in with Acme ID")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "anything")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    if page.url.startswith(base):
        return
    page.click("button[type=submit]")  # the consent page: "Continue"
    page.wait_for_url(f"{base}/**")


def _forget_provider_pages(watched: Watched) -> None:
    """The provider's own dev pages (web fonts, favicon) are not ours to check: drop what
    they logged, and show tracker's page again."""
    watched.errors.clear()
    watched.page.reload()


def _identities() -> int:
    db.session.remove()
    return int(db.session.scalar(select(func.count()).select_from(UserIdentity)) or 0)


def test_sign_in_creates_then_links_same_user(sso_server: str, chromium: Any) -> None:
    context = chromium.new_context()
    watched = Watched(context.new_page())
    watched.page.goto(f"{sso_server}/login")
    assert_accessible(watched, "login with single sign-on")
    _sign_in_with_provider(watched.page, sso_server, "ada@example.org")
    watched.page.wait_for_selector("text=Your organizations")
    _forget_provider_pages(watched)
    assert_accessible(watched, "signed in by single sign-on")
    user = accounts.find_user("ada@example.org")
    assert user is not None and user.name == "SSO ada@example.org"
    assert not accounts.verify_password(user, "")
    assert _identities() == 1
    identity = db.session.scalars(select(UserIdentity)).one()
    assert (identity.user_id, identity.subject) == (user.id, "ada@example.org")
    assert identity.issuer.startswith("http://127.0.0.1:")

    second = chromium.new_context()
    page = second.new_page()
    _sign_in_with_provider(page, sso_server, "ada@example.org")
    page.wait_for_selector("text=Your organizations")
    assert _identities() == 1
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
    context.close()
    second.close()


def test_existing_user_is_linked_by_verified_email(sso_server: str, chromium: Any) -> None:
    existing_id = accounts.create_user("bob@example.org", "a long unusual passphrase 42").id
    context = chromium.new_context()
    page = context.new_page()
    _sign_in_with_provider(page, sso_server, "bob@example.org")
    page.wait_for_selector("text=Your organizations")
    db.session.remove()
    identity = db.session.scalars(select(UserIdentity)).one()
    assert identity.user_id == existing_id
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
    context.close()


def test_unverified_email_is_refused(sso_server: str, chromium: Any) -> None:
    context = chromium.new_context()
    watched = Watched(context.new_page())
    _sign_in_with_provider(watched.page, sso_server, "unverified@example.org")
    assert watched.page.is_visible("text=has not verified your email address")
    _forget_provider_pages(watched)
    watched.page.goto(f"{sso_server}/login")  # the refusal itself answered 403
    assert_accessible(watched, "sign-in page after the refusal")
    assert watched.page.is_visible("h1:text('Sign in')")
    assert _identities() == 0
    assert accounts.find_user("unverified@example.org") is None
    context.close()
