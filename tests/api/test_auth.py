"""Tokens, sessions and CSRF."""

from __future__ import annotations

from tracker.services.tenancy import accounts


def test_a_token_is_exchanged_for_credentials_and_can_be_revoked(client):
    accounts.create_user("ann@example.org", "long enough password")
    response = client.post("/api/v1/auth/tokens",
                           json={"email": "ANN@example.org", "password": "long enough password"})
    assert response.status_code == 201
    token = response.json["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/orgs", headers=headers).status_code == 200

    assert client.delete(f"/api/v1/auth/tokens/{response.json['id']}",
                         headers=headers).status_code == 204
    revoked = client.get("/api/v1/orgs", headers=headers)
    assert revoked.status_code == 401
    assert revoked.headers["WWW-Authenticate"] == "Bearer"


def test_tokens_are_stored_hashed(client):
    user = accounts.create_user("ann@example.org", "long enough password")
    token, secret = accounts.create_token(user)
    assert secret not in token.digest and len(token.digest) == 64
    assert user.password_hash.startswith("$argon2")


def test_a_wrong_password_or_no_credentials_answer_401(client):
    accounts.create_user("ann@example.org", "long enough password")
    wrong = client.post("/api/v1/auth/tokens", json={"email": "ann@example.org",
                                                     "password": "nope nope nope"})
    assert wrong.status_code == 401
    assert client.get("/api/v1/orgs").status_code == 401


def test_web_sign_in_then_session_writes_need_a_csrf_token(app, client):
    accounts.create_user("ann@example.org", "long enough password")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        page = client.get("/login")
        assert page.status_code == 200
        csrf = page.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
        signed_in = client.post("/login", data={"email": "ann@example.org",
                                                "password": "long enough password",
                                                "csrf_token": csrf})
        assert signed_in.status_code == 302
        assert client.get("/api/v1/orgs").status_code == 200
        refused = client.post("/api/v1/orgs", json={"name": "Acme"})
        assert refused.status_code == 400
        stale = client.post("/api/v1/orgs", json={"name": "Acme"},
                            headers={"X-CSRFToken": csrf})
        assert stale.status_code == 400  # the session, and its CSRF token, are new
        csrf = client.get("/").get_data(as_text=True).split(
            'name="csrf_token" value="')[1].split('"')[0]
        accepted = client.post("/api/v1/orgs", json={"name": "Acme"},
                               headers={"X-CSRFToken": csrf})
        assert accepted.status_code == 201
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_pages_send_security_headers(client):
    response = client.get("/login")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_openapi_document_and_docs_are_served_offline(client):
    spec = client.get("/api/v1/openapi.json")
    assert spec.status_code == 200
    assert "/api/v1/orgs/{org_id}/assessments/{assessment_id}/scores" in spec.json["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    asset = client.get("/api/v1/docs/assets/swagger-ui-bundle.js")
    assert asset.status_code == 200


def test_a_bearer_token_works_beside_an_anonymous_session_cookie(client):
    accounts.create_user("ann@example.org", "long enough password")
    client.get("/login")  # leaves a session cookie without a signed-in user
    user = accounts.find_user("ann@example.org")
    _, secret = accounts.create_token(user)
    response = client.get("/api/v1/orgs", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
