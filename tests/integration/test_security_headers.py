"""Response headers (issue 13, finding 9): HSTS and `Secure` cookies in production,
`Cache-Control: no-store` on signed-in, export and survey answers, no `Werkzeug/… Python/…`
banner under a real HTTP server, a CSP on the API docs that still lets Swagger UI render,
and the pages' CSP unchanged."""

from __future__ import annotations

import base64
import hashlib
import re
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tracker import create_app
from tracker.extensions import db
from tracker.services.tenancy import accounts


@pytest.fixture
def production(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    monkeypatch.setenv("TRACKER_ENV", "production")
    application = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "x",
                              "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}",
                              "TRACKER_SCHEDULER": False})
    with application.app_context():
        db.create_all()
        accounts.create_user("ann@example.org", "correct horse battery")
        yield application
        db.session.remove()
        db.engine.dispose()


def test_production_sends_hsts_and_secure_cookies(production):
    client = production.test_client()
    assert (client.get("/login").headers["Strict-Transport-Security"]
            == "max-age=31536000; includeSubDomains")
    signed_in = client.post("/login", data={"email": "ann@example.org",
                                            "password": "correct horse battery"})
    assert signed_in.status_code == 302
    cookie = signed_in.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_development_sends_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers


def test_signed_in_answers_are_never_stored(client, lead):
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")
    org = lead.post("/api/v1/orgs", json={"name": "Acme"}).json["id"]
    for path in ("/api/v1/orgs", f"/api/v1/orgs/{org}/export", f"/api/v1/orgs/{org}/members"):
        assert lead.get(path).headers["Cache-Control"] == "no-store", path
    client.post("/login", data={"email": "lead@example.org",
                                "password": "correct horse battery"})
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_survey_and_invitation_pages_are_never_stored(client):
    assert client.get("/survey/not-a-token").headers["Cache-Control"] == "no-store"
    assert client.get("/invitations/not-a-token").headers["Cache-Control"] == "no-store"


def test_no_server_banner_under_a_real_http_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/api/v1/health"
        with urllib.request.urlopen(url, timeout=10) as response:
            banner = response.headers.get_all("Server")
    finally:
        server.shutdown()
        thread.join(timeout=10)
    assert banner == ["tracker"]


def test_the_api_docs_have_a_csp_that_lets_swagger_ui_render(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200 and "SwaggerUIBundle" in response.text
    csp = response.headers["Content-Security-Policy"]
    scripts = re.findall(r"<script>(.*?)</script>", response.text, re.DOTALL)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    for asset in re.findall(r'(?:src|href)="(/api/v1/docs/assets/[^"]+)"', response.text):
        assert client.get(asset).status_code == 200, asset


def test_the_pages_keep_their_own_csp(client):
    csp = client.get("/login").headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "frame-ancestors 'none'" in csp
    assert client.get("/login").headers["X-Content-Type-Options"] == "nosniff"
