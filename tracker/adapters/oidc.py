"""OpenID Connect client (Authlib): one provider per instance, configured by
TRACKER_OIDC_ISSUER / _CLIENT_ID / _CLIENT_SECRET / _NAME / _SCOPES.

Discovery reads `{issuer}/.well-known/openid-configuration`; the authorization code flow
uses PKCE (S256), state and nonce, and Authlib verifies the ID token (signature, issuer,
audience, expiry, nonce)."""

from __future__ import annotations

from typing import Any

from authlib.integrations.flask_client import OAuth
from flask import Flask

NAME = "oidc"


def configured(config: Any) -> bool:
    """Whether single sign-on is set up (issuer, client id and secret all given)."""
    return bool(config.get("TRACKER_OIDC_ISSUER") and config.get("TRACKER_OIDC_CLIENT_ID")
                and config.get("TRACKER_OIDC_CLIENT_SECRET"))


def client(app: Flask) -> Any:
    """The app's registered OpenID Connect client, registered on first use."""
    oauth = app.extensions.get("tracker_oidc")
    if oauth is None:
        oauth = OAuth(app)
        config = app.config
        oauth.register(
            NAME,
            client_id=config["TRACKER_OIDC_CLIENT_ID"],
            client_secret=config["TRACKER_OIDC_CLIENT_SECRET"],
            server_metadata_url=(config["TRACKER_OIDC_ISSUER"].rstrip("/")
                                 + "/.well-known/openid-configuration"),
            client_kwargs={"scope": config.get("TRACKER_OIDC_SCOPES") or "openid email profile",
                           "code_challenge_method": "S256"},
        )
        app.extensions["tracker_oidc"] = oauth
    return oauth.create_client(NAME)


def callback_claims(app: Flask) -> dict[str, Any]:
    """The verified claims of the provider's answer on the redirect URI: the ID token's,
    completed from the userinfo endpoint (same `sub`) when the token leaves email out."""
    oidc = client(app)
    token = oidc.authorize_access_token()
    claims = dict(token.get("userinfo") or {})
    if not claims.get("sub"):
        raise ValueError("no ID token in the provider's answer")
    if "email" not in claims:
        extra = dict(oidc.userinfo(token=token))
        if extra.get("sub") != claims["sub"]:
            raise ValueError("userinfo names another subject")
        claims = extra | claims
    return claims
